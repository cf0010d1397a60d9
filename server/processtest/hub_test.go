package processtest

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/poort-nl/poort/auth"
	"github.com/poort-nl/poort/cases"
	"github.com/poort-nl/poort/mocks"
	"github.com/poort-nl/poort/mocks/population"
	"github.com/poort-nl/poort/server"
)

// startTimeout bounds how long a hub may take to serve after it is
// started: building the population, migrating, listening.
const startTimeout = 30 * time.Second

// hubProcess is one poort process, which can be killed and started again
// with the same configuration, as an operator's supervisor would.
type hubProcess struct {
	t    testing.TB
	name string
	bin  string
	dir  string
	env  []string
	// URL is where the hub serves, the same on every start.
	URL string
	log *logBuffer

	mu     sync.Mutex
	cmd    *exec.Cmd
	exited chan struct{} // closed when the current process has exited
	runs   int
}

// newHub prepares a hub with the POORT_* variables in vars on a free
// port; start runs it. The process is killed when the test ends, and its
// log is shown if the test failed.
func newHub(t testing.TB, name string, vars map[string]string) *hubProcess {
	t.Helper()
	h := &hubProcess{t: t, name: name, bin: poortBinary.get(t), dir: t.TempDir(), log: &logBuffer{}}
	addr := vars["POORT_LISTEN"]
	if addr == "" {
		addr = freeAddr(t)
	}
	h.URL = "http://" + addr
	// The developer's own POORT_* settings must not leak into the test.
	for _, kv := range os.Environ() {
		if !strings.HasPrefix(kv, "POORT_") {
			h.env = append(h.env, kv)
		}
	}
	h.env = append(h.env, "POORT_LISTEN="+addr)
	for k, v := range vars {
		if k != "POORT_LISTEN" {
			h.env = append(h.env, k+"="+v)
		}
	}
	t.Cleanup(func() {
		h.kill()
		if t.Failed() {
			t.Logf("%s output (warnings, errors and the last lines):\n%s", h.name, h.log.summary(80, 120))
		}
	})
	return h
}

// freeAddr returns a loopback address with a port that was free a moment
// ago. The hub keeps it across restarts, so clients need not change.
func freeAddr(t testing.TB) string {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	return l.Addr().String()
}

// start runs the hub and waits until it serves.
func (h *hubProcess) start() {
	h.t.Helper()
	h.launch()
	h.waitReady()
}

// launch starts the process without waiting for it to serve, so that
// several hubs can start at once.
func (h *hubProcess) launch() {
	h.t.Helper()
	h.mu.Lock()
	defer h.mu.Unlock()
	if h.cmd != nil {
		h.t.Fatalf("%s is already running", h.name)
	}
	h.runs++
	fmt.Fprintf(h.log, "----- %s, start %d -----\n", h.name, h.runs)
	cmd := exec.Command(h.bin)
	cmd.Dir = h.dir // the default database and key files must not land in the repository
	cmd.Env = h.env
	cmd.Stdout, cmd.Stderr = h.log, h.log
	cmd.SysProcAttr = procAttr()
	if err := cmd.Start(); err != nil {
		h.t.Fatalf("start %s: %v", h.name, err)
	}
	exited := make(chan struct{})
	go func() {
		cmd.Wait()
		close(exited)
	}()
	h.cmd, h.exited = cmd, exited
}

// waitReady polls /healthz until the hub answers; the store is open and
// migrated before the hub listens.
func (h *hubProcess) waitReady() {
	h.t.Helper()
	h.mu.Lock()
	exited := h.exited
	h.mu.Unlock()
	deadline := time.Now().Add(startTimeout)
	client := &http.Client{Timeout: time.Second}
	for {
		resp, err := client.Get(h.URL + "/healthz")
		if err == nil {
			resp.Body.Close()
			if resp.StatusCode == http.StatusOK {
				return
			}
		}
		select {
		case <-exited:
			h.t.Fatalf("%s exited during start-up:\n%s", h.name, h.log.summary(40, 40))
		case <-time.After(20 * time.Millisecond):
		}
		if time.Now().After(deadline) {
			h.t.Fatalf("%s did not serve within %v: %v\n%s", h.name, startTimeout, err, h.log.summary(40, 40))
		}
	}
}

