package audit

import (
	"go.opentelemetry.io/otel/trace"

	"bytes"
	"context"
	"encoding/json"
	"errors"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"reflect"
	"strings"
	"sync"
	"testing"

	"github.com/vektah/gqlparser/v2/ast"

	"github.com/jmoiron/sqlx"

	"github.com/poort-nl/poort/auth"
	"github.com/poort-nl/poort/internal/lineage"
	"github.com/poort-nl/poort/internal/telemetry"
	"github.com/poort-nl/poort/policy"
	"github.com/poort-nl/poort/schema"
	"github.com/poort-nl/poort/store"
)

var testKey = []byte("0123456789abcdef0123456789abcdef")

var policyOnce = sync.OnceValues(func() (*policy.Policy, error) {
	ix, err := lineage.FromSchema(mustSchema())
	if err != nil {
		return nil, err
	}
	return policy.LoadDefault(ix)
})

func testPolicy(t testing.TB) *policy.Policy {
	t.Helper()
	pol, err := policyOnce()
	if err != nil {
		t.Fatal(err)
	}
	return pol
}

func openStore(t testing.TB, dsn string) *store.Store {
	t.Helper()
	s, err := store.Open(context.Background(), dsn, store.WithPseudonymKey(testKey))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	return s
}

var clerk = auth.Principal{Subject: "emp-17", Organisation: "00000001234567890000", Role: "kcc-medewerker",
	Purposes: []string{"kcc-algemeen", "burgerzaken-geboorte"}}

// requestTrace is the span of the request under test: the request id is
// its span id.
var requestTrace = trace.NewSpanContext(trace.SpanContextConfig{
	TraceID: trace.TraceID{0x0a, 0xf7, 0x65, 0x19, 0x16, 0xcd, 0x43, 0xdd, 0x84, 0x48, 0xeb, 0x21, 0x1c, 0x80, 0x31, 0x9c},
	SpanID:  trace.SpanID{0xb7, 0xad, 0x6b, 0x71, 0x69, 0x20, 0x33, 0x31},
})

func requestContext(p auth.Principal) context.Context {
	return telemetry.WithRequest(trace.ContextWithSpanContext(auth.With(context.Background(), p), requestTrace))
}

func newAuditor(t testing.TB, log Appender) *Auditor {
	t.Helper()
	a, err := New(Config{Log: log, Policy: testPolicy(t), Resources: map[string]string{"BRP": "personen"}})
	if err != nil {
		t.Fatal(err)
	}
	return a
}

