package server_test

import (
	"encoding/json"
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/poort-nl/poort/mocks/population"
	"github.com/poort-nl/poort/server/hubtest"
)

// The persona tests look at each life event as the front office would:
// for two persons (companies, addresses) in every role of the event, and
// someone who plays none, the picture is checked field by field against
// what the registries hold for them: whether the event applies, the role,
// the anchor, every step's applicability and status, and the partners
// startLifeEvent would notify. One persona per event is looked at by a
// principal that may not see the data the event's trigger reads, and gets
// UNKNOWN, never a confident no. Subjects are picked by scenario and by
// what they are, never by number.

// personaPicture is the part of a picture the persona tests read.
type personaPicture struct {
	Event struct{ Kind string }
	Role  *struct{ ID string }
	About *struct {
		Kind    string
		Person  *struct{ BSN string }
		Company *struct{ KvKNumber string }
		Address *struct{ ID string }
	}
	Applies        *bool
	AppliesBecause string
	Status         string
	StatusBecause  string
	Notifies       []struct{ ID string }
	Steps          []struct {
		Step       struct{ ID string }
		Applicable *bool
		Status     string
		Because    string
		Coupling   string
		Task       *struct {
			Kind     string
			Notifies bool
			Partner  *struct{ ID string }
		}
	}
}

const personaFields = `event { kind } role { id } about { kind person { bsn } company { kvkNumber } address { id } }
  applies appliesBecause status statusBecause notifies { id }
  steps { step { id } applicable status because coupling task { kind notifies partner { id } } }`

// persona is one subject looked at for one life event.
type persona struct {
	name  string
	kind  string // person, company or address
	id    string
	token string // empty: the development token, which sees everything
	want  wantPicture
}

// wantPicture is the expected picture. Role empty means no role; an
// applies of nil means the hub cannot tell. Steps maps every step of the
// event to its status: NOT_APPLICABLE steps are not applicable, UNKNOWN
// ones and those marked with a trailing "?" of unknown applicability, every
// other step applies.
type wantPicture struct {
	role     string
	applies  *bool
	about    string
	status   string
	steps    map[string]string
	notifies []string
}

var (
	yes = new(true)
	no  = new(false)
)

// every maps each step of the event to the same status.
func every(t *testing.T, h *hubtest.Hub, event, status string) map[string]string {
	t.Helper()
	e, ok := h.Catalogue.Event(event)
	if !ok {
		t.Fatalf("no life event %s", event)
	}
	out := map[string]string{}
	for _, s := range e.Steps {
		out[s.ID] = status
	}
	return out
}

// lifeEventOf returns the picture of the event for the subject in the
// expected role (or the one picture when it plays none).
func lifeEventOf(t *testing.T, h *hubtest.Hub, p persona, kind, role, about string) personaPicture {
	t.Helper()
	arg := map[string]string{"person": "bsn", "company": "kvkNumber", "address": "id"}[p.kind]
	token := p.token
	if token == "" {
		token = h.Token
	}
	var got struct {
		Subject *struct{ LifeEvents []personaPicture }
	}
	r := h.QueryAs(t, token, fmt.Sprintf(`query($id: String!) { subject: %s(%s: $id) { lifeEvents { %s } } }`, p.kind, arg, personaFields),
		map[string]any{"id": p.id})
	if err := json.Unmarshal(r.Data, &got); err != nil || got.Subject == nil {
		t.Fatalf("%s: no answer: %v %+v", p.name, err, r.Errors)
	}
	var match []personaPicture
	for _, pic := range got.Subject.LifeEvents {
		if pic.Event.Kind == kind && (role == "" || (pic.Role != nil && pic.Role.ID == role && anchorOf(pic) == about)) {
			match = append(match, pic)
		}
	}
	if len(match) != 1 {
		t.Fatalf("%s: %d pictures of %s in role %q, want 1: %+v", p.name, len(match), kind, role, match)
	}
	return match[0]
}