// kill ends the process with SIGKILL, as a crash or an OOM kill would,
// and waits until it is gone. It does nothing when the hub is not running.
func (h *hubProcess) kill() {
	h.mu.Lock()
	defer h.mu.Unlock()
	if h.cmd == nil {
		return
	}
	h.cmd.Process.Kill() // SIGKILL: no shutdown code runs
	<-h.exited
	fmt.Fprintf(h.log, "----- %s killed -----\n", h.name)
	h.cmd, h.exited = nil, nil
}

// logBuffer collects a process's output across its runs.
type logBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

// maxLog bounds what a hub's log keeps; the access log of a burst is far
// smaller.
const maxLog = 16 << 20

func (l *logBuffer) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.buf.Len() < maxLog {
		l.buf.Write(p)
	}
	return len(p), nil
}

// summary returns the log's warnings and errors (at most problems of
// them) and its last lines (at most last), which is what explains a
// failure without the access log of every request.
func (l *logBuffer) summary(problems, last int) string {
	l.mu.Lock()
	lines := strings.Split(strings.TrimRight(l.buf.String(), "\n"), "\n")
	l.mu.Unlock()
	var out []string
	for _, ln := range lines {
		if strings.Contains(ln, "level=WARN") || strings.Contains(ln, "level=ERROR") || strings.HasPrefix(ln, "poort:") || strings.HasPrefix(ln, "panic") {
			out = append(out, ln)
		}
	}
	if len(out) > problems {
		out = append(out[:problems], fmt.Sprintf("... %d more warnings and errors", len(out)-problems))
	}
	if len(lines) > last {
		lines = lines[len(lines)-last:]
	}
	return "warnings and errors:\n" + strings.Join(out, "\n") + "\nlast lines:\n" + strings.Join(lines, "\n")
}

// deployment is what the hubs of these tests are pointed at, as a
// production hub is, played by the test process so that it outlives the
// hubs: the registries (the mocks, over the population the tests plan
// with), an identity provider (a signing key the tests hold and whose
// public half the hubs are given), and a pseudonym key.
type deployment struct {
	registries   *mocks.Set
	idp          *auth.Issuer
	idpKeys      string // the file with the identity provider's public key
	pseudonymKey string
}

// idpIssuer is the iss of the tokens the tests' identity provider signs.
const idpIssuer = "https://idp.processtest.example/realms/gemeente"

