package server_test

import (
	"encoding/json"
	"fmt"
	"strings"
	"testing"

	"github.com/poort-nl/poort/auth"
	"github.com/poort-nl/poort/mocks/population"
	"github.com/poort-nl/poort/server/hubtest"
	"github.com/poort-nl/poort/store"
)

// This file holds the regression tests of purpose binding and the audit
// log around the main path: lists, entities and relations are audited
// under their own subjects; looking records up takes a purpose; the
// default policy does what docs/security.md says; life events say
// "unknown" rather than "no" when data is withheld.

func bsnSubject(bsn string) subject { return subject{typ: store.DataSubjectBSN, id: bsn} }

func kvkSubject(kvk string) subject { return subject{typ: store.DataSubjectKvK, id: kvk} }

// recordedAbout lists, per subject, the operation and path of every
// recorded disclosure, as "brp.personen.raadplegen naam.volledigeNaam".
func recordedAbout(rs []store.AuditRecord) map[subject][]string {
	out := map[subject][]string{}
	for d := range recorded(rs) {
		s := subject{typ: d.subjectType, id: d.subjectID}
		out[s] = append(out[s], d.operation+" "+d.path)
	}
	return out
}

func has(list []string, want string) bool {
	for _, s := range list {
		if s == want {
			return true
		}
	}
	return false
}

func TestDisclosuresAreRecordedUnderTheirOwnSubject(t *testing.T) {
	h, tap := newTappedHub(t)
	p := h.Mocks.Population
	sc := p.Scenarios
	parent, _ := p.Person(sc.Household)
	if len(parent.Children) == 0 || parent.Partner == nil {
		t.Fatal("the household scenario has no children or no partner")
	}
	owned := p.CompaniesOf(sc.SoleProprietor)
	if len(owned) == 0 || len(owned[0].Functionaries) == 0 {
		t.Fatal("the sole proprietor owns no company with functionaries")
	}
	company := owned[0]
	vehicles := p.VehiclesOfPerson(sc.VehicleOwner)
	if len(vehicles) == 0 {
		t.Fatal("the vehicle owner holds no vehicle")
	}
	const name = "brp.personen.raadplegen naam.volledigeNaam"
	const bsn = "brp.personen.raadplegen burgerservicenummer"

	tests := []struct {
		name  string
		query string
		// want are disclosures that must be recorded, absent those that
		// must not.
		want, absent map[subject][]string
	}{
		{
			name:  "a child's name is the child's, not the parent's",
			query: fmt.Sprintf(`{ person(bsn: %q) { children { name { fullName } } } }`, parent.BSN),
			want: map[subject][]string{
				bsnSubject(parent.BSN):         {"brp.personen.raadplegen kinderen.burgerservicenummer"},
				bsnSubject(parent.Children[0]): {name},
			},
			absent: map[subject][]string{bsnSubject(parent.BSN): {name}},
		},
		{
			name:  "the partner of a partnership",
			query: fmt.Sprintf(`{ person(bsn: %q) { partners { kind { code } partner { name { fullName } } } } }`, parent.BSN),
			want: map[subject][]string{
				bsnSubject(parent.BSN):         {"brp.personen.raadplegen partners.soortVerbintenis", "brp.personen.raadplegen partners.burgerservicenummer"},
				bsnSubject(parent.Partner.BSN): {name},
			},
			absent: map[subject][]string{bsnSubject(parent.BSN): {name}},
		},
		{
			name:  "every person of persons(bsns), even without a field of theirs",
			query: fmt.Sprintf(`{ a: persons(bsns: [%q, %q]) { name { fullName } } b: persons(bsns: [%q]) { __typename } }`, sc.Household, sc.JobLoss, sc.Deceased),
			want:  map[subject][]string{bsnSubject(sc.Household): {name, bsn}, bsnSubject(sc.JobLoss): {name, bsn}, bsnSubject(sc.Deceased): {bsn}},
		},
		{
			name:  "everyone a search finds",
			query: fmt.Sprintf(`{ searchPersons(surname: %q, birthDate: %q) { __typename } }`, parent.Surname, parent.BirthDate.ISO()),
			want:  map[subject][]string{bsnSubject(parent.BSN): {bsn}},
		},
		{
			name:  "federation entities",
			query: fmt.Sprintf(`{ _entities(representations: [{__typename: "Person", bsn: %q}, {__typename: "Company", kvkNumber: %q}]) { ... on Person { name { fullName } } ... on Company { companyName: name } } }`, sc.JobLoss, company.KvKNumber),
			want: map[subject][]string{
				bsnSubject(sc.JobLoss):        {bsn, name},
				kvkSubject(company.KvKNumber): {"nhr.basisprofielen.raadplegen kvkNummer", "nhr.basisprofielen.raadplegen naam"},
			},
		},
		{
			name:  "the residents of an address, but not the address",
			query: fmt.Sprintf(`{ address(id: %q) { street residents { name { fullName } } } }`, parent.AddressID),
			want: map[subject][]string{
				bsnSubject(parent.BSN):         {name, "brp.personen.raadplegen verblijfplaats.adresseerbaarObjectIdentificatie"},
				bsnSubject(parent.Partner.BSN): {name},
			},
		},
		{
			name:  "a company's functionaries are theirs, the list the company's",
			query: fmt.Sprintf(`{ company(kvkNumber: %q) { functionaries { role person { name { fullName } } } } }`, company.KvKNumber),
			want: map[subject][]string{
				kvkSubject(company.KvKNumber):            {"nhr.basisprofielen.raadplegen kvkNummer", "nhr.functionarissen.raadplegen functionarissen"},
				bsnSubject(company.Functionaries[0].BSN): {"nhr.functionarissen.raadplegen functie", "nhr.functionarissen.raadplegen burgerservicenummer", name},
			},
			absent: map[subject][]string{kvkSubject(company.KvKNumber): {"nhr.functionarissen.raadplegen functie", name}},
		},
		{
			name:  "a held vehicle is its holder's",
			query: fmt.Sprintf(`{ person(bsn: %q) { vehicles { make } } }`, sc.VehicleOwner),
			want:  map[subject][]string{bsnSubject(sc.VehicleOwner): {"rdw.voertuigbezit.raadplegen Aansprakelijke", "rdw.voertuigen.raadplegen merk"}},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			tap.take()
			h.Query(t, tt.query, nil).Decode(t, &struct{}{})
			got := recordedAbout(tap.take())
			for s, ds := range tt.want {
				for _, d := range ds {
					if !has(got[s], d) {
						t.Errorf("%s %s: %q not recorded; recorded %v", s.typ, s.id, d, got[s])
					}
				}
			}
			for s, ds := range tt.absent {
				for _, d := range ds {
					if has(got[s], d) {
						t.Errorf("%s %s: %q recorded, but it is not theirs", s.typ, s.id, d)
					}
				}
			}
		})
	}

	// Data about no one is not recorded: an address, or a vehicle looked
	// up by its plate (RDW open data).
	tap.take()
	h.Query(t, fmt.Sprintf(`{ address(id: %q) { street buildings { yearBuilt } } vehicle(licencePlate: %q) { make } }`,
		parent.AddressID, vehicles[0].Plate), nil).Decode(t, &struct{}{})
	if rs := tap.take(); len(rs) != 0 {
		t.Errorf("recorded %+v for data about no one", recordedAbout(rs))
	}
}

