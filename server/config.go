// Package server wires the hub together: configuration, connectors, the
// GraphQL handler, the playground, health endpoints and the middleware in
// front of them. It composes the other packages and holds no logic of its
// own beyond that.
package server

import (
	"encoding/hex"
	"errors"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/poort-nl/poort/auth"
	"github.com/poort-nl/poort/balie"
	"github.com/poort-nl/poort/connectors"
	"github.com/poort-nl/poort/internal/envconfig"
	"github.com/poort-nl/poort/internal/jsonerr"
	"github.com/poort-nl/poort/internal/limits"
	"github.com/poort-nl/poort/internal/resilience"
	"github.com/poort-nl/poort/internal/statedir"
	"github.com/poort-nl/poort/mocks/fault"
	"github.com/poort-nl/poort/store"
)

// DefaultBatchWait is POORT_BATCH_WAIT when it is not set. It is exported
// so that texts naming the default (poort bench's help and table) cannot
// drift from it.
const DefaultBatchWait = 10 * time.Millisecond

// RegistryConfig is how the hub reaches one registry.
type RegistryConfig struct {
	// URL is the registry API's base URL; empty means the embedded mock.
	URL string
	// AuthHeader and AuthValue set a credentials header on every call.
	AuthHeader string
	AuthValue  string
	// Timeout bounds one call; zero takes UpstreamTimeout.
	Timeout time.Duration
	// TLS names the PEM files of a client certificate, its key and the CA
	// of the registry's certificate, for a registry behind Digikoppeling
	// that requires mutual TLS (Suwinet does).
	TLS connectors.TLSConfig
	// Settings are the registry's own keys (connectors.Registration
	// Settings), by name; a key left unset is absent.
	Settings map[string]string
}

// Config is the hub's configuration, read from environment variables.
type Config struct {
	// Listen is the address to serve on (POORT_LISTEN).
	Listen string
	// Registries per registry name, for each registry of Registries():
	// POORT_<REGISTRY>_URL, _AUTH_HEADER, _AUTH_VALUE, _TIMEOUT, _TLS_CERT,
	// _TLS_KEY, _TLS_CA and the registry's own settings (POORT_BRP_URL,
	// ...).
	Registries map[string]RegistryConfig
	// UpstreamTimeout bounds one registry call (POORT_UPSTREAM_TIMEOUT).
	UpstreamTimeout time.Duration
	// RequestTimeout bounds one GraphQL request (POORT_REQUEST_TIMEOUT).
	RequestTimeout time.Duration
	// ShutdownTimeout bounds graceful shutdown (POORT_SHUTDOWN_TIMEOUT).
	ShutdownTimeout time.Duration
	// PopulationSeed and PopulationSize shape the mock registries'
	// population (POORT_POPULATION_SEED, POORT_POPULATION_SIZE).
	PopulationSeed uint64
	PopulationSize int
	// MocksPort, when not zero, puts the embedded mocks on fixed ports: the
	// first registry of Registries() on it, the others on the next ones in
	// that order (POORT_MOCKS_PORT).
	MocksPort int
	// MockFaults are the faults the embedded mocks start with, as a JSON
	// object per registry, e.g. {"BAG":{"latencyMs":20,"jitterMs":5}}
	// (POORT_MOCK_FAULTS). They can be changed at run time on each mock's
	// /_admin/faults.
	MockFaults map[string]fault.Config
	// DatabaseURL is the store (POORT_DATABASE_URL): postgres://... or
	// sqlite:PATH. The default is an embedded SQLite file in the state
	// directory (DefaultDatabaseURL).
	DatabaseURL string
	// SQLiteSync is when an SQLite database's commits reach the disk
	// (POORT_SQLITE_SYNCHRONOUS: normal, the default, or full; see
	// docs/store.md).
	SQLiteSync store.SQLiteSync
	// PseudonymKey keys the HMAC that pseudonymises data subjects in the
	// audit log (POORT_PSEUDONYM_KEY, at least 32 hex digits). It must stay
	// the same for the life of the audit log. Required outside development
	// mode; in development mode a random key is generated once and kept
	// beside the database.
	PseudonymKey string
	// Development is the development switch (POORT_DEVELOPMENT): nil
	// leaves the decision to the rest of the configuration, true insists on
	// development mode, false refuses it. DevelopmentMode decides.
	Development *bool
	// AdminListen is where /metrics and /charts/ are served, apart from
	// the public port (POORT_ADMIN_LISTEN, default 127.0.0.1:9464); empty
	// (set "off") serves them nowhere.
	AdminListen string
	// Profiling serves the Go runtime's profiles (net/http/pprof) on the
	// admin listener under /debug/pprof/ (POORT_ADMIN_PPROF), for
	// `go tool pprof` and `poort bench`.
	Profiling bool
	// Playground serves GraphiQL at /playground (POORT_PLAYGROUND).
	Playground bool
	// Introspection allows schema introspection (POORT_INTROSPECTION).
	Introspection bool
	// LogFormat is text or json (POORT_LOG_FORMAT); LogLevel debug, info,
	// warn or error (POORT_LOG_LEVEL).
	LogFormat string
	LogLevel  string
	// Auth says how bearer tokens are verified (POORT_AUTH_*, see
	// docs/security.md); without an identity provider the hub runs its own
	// local issuer.
	Auth auth.Config
	// Limits bound what one request may ask (POORT_LIMIT_*, POORT_RATE_*).
	Limits limits.Config
	// PersistedQueryBytes bounds the cache of automatic persisted queries
	// (POORT_APQ_CACHE_BYTES), by the size of their text; 0 turns them
	// off.
	PersistedQueryBytes int
	// PolicyFile is the purpose-binding policy (POORT_POLICY_FILE); empty
	// means the embedded default.
	PolicyFile string
	// PartnerDirectory maps chain partners to their intake endpoints
	// (POORT_PARTNER_DIRECTORY: inline JSON or a file path); empty means an
	// embedded mock intake for every partner.
	PartnerDirectory string
	// DispatchLease is how long a dispatcher holds a notification it is
	// delivering before another replica may take it over
	// (POORT_DISPATCH_LEASE); DispatchTimeout bounds one delivery
	// (POORT_DISPATCH_TIMEOUT); DispatchPoll is how often the outbox is
	// polled (POORT_DISPATCH_POLL).
	DispatchLease   time.Duration
	DispatchTimeout time.Duration
	DispatchPoll    time.Duration
	// Resilience configures the circuit breakers, bulkheads, call
	// deadlines and the cache (POORT_BREAKER_*, POORT_BULKHEAD_*,
	// POORT_DEADLINE_*, POORT_CACHE_*; see docs/resilience.md).
	Resilience resilience.Config
	// BatchWait is the longest a loader's batch waits for resolvers that
	// could still add keys to it (POORT_BATCH_WAIT); a batch goes as soon
	// as none is running, so this bounds only waits the executor cannot
	// see, such as a resolver reading the store.
	BatchWait time.Duration
	// Console configures the web console under /balie/
	// (POORT_CONSOLE_*, see docs/console.md).
	Console balie.Config
}