func TestFlushAppendsOneRecordPerSubjectResourceAndPurpose(t *testing.T) {
	s := openStore(t, "sqlite::memory:")
	a := newAuditor(t, s)
	ctx := requestContext(clerk)
	rec := a.NewRecorder(ctx)
	const mother, child = "999990019", "999990020"
	var wg sync.WaitGroup
	for range 10 { // resolvers disclose concurrently, and repeat themselves
		wg.Go(func() {
			rec.Disclose(Disclosure{SubjectType: SubjectBSN, SubjectID: mother, Registry: "BRP",
				Fields: []string{"naam.voornamen", "naam.geslachtsnaam"}})
			rec.Disclose(Disclosure{SubjectType: SubjectBSN, SubjectID: mother, Registry: "BRP",
				Fields: []string{"kinderen.burgerservicenummer"}})
		})
	}
	wg.Wait()
	rec.Disclose(Disclosure{SubjectType: SubjectBSN, SubjectID: child, Registry: "BRP", Fields: []string{"naam.voornamen"}})
	rec.Disclose(Disclosure{Registry: "BAG", Endpoint: "panden", Fields: []string{"oorspronkelijkBouwjaar"}})
	if n := rec.Pending(); n != 4 {
		t.Fatalf("%d pending records, want 4", n)
	}
	if err := rec.Flush(ctx); err != nil {
		t.Fatal(err)
	}
	if err := rec.Flush(ctx); err != nil || rec.Pending() != 0 {
		t.Fatalf("a second flush: %v, %d pending", err, rec.Pending())
	}

	conn, err := s.ListAudit(ctx, store.DataSubject{Type: store.DataSubjectBSN, ID: mother}, store.Page{})
	if err != nil {
		t.Fatal(err)
	}
	if conn.TotalCount != 2 {
		t.Fatalf("%d records about the mother, want 2 (one per purpose)", conn.TotalCount)
	}
	type got struct {
		Purpose, Activity, Name string
		Fields                  []string
	}
	var gots []got
	spans := map[string]bool{}
	for _, e := range conn.Edges {
		n := e.Node
		gots = append(gots, got{n.Purpose, n.ProcessingActivityID, n.Name, n.Fields})
		if n.TraceID != requestTrace.TraceID().String() || n.ParentSpanID != requestTrace.SpanID().String() {
			t.Errorf("trace %s parent %s, want the request's %s and %s", n.TraceID, n.ParentSpanID, requestTrace.TraceID(), requestTrace.SpanID())
		}
		spans[n.SpanID] = true
		if n.Principal != (store.Principal{Subject: "emp-17", OrganisationOIN: "00000001234567890000", Role: "kcc-medewerker"}) {
			t.Errorf("principal = %+v", n.Principal)
		}
		if n.Status != store.AuditStatusOK || n.EndTime.Before(n.StartTime) || n.Registry != "BRP" {
			t.Errorf("status %d, times %v–%v, registry %s", n.Status, n.StartTime, n.EndTime, n.Registry)
		}
		if strings.Contains(n.DataSubjectPseudonym, mother) {
			t.Error("the BSN is stored in the clear")
		}
	}
	want := []got{
		{"kcc-algemeen", "https://register.gemeente.example/verwerkingsactiviteiten/kcc-algemeen", "brp.personen.raadplegen",
			[]string{"naam.geslachtsnaam", "naam.voornamen"}},
		{"burgerzaken-geboorte", "https://register.gemeente.example/verwerkingsactiviteiten/burgerzaken-geboorte", "brp.personen.raadplegen",
			[]string{"kinderen.burgerservicenummer"}},
	}
	if !reflect.DeepEqual(gots, want) {
		t.Errorf("records = %+v\nwant %+v", gots, want)
	}
	if len(spans) != 2 {
		t.Errorf("records share span ids: %v", spans)
	}
	if c, _ := s.ListAudit(ctx, store.DataSubject{Type: store.DataSubjectBSN, ID: child}, store.Page{}); c.TotalCount != 1 {
		t.Errorf("%d records about the child, want 1", c.TotalCount)
	}
	rep, err := s.VerifyAudit(ctx)
	if err != nil || !rep.OK || rep.Checked != 4 {
		t.Errorf("verify: %+v, %v; want 4 intact records", rep, err)
	}
}

func TestFlushWithoutPurposeFails(t *testing.T) {
	log := &fakeLog{}
	a := newAuditor(t, log)
	ctx := requestContext(auth.Principal{Subject: "x", Role: "kcc-medewerker"})
	rec := a.NewRecorder(ctx)
	rec.Disclose(Disclosure{SubjectType: SubjectBSN, SubjectID: "999990019", Registry: "BRP", Fields: []string{"naam.voornamen"}})
	if err := rec.Flush(ctx); err == nil || !strings.Contains(err.Error(), "without a purpose") {
		t.Fatalf("err = %v, want a refusal", err)
	}
	if log.calls != 0 {
		t.Error("records without a purpose reached the log")
	}
}

// fakeLog fails on demand and checks that nothing was sent before the
// records were appended.
type fakeLog struct {
	mu      sync.Mutex
	err     error
	calls   int
	records []store.AuditRecord
	w       *spyWriter
	leaked  bool
}

// spyWriter notes whether anything was written to it.
type spyWriter struct {
	*httptest.ResponseRecorder
	touched bool
}

func (s *spyWriter) WriteHeader(code int) { s.touched = true; s.ResponseRecorder.WriteHeader(code) }

