package bench

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"maps"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"syscall"
	"time"

	"github.com/poort-nl/poort/auth"
	"github.com/poort-nl/poort/cases"
	"github.com/poort-nl/poort/graph"
	"github.com/poort-nl/poort/internal/lineage"
	"github.com/poort-nl/poort/policy"
)

// The identity provider a hub process trusts: the run plays it, with a
// key of its own whose public half the hub is given.
const (
	benchIssuer = "https://idp.bench.poort.example/"
	// benchRole holds every purpose of the default policy, as the
	// development role of an in-process hub does.
	benchRole = "poort-bench"
)

// hubStartTimeout bounds how long a hub process may take to serve:
// migrating its database and listening.
const hubStartTimeout = time.Minute

// hubChild is a hub process the run started.
type hubChild struct {
	cmd    *exec.Cmd
	exited chan struct{}
	// output keeps the end of what the hub wrote, to explain its end.
	output *tail
}

// tail keeps the last bytes written to it.
type tail struct {
	mu  sync.Mutex
	buf []byte
}

const tailSize = 4 << 10

func (t *tail) Write(p []byte) (int, error) {
	t.mu.Lock()
	defer t.mu.Unlock()
	t.buf = append(t.buf, p...)
	if len(t.buf) > tailSize {
		t.buf = t.buf[len(t.buf)-tailSize:]
	}
	return len(p), nil
}

func (t *tail) String() string {
	t.mu.Lock()
	defer t.mu.Unlock()
	return string(t.buf)
}

// startHubProcess starts the hub in a process of its own, configured as
// in production: the run's mocks as its registries, the run as its
// identity provider, a policy with one role for every purpose, an SQLite
// file in the run's directory (or the database asked for) and a random
// pseudonym key. Its admin listener serves the profiles. The POORT_*
// variables of the run's environment reach it too, below these.
func (e *env) startHubProcess(ctx context.Context, o envOptions) error {
	idp, err := auth.OpenIssuer(auth.Config{
		Issuer: benchIssuer, Audience: "poort", LocalKeyFile: filepath.Join(e.dir, "idp-key.json"), Claims: auth.DefaultClaimNames(),
	})
	if err != nil {
		return err
	}
	pub, err := json.Marshal(idp.PublicKey())
	if err != nil {
		return err
	}
	keys := filepath.Join(e.dir, "idp-public.json")
	if err := os.WriteFile(keys, pub, 0o600); err != nil {
		return err
	}
	policyFile := filepath.Join(e.dir, "policy.yaml")
	purposes, err := writeBenchPolicy(policyFile)
	if err != nil {
		return err
	}
	if e.token, err = idp.Issue(auth.Principal{
		Subject: "poort-bench", Organisation: "00000001001234567000", Role: benchRole, Purposes: purposes,
	}, auth.MaxTokenTTL); err != nil {
		return err
	}
	secret := make([]byte, 32)
	rand.Read(secret)
	directory, err := json.Marshal(cases.MockDirectory("http://127.0.0.1:9")) // no case is opened
	if err != nil {
		return err
	}
	listen, err := freeAddr()
	if err != nil {
		return err
	}
	admin, err := freeAddr()
	if err != nil {
		return err
	}
	vars := hubVars(o)
	maps.Copy(vars, map[string]string{
		"POORT_LISTEN":            listen,
		"POORT_ADMIN_LISTEN":      admin,
		"POORT_ADMIN_PPROF":       "true",
		"POORT_DATABASE_URL":      "sqlite:" + filepath.Join(e.dir, "poort.db"),
		"POORT_AUTH_ISSUER":       benchIssuer,
		"POORT_AUTH_KEYS":         keys,
		"POORT_PSEUDONYM_KEY":     hex.EncodeToString(secret),
		"POORT_POLICY_FILE":       policyFile,
		"POORT_PARTNER_DIRECTORY": string(directory),
		"POORT_INTROSPECTION":     "false",
	})
	if o.database != "" {
		vars["POORT_DATABASE_URL"] = o.database
	}
	for _, r := range e.mocks.Registries() {
		vars["POORT_"+r+"_URL"] = e.mocks.BaseURL(r)
		// The mock serves the registry's contracts of our own too.
		for name, url := range e.mocks.Settings(r) {
			vars["POORT_"+r+"_"+name] = url
		}
	}
	if !o.cache {
		// The hub keeps open data for a minute by default; the reference
		// resolutions it is compared with keep nothing.
		vars["POORT_CACHE_TTL"] = "0"
	}
	if o.resilience == nil {
		vars["POORT_BREAKER_DISABLED"], vars["POORT_BULKHEAD_MAX"] = "true", "0"
	}
	if os.Getenv("POORT_LOG_LEVEL") == "" {
		// As the in-process hub logs: no access log line per request.
		vars["POORT_LOG_LEVEL"] = "warn"
	}
	env := os.Environ()
	for _, k := range slices.Sorted(maps.Keys(vars)) {
		env = append(env, k+"="+vars[k])
	}
	c := &hubChild{exited: make(chan struct{}), output: &tail{}}
	var out io.Writer = c.output
	if o.hubLog != nil {
		out = io.MultiWriter(c.output, o.hubLog)
	}
	cmd := exec.Command(o.hubCommand[0], o.hubCommand[1:]...)
	cmd.Env, cmd.Dir = env, e.dir
	cmd.Stdout, cmd.Stderr = out, out
	cmd.SysProcAttr = hubProcAttr()
	if err := cmd.Start(); err != nil {
		return fmt.Errorf("start the hub: %w", err)
	}
	c.cmd = cmd
	go func() {
		cmd.Wait()
		close(c.exited)
	}()
	e.child, e.hubProc = c, proc{cmd.Process.Pid}
	e.closers = append(e.closers, c.stop)
	e.url, e.admin = "http://"+listen+"/graphql", "http://"+admin
	return c.waitReady(ctx, "http://"+listen+"/healthz")
}

