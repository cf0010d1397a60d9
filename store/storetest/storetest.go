// Package storetest gives tests a fresh, migrated store on each database the
// store supports, so that every store test runs on SQLite and on PostgreSQL.
//
// A test package holds one Env and runs its tests through Env.Main:
//
//	var env = storetest.New()
//
//	func TestMain(m *testing.M) { os.Exit(env.Main(m)) }
//
//	func TestSomething(t *testing.T) {
//		env.Each(t, func(t *testing.T, db storetest.Named) {
//			// db.Store is a fresh store; db.Name is "sqlite" or "postgres".
//		})
//	}
//
// PostgreSQL comes from POORT_TEST_POSTGRES_URL when it is set (a server on
// which the URL's user may create databases). Otherwise the first test that
// needs PostgreSQL starts a throwaway cluster for the whole test binary:
// initdb into a temporary directory and postgres listening on a Unix socket
// only, with fsync off; Main stops it and removes the directory. The
// binaries are found on PATH or under /usr/lib/postgresql/*/bin. As root,
// initdb and postgres run as the "postgres" system user, because both
// refuse to run as root.
//
// Every test gets its own database, cloned from a template database that
// was migrated once and dropped when the test ends, so tests are
// independent and may run in parallel.
//
// When PostgreSQL cannot be had, the PostgreSQL variant of each test is
// skipped with the reason, unless CI or POORT_REQUIRE_POSTGRES is set: then
// it fails, so that a CI run can never pass without PostgreSQL.
package storetest

import (
	"context"
	"crypto/rand"
	"database/sql"
	"encoding/hex"
	"errors"
	"fmt"
	"net/url"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	_ "github.com/lib/pq" // the admin connection

	"github.com/poort-nl/poort/store"
)

// PseudonymKey is the audit pseudonymisation key every test store gets.
const PseudonymKey = "storetest pseudonym key, not a secret"

// Environment variables read by Env.
const (
	// EnvPostgresURL names a PostgreSQL server to use instead of starting one.
	EnvPostgresURL = "POORT_TEST_POSTGRES_URL"
	// EnvRequirePostgres makes an unavailable PostgreSQL fail the tests.
	EnvRequirePostgres = "POORT_REQUIRE_POSTGRES"
)

// Named is a store under test together with the name of its database
// ("sqlite" or "postgres") and the DSN it was opened with, so that a test
// can open a second Store on the same database, as a second hub replica
// would.
type Named struct {
	Name  string
	Store *store.Store
	DSN   string
}

// Env provides test stores. Create it with New; it starts PostgreSQL only
// when a test first asks for it.
type Env struct {
	once   sync.Once
	server *server // nil when PostgreSQL is unavailable
	err    error   // why PostgreSQL is unavailable
}

// New returns an Env. It starts nothing.
func New() *Env { return &Env{} }

// Main runs the tests, then stops the PostgreSQL cluster this Env started
// (if any) and drops the databases it created on an external server. It
// returns the exit code for os.Exit.
func (e *Env) Main(m *testing.M) int {
	code := m.Run()
	if e.server != nil {
		if err := e.server.close(); err != nil {
			fmt.Fprintf(os.Stderr, "storetest: stopping PostgreSQL: %v\n", err)
		}
	}
	return code
}

// Each runs fn once per database, as subtests named "sqlite" and
// "postgres", each with a fresh store opened with opts (after the test
// PseudonymKey). The PostgreSQL subtest is skipped, or fails under CI,
// when PostgreSQL is unavailable.
func (e *Env) Each(t *testing.T, fn func(t *testing.T, db Named), opts ...store.Option) {
	t.Helper()
	t.Run("sqlite", func(t *testing.T) { fn(t, e.SQLite(t, opts...)) })
	t.Run("postgres", func(t *testing.T) { fn(t, e.Postgres(t, opts...)) })
}

// Open returns a fresh store on each available database: SQLite always, and
// PostgreSQL when it is available. When PostgreSQL is unavailable and not
// required, the test logs why and gets SQLite only; when it is required,
// the test fails.
func (e *Env) Open(t testing.TB, opts ...store.Option) []Named {
	t.Helper()
	dbs := []Named{e.SQLite(t, opts...)}
	if e.postgresUnavailable(t) {
		return dbs
	}
	return append(dbs, e.Postgres(t, opts...))
}

// SQLite returns a fresh store on an SQLite file in the test's temporary
// directory. A file rather than :memory: so that tests exercise WAL and the
// separate read pool, as in production.
func (e *Env) SQLite(t testing.TB, opts ...store.Option) Named {
	t.Helper()
	dsn := "sqlite:" + filepath.Join(t.TempDir(), "poort.db")
	return Named{Name: "sqlite", Store: open(t, dsn, opts), DSN: dsn}
}

// Postgres returns a fresh store on a new, migrated PostgreSQL database.
// It skips the test, or fails it under CI, when PostgreSQL is unavailable.
func (e *Env) Postgres(t testing.TB, opts ...store.Option) Named {
	t.Helper()
	dsn := e.postgresDatabase(t, true)
	return Named{Name: "postgres", Store: open(t, dsn, opts), DSN: dsn}
}

// PostgresDSN returns the DSN of a new, empty PostgreSQL database: no
// migrations applied. It skips or fails like Postgres.
func (e *Env) PostgresDSN(t testing.TB) string {
	t.Helper()
	return e.postgresDatabase(t, false)
}

func open(t testing.TB, dsn string, opts []store.Option) *store.Store {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	s, err := store.Open(ctx, dsn, append([]store.Option{store.WithPseudonymKey([]byte(PseudonymKey))}, opts...)...)
	if err != nil {
		t.Fatalf("open store: %v", err)
	}
	t.Cleanup(func() { s.Close() })
	return s
}

