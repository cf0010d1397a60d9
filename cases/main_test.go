package cases_test

import (
	"context"
	"errors"
	"os"
	"sync"
	"testing"
	"time"

	"github.com/poort-nl/poort/cases"
	"github.com/poort-nl/poort/internal/lineage"
	"github.com/poort-nl/poort/lifeevents"
	"github.com/poort-nl/poort/schema"
	"github.com/poort-nl/poort/store"
	"github.com/poort-nl/poort/store/storetest"
)

// env provides a fresh store per test on SQLite and on PostgreSQL.
var env = storetest.New()

func TestMain(m *testing.M) { os.Exit(env.Main(m)) }

// loadCatalogue loads the embedded catalogue against the real schema, once
// per test binary; the catalogue is read-only.
var loadCatalogue = sync.OnceValues(func() (*lifeevents.Catalogue, error) {
	s, err := schema.Parse()
	if err != nil {
		return nil, err
	}
	ix, err := lineage.FromSchema(s)
	if err != nil {
		return nil, err
	}
	return lifeevents.LoadEmbedded(lifeevents.SchemaFromAST(s, ix))
})

func catalogue(t testing.TB) *lifeevents.Catalogue {
	t.Helper()
	c, err := loadCatalogue()
	if err != nil {
		t.Fatalf("load catalogue: %v", err)
	}
	return c
}

// Synthetic identifiers: BSNs from the test range (elfproef-valid), a KvK
// number and a BAG nummeraanduiding id (object type 20).
const (
	bsnA    = "999990019"
	bsnB    = "999990020"
	kvkA    = "90000001"
	addrA   = "0363200000123456"
	keyBase = "client-key-"
)

func person(bsn string) cases.Subject { return cases.Subject{Kind: cases.SubjectPerson, ID: bsn} }

func address(id string) cases.Subject { return cases.Subject{Kind: cases.SubjectAddress, ID: id} }

var (
	clerk = cases.Principal{ID: "kcc-employee-1", Organisation: "gemeente-voorbeeldstad"}
	other = cases.Principal{ID: "svb-employee-7", Organisation: "svb"}
)

// clock is a settable clock shared by the store, the service and the
// dispatcher, so that tests move time instead of sleeping.
type clock struct {
	mu sync.Mutex
	t  time.Time
}

func newClock() *clock {
	return &clock{t: time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC)}
}

func (c *clock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.t
}

func (c *clock) Advance(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.t = c.t.Add(d)
}

// health is a fixed HealthSource.
type health []lifeevents.RegistryHealth

func (h health) Health() []lifeevents.RegistryHealth { return h }

// down is the health of a registry whose breaker is open.
func down(registry string) lifeevents.RegistryHealth {
	return lifeevents.RegistryHealth{Registry: registry, Breaker: lifeevents.BreakerOpen, Window: 5 * time.Minute}
}

func newService(t testing.TB, st cases.Store, clk *clock, opts ...cases.Option) *cases.Service {
	t.Helper()
	s, err := cases.NewService(st, catalogue(t), clk.Now, opts...)
	if err != nil {
		t.Fatal(err)
	}
	return s
}

func start(t testing.TB, s *cases.Service, event string, sub cases.Subject, channel, key string) *store.CaseResult {
	t.Helper()
	res, err := s.StartLifeEvent(context.Background(), cases.StartRequest{
		Event: event, Subject: sub, Channel: channel, IdempotencyKey: key, Principal: clerk,
	})
	if err != nil {
		t.Fatalf("StartLifeEvent(%s): %v", event, err)
	}
	return res
}

// startApplying starts an event as when the registries show every step
// applying and none done, so each step the hub tells its partner of is
// sent.
func startApplying(t testing.TB, s *cases.Service, event string, sub cases.Subject, channel, key string) *store.CaseResult {
	t.Helper()
	ev, _ := catalogue(t).Event(event)
	steps := lifeevents.Unassessed(ev, nil, nil, lifeevents.Thresholds{})
	for i := range steps {
		yes := true
		steps[i].Applicable, steps[i].Status = &yes, lifeevents.StepReady
	}
	res, err := s.StartLifeEvent(context.Background(), cases.StartRequest{
		Event: event, Subject: sub, Channel: channel, IdempotencyKey: key, Principal: clerk, Steps: steps,
	})
	if err != nil {
		t.Fatalf("StartLifeEvent(%s): %v", event, err)
	}
	return res
}

func wantErr(t testing.TB, err, target error) {
	t.Helper()
	if !errors.Is(err, target) {
		t.Fatalf("got error %v, want one matching %v", err, target)
	}
}

func eventKinds(events []store.TimelineEvent) []store.EventKind {
	kinds := make([]store.EventKind, len(events))
	for i, e := range events {
		kinds[i] = e.Kind
	}
	return kinds
}
