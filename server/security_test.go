package server_test

import (
	"bytes"
	"context"
	"encoding/json"
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/poort-nl/poort/auth"
	"github.com/poort-nl/poort/connectors"
	"github.com/poort-nl/poort/connectors/brp"
	"github.com/poort-nl/poort/internal/logging"
	"github.com/poort-nl/poort/internal/logging/logscan"
	"github.com/poort-nl/poort/mocks/fault"
	"github.com/poort-nl/poort/server"
	"github.com/poort-nl/poort/server/hubtest"
)

func TestAuthentication(t *testing.T) {
	h := newTestHub(t)
	other := newTestHub(t) // another local issuer: its tokens are signed with another key
	q := `{"query":"{ lineage(registry: BRP) { field } }"}`
	tests := []struct{ name, token string }{
		{"no token", ""},
		{"not a JWT", "not-a-token"},
		{"signed by another key", other.Token},
		{"alg none", "eyJhbGciOiJub25lIiwidHlwIjoiSldUIn0.eyJzdWIiOiJ4Iiwicm9sZSI6Im9udHdpa2tlbGFhciJ9."},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			resp, body := hubtest.Post(t, h.URL+"/graphql", tt.token, q)
			if resp.StatusCode != http.StatusUnauthorized || !strings.Contains(string(body), "UNAUTHENTICATED") ||
				!strings.HasPrefix(resp.Header.Get("WWW-Authenticate"), "Bearer") {
				t.Fatalf("got %d %s", resp.StatusCode, body)
			}
		})
	}
	expired, err := h.Issuer.Issue(auth.Principal{Subject: "x", Role: "kcc-medewerker"}, -time.Minute)
	if err == nil {
		if resp, _ := hubtest.Post(t, h.URL+"/graphql", expired, q); resp.StatusCode != http.StatusUnauthorized {
			t.Errorf("expired token: %d", resp.StatusCode)
		}
	}
	if resp, _ := hubtest.Post(t, h.URL+"/graphql", h.Token, q); resp.StatusCode != http.StatusOK {
		t.Fatalf("valid token: %d", resp.StatusCode)
	}
	for _, path := range []string{"/healthz", "/readyz"} {
		resp, err := http.Get(h.URL + path)
		if err != nil || resp.StatusCode != 200 {
			t.Errorf("%s without a token: %v %v", path, resp, err)
		}
	}
}

func TestPurposeBinding(t *testing.T) {
	h := newTestHub(t)
	p := h.Mocks.Population
	tok := h.TokenFor(t, auth.Principal{Role: "consulent-werk-en-inkomen", Purposes: []string{"werk-en-inkomen"}})
	h.Mocks.ResetCalls()
	r := h.QueryAs(t, tok, `query($bsn: String!) { person(bsn: $bsn) { name { fullName } employments { start } travelDocuments { number } } }`,
		map[string]any{"bsn": p.Scenarios.JobLoss})
	if len(r.Errors) != 1 {
		t.Fatalf("errors = %+v", r.Errors)
	}
	e := r.Errors[0]
	if e.Extensions["code"] != "FORBIDDEN" || e.PathString() != "person.travelDocuments" || !strings.Contains(e.Message, "Person.travelDocuments") {
		t.Fatalf("error = %+v", e)
	}
	if !strings.Contains(string(r.Data), `"employments":[{`) || !strings.Contains(string(r.Data), `"travelDocuments":null`) {
		t.Fatalf("data = %s", r.Data)
	}
	if _, routes := h.Mocks.Calls("BRP"); routes["POST /haalcentraal/api/reisdocumenten/reisdocumenten"] != 0 {
		t.Fatalf("the BRP was asked for forbidden travel documents: %v", routes)
	}

	// A front-office employee without werk-en-inkomen: employments are
	// refused, naming the purpose that would allow them, and UWV is never asked.
	kcc := h.TokenFor(t, auth.Principal{Role: "kcc-medewerker", Purposes: []string{"kcc-algemeen"}})
	h.Mocks.ResetCalls()
	r = h.QueryAs(t, kcc, `query($bsn: String!) { person(bsn: $bsn) { name { fullName } employments { start } } }`,
		map[string]any{"bsn": p.Scenarios.JobLoss})
	if len(r.Errors) != 1 || r.Errors[0].Extensions["code"] != "FORBIDDEN" {
		t.Fatalf("errors = %+v", r.Errors)
	}
	if n, _ := h.Mocks.Calls("UWV"); n != 0 {
		t.Fatal("UWV was asked for a forbidden field")
	}
	// The BRP was asked only for what the purpose allows.
	if n, _ := h.Mocks.Calls("BRP"); n != 1 {
		t.Fatalf("BRP asked %d times", n)
	}
}