func TestLookupsNeedAPurposeCoveringTheirKey(t *testing.T) {
	h, tap := newTappedHub(t)
	p := h.Mocks.Population
	sc := p.Scenarios
	parent, _ := p.Person(sc.Household)
	home, _ := p.Address(parent.AddressID)
	owned := p.CompaniesOf(sc.SoleProprietor)
	if len(owned) == 0 {
		t.Fatal("the sole proprietor owns no company")
	}
	auditor := h.TokenFor(t, auth.Principal{Role: "auditor"})
	permits := h.TokenFor(t, auth.Principal{Role: "vergunningverlener", Purposes: []string{"bouwen-en-verbouwen"}})
	kcc := h.TokenFor(t, auth.Principal{Role: "kcc-medewerker", Purposes: []string{"kcc-algemeen"}})
	tests := []struct {
		name, token, query string
		quiet              []string // registries that must not be asked
	}{
		{"persons by an auditor", auditor, fmt.Sprintf(`{ persons(bsns: [%q, %q]) { __typename } }`, sc.Household, "999999990"), []string{"BRP"}},
		{"person by an auditor", auditor, fmt.Sprintf(`{ person(bsn: %q) { __typename } }`, sc.Household), []string{"BRP"}},
		{"a search by an auditor", auditor, fmt.Sprintf(`{ searchPersons(surname: %q, birthDate: %q) { __typename } }`, parent.Surname, parent.BirthDate.ISO()), []string{"BRP"}},
		{"entities by an auditor", auditor, fmt.Sprintf(`{ _entities(representations: [{__typename: "Person", bsn: %q}]) { __typename } }`, sc.Household), []string{"BRP"}},
		{"a company by an auditor", auditor, fmt.Sprintf(`{ company(kvkNumber: %q) { __typename } }`, owned[0].KvKNumber), []string{"NHR"}},
		{"a company search by an auditor", auditor, fmt.Sprintf(`{ searchCompanies(name: %q) { __typename } }`, owned[0].Name), []string{"NHR"}},
		{"company entities by an auditor", auditor, fmt.Sprintf(`{ _entities(representations: [{__typename: "Company", kvkNumber: %q}]) { __typename } }`, owned[0].KvKNumber), []string{"NHR"}},
		{"a person among addresses under a BAG purpose", permits, fmt.Sprintf(`{ _entities(representations: [{__typename: "Address", id: %q}, {__typename: "Person", bsn: %q}]) { __typename } }`, home.ID, sc.Household), []string{"BRP"}},
		{"persons under a BAG purpose", permits, fmt.Sprintf(`{ persons(bsns: [%q]) { __typename } }`, sc.Household), []string{"BRP"}},
		{"the residents of addresses under a BAG purpose", permits, fmt.Sprintf(`{ addresses(postcode: %q, houseNumber: %d) { id residents { __typename } } }`, home.Postcode, home.HouseNumber), []string{"BRP"}},
		{"the residents of an address for general KCC work", kcc, fmt.Sprintf(`{ address(id: %q) { id residents { bsn } } }`, home.ID), []string{"BRP"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			h.Mocks.ResetCalls()
			tap.take()
			r := h.QueryAs(t, tt.token, tt.query, nil)
			if len(r.Errors) == 0 || r.Errors[0].Extensions["code"] != "FORBIDDEN" {
				t.Fatalf("errors = %+v, data %s", r.Errors, r.Data)
			}
			for _, reg := range tt.quiet {
				if n, routes := h.Mocks.Calls(reg); n != 0 {
					t.Errorf("%s was asked: %v", reg, routes)
				}
			}
			if strings.Contains(string(r.Data), sc.Household) {
				t.Errorf("data %s", r.Data)
			}
			if rs := tap.take(); len(rs) != 0 {
				t.Errorf("recorded %+v", recordedAbout(rs))
			}
		})
	}
}

