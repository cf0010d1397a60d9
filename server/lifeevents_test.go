package server_test

import (
	"encoding/json"
	"fmt"
	"slices"
	"strings"
	"testing"

	"github.com/poort-nl/poort/lifeevents"
	"github.com/poort-nl/poort/mocks/fault"
	"github.com/poort-nl/poort/mocks/population"
	"github.com/poort-nl/poort/server/hubtest"
)

type picture struct {
	Applies        bool
	AppliesBecause string
	Status         string
	Facts          map[string]any
	Steps          []struct {
		Step struct {
			ID       string
			Inputs   []string
			Coupling struct{ Status string }
		}
		Status   string
		Blockers []struct{ Kind, Reason string }
		Needs    []struct {
			Path     string
			Resolved bool
			Value    any
		}
	}
}

const pictureFields = `applies appliesBecause status facts
  steps { step { id inputs coupling { status } } status blockers { kind reason } needs { path resolved value } }`

func pictureOf(t *testing.T, h *hubtest.Hub, root, arg, id, kind string) picture {
	t.Helper()
	q := fmt.Sprintf(`query($id: String!) { subject: %s(%s: $id) { lifeEvent(kind: %s) { %s } } }`, root, arg, kind, pictureFields)
	var got struct {
		Subject struct{ LifeEvent picture }
	}
	h.Query(t, q, map[string]any{"id": id}).Decode(t, &got)
	return got.Subject.LifeEvent
}

// checkResolved holds every need of every step resolved with all
// registries healthy; the persona tests check the statuses.
func checkResolved(t *testing.T, p picture) {
	t.Helper()
	for _, s := range p.Steps {
		for _, n := range s.Needs {
			if !n.Resolved {
				t.Errorf("step %s: need %s did not resolve", s.Step.ID, n.Path)
			}
		}
	}
}

func fact(p picture, path string) any {
	var v any = p.Facts
	for _, seg := range strings.Split(path, ".") {
		switch t := v.(type) {
		case map[string]any:
			v = t[seg]
		case []any:
			var out []any
			for _, e := range t {
				if m, ok := e.(map[string]any); ok {
					out = append(out, m[seg])
				}
			}
			v = out
		default:
			return nil
		}
	}
	return v
}

func contains(v any, want string) bool {
	b, _ := json.Marshal(v)
	return strings.Contains(string(b), want)
}