// checkPersona compares a persona's picture with what it should be.
func checkPersona(t *testing.T, h *hubtest.Hub, event string, p persona) {
	t.Helper()
	kind := strings.ToUpper(strings.ReplaceAll(event, "-", "_"))
	pic := lifeEventOf(t, h, p, kind, p.want.role, p.want.about)
	w := p.want
	switch {
	case w.role == "" && pic.Role != nil:
		t.Errorf("role %s, want none", pic.Role.ID)
	case w.role != "" && (pic.Role == nil || pic.Role.ID != w.role):
		t.Errorf("role %+v, want %s", pic.Role, w.role)
	}
	if fmt.Sprint(boolOf(pic.Applies)) != fmt.Sprint(boolOf(w.applies)) {
		t.Errorf("applies %v (%s), want %v", boolOf(pic.Applies), pic.AppliesBecause, boolOf(w.applies))
	}
	if about := anchorOf(pic); about != w.about {
		t.Errorf("about %q, want %q", about, w.about)
	}
	if pic.Status != w.status {
		t.Errorf("status %s (%s), want %s", pic.Status, pic.StatusBecause, w.status)
	}
	seen := map[string]bool{}
	for _, s := range pic.Steps {
		seen[s.Step.ID] = true
		want, ok := w.steps[s.Step.ID]
		if !ok {
			t.Errorf("step %s: no expectation", s.Step.ID)
			continue
		}
		unknownApplicability := strings.HasSuffix(want, "?")
		want = strings.TrimSuffix(want, "?")
		if s.Status != want {
			t.Errorf("step %s: status %s (%s), want %s", s.Step.ID, s.Status, s.Because, want)
		}
		wantApplicable := "true"
		switch {
		case want == "NOT_APPLICABLE":
			wantApplicable = "false"
		case want == "UNKNOWN" || unknownApplicability:
			wantApplicable = "<nil>"
		}
		if got := fmt.Sprint(boolOf(s.Applicable)); got != wantApplicable {
			t.Errorf("step %s: applicable %s, want %s (%s)", s.Step.ID, got, wantApplicable, s.Because)
		}
		if s.Because == "" {
			t.Errorf("step %s: no reason for %s", s.Step.ID, s.Status)
		}
		if s.Task != nil && s.Task.Notifies && (s.Task.Partner == nil || !slices.Contains(w.notifies, s.Task.Partner.ID)) {
			t.Errorf("step %s notifies %+v, not one of %v", s.Step.ID, s.Task.Partner, w.notifies)
		}
	}
	for id := range w.steps {
		if !seen[id] {
			t.Errorf("step %s missing from the picture", id)
		}
	}
	var notifies []string
	for _, n := range pic.Notifies {
		notifies = append(notifies, n.ID)
	}
	if !slices.Equal(notifies, w.notifies) {
		t.Errorf("notifies %v, want %v", notifies, w.notifies)
	}
}

func boolOf(b *bool) any {
	if b == nil {
		return nil
	}
	return *b
}

func anchorOf(p personaPicture) string {
	switch {
	case p.About == nil:
		return ""
	case p.About.Person != nil:
		return p.About.Person.BSN
	case p.About.Company != nil:
		return p.About.Company.KvKNumber
	case p.About.Address != nil:
		return p.About.Address.ID
	}
	return "?"
}

// the population's questions the personas are picked by.
type popQ struct {
	*population.Population
	today time.Time
}

func (q popQ) person(t *testing.T, bsn string) *population.Person {
	t.Helper()
	p, ok := q.Person(bsn)
	if !ok {
		t.Fatalf("no person %s", bsn)
	}
	return p
}

// daysAgo is how many days before today the date lies; negative for a
// day to come.
func (q popQ) daysAgo(d population.Date) int {
	dt, ok := d.Time()
	if !ok {
		return 1 << 30
	}
	return int(q.today.Sub(dt).Hours() / 24)
}

// find returns the persons that satisfy pred, at least n of them.
func (q popQ) find(t *testing.T, n int, what string, pred func(*population.Person) bool) []*population.Person {
	t.Helper()
	var out []*population.Person
	for i := range q.Persons {
		if p := &q.Persons[i]; pred(p) {
			out = append(out, p)
		}
	}
	if len(out) < n {
		t.Fatalf("the population has %d %s, want %d", len(out), what, n)
	}
	return out
}