func (s *spyWriter) Write(b []byte) (int, error) {
	s.touched = true
	return s.ResponseRecorder.Write(b)
}

func (f *fakeLog) AppendAudit(_ context.Context, rs []store.AuditRecord) error {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.calls++
	if f.w != nil && f.w.touched {
		f.leaked = true
	}
	if f.err != nil {
		return f.err
	}
	f.records = append(f.records, rs...)
	return nil
}

// disclosing is a handler that discloses a person and answers with her
// name, as the GraphQL layer will.
func disclosing(t *testing.T) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		rec, ok := RecorderFrom(r.Context())
		if !ok {
			t.Error("no recorder in the request context")
			return
		}
		rec.Disclose(Disclosure{SubjectType: SubjectBSN, SubjectID: "999990019", Registry: "BRP", Fields: []string{"naam.volledigeNaam"}})
		w.Header().Set("Content-Type", "application/json")
		w.Header().Set("X-Handler", "graphql")
		w.WriteHeader(http.StatusOK)
		w.Write([]byte(`{"data":{"person":{"name":{"fullName":"Anna de Vries"}}}}`))
	})
}

func TestMiddlewareReleasesTheResponseAfterTheRecords(t *testing.T) {
	log := &fakeLog{}
	h := newAuditor(t, log).Middleware(disclosing(t))
	w := &spyWriter{ResponseRecorder: httptest.NewRecorder()}
	log.w = w
	h.ServeHTTP(w, httptest.NewRequest(http.MethodPost, "/graphql", nil).WithContext(requestContext(clerk)))
	if log.leaked {
		t.Fatal("part of the response left before the records were appended")
	}
	if w.Code != http.StatusOK || !strings.Contains(w.Body.String(), "Anna de Vries") || w.Header().Get("X-Handler") != "graphql" {
		t.Fatalf("response %d %v %s, want the handler's", w.Code, w.Header(), w.Body)
	}
	if log.calls != 1 || len(log.records) != 1 || log.records[0].Purpose != "kcc-algemeen" {
		t.Errorf("appended %d times: %+v", log.calls, log.records)
	}
}

func TestMiddlewareFailsClosed(t *testing.T) {
	log := &fakeLog{err: errors.New("connection refused")}
	h := newAuditor(t, log).Middleware(disclosing(t))
	w := httptest.NewRecorder()
	h.ServeHTTP(w, httptest.NewRequest(http.MethodPost, "/graphql", nil).WithContext(requestContext(clerk)))
	if w.Code != http.StatusServiceUnavailable {
		t.Fatalf("status %d, want 503", w.Code)
	}
	if strings.Contains(w.Body.String(), "Anna") {
		t.Fatalf("the withheld data was sent: %s", w.Body)
	}
	var body struct {
		Errors []struct {
			Message    string            `json:"message"`
			Extensions map[string]string `json:"extensions"`
		} `json:"errors"`
		Data *json.RawMessage `json:"data"`
	}
	dec := json.NewDecoder(bytes.NewReader(w.Body.Bytes()))
	if err := dec.Decode(&body); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(w.Body.String(), `"data":null`) || body.Data != nil {
		t.Errorf("body %s, want data null", w.Body)
	}
	if len(body.Errors) != 1 || body.Errors[0].Extensions["code"] != CodeAuditUnavailable ||
		body.Errors[0].Extensions["traceId"] != requestTrace.TraceID().String() || !strings.Contains(body.Errors[0].Message, "audit log") {
		t.Errorf("errors = %+v", body.Errors)
	}
	if w.Header().Get("X-Handler") != "graphql" || w.Header().Get("Content-Type") != "application/json" {
		t.Errorf("headers %v", w.Header())
	}
}

func TestMiddlewareWithoutDisclosuresDoesNotWrite(t *testing.T) {
	log := &fakeLog{err: errors.New("down")}
	h := newAuditor(t, log).Middleware(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Write([]byte(`{"data":{"lineage":[]}}`))
	}))
	w := httptest.NewRecorder()
	h.ServeHTTP(w, httptest.NewRequest(http.MethodPost, "/graphql", nil).WithContext(requestContext(clerk)))
	if w.Code != http.StatusOK || log.calls != 0 {
		t.Errorf("status %d after %d appends; a request that discloses nothing needs no audit log", w.Code, log.calls)
	}
}