func TestLifeEventPictures(t *testing.T) {
	h := newTestHub(t)
	p := h.Mocks.Population
	s := p.Scenarios
	person := func(bsn string) *population.Person { x, _ := p.Person(bsn); return x }

	t.Run("birth", func(t *testing.T) {
		child := person(s.RecentBirth)
		pic := pictureOf(t, h, "person", "bsn", s.RecentBirth, "BIRTH")
		if !pic.Applies || !strings.Contains(pic.AppliesBecause, child.BirthDate.ISO()) {
			t.Errorf("applies = %v (%s)", pic.Applies, pic.AppliesBecause)
		}
		for _, b := range child.Parents {
			parent := person(b)
			if !contains(fact(pic, "parents.name"), parent.Surname) || !contains(fact(pic, "parents.address.id"), parent.AddressID) {
				t.Errorf("parent %s missing from the facts: %v", b, fact(pic, "parents"))
			}
		}
		checkResolved(t, pic)
	})
	t.Run("becoming unemployed", func(t *testing.T) {
		pic := pictureOf(t, h, "person", "bsn", s.JobLoss, "BECOMING_UNEMPLOYED")
		b := p.BenefitsOf(s.JobLoss)[0]
		jobs := p.EmploymentsOf(s.JobLoss)
		last := jobs[len(jobs)-1]
		if !pic.Applies || !contains(fact(pic, "benefits.firstDayOfUnemployment"), b.FirstDayUnemployed.ISO()) ||
			!contains(fact(pic, "employments.end"), last.End.ISO()) || !contains(fact(pic, "employments.employer.name"), last.EmployerName) {
			t.Errorf("facts = %v (applies %v: %s)", pic.Facts, pic.Applies, pic.AppliesBecause)
		}
		checkResolved(t, pic)
	})
	t.Run("becoming dependent on care", func(t *testing.T) {
		old := person(s.CareDependent)
		addr, _ := p.Address(old.AddressID)
		b, _ := p.Building(addr.BuildingIDs[0])
		pic := pictureOf(t, h, "person", "bsn", s.CareDependent, "BECOMING_DEPENDENT_ON_CARE")
		if !pic.Applies || !strings.Contains(pic.AppliesBecause, "dwelling used for health care") {
			t.Errorf("applies = %v (%s)", pic.Applies, pic.AppliesBecause)
		}
		if !contains(fact(pic, "address.residentialObject.surface"), fmt.Sprint(addr.Surface)) ||
			!contains(fact(pic, "address.buildings.yearBuilt"), fmt.Sprint(b.YearBuilt)) ||
			len(fact(pic, "household").([]any)) != 1 {
			t.Errorf("facts = %v", pic.Facts)
		}
		checkResolved(t, pic)
	})
	t.Run("starting a business", func(t *testing.T) {
		c, _ := p.Company(s.NewCompany)
		pic := pictureOf(t, h, "company", "kvkNumber", s.NewCompany, "STARTING_A_BUSINESS")
		if !pic.Applies || !contains(fact(pic, "mainBranch.address.id"), c.Branches[0].AddressID) ||
			!contains(fact(pic, "activities.code"), c.Activities[0].Code) ||
			!contains(fact(pic, "registrationDate"), c.RegistrationDate.ISO()) {
			t.Errorf("facts = %v (applies %v)", pic.Facts, pic.Applies)
		}
		checkResolved(t, pic)
	})
	t.Run("travel", func(t *testing.T) {
		pic := pictureOf(t, h, "person", "bsn", s.Traveller, "TRAVEL")
		var passport population.TravelDocument
		for _, d := range p.TravelDocumentsOf(s.Traveller) {
			if d.Kind == population.Passport {
				passport = *d
			}
		}
		if !pic.Applies || !contains(fact(pic, "travelDocuments"), passport.ExpiryDate.ISO()) ||
			!contains(fact(pic, "drivingLicences.valid"), "true") {
			t.Errorf("facts = %v (applies %v: %s)", pic.Facts, pic.Applies, pic.AppliesBecause)
		}
		checkResolved(t, pic)
	})
	t.Run("moving", func(t *testing.T) {
		mover := person(s.Mover)
		pic := pictureOf(t, h, "person", "bsn", s.Mover, "MOVING")
		if !pic.Applies || !contains(fact(pic, "residence.since"), mover.AddressSince.ISO()) || !contains(fact(pic, "address.id"), mover.AddressID) {
			t.Errorf("facts = %v (applies %v: %s)", pic.Facts, pic.Applies, pic.AppliesBecause)
		}
		checkResolved(t, pic)
	})
	t.Run("death", func(t *testing.T) {
		dead := person(s.Deceased)
		pic := pictureOf(t, h, "person", "bsn", s.Deceased, "DEATH")
		if !pic.Applies || !contains(fact(pic, "death.date"), dead.DeathDate.ISO()) ||
			!contains(fact(pic, "partners.partner.name"), person(dead.Partner.BSN).Surname) {
			t.Errorf("facts = %v (applies %v: %s)", pic.Facts, pic.Applies, pic.AppliesBecause)
		}
		checkResolved(t, pic)
	})
	t.Run("renovation", func(t *testing.T) {
		a, _ := p.Address(s.Renovation)
		b, _ := p.Building(a.BuildingIDs[0])
		pic := pictureOf(t, h, "address", "id", s.Renovation, "RENOVATION")
		if !contains(fact(pic, "buildings.yearBuilt"), fmt.Sprint(b.YearBuilt)) || b.YearBuilt >= 1940 {
			t.Errorf("facts = %v", pic.Facts)
		}
		if !pic.Applies || !strings.Contains(pic.AppliesBecause, b.StatusSince.ISO()) {
			t.Errorf("renovation under way in the BAG: applies %v (%s)", pic.Applies, pic.AppliesBecause)
		}
		checkResolved(t, pic)
	})
}

func TestLifeEventOfTheWrongSubject(t *testing.T) {
	h := newTestHub(t)
	r := h.Query(t, `query($kvk: String!) { company(kvkNumber: $kvk) { lifeEvent(kind: BIRTH) { status } } }`,
		map[string]any{"kvk": h.Mocks.Population.Scenarios.NewCompany})
	if len(r.Errors) != 1 || r.Errors[0].Extensions["code"] != "BAD_USER_INPUT" || !strings.Contains(r.Errors[0].Message, "no company plays a role") {
		t.Fatalf("errors = %+v", r.Errors)
	}
}