func TestCitizenSeesOwnDataAndMinorChildren(t *testing.T) {
	h := newTestHub(t)
	p := h.Mocks.Population
	parent, _ := p.Person(p.Scenarios.Household)
	var minorChild, stranger string
	for _, c := range parent.Children {
		if cp, _ := p.Person(c); cp.Alive() {
			minorChild = c
			break
		}
	}
	for _, x := range p.Persons {
		if x.BSN != parent.BSN && x.AddressID != parent.AddressID && x.Alive() {
			stranger = x.BSN
			break
		}
	}
	tok := h.TokenFor(t, auth.Principal{Subject: "digid-1", Role: "burger", CitizenBSN: parent.BSN})
	q := `query($bsn: String!) { person(bsn: $bsn) { bsn name { fullName } } }`
	for _, own := range []string{parent.BSN, minorChild} {
		r := h.QueryAs(t, tok, q, map[string]any{"bsn": own})
		if len(r.Errors) != 0 || !strings.Contains(string(r.Data), own) {
			t.Errorf("own data %s: %s %+v", own, r.Data, r.Errors)
		}
	}
	r := h.QueryAs(t, tok, q, map[string]any{"bsn": stranger})
	if len(r.Errors) != 1 || r.Errors[0].Extensions["code"] != "FORBIDDEN" || strings.Contains(string(r.Data), stranger) {
		t.Fatalf("stranger: %s %+v", r.Data, r.Errors)
	}
	// The partner is an adult: not the citizen's to see.
	r = h.QueryAs(t, tok, `query($bsn: String!) { person(bsn: $bsn) { partners { partner { name { fullName } } } children { bsn } } }`,
		map[string]any{"bsn": parent.BSN})
	partner, _ := p.Person(parent.Partner.BSN)
	if strings.Contains(string(r.Data), partner.Surname) || len(r.Errors) == 0 || r.Errors[0].Extensions["code"] != "FORBIDDEN" {
		t.Fatalf("partner: %s %+v", r.Data, r.Errors)
	}
	if !strings.Contains(string(r.Data), minorChild) {
		t.Fatalf("minor child missing: %s", r.Data)
	}
	r = h.QueryAs(t, tok, `{ searchPersons(surname: "Jansen", birthDate: "1980-01-01") { bsn } }`, nil)
	if len(r.Errors) != 1 || r.Errors[0].Extensions["code"] != "FORBIDDEN" {
		t.Fatalf("search: %+v", r.Errors)
	}
}