// ProductionSettings names the settings only a production hub has: a
// PostgreSQL database, an identity provider, a registry's URL.
func (c Config) ProductionSettings() []string {
	var out []string
	if isPostgres(c.DatabaseURL) {
		out = append(out, "POORT_DATABASE_URL (PostgreSQL)")
	}
	if !c.Auth.UsesLocalIssuer() {
		out = append(out, "an identity provider (POORT_AUTH_JWKS_URL or POORT_AUTH_KEYS)")
	}
	for _, r := range Registries() {
		name := string(r.Connector.Registry)
		if c.Registries[name].URL != "" {
			out = append(out, "POORT_"+name+"_URL")
		}
		for _, st := range r.Connector.Settings {
			if st.OwnContract && c.Registries[name].Settings[st.Name] != "" {
				out = append(out, "POORT_"+name+"_"+st.Name)
			}
		}
	}
	return out
}

// DevelopmentMode reports whether the hub runs in development mode: the
// embedded mock registries and partner intake, the local token issuer with
// its development role and the playground's development token, and a
// generated pseudonym key. It is the one decision everything else asks.
// Without the switch (POORT_DEVELOPMENT), the hub is in development mode
// exactly when it runs fully embedded: no production setting at all.
func (c Config) DevelopmentMode() bool {
	if c.Development != nil {
		return *c.Development
	}
	return len(c.ProductionSettings()) == 0
}