// With a registry down, the steps needing it are blocked by that registry
// and become live gaps; steps not needing it do not.
func TestLiveGaps(t *testing.T) {
	h := newTestHub(t)
	p := h.Mocks.Population
	if err := h.Mocks.Faults("UWV").Set(fault.Config{Status: 503}); err != nil {
		t.Fatal(err)
	}
	defer h.Mocks.ClearFaults()

	pic := pictureOf(t, h, "person", "bsn", p.Scenarios.JobLoss, "BECOMING_UNEMPLOYED")
	for _, s := range pic.Steps {
		needsUWV := false
		for _, n := range s.Needs {
			if strings.HasPrefix(n.Path, "employments") || strings.HasPrefix(n.Path, "benefits") {
				needsUWV = true
				if n.Resolved {
					t.Errorf("step %s: %s resolved with UWV down", s.Step.ID, n.Path)
				}
			}
		}
		if needsUWV && s.Status != "BLOCKED" {
			t.Errorf("step %s needs UWV but is %s", s.Step.ID, s.Status)
		}
	}
	// Enough failed calls for the window to judge UWV down.
	for range 6 {
		h.Query(t, `query($bsn: String!) { person(bsn: $bsn) { employments { start } } }`, map[string]any{"bsn": p.Scenarios.JobLoss})
	}
	var got struct {
		CouplingGaps struct {
			Gaps []struct {
				Kind       string
				LifeEvent  string
				Step       struct{ ID string }
				Registries []string
			}
			RegistryHealth []struct{ Registry, Condition string }
		}
	}
	h.Query(t, `{ couplingGaps(kind: LIVE) { gaps { kind lifeEvent step { id } registries } registryHealth { registry condition } } }`, nil).Decode(t, &got)
	live := map[string]bool{}
	for _, g := range got.CouplingGaps.Gaps {
		if len(g.Registries) != 1 || g.Registries[0] != "UWV" {
			t.Errorf("live gap %s/%s names %v, want only UWV", g.LifeEvent, g.Step.ID, g.Registries)
		}
		id, _ := lifeevents.EventIDFromEnum(g.LifeEvent)
		live[id+"/"+g.Step.ID] = true
	}
	for _, e := range h.Catalogue.Events() {
		for _, s := range e.Steps {
			if slices.Contains(s.Registries(), "UWV") != live[e.ID+"/"+s.ID] {
				t.Errorf("step %s/%s: needs UWV %v, live gap %v", e.ID, s.ID, slices.Contains(s.Registries(), "UWV"), live[e.ID+"/"+s.ID])
			}
		}
	}
	for _, rh := range got.CouplingGaps.RegistryHealth {
		if rh.Registry == "UWV" && rh.Condition != "DOWN" {
			t.Errorf("UWV condition %s, want DOWN", rh.Condition)
		}
	}
}

func TestCatalogueQueries(t *testing.T) {
	h := newTestHub(t)
	var got struct {
		LifeEvents    []struct{ Kind string }
		ChainPartners []struct{ ID string }
		Diagram       string
		Gaps          struct{ StaticGaps int }
	}
	h.Query(t, `{ lifeEvents { kind } chainPartners(kind: BACK_OFFICE) { id }
		diagram: couplingGapDiagram(format: MERMAID, lifeEvent: BIRTH)
		gaps: couplingGaps(kind: STATIC) { staticGaps } }`, nil).Decode(t, &got)
	if len(got.LifeEvents) != 8 {
		t.Errorf("%d life events, want 8", len(got.LifeEvents))
	}
	if len(got.ChainPartners) < 17 {
		t.Errorf("%d back-office partners", len(got.ChainPartners))
	}
	if !strings.Contains(got.Diagram, "flowchart") || !strings.Contains(got.Diagram, "svb") {
		t.Errorf("diagram = %.200s", got.Diagram)
	}
	if got.Gaps.StaticGaps == 0 {
		t.Error("no static gaps")
	}
}