// waitReady polls the hub's health until it answers.
func (c *hubChild) waitReady(ctx context.Context, health string) error {
	ctx, cancel := context.WithTimeout(ctx, hubStartTimeout)
	defer cancel()
	client := &http.Client{Timeout: time.Second}
	for {
		resp, err := client.Get(health)
		if err == nil {
			resp.Body.Close()
			if resp.StatusCode == http.StatusOK {
				return nil
			}
		}
		select {
		case <-c.exited:
			return fmt.Errorf("the hub process exited while starting: %v\n%s", c.cmd.ProcessState, c.output)
		case <-ctx.Done():
			return fmt.Errorf("the hub process did not serve within %v: %v", hubStartTimeout, err)
		case <-time.After(20 * time.Millisecond):
		}
	}
}

// stop shuts the hub down gracefully, and kills it if it does not stop.
func (c *hubChild) stop() error {
	c.cmd.Process.Signal(syscall.SIGTERM)
	select {
	case <-c.exited:
		return nil
	case <-time.After(20 * time.Second):
		c.cmd.Process.Kill()
		<-c.exited
		return errors.New("the hub process did not stop within 20s of SIGTERM, and was killed")
	}
}

// writeBenchPolicy writes the embedded default policy with benchRole
// added, holding every purpose, and returns the purposes.
func writeBenchPolicy(path string) ([]string, error) {
	ix, err := lineage.FromSchema(graph.NewExecutableSchema(graph.Config{}).Schema())
	if err != nil {
		return nil, err
	}
	def, err := policy.LoadDefault(ix)
	if err != nil {
		return nil, err
	}
	var purposes []string
	for _, p := range def.Purposes() {
		purposes = append(purposes, p.Name)
	}
	// Roles are the default's last section, so the role is appended to
	// them; parsing the result below checks that it was.
	src := string(policy.DefaultSource()) + fmt.Sprintf(`
  %s:
    description: The clients of poort bench, asking for every purpose's data as the development role does.
    implicit: true
    purposes: [%s]
`, benchRole, strings.Join(purposes, ", "))
	pol, err := policy.Parse(path, []byte(src), ix)
	if err != nil {
		return nil, fmt.Errorf("the bench's policy: %w", err)
	}
	if !slices.ContainsFunc(pol.Roles(), func(r policy.Role) bool { return r.Name == benchRole && len(r.Purposes) == len(purposes) }) {
		return nil, fmt.Errorf("the bench's policy lacks the role %s with every purpose", benchRole)
	}
	return purposes, os.WriteFile(path, []byte(src), 0o600)
}

// freeAddr returns a loopback address with a port that was free a moment
// ago.
func freeAddr() (string, error) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return "", err
	}
	defer l.Close()
	return l.Addr().String(), nil
}

// adminGet fetches a path of the hub's admin listener.
func (e *env) adminGet(ctx context.Context, path string, w io.Writer) error {
	if e.admin == "" {
		return errors.New("the hub's admin listener is not known (-hub-admin)")
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, e.admin+path, nil)
	if err != nil {
		return err
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		b, _ := io.ReadAll(io.LimitReader(resp.Body, 512))
		return fmt.Errorf("GET %s%s: %s: %s", e.admin, path, resp.Status, b)
	}
	_, err = io.Copy(w, resp.Body)
	return err
}