// Validate reports the settings that contradict each other: development
// mode asked for beside production settings, and, outside development
// mode, what a production hub cannot do without.
func (c Config) Validate() error {
	prod := c.ProductionSettings()
	if c.Development != nil && *c.Development && len(prod) > 0 {
		return fmt.Errorf("POORT_DEVELOPMENT=true, but production settings are given (%s): development mode would hand out an all-purpose token and use mocks beside them; remove the switch", strings.Join(prod, ", "))
	}
	if c.DevelopmentMode() {
		return nil
	}
	var missing []string
	for _, r := range Registries() {
		if name := string(r.Connector.Registry); c.Registries[name].URL == "" {
			missing = append(missing, "POORT_"+name+"_URL")
		}
	}
	if c.Auth.UsesLocalIssuer() {
		missing = append(missing, "POORT_AUTH_JWKS_URL or POORT_AUTH_KEYS")
	}
	if c.PseudonymKey == "" {
		missing = append(missing, "POORT_PSEUDONYM_KEY")
	}
	if c.PartnerDirectory == "" {
		missing = append(missing, "POORT_PARTNER_DIRECTORY")
	}
	var errs []error
	if len(missing) > 0 {
		why := "production settings are given (" + strings.Join(prod, ", ") + ")"
		if len(prod) == 0 {
			why = "POORT_DEVELOPMENT=false"
		}
		errs = append(errs, fmt.Errorf("outside development mode (%s) the hub has no mocks, local token issuer or generated keys; set %s", why, strings.Join(missing, ", ")))
	}
	if len(c.MockFaults) > 0 || c.MocksPort != 0 {
		errs = append(errs, errors.New("POORT_MOCK_FAULTS and POORT_MOCKS_PORT are for the embedded mocks of development mode"))
	}
	return errors.Join(errs...)
}

// DefaultDatabaseURL is the store without POORT_DATABASE_URL: poort.db in
// the state directory (POORT_STATE_DIR, internal/statedir), so the hub and
// `poort audit verify` find the same file from any working directory.
func DefaultDatabaseURL(getenv func(string) string) string {
	return "sqlite:" + statedir.Path(getenv, "poort.db")
}

func isPostgres(dsn string) bool {
	return strings.HasPrefix(dsn, "postgres://") || strings.HasPrefix(dsn, "postgresql://")
}

// LoadConfig reads the configuration from getenv, reporting every bad
// variable at once.
func LoadConfig(getenv func(string) string) (Config, error) {
	return loadConfig(getenv, Registries())
}