func TestAuditLogRecordsDisclosures(t *testing.T) {
	h := newTestHub(t)
	bsn := h.Mocks.Population.Scenarios.Household
	h.Query(t, `query($bsn: String!) { person(bsn: $bsn) { name { fullName } vehicles { licencePlate } } }`, map[string]any{"bsn": bsn}).Decode(t, &struct{}{})

	auditor := h.TokenFor(t, auth.Principal{Role: "auditor"})
	var got struct {
		AuditLog struct {
			TotalCount int
			Edges      []struct {
				Node struct {
					Registry, Purpose string
					Fields            []string
					Principal         struct{ Role string }
				}
			}
		}
	}
	h.QueryAs(t, auditor, `query($bsn: String!) { auditLog(subjectId: $bsn, first: 10) { totalCount edges { node { registry purpose fields principal { role } } } } }`,
		map[string]any{"bsn": bsn}).Decode(t, &got)
	regs := map[string][]string{}
	for _, e := range got.AuditLog.Edges {
		regs[e.Node.Registry] = append(regs[e.Node.Registry], e.Node.Fields...)
		if e.Node.Principal.Role != "ontwikkelaar" || e.Node.Purpose == "" {
			t.Errorf("record %+v", e.Node)
		}
	}
	if !strings.Contains(strings.Join(regs["BRP"], ","), "naam.volledigeNaam") || len(regs["RDW"]) == 0 {
		t.Fatalf("audit log = %+v", got.AuditLog)
	}
	// Only the auditor reads the log.
	r := h.Query(t, `query($bsn: String!) { auditLog(subjectId: $bsn) { totalCount } }`, map[string]any{"bsn": bsn})
	if len(r.Errors) != 1 || r.Errors[0].Extensions["code"] != "FORBIDDEN" {
		t.Fatalf("non-auditor: %+v", r.Errors)
	}
	// And the auditor sees no registry data.
	r = h.QueryAs(t, auditor, `query($bsn: String!) { person(bsn: $bsn) { name { fullName } } }`, map[string]any{"bsn": bsn})
	if len(r.Errors) == 0 || r.Errors[0].Extensions["code"] != "FORBIDDEN" {
		t.Fatalf("auditor reading the BRP: %s %+v", r.Data, r.Errors)
	}
}

// With the audit log out of reach, nothing personal is disclosed.
func TestAuditFailureWithholdsData(t *testing.T) {
	h := newTestHub(t)
	bsn := h.Mocks.Population.Scenarios.Household
	subject, _ := h.Mocks.Population.Person(bsn)
	h.Store.Close()
	resp, body := hubtest.Post(t, h.URL+"/graphql", h.Token, `{"query":"{ person(bsn: \"`+bsn+`\") { name { fullName } } }"}`)
	if resp.StatusCode != http.StatusServiceUnavailable || !strings.Contains(string(body), "AUDIT_UNAVAILABLE") {
		t.Fatalf("got %d %s", resp.StatusCode, body)
	}
	if strings.Contains(string(body), subject.Surname) || strings.Contains(string(body), bsn) {
		t.Fatalf("disclosed without audit: %s", body)
	}
}

func TestQueryLimits(t *testing.T) {
	h := newTestHub(t)
	deep := "{ person(bsn: \"999993653\") { " + strings.Repeat("parents { ", 20) + "bsn" + strings.Repeat(" }", 20) + " } }"
	var aliases strings.Builder
	aliases.WriteString("{ ")
	for i := range 200 {
		aliases.WriteString("a")
		aliases.WriteString(strings.Repeat("x", i%7+1))
		aliases.WriteString(string(rune('a'+i%26)) + strings.Repeat("y", i/26) + ": lineage { field } ")
	}
	aliases.WriteString("}")
	wide := "{ " + strings.Repeat("persons(bsns: []) { bsn parents { bsn parents { bsn parents { bsn children { bsn children { bsn } } } } } } ", 1) + "}"
	for name, q := range map[string]struct{ query, code string }{
		"depth":   {deep, "QUERY_TOO_DEEP"},
		"aliases": {aliases.String(), "TOO_MANY_ALIASES"},
		"cost":    {strings.Replace(wide, "persons(bsns: [])", "searchCompanies(name: \"Bakkerij\", first: 100) { edges { node { company { branches { address { residents { parents { children { vehicles { make } } } } } } } } } }\n x: persons(bsns: [])", 1), "QUERY_TOO_COMPLEX"},
	} {
		t.Run(name, func(t *testing.T) {
			r := h.Query(t, q.query, nil)
			if len(r.Errors) == 0 || r.Errors[0].Extensions["code"] != q.code {
				t.Fatalf("errors = %+v", r.Errors)
			}
		})
	}
	big := `{"query":"{ lineage { field } }","variables":{"pad":"` + strings.Repeat("x", 200_000) + `"}}`
	if resp, _ := hubtest.Post(t, h.URL+"/graphql", h.Token, big); resp.StatusCode != http.StatusRequestEntityTooLarge {
		t.Errorf("oversized body: %d", resp.StatusCode)
	}
	if resp, body := hubtest.Post(t, h.URL+"/graphql", h.Token, `[{"query":"{ lineage { field } }"}]`); resp.StatusCode != http.StatusBadRequest || !strings.Contains(string(body), "BATCH_NOT_ALLOWED") {
		t.Errorf("batch: %d %s", resp.StatusCode, body)
	}
}

