package server_test

import (
	"encoding/json"
	"net/http"
	"testing"

	"github.com/poort-nl/poort/auth"
	"github.com/poort-nl/poort/mocks"
	"github.com/poort-nl/poort/server"
	"github.com/poort-nl/poort/server/hubtest"
)

// TestOwnContractsNeedASource: a hub pointed at the registries' published
// APIs alone (KvK and RDW open data, played here by the mocks) has no
// source for the data those APIs lack. It reports functionaries, vehicle
// holders and driving licences as not offered, UPSTREAM_NOT_OFFERED on
// each of those fields and nothing else, not as empty lists or NOT_FOUND.
// Given the sources of our own contracts, it answers them.
func TestOwnContractsNeedASource(t *testing.T) {
	pop := testPopulation(t)
	owner := pop.Scenarios.SoleProprietor
	companies := pop.CompaniesOf(owner)
	if len(companies) == 0 {
		t.Fatalf("sole proprietor %q of the scenarios owns no company", owner)
	}
	q := `query($bsn: String!, $kvk: String!) {
	  person(bsn: $bsn) { name { fullName } vehicles { licencePlate } drivingLicences { number } companies { role } }
	  company(kvkNumber: $kvk) { name functionaries { role } } }`
	vars := map[string]any{"bsn": owner, "kvk": companies[0].KvKNumber}
	principal := auth.Principal{Role: "kcc-medewerker", Purposes: []string{"kcc-algemeen", "verhuizen", "reisdocumenten", "ondernemen"}}
	type answer struct {
		Person *struct {
			Name            struct{ FullName string }
			Vehicles        []struct{ LicencePlate string }
			DrivingLicences []struct{ Number string }
			Companies       []struct{ Role string }
		}
		Company *struct {
			Name          string
			Functionaries []struct{ Role string }
		}
	}

	t.Run("without sources", func(t *testing.T) {
		h := newProductionHub(t, "sqlite::memory:", nil)
		r := h.QueryAs(t, h.idpToken(t, principal), q, vars)
		var got answer
		if err := json.Unmarshal(r.Data, &got); err != nil {
			t.Fatal(err)
		}
		if got.Person == nil || got.Person.Name.FullName == "" || got.Company == nil || got.Company.Name == "" {
			t.Fatalf("the person's name and the company's name went missing: %s", r.Data)
		}
		if got.Person.Vehicles != nil || got.Person.DrivingLicences != nil || got.Person.Companies != nil || got.Company.Functionaries != nil {
			t.Errorf("data the APIs do not offer is not null: %s", r.Data)
		}
		want := map[string]string{
			"person.vehicles": "RDW", "person.drivingLicences": "RDW", "person.companies": "NHR", "company.functionaries": "NHR",
		}
		for _, e := range r.Errors {
			reg, ok := want[e.PathString()]
			if !ok || e.Extensions["code"] != "UPSTREAM_NOT_OFFERED" || e.Extensions["registry"] != reg {
				t.Errorf("error %s at %s: %v", e.Message, e.PathString(), e.Extensions)
				continue
			}
			delete(want, e.PathString())
		}
		if len(want) > 0 {
			t.Errorf("no UPSTREAM_NOT_OFFERED at %v", want)
		}
		ready := readiness(t, h.URL)
		if len(ready["NHR"]) != 1 || len(ready["RDW"]) != 2 || len(ready) != 2 {
			t.Errorf("/readyz names as not offered %v, want the functionaries (NHR), the holders and the licences (RDW)", ready)
		}
	})

	t.Run("with sources of our contracts", func(t *testing.T) {
		h := newProductionHub(t, "sqlite::memory:", func(set *mocks.Set) map[string]string {
			vars := map[string]string{}
			for _, reg := range []string{"NHR", "RDW"} {
				for name, url := range set.Settings(reg) {
					vars["POORT_"+reg+"_"+name] = url
				}
			}
			return vars
		})
		r := h.QueryAs(t, h.idpToken(t, principal), q, vars)
		var got answer
		r.Decode(t, &got)
		if len(r.Errors) > 0 {
			t.Fatalf("errors: %+v", r.Errors)
		}
		if len(got.Person.Companies) == 0 || len(got.Company.Functionaries) == 0 || got.Person.Vehicles == nil || got.Person.DrivingLicences == nil {
			t.Errorf("the contracts' data went missing: %s", r.Data)
		}
		if ready := readiness(t, h.URL); len(ready) != 0 {
			t.Errorf("/readyz names as not offered %v, with every source configured", ready)
		}
	})
}

// readiness returns, per registry, what /readyz names as not offered.
func readiness(t *testing.T, base string) map[string][]string {
	t.Helper()
	resp, err := http.Get(base + "/readyz")
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var body struct {
		Registries map[string]struct{ NotOffered []string }
	}
	if err := json.NewDecoder(resp.Body).Decode(&body); err != nil || len(body.Registries) == 0 {
		t.Fatalf("/readyz: %v, %+v", err, body)
	}
	out := map[string][]string{}
	for name, r := range body.Registries {
		if len(r.NotOffered) > 0 {
			out[name] = r.NotOffered
		}
	}
	return out
}

// TestDevelopmentMocksTakeTheConfiguredKey: in development mode a key
// configured for a registry is one its mock requires, so the connector is
// seen to send it; without one the mocks take every call.
func TestDevelopmentMocksTakeTheConfiguredKey(t *testing.T) {
	pop := testPopulation(t)
	h := hubtest.Start(t, hubtest.Options{Hub: server.Options{Population: pop}, Env: map[string]string{
		"POORT_BAG_AUTH_VALUE": "bag-key", "POORT_BRP_AUTH_VALUE": "brp-key", "POORT_NHR_AUTH_VALUE": "kvk-key",
	}})
	home, ok := pop.Address(pop.Scenarios.Renovation)
	if !ok {
		t.Fatalf("no address %q in the scenarios", pop.Scenarios.Renovation)
	}
	var got struct {
		Address struct{ Postcode string }
		Person  struct{ Name struct{ FullName string } }
	}
	h.Query(t, `query($id: String!, $bsn: String!) { address(id: $id) { postcode } person(bsn: $bsn) { name { fullName } } }`,
		map[string]any{"id": home.ID, "bsn": pop.Scenarios.Household}).Decode(t, &got)
	if got.Address.Postcode != home.Postcode || got.Person.Name.FullName == "" {
		t.Fatalf("through keyed mocks: %+v", got)
	}
	resp, err := http.Get(h.Mocks.BaseURL("BAG") + "/adressen/" + home.ID)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusBadRequest {
		t.Errorf("the BAG mock without its key: %d, want 400", resp.StatusCode)
	}
}