func TestDefaultPolicyDoesWhatTheDocsSay(t *testing.T) {
	h := newTestHub(t)
	p := h.Mocks.Population
	sc := p.Scenarios
	parent, _ := p.Person(sc.Household)

	t.Run("a KCC employee sees no UWV data, not even under death", func(t *testing.T) {
		tok := h.TokenFor(t, auth.Principal{Role: "kcc-medewerker", Purposes: []string{"kcc-algemeen", "overlijden"}})
		h.Mocks.ResetCalls()
		r := h.QueryAs(t, tok, fmt.Sprintf(`{ person(bsn: %q) { name { fullName } benefits { law reason } } }`, sc.JobLoss), nil)
		if len(r.Errors) != 1 || r.Errors[0].Extensions["code"] != "FORBIDDEN" || r.Errors[0].Extensions["missingPurpose"] != nil {
			t.Fatalf("errors = %+v", r.Errors)
		}
		if msg := r.Errors[0].Message; strings.Contains(msg, "overlijden") || strings.Contains(msg, "needs the purpose") {
			t.Errorf("the refusal points at a purpose: %s", msg)
		}
		if n, _ := h.Mocks.Calls("UWV"); n != 0 {
			t.Error("UWV was asked")
		}
	})

	t.Run("general KCC work sees the date of birth", func(t *testing.T) {
		tok := h.TokenFor(t, auth.Principal{Role: "kcc-medewerker", Purposes: []string{"kcc-algemeen"}})
		var got struct {
			Person struct {
				Birth struct{ Date struct{ Date string } }
			}
		}
		h.QueryAs(t, tok, fmt.Sprintf(`{ person(bsn: %q) { birth { date { date } } } }`, parent.BSN), nil).Decode(t, &got)
		if got.Person.Birth.Date.Date != parent.BirthDate.ISO() {
			t.Fatalf("birth date %q, want %s", got.Person.Birth.Date.Date, parent.BirthDate.ISO())
		}
		// The parts of birth are decided one by one...
		r := h.QueryAs(t, tok, fmt.Sprintf(`{ person(bsn: %q) { birth { date { date } place { code } } } }`, parent.BSN), nil)
		if len(r.Errors) != 1 || r.Errors[0].Extensions["code"] != "FORBIDDEN" || r.Errors[0].PathString() != "person.birth.place" ||
			!strings.Contains(string(r.Data), parent.BirthDate.ISO()) {
			t.Fatalf("place of birth: %s %+v", r.Data, r.Errors)
		}
		// ...and birth without a part the purpose allows is refused, not
		// an empty birth.
		r = h.QueryAs(t, tok, fmt.Sprintf(`{ person(bsn: %q) { birth { place { code } } } }`, parent.BSN), nil)
		if len(r.Errors) != 1 || r.Errors[0].Extensions["code"] != "FORBIDDEN" || r.Errors[0].PathString() != "person.birth" {
			t.Fatalf("birth with only its place: %s %+v", r.Data, r.Errors)
		}
	})

	t.Run("general KCC work sees family through no path", func(t *testing.T) {
		tok := h.TokenFor(t, auth.Principal{Role: "kcc-medewerker", Purposes: []string{"kcc-algemeen"}})
		r := h.QueryAs(t, tok, fmt.Sprintf(`{ person(bsn: %q) { name { fullName } children { bsn } partners { kind { code } } household { bsn }
			address { residents { bsn name { fullName } age } } } }`, parent.BSN), nil)
		refused := map[string]bool{}
		for _, e := range r.Errors {
			if e.Extensions["code"] == "FORBIDDEN" {
				refused[e.PathString()] = true
			}
		}
		for _, path := range []string{"person.children", "person.partners", "person.household", "person.address.residents"} {
			if !refused[path] {
				t.Errorf("%s not refused: %+v", path, r.Errors)
			}
		}
		for _, c := range append([]string{parent.Partner.BSN}, parent.Children...) {
			if strings.Contains(string(r.Data), c) {
				t.Errorf("family member %s in %s", c, r.Data)
			}
		}
	})
}

