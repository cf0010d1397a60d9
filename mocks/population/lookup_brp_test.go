package population

import "testing"

func TestFoldName(t *testing.T) {
	for in, want := range map[string]string{"Öztürk": "ozturk", "Zoë": "zoe", "van der Meer": "van der meer", "'s-Gravenhage": "'s-gravenhage"} {
		if got := FoldName(in); got != want {
			t.Errorf("FoldName(%q) = %q, want %q", in, got, want)
		}
	}
	if !MatchName("Öztürk", "OZT*") || MatchName("Öztürk", "ozt") || !MatchName("Jan Pieter", "jan pieter") {
		t.Error("MatchName does not match as the BRP searches do")
	}
}

func TestBRPIndex(t *testing.T) {
	p := generate(t, 600)
	x := NewBRPIndex(p)
	var dead *Person
	for i := range p.Persons {
		if !p.Persons[i].Alive() && p.Persons[i].AddressID != "" {
			dead = &p.Persons[i]
			break
		}
	}
	if dead == nil {
		t.Fatal("no deceased person with an address")
	}
	found := false
	for _, q := range x.RegisteredAt(dead.AddressID) {
		found = found || q.BSN == dead.BSN
	}
	if !found {
		t.Error("RegisteredAt leaves out the deceased")
	}
	q, ok := p.Person(p.Scenarios.Household)
	if !ok {
		t.Fatal("no household scenario")
	}
	for _, pattern := range []string{q.Surname, FoldName(q.Surname), q.Surname[:3] + "*"} {
		hit := false
		for _, r := range x.PersonsBySurnameAndBirth(pattern, q.BirthDate) {
			hit = hit || r.BSN == q.BSN
		}
		if !hit {
			t.Errorf("PersonsBySurnameAndBirth(%q) misses the person", pattern)
		}
	}
	hit := false
	for _, r := range x.PersonsBySurnameInMunicipality(q.Surname, q.MunicipalityCode) {
		hit = hit || r.BSN == q.BSN
	}
	if !hit {
		t.Error("PersonsBySurnameInMunicipality misses the person")
	}
	a, _ := p.Address(q.AddressID)
	st, _ := p.Street(a.StreetID)
	if got := x.AddressesOnStreet(a.MunicipalityCode, st.Name, a.HouseNumber); len(got) != 1 || got[0].ID != a.ID {
		t.Errorf("AddressesOnStreet = %v", got)
	}
	for _, d := range p.TravelDocumentsOf(p.Scenarios.Traveller) {
		if got, ok := x.TravelDocument(d.Number); !ok || got.BSN != d.BSN {
			t.Error("TravelDocument does not find the traveller's document")
		}
	}
}