// panickingBRP fails every BSN look-up with a panic, as a bug would.
type panickingBRP struct{ brp.API }

func (panickingBRP) PersonsByBSN(context.Context, []string, []string) (map[string]*brp.Person, error) {
	panic("bug")
}

func TestPanicBecomesInternalError(t *testing.T) {
	var logBuf syncBuffer
	log, _ := logging.New(&logBuf, "json", "info")
	regs := hubtest.Wrapping(brp.Registry, func(c connectors.Connector) connectors.Connector { return panickingBRP{c.(brp.API)} })
	h := newHubWith(t, log, server.Options{Registries: regs})
	r := h.Query(t, `{ person(bsn: "999993653") { bsn } }`, nil)
	if r.Status != 200 || len(r.Errors) != 1 || r.Errors[0].Extensions["code"] != "INTERNAL" || r.Errors[0].Extensions["traceId"] == "" {
		t.Fatalf("got %d %+v", r.Status, r.Errors)
	}
	if strings.Contains(r.Errors[0].Message, "goroutine") || strings.Contains(r.Errors[0].Message, "bug") {
		t.Fatalf("the client sees the panic: %s", r.Errors[0].Message)
	}
	// Still serving.
	h.Query(t, `{ lineage(registry: UWV) { field } }`, nil).Decode(t, &struct{}{})

	// A caller that sends one traceparent with every request shares the
	// trace id between them, but each failure quotes a request id of its
	// own, which its log line carries too.
	const tp = "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01"
	seen := map[string]bool{}
	for range 2 {
		req, _ := http.NewRequest(http.MethodPost, h.URL+"/graphql", strings.NewReader(`{"query":"{ person(bsn: \"999993653\") { bsn } }"}`))
		req.Header.Set("Content-Type", "application/json")
		req.Header.Set("Authorization", "Bearer "+h.Token)
		req.Header.Set("traceparent", tp)
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		var body hubtest.Response
		json.NewDecoder(resp.Body).Decode(&body)
		resp.Body.Close()
		ext := body.Errors[0].Extensions
		id, _ := ext["requestId"].(string)
		if ext["traceId"] != "4bf92f3577b34da6a3ce929d0e0e4736" || id == "" || seen[id] || !strings.Contains(body.Errors[0].Message, id) {
			t.Fatalf("error %+v; request ids so far %v", body.Errors[0], seen)
		}
		seen[id] = true
		if !strings.Contains(logBuf.String(), `"request_id":"`+id+`"`) {
			t.Errorf("no log line names request %s:\n%s", id, logBuf.String())
		}
	}
}

// syncBuffer is a bytes.Buffer safe for a logger's concurrent writes.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

func (s *syncBuffer) Bytes() []byte {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]byte(nil), s.b.Bytes()...)
}