// The catalogue shows each step's service norms as the catalogue file
// states them.
func TestCatalogueServiceNorms(t *testing.T) {
	h := newTestHub(t)
	var got struct {
		LifeEventDefinition struct {
			Steps []struct {
				ID           string
				ServiceNorms []struct {
					Channel *string
					Measure string
					Within  float64
					Unit    string
					Target  float64
					Text    string
					Sources []string
				}
			}
		}
	}
	h.Query(t, `{ lifeEventDefinition(kind: BECOMING_DEPENDENT_ON_CARE) { steps { id serviceNorms { channel measure within unit target text sources } } } }`, nil).Decode(t, &got)
	e, _ := h.Catalogue.Event("becoming-dependent-on-care")
	if len(got.LifeEventDefinition.Steps) != len(e.Steps) {
		t.Fatalf("%d steps, want %d", len(got.LifeEventDefinition.Steps), len(e.Steps))
	}
	norms := 0
	for i, s := range got.LifeEventDefinition.Steps {
		want := e.Steps[i].ServiceNorms
		if len(s.ServiceNorms) != len(want) {
			t.Errorf("%s: %d norms, want %d", s.ID, len(s.ServiceNorms), len(want))
			continue
		}
		for j, n := range s.ServiceNorms {
			w := want[j]
			channel := ""
			if n.Channel != nil {
				channel = strings.ToLower(*n.Channel)
			}
			if channel != string(w.Channel) || n.Measure != strings.ToUpper(strings.ReplaceAll(string(w.Measure), "-", "_")) ||
				n.Within != w.Within || n.Target != w.Target || n.Text != w.String() || !slices.Equal(n.Sources, w.Sources) {
				t.Errorf("%s norm %d: %+v, want %+v", s.ID, j, n, w)
			}
			norms++
		}
	}
	if norms == 0 {
		t.Fatal("no step of becoming-dependent-on-care has a service norm")
	}
}

// TestLifeEventPictureReusesTheRequestsData: a whole-person query asks no
// registry more often with a life-event picture of the person than
// without it; the picture's nested operation takes what the query's
// loaders already asked.
func TestLifeEventPictureReusesTheRequestsData(t *testing.T) {
	h := newTestHub(t)
	bsn := h.Mocks.Population.Scenarios.JobLoss
	if bsn == "" {
		t.Fatal("the population has no one who lost their job")
	}
	// The query asks what the picture needs of the person and of the
	// household it looks at (their work and benefits), so the picture
	// needs nothing the query did not fetch.
	const work = `employments { employerName payrollTaxNumber employer { name } start end current
	    incomeKind { code description } relation { code description } contractType { code description } hoursPerWeek }
	  benefits { law firstDayOfUnemployment start end maximumEnd hoursLost reason }`
	const name = `name { givenNames prefix surname initials fullName }`
	const whole = `bsn ` + name + ` age address { id street houseNumber postcode place residentialObject { surface } buildings { yearBuilt } }
	  partners { partner { bsn name { fullName } age } } children { bsn name { fullName } age }
	  vehicles { licencePlate make } drivingLicences { valid } companies { role company { name } }
	  household { bsn ` + name + ` ` + work + ` } ` + work
	type asked struct {
		calls  map[string]int
		routes map[string]map[string]int
	}
	ask := func(q string) asked {
		h.Mocks.ResetCalls()
		r := h.Query(t, q, map[string]any{"bsn": bsn})
		if len(r.Errors) > 0 {
			t.Fatalf("errors: %+v", r.Errors)
		}
		out := asked{calls: map[string]int{}, routes: map[string]map[string]int{}}
		for _, reg := range []string{"BRP", "BAG", "NHR", "RDW", "UWV", "BRK"} {
			out.calls[reg], out.routes[reg] = h.Mocks.Calls(reg)
		}
		return out
	}
	without := ask(`query($bsn: String!) { person(bsn: $bsn) { ` + whole + ` } }`)
	with := ask(`query($bsn: String!) { person(bsn: $bsn) { ` + whole + ` lifeEvent(kind: BECOMING_UNEMPLOYED) { applies status } } }`)
	for reg, n := range with.calls {
		if reg == "NHR" {
			continue
		}
		if n > without.calls[reg] {
			t.Errorf("%s asked %d times with the picture, %d without", reg, n, without.calls[reg])
		}
	}
	// Sharing goes one way: the employers' Handelsregister look-ups lie
	// deeper in the query (household.employments) than the picture, and
	// one the picture makes before the query reaches it is made again by
	// the query. Each is still asked at most once more, and nothing the
	// query alone does not ask.
	for route, n := range with.routes["NHR"] {
		if w := without.routes["NHR"][route]; n > w+1 || w == 0 {
			t.Errorf("NHR %s asked %d times with the picture, %d without", route, n, without.routes["NHR"][route])
		}
	}
	if without.calls["BRP"] == 0 || without.calls["UWV"] == 0 {
		t.Fatalf("the query asked no BRP or UWV: %v", without.calls)
	}
}