// postgresUnavailable reports whether PostgreSQL is unavailable and not
// required; when it is unavailable and required, it fails the test.
func (e *Env) postgresUnavailable(t testing.TB) bool {
	t.Helper()
	e.once.Do(e.startPostgres)
	if e.err == nil {
		return false
	}
	if Required() {
		t.Fatalf("PostgreSQL is required here (CI or %s is set) but unavailable: %v", EnvRequirePostgres, e.err)
	}
	t.Logf("PostgreSQL variant skipped: %v", e.err)
	return true
}

func (e *Env) postgresDatabase(t testing.TB, migrated bool) string {
	t.Helper()
	if e.postgresUnavailable(t) {
		t.SkipNow()
	}
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	dsn, err := e.server.createDatabase(ctx, migrated)
	if err != nil {
		t.Fatalf("create test database: %v", err)
	}
	// Dropped as soon as the test is done, so that a long run does not pile
	// up databases (in memory, for a cluster in /dev/shm). Registered before
	// the store's Close, so it runs after it.
	t.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
		defer cancel()
		if err := e.server.dropDatabase(ctx, dsn); err != nil {
			t.Logf("drop test database: %v", err)
		}
	})
	return dsn
}

// Required reports whether the environment demands PostgreSQL tests: CI or
// POORT_REQUIRE_POSTGRES set to anything but "", "0" or "false".
func Required() bool {
	for _, k := range []string{"CI", EnvRequirePostgres} {
		switch strings.ToLower(os.Getenv(k)) {
		case "", "0", "false":
		default:
			return true
		}
	}
	return false
}

func (e *Env) startPostgres() {
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	var srv *server
	var err error
	if u := os.Getenv(EnvPostgresURL); u != "" {
		srv, err = connectServer(ctx, u)
	} else {
		srv, err = startCluster(ctx)
	}
	if err == nil {
		err = srv.prepareTemplate(ctx)
		if err != nil {
			srv.close()
		}
	}
	if err != nil {
		e.err = err
		return
	}
	e.server = srv
}

// server is a PostgreSQL server on which tests create databases.
type server struct {
	admin    *sql.DB  // connected to the maintenance database
	baseURL  *url.URL // the admin URL; test DSNs differ only in the path
	template string
	cluster  *cluster // nil for an external server

	mu      sync.Mutex
	created []string
}

func connectServer(ctx context.Context, rawURL string) (*server, error) {
	u, err := url.Parse(rawURL)
	if err != nil {
		return nil, fmt.Errorf("%s is not a URL: %w", EnvPostgresURL, err)
	}
	db, err := sql.Open("postgres", rawURL)
	if err != nil {
		return nil, err
	}
	if err := db.PingContext(ctx); err != nil {
		db.Close()
		return nil, fmt.Errorf("connect to %s: %w", EnvPostgresURL, err)
	}
	return &server{admin: db, baseURL: u, template: "poort_template_" + randomName()}, nil
}

// prepareTemplate creates the template database and migrates it, so that
// each test's database starts as a cheap copy instead of running the
// migrations again.
func (s *server) prepareTemplate(ctx context.Context) error {
	if _, err := s.admin.ExecContext(ctx, "CREATE DATABASE "+quoteIdent(s.template)); err != nil {
		return fmt.Errorf("create template database: %w", err)
	}
	st, err := store.Open(ctx, s.dsn(s.template))
	if err != nil {
		return fmt.Errorf("migrate template database: %w", err)
	}
	return st.Close()
}

func (s *server) createDatabase(ctx context.Context, migrated bool) (string, error) {
	name := "poort_test_" + randomName()
	q := "CREATE DATABASE " + quoteIdent(name)
	if migrated {
		q += " TEMPLATE " + quoteIdent(s.template)
	}
	if _, err := s.admin.ExecContext(ctx, q); err != nil {
		return "", err
	}
	s.mu.Lock()
	s.created = append(s.created, name)
	s.mu.Unlock()
	return s.dsn(name), nil
}

func (s *server) dropDatabase(ctx context.Context, dsn string) error {
	u, err := url.Parse(dsn)
	if err != nil {
		return err
	}
	name := strings.TrimPrefix(u.Path, "/")
	// FORCE (PostgreSQL 13 and later) ends sessions a test left open
	// instead of failing after waiting for them.
	_, err = s.admin.ExecContext(ctx, "DROP DATABASE IF EXISTS "+quoteIdent(name)+" WITH (FORCE)")
	var st interface{ SQLState() string }
	if errors.As(err, &st) && st.SQLState() == "42601" { // syntax error: an older server
		_, err = s.admin.ExecContext(ctx, "DROP DATABASE IF EXISTS "+quoteIdent(name))
	}
	if err != nil {
		return err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	s.created = slices.DeleteFunc(s.created, func(n string) bool { return n == name })
	return nil
}

func (s *server) dsn(dbname string) string {
	u := *s.baseURL
	u.Path = "/" + dbname
	u.RawPath = ""
	return u.String()
}

func (s *server) close() error {
	if s.cluster != nil {
		s.admin.Close()
		return s.cluster.stop()
	}
	// An external server outlives the tests: drop what they made.
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	s.mu.Lock()
	names := append(s.created, s.template)
	s.mu.Unlock()
	var firstErr error
	for _, n := range names {
		if _, err := s.admin.ExecContext(ctx, "DROP DATABASE IF EXISTS "+quoteIdent(n)); err != nil && firstErr == nil {
			firstErr = err
		}
	}
	s.admin.Close()
	return firstErr
}

func quoteIdent(s string) string { return `"` + strings.ReplaceAll(s, `"`, `""`) + `"` }

func randomName() string {
	b := make([]byte, 8)
	rand.Read(b)
	return hex.EncodeToString(b)
}