func newDeployment(t testing.TB) *deployment {
	t.Helper()
	set, err := mocks.Start(testPopulation(t), server.MockRegistrations(server.Registries()), mocks.Options{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { set.Close() })
	dir := t.TempDir()
	idp, err := auth.OpenIssuer(auth.Config{Issuer: idpIssuer, Audience: "poort", LocalKeyFile: filepath.Join(dir, "idp.json"), Claims: auth.DefaultClaimNames()})
	if err != nil {
		t.Fatal(err)
	}
	pub, err := json.Marshal(idp.PublicKey())
	if err != nil {
		t.Fatal(err)
	}
	d := &deployment{registries: set, idp: idp, idpKeys: filepath.Join(dir, "idp-public.json"), pseudonymKey: randomHex(t, 32)}
	if err := os.WriteFile(d.idpKeys, pub, 0o600); err != nil {
		t.Fatal(err)
	}
	return d
}

// hubVars is the configuration every hub in these tests shares: the
// deployment's registries, identity provider and pseudonym key, quick
// dispatch (a lease of 3 s, so that messages a killed hub held are taken
// over soon), no rate limit and no cost limit (the verification queries
// read whole cases), no admin listener (two replicas run on one machine),
// and the chain partners at the test's mock.
func (d *deployment) hubVars(t testing.TB, databaseURL, partnersURL string) map[string]string {
	t.Helper()
	dir, err := json.Marshal(cases.MockDirectory(partnersURL))
	if err != nil {
		t.Fatal(err)
	}
	vars := map[string]string{
		"POORT_DATABASE_URL":      databaseURL,
		"POORT_AUTH_ISSUER":       idpIssuer,
		"POORT_AUTH_KEYS":         d.idpKeys,
		"POORT_PSEUDONYM_KEY":     d.pseudonymKey,
		"POORT_PARTNER_DIRECTORY": string(dir),
		"POORT_DISPATCH_LEASE":    "3s",
		"POORT_DISPATCH_TIMEOUT":  "1s",
		"POORT_DISPATCH_POLL":     "100ms",
		"POORT_RATE_LIMIT":        "0",
		"POORT_LIMIT_COST":        "0",
		"POORT_PLAYGROUND":        "false",
		"POORT_ADMIN_LISTEN":      "off",
		"POORT_SHUTDOWN_TIMEOUT":  "1s",
	}
	for _, r := range d.registries.Registries() {
		vars["POORT_"+r+"_URL"] = d.registries.BaseURL(r)
	}
	return vars
}

// populationSize is the mock population the tests generate.
const populationSize = 1000

var population1 = sync.OnceValues(func() (*population.Population, error) {
	return population.Generate(population.Config{Seed: 1, Size: populationSize})
})

// testPopulation is the mock population of seed 1, generated once.
func testPopulation(t testing.TB) *population.Population {
	t.Helper()
	pop, err := population1()
	if err != nil {
		t.Fatal(err)
	}
	return pop
}

// token returns a token of a front-office employee, who may work on cases
// of every life event: by the purposes the role holds, and by the case
// work the policy grants it for the rest.
func (d *deployment) token(t testing.TB, subject string) string {
	t.Helper()
	tok, err := d.idp.Issue(auth.Principal{
		Subject: subject, Organisation: "00000001001234567000", Role: "kcc-medewerker",
		Purposes: []string{"kcc-algemeen", "burgerzaken-geboorte", "ondernemen", "bouwen-en-verbouwen", "reisdocumenten", "verhuizen", "overlijden"},
	}, time.Hour)
	if err != nil {
		t.Fatal(err)
	}
	return tok
}

// client speaks GraphQL to one hub.
type client struct {
	url   string
	token string
	http  *http.Client
}

func newClient(url, token string) *client {
	return &client{url: url + "/graphql", token: token, http: &http.Client{Timeout: 20 * time.Second}}
}

// gqlError is one GraphQL error.
type gqlError struct {
	Message    string         `json:"message"`
	Extensions map[string]any `json:"extensions"`
}

// response is what became of one request: a transport failure (Err), or
// an HTTP answer with its GraphQL data and errors.
type response struct {
	Status int
	Data   json.RawMessage
	Errors []gqlError
	Err    error
}

// acknowledged reports whether the hub answered the request as done: HTTP
// 200 with data and no errors. Only such a mutation may a client take as
// durable.
func (r response) acknowledged() bool {
	return r.Err == nil && r.Status == http.StatusOK && len(r.Errors) == 0 && len(r.Data) > 0 && string(r.Data) != "null"
}

// code returns the first error's extensions.code.
func (r response) code() string {
	if len(r.Errors) == 0 {
		return ""
	}
	c, _ := r.Errors[0].Extensions["code"].(string)
	return c
}

func (r response) String() string {
	switch {
	case r.Err != nil:
		return "transport error: " + r.Err.Error()
	case len(r.Errors) > 0:
		b, _ := json.Marshal(r.Errors)
		return fmt.Sprintf("HTTP %d, errors %s", r.Status, b)
	}
	return fmt.Sprintf("HTTP %d, data %s", r.Status, r.Data)
}

// decode unmarshals the answer's data into v, failing the test if it
// cannot.
func (r response) decode(t testing.TB, v any) {
	t.Helper()
	if err := json.Unmarshal(r.Data, v); err != nil {
		t.Errorf("decode %s: %v", r.Data, err)
	}
}

// do sends one GraphQL request.
func (c *client) do(ctx context.Context, query string, vars map[string]any) response {
	body, err := json.Marshal(map[string]any{"query": query, "variables": vars})
	if err != nil {
		return response{Err: err}
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, c.url, bytes.NewReader(body))
	if err != nil {
		return response{Err: err}
	}
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("Authorization", "Bearer "+c.token)
	resp, err := c.http.Do(req)
	if err != nil {
		return response{Err: err}
	}
	defer resp.Body.Close()
	var out struct {
		Data   json.RawMessage `json:"data"`
		Errors []gqlError      `json:"errors"`
	}
	if err := json.NewDecoder(resp.Body).Decode(&out); err != nil {
		return response{Status: resp.StatusCode, Err: fmt.Errorf("read answer: %w", err)}
	}
	return response{Status: resp.StatusCode, Data: out.Data, Errors: out.Errors}
}

// must sends a request that has to succeed and decodes its data into v.
func (c *client) must(t testing.TB, query string, vars map[string]any, v any) {
	t.Helper()
	r := c.do(context.Background(), query, vars)
	if !r.acknowledged() {
		t.Fatalf("%s: %v", firstLine(query), r)
	}
	if v != nil {
		r.decode(t, v)
	}
}

func firstLine(s string) string {
	s, _, _ = strings.Cut(strings.TrimSpace(s), "\n")
	return s
}

// The operations the tests send.
const (
	startLifeEventMutation = `mutation($in: StartLifeEventInput!) { startLifeEvent(input: $in) { replayed
  case { id lifeEvent { kind } tasks { id kind status version step { id } partner { id } } messages(first: 100) { edges { node { id partner { id } } } } } } }`
	updateTaskMutation = `mutation($in: UpdateTaskInput!) { updateTask(input: $in) { replayed task { id status version } } }`
	handOverMutation   = `mutation($in: HandOverInput!) { handOver(input: $in) { replayed handover { id caseId toPartner { id } } } }`
	// casesQuery reads every case whole, a page at a time.
	casesQuery = `query($after: String) { cases(first: 25, after: $after) {
  totalCount pageInfo { hasNextPage endCursor }
  edges { node { id subjectId lifeEvent { kind }
    tasks { id kind status version step { id } partner { id } }
    messages(first: 100) { edges { node { id status attempts lastError partner { id } } } }
    handovers(first: 100) { edges { node { id } } }
    timeline(first: 100) { edges { node { kind data } } } } } } }`
	caseQuery   = `query($id: ID!) { case(id: $id) { id tasks { id kind status version step { id } partner { id } } timeline(first: 100) { edges { node { kind data } } } } }`
	parkedQuery = `{ parkedMessages(first: 100) { edges { node { id caseId partner { id } attempts lastError } } } }`
)

// startPayload is what startLifeEvent answers.
type startPayload struct {
	StartLifeEvent struct {
		Replayed bool
		Case     caseView
	}
}

// updatePayload is what updateTask answers.
type updatePayload struct {
	UpdateTask struct {
		Replayed bool
		Task     taskView
	}
}

// handOverPayload is what handOver answers.
type handOverPayload struct {
	HandOver struct {
		Replayed bool
		Handover struct {
			ID        string
			CaseID    string
			ToPartner struct{ ID string }
		}
	}
}

// caseView is a case as the verification reads it.
type caseView struct {
	ID        string
	SubjectID string
	LifeEvent struct{ Kind string }
	Tasks     []taskView
	Messages  nodes[messageView]
	Handovers nodes[struct{ ID string }]
	Timeline  nodes[timelineView]
}

// nodes is a Relay connection as the verification reads it: its items.
type nodes[T any] []T

func (n *nodes[T]) UnmarshalJSON(b []byte) error {
	var c struct{ Edges []struct{ Node T } }
	if err := json.Unmarshal(b, &c); err != nil {
		return err
	}
	*n = make(nodes[T], len(c.Edges))
	for i, e := range c.Edges {
		(*n)[i] = e.Node
	}
	return nil
}

type taskView struct {
	ID      string
	Kind    string
	Status  string
	Version int
	Step    struct{ ID string }
	Partner struct{ ID string }
}

type messageView struct {
	ID        string
	Status    string
	Attempts  int
	LastError *string
	Partner   struct{ ID string }
}

type timelineView struct {
	Kind string
	Data json.RawMessage
}

// stepChanges returns the task_status_changed events of one step, with
// the version each change made.
func stepChanges(tl []timelineView, step string) []int {
	var versions []int
	for _, e := range tl {
		if e.Kind != "TASK_STATUS_CHANGED" {
			continue
		}
		var d struct {
			StepID  string `json:"stepId"`
			Version int    `json:"version"`
		}
		if json.Unmarshal(e.Data, &d) == nil && d.StepID == step {
			versions = append(versions, d.Version)
		}
	}
	slices.Sort(versions)
	return versions
}

// allCases reads every case, page by page.
func allCases(t testing.TB, c *client) []caseView {
	t.Helper()
	var out []caseView
	var after any
	for {
		var page struct {
			Cases struct {
				TotalCount int
				PageInfo   struct {
					HasNextPage bool
					EndCursor   string
				}
				Edges []struct{ Node caseView }
			}
		}
		c.must(t, casesQuery, map[string]any{"after": after}, &page)
		for _, e := range page.Cases.Edges {
			out = append(out, e.Node)
		}
		if !page.Cases.PageInfo.HasNextPage {
			if len(out) != page.Cases.TotalCount {
				t.Fatalf("read %d cases page by page, but totalCount is %d", len(out), page.Cases.TotalCount)
			}
			return out
		}
		after = page.Cases.PageInfo.EndCursor
	}
}

// tempFile is a path in the test's temporary directory.
func tempFile(t testing.TB, name string) string {
	t.Helper()
	return filepath.Join(t.TempDir(), name)
}