// TestLogHoldsNoPersonalData runs queries, failures included, and scans the
// hub's application log for the population's BSNs and names.
func TestLogHoldsNoPersonalData(t *testing.T) {
	var logBuf syncBuffer
	log, _ := logging.New(&logBuf, "json", "debug")
	// A rate limit that refills too slowly to matter, so a principal's
	// burst is all it gets.
	const burst = 20
	h := newHubWith(t, log, server.Options{}, func(c *server.Config) { c.Limits.Rate, c.Limits.Burst = 0.001, burst })
	p := h.Mocks.Population
	for _, bsn := range []string{p.Scenarios.Household, p.Scenarios.JobLoss, p.Scenarios.RecentBirth} {
		h.Query(t, wholePerson, map[string]any{"bsn": bsn})
		h.Query(t, `query($bsn: String!) { person(bsn: $bsn) { lifeEvents { status } } }`, map[string]any{"bsn": bsn})
	}
	// A BSN nobody in the population has: the registry's not-found.
	const stranger = "999999245"
	if _, ok := p.Person(stranger); ok {
		t.Fatalf("the population has %s, which this test needs unknown", stranger)
	}
	h.Query(t, `query($bsn: String!) { person(bsn: $bsn) { bsn } }`, map[string]any{"bsn": stranger})
	// A refused field, an unauthenticated request and a rate-limited
	// principal.
	kcc := h.TokenFor(t, auth.Principal{Role: "kcc-medewerker", Purposes: []string{"kcc-algemeen"}})
	for range burst + 1 {
		h.QueryAs(t, kcc, `query($bsn: String!) { person(bsn: $bsn) { name { fullName } employments { start } } }`,
			map[string]any{"bsn": p.Scenarios.JobLoss})
	}
	h.QueryAs(t, "", wholePerson, map[string]any{"bsn": p.Scenarios.Household})
	h.QueryAs(t, "not.a.token", wholePerson, map[string]any{"bsn": p.Scenarios.Household})
	h.Mocks.Faults("BRP").Set(faultStatus(500))
	h.Query(t, wholePerson, map[string]any{"bsn": p.Scenarios.Household})
	h.Mocks.ClearFaults()
	h.Store.Close()
	h.Query(t, wholePerson, map[string]any{"bsn": p.Scenarios.Household})

	out := logBuf.Bytes()
	if len(out) == 0 {
		t.Fatal("the hub logged nothing")
	}
	if f := logscan.ScanForPersonalData(out, p); len(f) > 0 {
		t.Fatalf("the log holds personal data: %+v", f)
	}
	// Each kind of line an operator looks for is there, with its reason
	// and the trace and request it belongs to.
	kinds := map[string]int{}
	for line := range bytes.Lines(out) {
		var l map[string]any
		if err := json.Unmarshal(line, &l); err != nil {
			t.Fatalf("a line is not JSON: %s", line)
		}
		msg, _ := l["msg"].(string)
		switch msg {
		case "request", "registry call failed", "refused", "authentication refused", "rate limited", "audit log unavailable; response withheld":
			kinds[msg]++
			if l["trace_id"] == nil || l["request_id"] == nil {
				t.Errorf("%q without a trace and request id: %s", msg, line)
			}
			if msg != "request" && l["reason"] == nil && l["err"] == nil {
				t.Errorf("%q without a reason: %s", msg, line)
			}
		}
		for k, v := range l {
			_, isNumber := v.(float64)
			if strings.Contains(k, "duration") && (!isNumber || !strings.HasSuffix(k, "_ms") && !strings.HasSuffix(k, "_seconds")) {
				t.Errorf("duration %q=%v without its unit in the key: %s", k, v, line)
			}
		}
	}
	for _, msg := range []string{"request", "registry call failed", "refused", "authentication refused", "rate limited", "audit log unavailable; response withheld"} {
		if kinds[msg] == 0 {
			t.Errorf("no %q line was logged, so none was scanned", msg)
		}
	}
	if kinds["refused"] != burst {
		t.Errorf("%d refused lines for one field refused in each of %d requests served, want one per operation", kinds["refused"], burst)
	}
}

func faultStatus(code int) fault.Config { return fault.Config{Status: code} }