// loadConfig reads the configuration of a hub with the registries given.
func loadConfig(getenv func(string) string, regs []Registry) (Config, error) {
	e := &envconfig.Reader{Getenv: getenv, DurationExample: "5s or 800ms"}
	c := Config{
		Listen:          e.String("POORT_LISTEN", "127.0.0.1:8080"),
		UpstreamTimeout: e.Duration("POORT_UPSTREAM_TIMEOUT", 5*time.Second),
		RequestTimeout:  e.Duration("POORT_REQUEST_TIMEOUT", 10*time.Second),
		ShutdownTimeout: e.Duration("POORT_SHUTDOWN_TIMEOUT", 15*time.Second),
		PopulationSeed:  uint64(e.Int("POORT_POPULATION_SEED", 1, 0, 1<<62)),
		PopulationSize:  e.Int("POORT_POPULATION_SIZE", 1000, 50, 250_000),
		DatabaseURL:     e.String("POORT_DATABASE_URL", DefaultDatabaseURL(getenv)),
		PseudonymKey:    e.String("POORT_PSEUDONYM_KEY", ""),
		Playground:      e.Bool("POORT_PLAYGROUND", true),
		Introspection:   e.Bool("POORT_INTROSPECTION", true),
		LogFormat:       e.OneOf("POORT_LOG_FORMAT", "text", "text", "json"),
		LogLevel:        e.OneOf("POORT_LOG_LEVEL", "info", "debug", "info", "warn", "error"),
		MocksPort:       e.Int("POORT_MOCKS_PORT", 0, 0, 65530),
		Registries:      map[string]RegistryConfig{},
	}
	c.MockFaults = mockFaults(e, "POORT_MOCK_FAULTS", regs)
	c.Development = envconfig.Value(e, "POORT_DEVELOPMENT", (*bool)(nil), "true or false, or unset", func(v string) (*bool, bool) {
		b, err := strconv.ParseBool(v)
		return &b, err == nil
	})
	if c.AdminListen = e.String("POORT_ADMIN_LISTEN", "127.0.0.1:9464"); c.AdminListen == "off" {
		c.AdminListen = ""
	}
	c.Profiling = e.Bool("POORT_ADMIN_PPROF", false)
	c.PersistedQueryBytes = e.Int("POORT_APQ_CACHE_BYTES", 4<<20, 0, 1<<30)
	c.SQLiteSync = envconfig.Value(e, "POORT_SQLITE_SYNCHRONOUS", store.SQLiteSyncNormal, "normal or full", func(v string) (store.SQLiteSync, bool) {
		s, err := store.ParseSQLiteSync(v)
		return s, err == nil
	})
	if c.PseudonymKey != "" {
		if _, err := decodePseudonymKey(c.PseudonymKey); err != nil {
			e.Add(err)
		}
	}
	c.PolicyFile = e.String("POORT_POLICY_FILE", "")
	c.PartnerDirectory = e.String("POORT_PARTNER_DIRECTORY", "")
	c.DispatchLease = e.Duration("POORT_DISPATCH_LEASE", time.Minute)
	c.DispatchTimeout = e.Duration("POORT_DISPATCH_TIMEOUT", 10*time.Second)
	c.DispatchPoll = e.Duration("POORT_DISPATCH_POLL", time.Second)
	if c.DispatchLease <= c.DispatchTimeout {
		e.Add(fmt.Errorf("POORT_DISPATCH_LEASE (%v) must be longer than POORT_DISPATCH_TIMEOUT (%v)", c.DispatchLease, c.DispatchTimeout))
	}
	var err error
	c.Auth, err = auth.LoadConfig(getenv)
	e.Add(err)
	c.Console, err = balie.LoadConfig(getenv, c.Auth.Issuer)
	e.Add(err)
	c.Limits, err = limits.LoadConfig(getenv)
	e.Add(err)
	c.Resilience, err = resilience.LoadConfig(getenv, RegistryNames(regs))
	e.Add(err)
	c.BatchWait = e.Duration("POORT_BATCH_WAIT", DefaultBatchWait)
	for _, r := range regs {
		p := "POORT_" + string(r.Connector.Registry) + "_"
		rc := RegistryConfig{
			URL:        e.String(p+"URL", ""),
			AuthHeader: e.String(p+"AUTH_HEADER", ""),
			AuthValue:  e.String(p+"AUTH_VALUE", ""),
			Timeout:    e.Duration(p+"TIMEOUT", 0),
			TLS: connectors.TLSConfig{
				CertFile: e.String(p+"TLS_CERT", ""),
				KeyFile:  e.String(p+"TLS_KEY", ""),
				CAFile:   e.String(p+"TLS_CA", ""),
			},
		}
		if !rc.TLS.IsZero() && rc.URL == "" {
			e.Add(fmt.Errorf("%sTLS_*: set %sURL too; the embedded mock speaks plain HTTP", p, p))
		}
		for _, st := range r.Connector.Settings {
			if v := e.String(p+st.Name, ""); v != "" {
				if rc.Settings == nil {
					rc.Settings = map[string]string{}
				}
				rc.Settings[st.Name] = v
			}
		}
		c.Registries[string(r.Connector.Registry)] = rc
	}
	if c.RequestTimeout < c.UpstreamTimeout {
		e.Add(fmt.Errorf("POORT_REQUEST_TIMEOUT (%v) must be at least POORT_UPSTREAM_TIMEOUT (%v)", c.RequestTimeout, c.UpstreamTimeout))
	}
	e.Add(c.Validate())
	if err := e.Err(); err != nil {
		return Config{}, fmt.Errorf("configuration: %w", err)
	}
	return c, nil
}

func decodePseudonymKey(k string) ([]byte, error) {
	b, err := hex.DecodeString(strings.TrimSpace(k))
	if err != nil || len(b) < 16 {
		return nil, errors.New("POORT_PSEUDONYM_KEY: want at least 32 hex digits")
	}
	return b, nil
}

// mockFaults reads the embedded mocks' faults: a JSON object per registry.
func mockFaults(e *envconfig.Reader, name string, regs []Registry) map[string]fault.Config {
	v := e.String(name, "")
	if v == "" {
		return nil
	}
	var m map[string]fault.Config
	if err := jsonerr.UnmarshalStrict([]byte(v), &m); err != nil {
		e.Add(fmt.Errorf("%s: %v", name, err))
		return nil
	}
	for reg, f := range m {
		if !slices.Contains(RegistryNames(regs), connectors.Registry(reg)) {
			e.Add(fmt.Errorf("%s: unknown registry %q (want one of %s)", name, reg, registryList(regs)))
		} else if err := f.Validate(); err != nil {
			e.Add(fmt.Errorf("%s: %s: %v", name, reg, err))
		}
	}
	return m
}