func TestOperationName(t *testing.T) {
	for _, tt := range []struct{ registry, endpoint, main, want string }{
		{"BRP", "", "personen", "brp.personen.raadplegen"},
		{"BRP", "reisdocumenten", "personen", "brp.reisdocumenten.raadplegen"},
		{"UWV", "inkomstenverhoudingen", "gegevens", "uwv.inkomstenverhoudingen.raadplegen"},
		{"NHR", "", "basisprofielen", "nhr.basisprofielen.raadplegen"},
		{"BRK", "", "", "brk.raadplegen"},
	} {
		if got := OperationName(tt.registry, tt.endpoint, tt.main); got != tt.want {
			t.Errorf("OperationName(%s, %s) = %s, want %s", tt.registry, tt.endpoint, got, tt.want)
		}
	}
}

func TestVerify(t *testing.T) {
	path := filepath.Join(t.TempDir(), "poort.db")
	dsn := "sqlite:" + path
	s := openStore(t, dsn)
	a := newAuditor(t, s)
	ctx := requestContext(clerk)
	for _, bsn := range []string{"999990019", "999990020", "999990032"} {
		rec := a.NewRecorder(ctx)
		rec.Disclose(Disclosure{SubjectType: SubjectBSN, SubjectID: bsn, Registry: "BRP", Fields: []string{"naam.voornamen"}})
		if err := rec.Flush(ctx); err != nil {
			t.Fatal(err)
		}
	}
	rep, err := Verify(ctx, dsn, nil)
	if err != nil {
		t.Fatal(err)
	}
	var out bytes.Buffer
	WriteReport(&out, rep)
	if !rep.OK || !strings.Contains(out.String(), "audit log intact: 3 records checked") || !strings.Contains(out.String(), "chain head: record 3") {
		t.Errorf("report %+v:\n%s", rep, out.String())
	}
	if strings.Contains(out.String(), "999990019") {
		t.Error("the report shows a BSN")
	}

	// An insider with database access rewrites a record, past the trigger.
	err = s.Transact(ctx, func(tx *sqlx.Tx) error {
		if _, err := tx.Exec(`DROP TRIGGER audit_log_no_update`); err != nil {
			return err
		}
		_, err := tx.Exec(`UPDATE audit_log SET purpose = 'werk-en-inkomen' WHERE seq = 2`)
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	rep, err = Verify(ctx, dsn, nil)
	if err != nil || rep.OK || rep.FirstBroken == nil || rep.FirstBroken.Seq != 2 {
		t.Fatalf("report %+v, %v; want the broken link at record 2", rep, err)
	}
	out.Reset()
	WriteReport(&out, rep)
	if !strings.Contains(out.String(), "BROKEN at record 2") {
		t.Errorf("report:\n%s", out.String())
	}

	if _, err := Verify(ctx, "sqlite:"+filepath.Join(t.TempDir(), "missing.db"), nil); err == nil || !strings.Contains(err.Error(), "no database") {
		t.Errorf("a missing database: err = %v", err)
	}
}

func BenchmarkRecorder(b *testing.B) {
	a := newAuditor(b, &fakeLog{})
	ctx := requestContext(clerk)
	fields := []string{"naam.voornamen", "naam.geslachtsnaam", "geboorte.datum", "verblijfplaats.verblijfadres.postcode"}
	for b.Loop() {
		rec := a.NewRecorder(ctx)
		for range 20 {
			rec.Disclose(Disclosure{SubjectType: SubjectBSN, SubjectID: "999990019", Registry: "BRP", Fields: fields})
		}
		if err := rec.Flush(ctx); err != nil {
			b.Fatal(err)
		}
	}
}

func mustSchema() *ast.Schema {
	s, err := schema.Parse()
	if err != nil {
		panic(err)
	}
	return s
}