// lifeEventPicture is the part of a picture the tests read.
type lifeEventPicture struct {
	Applies        *bool
	AppliesBecause string
	Status         string
	Steps          []struct {
		Step     struct{ ID string }
		Status   string
		Blockers []struct{ Kind, Need, Reason string }
	}
}

const unemployment = `query($bsn: String!) { person(bsn: $bsn) { lifeEvent(kind: BECOMING_UNEMPLOYED) {
	applies appliesBecause status steps { step { id } status blockers { kind need reason } } } } }`

func unemploymentOf(t *testing.T, h *hubtest.Hub, token, bsn string) lifeEventPicture {
	t.Helper()
	var got struct {
		Person struct{ LifeEvent lifeEventPicture }
	}
	r := h.QueryAs(t, token, unemployment, map[string]any{"bsn": bsn})
	if err := json.Unmarshal(r.Data, &got); err != nil {
		t.Fatalf("data %s: %v", r.Data, err)
	}
	return got.Person.LifeEvent
}

func TestLifeEventUnderWithheldDataIsUnknown(t *testing.T) {
	h := newTestHub(t)
	p := h.Mocks.Population
	jobLoss := p.Scenarios.JobLoss
	kcc := h.TokenFor(t, auth.Principal{Role: "kcc-medewerker", Purposes: []string{"kcc-algemeen"}})
	consultant := h.TokenFor(t, auth.Principal{Role: "consulent-werk-en-inkomen", Purposes: []string{"werk-en-inkomen"}})

	// Who may see the UWV: it applies.
	if pic := unemploymentOf(t, h, consultant, jobLoss); pic.Applies == nil || !*pic.Applies {
		t.Fatalf("for the consultant: applies %v (%s)", pic.Applies, pic.AppliesBecause)
	}
	// Who may not: unknown, with the reason, and the steps needing UWV
	// data are unknown rather than ready or blocked by a gap.
	pic := unemploymentOf(t, h, kcc, jobLoss)
	if pic.Applies != nil || !strings.Contains(pic.AppliesBecause, "outside the token's purposes") {
		t.Fatalf("for general KCC work: applies %v (%s)", pic.Applies, pic.AppliesBecause)
	}
	unknown := 0
	for _, s := range pic.Steps {
		if s.Status != "UNKNOWN" {
			continue
		}
		unknown++
		if len(s.Blockers) == 0 || s.Blockers[len(s.Blockers)-1].Kind != "WITHHELD" {
			t.Errorf("step %s is unknown without naming the withheld need: %+v", s.Step.ID, s.Blockers)
		}
	}
	if unknown == 0 {
		t.Errorf("no step is unknown: %+v", pic.Steps)
	}
	// applicableOnly keeps what the hub cannot tell about.
	var all struct {
		Person struct {
			LifeEvents []struct {
				Event   struct{ Kind string }
				Applies *bool
			}
		}
	}
	h.QueryAs(t, kcc, `query($bsn: String!) { person(bsn: $bsn) { lifeEvents(applicableOnly: true) { event { kind } applies } } }`,
		map[string]any{"bsn": jobLoss}).Decode(t, &all)
	kept := false
	for _, e := range all.Person.LifeEvents {
		kept = kept || e.Event.Kind == "BECOMING_UNEMPLOYED" && e.Applies == nil
	}
	if !kept {
		t.Errorf("applicableOnly dropped the event it cannot tell about: %+v", all.Person.LifeEvents)
	}

	// A UWV that fails: unknown as well, naming the registry.
	h.Mocks.Faults("UWV").Set(faultStatus(500))
	pic = unemploymentOf(t, h, consultant, jobLoss)
	h.Mocks.ClearFaults()
	if pic.Applies != nil || !strings.Contains(pic.AppliesBecause, "UWV failed") {
		t.Fatalf("with UWV down: applies %v (%s)", pic.Applies, pic.AppliesBecause)
	}

	// Someone whose UWV data was seen and shows no job loss: a confident
	// no is right.
	settled := firstPerson(t, p, "living person without employments or benefits", func(x *population.Person) bool {
		return x.Alive() && len(p.EmploymentsOf(x.BSN)) == 0 && len(p.BenefitsOf(x.BSN)) == 0
	})
	if pic := unemploymentOf(t, h, consultant, settled); pic.Applies == nil || *pic.Applies {
		t.Fatalf("for someone without work or benefits: applies %v (%s)", pic.Applies, pic.AppliesBecause)
	}
}