func (q popQ) living(p *population.Person) bool { return p.Alive() && p.AddressID != "" }

// stepsWith returns the statuses with some changed.
func stepsWith(base map[string]string, changes ...string) map[string]string {
	out := map[string]string{}
	for k, v := range base {
		out[k] = v
	}
	for i := 0; i+1 < len(changes); i += 2 {
		out[changes[i]] = changes[i+1]
	}
	return out
}

// either picks a status by a fact of the persona.
func either(cond bool, ifTrue, ifFalse string) string {
	if cond {
		return ifTrue
	}
	return ifFalse
}

// notifying is the partner list when the condition holds, else none.
func notifying(cond bool, partners ...string) []string {
	if cond {
		return partners
	}
	return nil
}

func TestLifeEventPersonas(t *testing.T) {
	h := newTestHub(t)
	pop := h.Mocks.Population
	q := popQ{pop, time.Now().UTC()}
	s := pop.Scenarios
	generalKCC := employee(t, h, "kcc-medewerker", "kcc-algemeen")
	permits := employee(t, h, "vergunningverlener", "bouwen-en-verbouwen", "ondernemen")
	districtTeam := employee(t, h, "wijkteam-medewerker", "zorg-en-ondersteuning")

	t.Run("birth", func(t *testing.T) {
		married, unmarried := q.person(t, s.RecentBirth), q.person(t, s.UnmarriedBirth)
		registered := map[string]string{
			"register-birth": "DONE", "recognition": "NOT_APPLICABLE", "child-benefit": "IN_PROGRESS", "child-budget": "IN_PROGRESS",
			"health-insurance": "IN_PROGRESS", "vaccination-invitation": "IN_PROGRESS", "youth-health-care": "IN_PROGRESS", "benefits-status": "BLOCKED",
		}
		unrecognised := stepsWith(registered, "recognition", "NEEDS_INPUT")
		if len(married.Parents) != 2 || len(unmarried.Parents) != 1 {
			t.Fatalf("births with %d and %d parents", len(married.Parents), len(unmarried.Parents))
		}
		father, mother := married.Parents[0], married.Parents[1]
		if q.person(t, father).Gender == population.Female {
			father, mother = mother, father
		}
		personas := []persona{
			{"the child of married parents", "person", married.BSN, "", wantPicture{"child", yes, married.BSN, "IN_PROGRESS", registered, nil}},
			{"the child of an unmarried mother", "person", unmarried.BSN, "", wantPicture{"child", yes, unmarried.BSN, "NEEDS_INPUT", unrecognised, nil}},
			{"the father", "person", father, "", wantPicture{"parent", yes, married.BSN, "IN_PROGRESS", registered, nil}},
			{"the mother", "person", mother, "", wantPicture{"parent", yes, married.BSN, "IN_PROGRESS", registered, nil}},
			{"the unmarried mother", "person", unmarried.Parents[0], "", wantPicture{"parent", yes, unmarried.BSN, "NEEDS_INPUT", unrecognised, nil}},
		}
		unrelated := q.find(t, 1, "adults without a child born this year", func(p *population.Person) bool {
			if !q.living(p) || q.daysAgo(p.BirthDate) < 30*365 || p.BSN == s.Household {
				return false
			}
			for _, c := range p.Children {
				if q.daysAgo(q.person(t, c).BirthDate) <= 365 {
					return false
				}
			}
			return true
		})[0]
		personas = append(personas,
			persona{"an unrelated adult", "person", unrelated.BSN, "", wantPicture{"", no, "", "NOT_APPLICABLE", every(t, h, "birth", "NOT_APPLICABLE"), nil}},
			persona{"the child, for a permits officer", "person", married.BSN, permits, wantPicture{"", nil, "", "UNKNOWN", every(t, h, "birth", "UNKNOWN"), nil}})
		runPersonas(t, h, "birth", personas)

		// Two adults declare a birth the BRP does not show yet: each is the
		// declarant of an event in progress, about no one the registries know.
		for i, d := range []string{s.Traveller, s.JobEnded} {
			in := map[string]any{"kind": "BIRTH", "subjectKind": "PERSON", "subjectId": d, "channel": "DESK",
				"idempotencyKey": fmt.Sprintf("declared-%d", i), "role": "declarant"}
			if r := h.Query(t, `mutation($in: StartLifeEventInput!) { startLifeEvent(input: $in) { case { id role } } }`, map[string]any{"in": in}); len(r.Errors) > 0 {
				t.Fatalf("declaring: %+v", r.Errors)
			}
		}
		// Every step has its task, tracked; whether the father must
		// recognise the child waits for the registries.
		declared := stepsWith(every(t, h, "birth", "IN_PROGRESS"), "recognition", "IN_PROGRESS?")
		runPersonas(t, h, "birth", []persona{
			{"a declarant", "person", s.Traveller, "", wantPicture{"declarant", yes, "", "IN_PROGRESS", declared, nil}},
			{"another declarant", "person", s.JobEnded, "", wantPicture{"declarant", yes, "", "IN_PROGRESS", declared, nil}},
		})
	})

	t.Run("death", func(t *testing.T) {
		deaths := q.find(t, 2, "deaths in the last month leaving a partner", func(p *population.Person) bool {
			return !p.Alive() && q.daysAgo(p.DeathDate) <= 31 && p.Partner != nil && q.person(t, p.Partner.BSN).Alive()
		})
		stepsOf := func(dead *population.Person) map[string]string {
			return map[string]string{
				"report-death": "DONE", "certificate": "DONE", "coroner": "NOT_APPLICABLE", "cause-of-death": "BLOCKED",
				"benefits-and-taxes": "IN_PROGRESS", "insurance-and-pension": "IN_PROGRESS",
				"vehicles":     either(len(pop.VehiclesOfPerson(dead.BSN)) > 0, "IN_PROGRESS", "NOT_APPLICABLE"),
				"mijnoverheid": "IN_PROGRESS", "contact-person": "BLOCKED", "municipal-taxes": "IN_PROGRESS", "municipal-services": "BLOCKED",
			}
		}
		var personas []persona
		for _, d := range deaths[:2] {
			personas = append(personas,
				persona{"the deceased " + d.BSN, "person", d.BSN, "", wantPicture{"deceased", yes, d.BSN, "BLOCKED", stepsOf(d), nil}},
				persona{"the partner of " + d.BSN, "person", d.Partner.BSN, "", wantPicture{"partner", yes, d.BSN, "BLOCKED", stepsOf(d), nil}})
		}
		dead := q.person(t, s.Deceased)
		for _, c := range dead.Children[:2] {
			personas = append(personas, persona{"a child of the deceased", "person", c, "", wantPicture{"next-of-kin", yes, dead.BSN, "BLOCKED", stepsOf(dead), nil}})
		}
		unrelated := q.find(t, 1, "adults without a death around them this year", func(p *population.Person) bool {
			if !q.living(p) || (p.Partner != nil && q.daysAgo(q.person(t, p.Partner.BSN).DeathDate) <= 365) {
				return false
			}
			for _, b := range p.Parents {
				if q.daysAgo(q.person(t, b).DeathDate) <= 365 {
					return false
				}
			}
			return true
		})[0]
		personas = append(personas,
			persona{"an unrelated adult", "person", unrelated.BSN, "", wantPicture{"", no, "", "NOT_APPLICABLE", every(t, h, "death", "NOT_APPLICABLE"), nil}},
			persona{"the deceased, for general front-office work", "person", dead.BSN, generalKCC, wantPicture{"", nil, "", "UNKNOWN", every(t, h, "death", "UNKNOWN"), nil}})
		runPersonas(t, h, "death", personas)
	})

	t.Run("moving", func(t *testing.T) {
		mover := q.person(t, s.Mover)
		movers := q.find(t, 2, "members of the household that moved", func(p *population.Person) bool {
			return q.living(p) && p.AddressID == mover.AddressID && p.AddressSince == mover.AddressSince && p.AddressSince != p.BirthDate
		})
		addr, _ := pop.Address(mover.AddressID)
		crowded := addr.Surface < 12*len(pop.Residents(addr.ID))
		stepsOf := func(p *population.Person) map[string]string {
			return map[string]string{
				"report-move": "DONE", "address-check": either(crowded, "READY", "NOT_APPLICABLE"),
				"tax-and-benefits": "IN_PROGRESS", "social-insurance": "IN_PROGRESS", "health-and-pension": "IN_PROGRESS",
				"vehicles":         either(len(pop.VehiclesOfPerson(p.BSN)) > 0, "IN_PROGRESS", "NOT_APPLICABLE"),
				"business-address": either(len(pop.CompaniesOf(p.BSN)) > 0, "IN_PROGRESS", "NOT_APPLICABLE"),
				"water-board":      "IN_PROGRESS", "municipal-taxes": "IN_PROGRESS", "municipal-services": "BLOCKED",
			}
		}
		var personas []persona
		for _, m := range movers[:2] {
			personas = append(personas, persona{"a mover " + m.BSN, "person", m.BSN, "", wantPicture{"mover", yes, m.BSN, "BLOCKED", stepsOf(m), notifying(crowded, "civil-affairs")}})
		}
		settled := q.find(t, 1, "adults settled for a year", func(p *population.Person) bool {
			return q.living(p) && q.daysAgo(p.AddressSince) > 365
		})[0]
		personas = append(personas,
			// A newborn is registered at her parents' address from birth:
			// that is no move.
			persona{"a newborn", "person", s.RecentBirth, "", wantPicture{"", no, "", "NOT_APPLICABLE", every(t, h, "moving", "NOT_APPLICABLE"), nil}},
			persona{"someone settled", "person", settled.BSN, "", wantPicture{"", no, "", "NOT_APPLICABLE", every(t, h, "moving", "NOT_APPLICABLE"), nil}},
			persona{"a mover, for a permits officer", "person", mover.BSN, permits, wantPicture{"", nil, "", "UNKNOWN", every(t, h, "moving", "UNKNOWN"), nil}})
		runPersonas(t, h, "moving", personas)
	})

	t.Run("becoming unemployed", func(t *testing.T) {
		withWW := map[string]string{
			"situation": "NEEDS_INPUT", "uwv-handover": "NOT_APPLICABLE", "ww-decision": "DONE", "social-assistance": "NOT_APPLICABLE",
			"income-checks": "NOT_APPLICABLE", "supplementary-income": "NOT_APPLICABLE", "allowances": "BLOCKED",
		}
		withoutWW := map[string]string{
			"situation": "NEEDS_INPUT", "uwv-handover": "BLOCKED", "ww-decision": "NEEDS_INPUT", "social-assistance": "NEEDS_INPUT",
			"income-checks": "READY", "supplementary-income": "NOT_APPLICABLE", "allowances": "BLOCKED",
		}
		lost := q.person(t, s.JobLoss)
		var housemates []*population.Person
		for _, r := range pop.Residents(lost.AddressID) {
			if r.BSN != lost.BSN {
				housemates = append(housemates, r)
			}
		}
		if len(housemates) < 2 {
			t.Fatalf("the job loser lives with %d", len(housemates))
		}
		employed := q.find(t, 1, "persons in work", func(p *population.Person) bool {
			jobs := pop.EmploymentsOf(p.BSN)
			return q.living(p) && len(jobs) > 0 && jobs[len(jobs)-1].End == "" && len(pop.BenefitsOf(p.BSN)) == 0 && p.AddressID != lost.AddressID
		})[0]
		runPersonas(t, h, "becoming-unemployed", []persona{
			{"someone on WW", "person", s.JobLoss, "", wantPicture{"unemployed", yes, s.JobLoss, "NEEDS_INPUT", withWW, nil}},
			{"someone whose job just ended", "person", s.JobEnded, "", wantPicture{"unemployed", yes, s.JobEnded, "NEEDS_INPUT", withoutWW, []string{"work-and-income"}}},
			{"a housemate", "person", housemates[0].BSN, "", wantPicture{"household-member", yes, s.JobLoss, "NEEDS_INPUT", withWW, nil}},
			{"another housemate", "person", housemates[1].BSN, "", wantPicture{"household-member", yes, s.JobLoss, "NEEDS_INPUT", withWW, nil}},
			{"someone in work", "person", employed.BSN, "", wantPicture{"", no, "", "NOT_APPLICABLE", every(t, h, "becoming-unemployed", "NOT_APPLICABLE"), nil}},
			{"someone on WW, for general front-office work", "person", s.JobLoss, generalKCC, wantPicture{"", nil, "", "UNKNOWN", every(t, h, "becoming-unemployed", "UNKNOWN"), nil}},
		})
	})

	t.Run("starting a business", func(t *testing.T) {
		haulage, _ := pop.Company(s.NewCompany)
		restaurant, _ := pop.Company(s.NewRestaurant)
		stepsOf := func(c *population.Company, horeca bool) map[string]string {
			return map[string]string{
				"kvk-registration": "DONE", "tax-registration": "IN_PROGRESS",
				"employer-registration": either(c.Employees() > 0, "NEEDS_INPUT", "NOT_APPLICABLE"),
				"municipal-signal":      "IN_PROGRESS", "location-check": "IN_PROGRESS", "permits": "NEEDS_INPUT",
				"alcohol-licence":     either(horeca, "NEEDS_INPUT", "NOT_APPLICABLE"),
				"exploitation-permit": either(horeca, "NEEDS_INPUT", "NOT_APPLICABLE"),
				"safety-advice":       either(horeca, "BLOCKED", "NOT_APPLICABLE"),
				"permit-status":       "BLOCKED",
			}
		}
		if len(restaurant.Functionaries) < 2 {
			t.Fatalf("the restaurant has %d directors", len(restaurant.Functionaries))
		}
		nonFounder := q.find(t, 1, "adults with no company", func(p *population.Person) bool {
			return q.living(p) && q.daysAgo(p.BirthDate) > 20*365 && len(pop.CompaniesOf(p.BSN)) == 0
		})[0]
		runPersonas(t, h, "starting-a-business", []persona{
			{"a new road haulier", "company", haulage.KvKNumber, "", wantPicture{"company", yes, haulage.KvKNumber, "IN_PROGRESS", stepsOf(haulage, false), nil}},
			{"a new restaurant", "company", restaurant.KvKNumber, "", wantPicture{"company", yes, restaurant.KvKNumber, "IN_PROGRESS", stepsOf(restaurant, true), nil}},
			{"the haulier's owner", "person", haulage.Functionaries[0].BSN, "", wantPicture{"founder", yes, haulage.KvKNumber, "IN_PROGRESS", stepsOf(haulage, false), nil}},
			{"a director of the restaurant", "person", restaurant.Functionaries[0].BSN, "", wantPicture{"founder", yes, restaurant.KvKNumber, "IN_PROGRESS", stepsOf(restaurant, true), nil}},
			{"the other director", "person", restaurant.Functionaries[1].BSN, "", wantPicture{"founder", yes, restaurant.KvKNumber, "IN_PROGRESS", stepsOf(restaurant, true), nil}},
			{"someone without a company", "person", nonFounder.BSN, "", wantPicture{"", no, "", "NOT_APPLICABLE", every(t, h, "starting-a-business", "NOT_APPLICABLE"), nil}},
			{"the owner, for the social district team", "person", haulage.Functionaries[0].BSN, districtTeam, wantPicture{"", nil, "", "UNKNOWN", every(t, h, "starting-a-business", "UNKNOWN"), nil}},
		})
	})

	t.Run("renovation", func(t *testing.T) {
		var renovated []string
		for _, a := range pop.Addresses {
			if b, _ := pop.Building(a.BuildingIDs[0]); b.Status == "Verbouwing pand" && q.daysAgo(b.StatusSince) <= 365 {
				renovated = append(renovated, a.ID)
			}
		}
		if len(renovated) < 2 || !slices.Contains(renovated, s.Renovation) {
			t.Fatalf("addresses under renovation: %v", renovated)
		}
		other := renovated[0]
		if other == s.Renovation {
			other = renovated[1]
		}
		underway := map[string]string{
			"permit-check": "DONE", "application": "DONE", "intake": "IN_PROGRESS", "assessment": "NEEDS_INPUT",
			"appearance-advice": "BLOCKED", "other-authorities": "IN_PROGRESS", "application-status": "BLOCKED", "bag-update": "READY",
		}
		residents := pop.Residents(s.Renovation)
		elsewhere := q.find(t, 1, "persons at an address not under renovation", func(p *population.Person) bool {
			return q.living(p) && !slices.Contains(renovated, p.AddressID)
		})[0]
		runPersonas(t, h, "renovation", []persona{
			{"the address", "address", s.Renovation, "", wantPicture{"address", yes, s.Renovation, "IN_PROGRESS", underway, []string{"omgevingsdienst"}}},
			{"another address", "address", other, "", wantPicture{"address", yes, other, "IN_PROGRESS", underway, []string{"omgevingsdienst"}}},
			{"a resident", "person", residents[0].BSN, "", wantPicture{"resident", yes, s.Renovation, "IN_PROGRESS", underway, []string{"omgevingsdienst"}}},
			{"another resident", "person", residents[1].BSN, "", wantPicture{"resident", yes, s.Renovation, "IN_PROGRESS", underway, []string{"omgevingsdienst"}}},
			{"someone elsewhere", "person", elsewhere.BSN, "", wantPicture{"", no, "", "NOT_APPLICABLE", every(t, h, "renovation", "NOT_APPLICABLE"), nil}},
			{"a resident, for a permits officer", "person", residents[0].BSN, permits, wantPicture{"", nil, "", "UNKNOWN", every(t, h, "renovation", "UNKNOWN"), nil}},
		})
	})

	t.Run("travel", func(t *testing.T) {
		horizon := q.today.AddDate(0, 0, 120)
		stepsOf := func(bsn string) map[string]string {
			p := q.person(t, bsn)
			minor := q.daysAgo(p.BirthDate) < 18*365
			lasting := false
			for _, d := range pop.TravelDocumentsOf(bsn) {
				end, _ := d.ExpiryDate.Time()
				lasting = lasting || (d.Held() && end.After(horizon))
			}
			licences, renew := pop.DrivingLicencesOf(bsn), false
			for _, l := range licences {
				end, _ := l.ExpiryDate.Time()
				renew = renew || !end.After(horizon)
			}
			return map[string]string{
				"document-validity": "READY", "licence-validity": either(len(licences) > 0, "READY", "NOT_APPLICABLE"),
				"renewal-reminder": "NEEDS_INPUT", "parental-consent": either(minor, "BLOCKED", "NOT_APPLICABLE"),
				"application":         either(lasting, "NOT_APPLICABLE", "NEEDS_INPUT"),
				"application-status":  either(lasting, "NOT_APPLICABLE", "BLOCKED"),
				"issue":               either(lasting, "NOT_APPLICABLE", "READY"),
				"licence-application": either(renew, "NEEDS_INPUT", "NOT_APPLICABLE"),
				"vaccination":         "BLOCKED",
			}
		}
		minor := q.person(t, s.MinorTraveller)
		unrelated := q.find(t, 1, "adults with nothing running out", func(p *population.Person) bool {
			if !q.living(p) || q.daysAgo(p.BirthDate) < 18*365 {
				return false
			}
			for _, d := range pop.TravelDocumentsOf(p.BSN) {
				if n := -q.daysAgo(d.ExpiryDate); n >= -31 && n <= 120 {
					return false
				}
			}
			for _, l := range pop.DrivingLicencesOf(p.BSN) {
				if n := -q.daysAgo(l.ExpiryDate); n >= -31 && n <= 120 {
					return false
				}
			}
			for _, c := range p.Children {
				for _, d := range pop.TravelDocumentsOf(c) {
					if n := -q.daysAgo(d.ExpiryDate); n >= -31 && n <= 120 {
						return false
					}
				}
			}
			return true
		})[0]
		runPersonas(t, h, "travel", []persona{
			{"an adult traveller", "person", s.Traveller, "", wantPicture{"traveller", yes, s.Traveller, "BLOCKED", stepsOf(s.Traveller), nil}},
			{"a minor traveller", "person", minor.BSN, "", wantPicture{"traveller", yes, minor.BSN, "BLOCKED", stepsOf(minor.BSN), nil}},
			{"the minor's father", "person", minor.Parents[0], "", wantPicture{"parent", yes, minor.BSN, "BLOCKED", stepsOf(minor.BSN), nil}},
			{"the minor's mother", "person", minor.Parents[1], "", wantPicture{"parent", yes, minor.BSN, "BLOCKED", stepsOf(minor.BSN), nil}},
			{"an adult with nothing running out", "person", unrelated.BSN, "", wantPicture{"", no, "", "NOT_APPLICABLE", every(t, h, "travel", "NOT_APPLICABLE"), nil}},
			{"a traveller, for general front-office work", "person", s.Traveller, generalKCC, wantPicture{"", nil, "", "UNKNOWN", every(t, h, "travel", "UNKNOWN"), nil}},
		})
	})

	t.Run("becoming dependent on care", func(t *testing.T) {
		inCare := q.find(t, 2, "persons who moved into care this half year", func(p *population.Person) bool {
			a, ok := pop.Address(p.AddressID)
			return q.living(p) && ok && slices.Contains(a.Uses, "gezondheidszorgfunctie") && q.daysAgo(p.AddressSince) <= 183
		})
		reported := map[string]string{
			"report": "BLOCKED", "wlz-check": "NEEDS_INPUT", "kitchen-table": "NEEDS_INPUT", "assignment": "READY", "contribution": "READY",
			"contribution-estimate": "BLOCKED", "home-adaptation": "NOT_APPLICABLE", "wlz-indication": "NEEDS_INPUT",
		}
		client := q.person(t, s.CareDependent)
		var other *population.Person
		for _, p := range inCare {
			if p.BSN != client.BSN {
				other = p
			}
		}
		noCare := q.find(t, 1, "adults whose parents are not in care", func(p *population.Person) bool {
			if !q.living(p) || q.daysAgo(p.BirthDate) < 18*365 || slices.ContainsFunc(inCare, func(c *population.Person) bool { return c.BSN == p.BSN }) {
				return false
			}
			return !slices.ContainsFunc(p.Parents, func(b string) bool {
				return slices.ContainsFunc(inCare, func(c *population.Person) bool { return c.BSN == b })
			})
		})[0]
		team := []string{"social-district-team"}
		runPersonas(t, h, "becoming-dependent-on-care", []persona{
			{"a person who moved into care", "person", client.BSN, "", wantPicture{"client", yes, client.BSN, "BLOCKED", reported, team}},
			{"another", "person", other.BSN, "", wantPicture{"client", yes, other.BSN, "BLOCKED", reported, team}},
			{"a child", "person", client.Children[0], "", wantPicture{"family", yes, client.BSN, "BLOCKED", reported, team}},
			{"another child", "person", client.Children[1], "", wantPicture{"family", yes, client.BSN, "BLOCKED", reported, team}},
			{"someone with no one in care", "person", noCare.BSN, "", wantPicture{"", no, "", "NOT_APPLICABLE", every(t, h, "becoming-dependent-on-care", "NOT_APPLICABLE"), nil}},
			{"the client, for a permits officer", "person", client.BSN, permits, wantPicture{"", nil, "", "UNKNOWN", every(t, h, "becoming-dependent-on-care", "UNKNOWN"), nil}},
		})
	})
}

func runPersonas(t *testing.T, h *hubtest.Hub, event string, ps []persona) {
	t.Helper()
	for _, p := range ps {
		t.Run(p.name, func(t *testing.T) { checkPersona(t, h, event, p) })
	}
}
