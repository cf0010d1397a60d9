package server_test

import (
	"testing"

	"github.com/poort-nl/poort/mocks/population"
	"github.com/poort-nl/poort/server"
	"github.com/poort-nl/poort/server/hubtest"
)

// TestLoadersGoWithoutAWindow gives the loaders a window of an hour and a
// request deadline of seconds: a query whose batches waited for the window
// would time out. Every hop must go as soon as the executor has no
// resolver left that could add keys, and still in one call per registry
// and hop: a person's partner and children are asked of the BRP together.
func TestLoadersGoWithoutAWindow(t *testing.T) {
	pop := testPopulation(t)
	h := hubtest.Start(t, hubtest.Options{
		Env: map[string]string{"POORT_BATCH_WAIT": "1h", "POORT_REQUEST_TIMEOUT": "10s"},
		Hub: server.Options{Population: pop},
	})
	subject := findPerson(t, pop, func(p *population.Person) bool {
		if !p.Alive() || p.AddressID == "" || p.Partner == nil || len(p.Children) < 2 {
			return false
		}
		for _, c := range append([]string{p.Partner.BSN}, p.Children...) {
			if r, ok := pop.Person(c); !ok || !r.Alive() {
				return false
			}
		}
		return len(pop.VehiclesOfPerson(p.BSN)) > 0
	})
	for name, q := range map[string]string{
		"whole person": `query($bsn: String!) { person(bsn: $bsn) {
		  bsn name { fullName } address { street residentialObject { surface } buildings { yearBuilt } }
		  partners { partner { name { fullName } } } children { name { givenNames } age }
		  vehicles { licencePlate make } drivingLicences { valid } employments { employerName employer { name } }
		  benefits { law } companies { role company { name } } } }`,
		"household": `query($bsn: String!) { person(bsn: $bsn) { name { fullName } address { street }
		  partners { partner { name { fullName } address { street } vehicles { make } } }
		  children { name { fullName } address { street } vehicles { make } } vehicles { make } } }`,
	} {
		t.Run(name, func(t *testing.T) {
			h.Mocks.ResetCalls()
			r := h.Query(t, q, map[string]any{"bsn": subject.BSN})
			if len(r.Errors) > 0 {
				t.Fatalf("errors: %+v", r.Errors)
			}
			// The subject, then partner and children in one call.
			if n, _ := h.Mocks.Calls("BRP"); n != 2 {
				t.Errorf("BRP calls %d, want 2", n)
			}
		})
	}
}

// findPerson returns the first person of the population that is what the
// test needs, failing the test when there is none.
func findPerson(t *testing.T, pop *population.Population, is func(*population.Person) bool) *population.Person {
	t.Helper()
	for i := range pop.Persons {
		if p := &pop.Persons[i]; is(p) {
			return p
		}
	}
	t.Fatal("the population holds no person the test needs")
	return nil
}