// firstPerson returns the first person of the population who is what the
// test needs, or fails it.
func firstPerson(t *testing.T, p *population.Population, what string, ok func(*population.Person) bool) string {
	t.Helper()
	for i := range p.Persons {
		if ok(&p.Persons[i]) {
			return p.Persons[i].BSN
		}
	}
	t.Fatalf("the population has no %s", what)
	return ""
}

// A citizen sees a company, but not the roles of other persons in it: data
// about a person is theirs wherever it sits in the graph.
func TestCitizenSeesNoOneElsesRole(t *testing.T) {
	h := newTestHub(t)
	p := h.Mocks.Population
	owner := p.Scenarios.SoleProprietor
	owned := p.CompaniesOf(owner)
	if len(owned) == 0 {
		t.Fatal("the sole proprietor owns no company")
	}
	kvk := owned[0].KvKNumber
	q := fmt.Sprintf(`{ company(kvkNumber: %q) { name functionaries { role since } } }`, kvk)

	other := h.TokenFor(t, auth.Principal{Subject: "digid-2", Role: "burger", CitizenBSN: p.Scenarios.Household})
	r := h.QueryAs(t, other, q, nil)
	if len(r.Errors) == 0 || r.Errors[0].Extensions["code"] != "FORBIDDEN" || strings.Contains(string(r.Data), owned[0].Functionaries[0].Role) {
		t.Fatalf("another citizen: %s %+v", r.Data, r.Errors)
	}
	if !strings.Contains(string(r.Data), owned[0].Name) {
		t.Fatalf("the company itself is missing: %s", r.Data)
	}

	self := h.TokenFor(t, auth.Principal{Subject: "digid-3", Role: "burger", CitizenBSN: owner})
	var got struct {
		Company struct{ Functionaries []struct{ Role string } }
	}
	h.QueryAs(t, self, q, nil).Decode(t, &got)
	if len(got.Company.Functionaries) == 0 || got.Company.Functionaries[0].Role != owned[0].Functionaries[0].Role {
		t.Fatalf("the owner's own role: %+v", got)
	}
}

// A life event's picture reads its needs in a nested operation; what it
// reads is recorded under the subjects whose objects hold it: a newborn's
// parents under the parents.
func TestLifeEventDisclosuresAreRecordedUnderTheirSubjects(t *testing.T) {
	h, tap := newTappedHub(t)
	p := h.Mocks.Population
	child, ok := p.Person(p.Scenarios.RecentBirth)
	if !ok || len(child.Parents) == 0 {
		t.Fatal("the recent birth scenario has no parents")
	}
	tap.take()
	h.Query(t, `query($bsn: String!) { person(bsn: $bsn) { lifeEvent(kind: BIRTH) { applies } } }`,
		map[string]any{"bsn": child.BSN}).Decode(t, &struct{}{})
	got := recordedAbout(tap.take())
	if !has(got[bsnSubject(child.BSN)], "brp.personen.raadplegen geboorte.datum") {
		t.Errorf("the child's birth date is not recorded: %v", got[bsnSubject(child.BSN)])
	}
	for _, parent := range child.Parents {
		if !has(got[bsnSubject(parent)], "brp.personen.raadplegen naam.geslachtsnaam") {
			t.Errorf("parent %s: the name is not recorded under the parent: %v", parent, got[bsnSubject(parent)])
		}
	}
}
