package businesscase

import (
	"encoding/json"
	"errors"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"

	"github.com/poort-nl/poort/internal/lineage"
	"github.com/poort-nl/poort/lifeevents"
	"github.com/poort-nl/poort/schema"
)

// loadCatalogue loads the embedded life-event catalogue against the real
// schema, once per test binary; the catalogue is read-only.
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
		t.Fatalf("catalogue: %v", err)
	}
	return c
}

func mustDefaults(t testing.TB) *Parameters {
	t.Helper()
	p, err := LoadDefaults(catalogue(t))
	if err != nil {
		t.Fatalf("LoadDefaults: %v", err)
	}
	return p
}

// clone returns a deep copy the test may change freely.
func clone(t testing.TB, p *Parameters) *Parameters {
	t.Helper()
	q, err := p.Apply([]byte(`{}`))
	if err != nil {
		t.Fatalf("clone: %v", err)
	}
	return q
}

func TestDefaultsHaveTheEightLifeEvents(t *testing.T) {
	p := mustDefaults(t)
	want := []string{"birth", "starting-a-business", "renovation", "travel", "becoming-unemployed", "becoming-dependent-on-care", "moving", "death"}
	if !slices.Equal(LifeEventIDs(), want) {
		t.Fatalf("LifeEventIDs() = %v, want %v", LifeEventIDs(), want)
	}
	if len(p.LifeEvents) != len(want) {
		t.Fatalf("defaults have %d life events, want %d", len(p.LifeEvents), len(want))
	}
	for _, id := range want {
		if has := slices.ContainsFunc(p.Couplings, func(c Coupling) bool { return c.LifeEvent == id }); !has {
			t.Errorf("no default coupling for life event %s", id)
		}
	}
}

var sourceRE = regexp.MustCompile(`^https?://\S+$`)

// Every figure in the shipped defaults names a public source or says that
// it has none; the check walks the raw document so no figure can slip past
// a Go type.
func TestEveryDefaultFigureHasASource(t *testing.T) {
	var doc any
	if err := json.Unmarshal(DefaultsJSON(), &doc); err != nil {
		t.Fatal(err)
	}
	count := 0
	var walk func(path string, v any)
	walk = func(path string, v any) {
		switch x := v.(type) {
		case map[string]any:
			if src, ok := x["source"]; ok {
				count++
				s, _ := src.(string)
				if s != UnsourcedEstimate && s != Choice && !sourceRE.MatchString(s) {
					t.Errorf("%s.source = %q, want a URL, %q or %q", path, s, UnsourcedEstimate, Choice)
				}
				if _, ranged := x["range"]; s == UnsourcedEstimate && !ranged {
					t.Errorf("%s is an unsourced estimate without a range", path)
				}
			} else if _, isFigure := x["value"]; isFigure {
				t.Errorf("%s has a value but no source", path)
			}
			for k, e := range x {
				walk(path+"."+k, e)
			}
		case []any:
			for i, e := range x {
				walk(path+"["+strconv.Itoa(i)+"]", e)
			}
		}
	}
	walk("defaults", doc)
	if count < 100 {
		t.Fatalf("found only %d sourced figures; the walk is broken", count)
	}
	for _, r := range mustDefaults(t).Figures() {
		if r.Source != UnsourcedEstimate && r.Source != Choice && !sourceRE.MatchString(r.Source) {
			t.Errorf("Figures(): %s has source %q", r.Path, r.Source)
		}
	}
}

func TestValidationErrorsNameTheParameter(t *testing.T) {
	tests := []struct {
		name      string
		overrides string
		want      string
		sentinel  error
	}{
		{"negative national volume", `{"lifeEvents":{"birth":{"nationalVolume":-5}}}`,
			"lifeEvents.birth.nationalVolume: must not be negative", nil},
		{"negative local volume", `{"lifeEvents":{"moving":{"localVolume":{"value":-1,"source":"own count"}}}}`,
			"lifeEvents.moving.localVolume: must not be negative", nil},
		{"negative contacts", `{"lifeEvents":{"birth":{"contacts":{"desk":-1}}}}`,
			"lifeEvents.birth.contacts.desk: must not be negative", nil},
		{"negative target contacts", `{"lifeEvents":{"death":{"targetContacts":{"web":-0.5}}}}`,
			"lifeEvents.death.targetContacts.web: must not be negative", nil},
		{"unknown channel", `{"lifeEvents":{"birth":{"contacts":{"fax":1}}}}`,
			"lifeEvents.birth.contacts.fax: unknown channel", nil},
		{"share above 100 %", `{"couplings":[{"id":"travel-document-status","shares":{"national":1.5}}]}`,
			"couplings[travel-document-status].shares.national: must not exceed 1 (100 %)", nil},
		{"shares not adding up", `{"couplings":[{"id":"travel-document-status","shares":{"national":0.9}}]}`,
			"couplings[travel-document-status].shares: national, regional and local must add up to 1 (100 %), got 1.2", nil},
		{"negative share", `{"investments":[{"id":"training","shares":{"local":1.2,"regional":-0.2}}]}`,
			"investments[training].shares.regional: must not be negative", nil},
		{"first-contact resolution above 100 %", `{"firstContactResolution":{"target":1.2}}`,
			"firstContactResolution.target: must not exceed 1 (100 %)", nil},
		{"negative channel cost", `{"channels":{"desk":{"frontOffice":-1}}}`,
			"channels.desk.frontOffice: must not be negative", nil},
		{"negative one-off cost", `{"couplings":[{"id":"death-contact-person","oneOff":-10}]}`,
			"couplings[death-contact-person].oneOff: must not be negative", nil},
		{"unknown life event", `{"lifeEvents":{"wedding":{"name":"Wedding"}}}`,
			"lifeEvents.wedding: unknown life event", ErrUnknownLifeEvent},
		{"coupling for unknown life event", `{"couplings":[{"id":"x","lifeEvent":"wedding","description":"d","oneOff":1,"yearly":1,"shares":{"local":1,"source":"own estimate"}}]}`,
			`couplings[x].lifeEvent: unknown life event "wedding"`, ErrUnknownLifeEvent},
		{"unknown municipality", `{"municipalities":{"Atlantis":{"population":5}}}`,
			`municipalities.Atlantis: unknown municipality "Atlantis"`, ErrUnknownMunicipality},
		{"bad value in a municipality's section", `{"municipalities":{"Utrecht":{"lifeEvents":{"birth":{"localVolume":-1}}}}}`,
			"municipalities.Utrecht.lifeEvents.birth.localVolume: must not be negative", nil},
		{"bad population in a municipality's section", `{"municipalities":{"GM0344":{"population":-3}}}`,
			"municipalities.GM0344.population: must be a whole number greater than zero", nil},
		{"two sections for one municipality", `{"municipalities":{"Den Haag":{"population":5},"'s-Gravenhage":{"population":6}}}`,
			"already has a section", nil},
		{"unknown parameter", `{"lifeEvent":{}}`, "lifeEvent: unknown parameter", nil},
		{"unknown nested parameter", `{"ramp":{"delay":2}}`, "ramp.delay: unknown parameter", nil},
		{"wrong type", `{"ramp":{"years":"three"}}`, "ramp.years: must be a number or an object with value and source", nil},
		{"empty source", `{"nationalPopulation":{"value":5,"source":""}}`, "nationalPopulation.source: must name a source", nil},
		{"fractional population", `{"nationalPopulation":1000.5}`, "nationalPopulation: must be a whole number", nil},
		{"horizon out of range", `{"horizonYears":0}`, "horizonYears: must be between 1 and 50 years", nil},
		{"remove an unknown item", `{"couplings":[{"id":"nope","remove":true}]}`, "couplings[nope]: cannot remove: no item has this id", nil},
		{"list item without id", `{"couplings":[{"lifeEvent":"birth"}]}`, "couplings[0].id: a list item in an overrides document needs an id", nil},
		{"duplicate id across lists", `{"investments":[{"id":"travel-document-status","kind":"other","description":"d","oneOff":1,"yearly":1,"shares":{"local":1,"source":"own estimate"}}]}`,
			"investments[travel-document-status].id: duplicate id, also used at couplings[travel-document-status]", nil},
		{"unknown coupling status", `{"couplings":[{"id":"travel-document-status","status":"broken"}]}`,
			`couplings[travel-document-status].status: unknown status "broken"`, nil},
		{"not JSON", `{"lifeEvents":`, "(overrides): not valid JSON", nil},
		{"not an object", `[1,2]`, "(overrides): must be a JSON object", nil},
		{"other currency", `{"currency":"USD"}`, "currency: must be EUR", nil},
	}
	p := mustDefaults(t)
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := p.Apply([]byte(tt.overrides))
			if err == nil {
				t.Fatalf("Apply(%s) succeeded, want error %q", tt.overrides, tt.want)
			}
			if !strings.Contains(err.Error(), tt.want) {
				t.Fatalf("Apply(%s) error = %q, want it to contain %q", tt.overrides, err, tt.want)
			}
			var pe *ParamError
			if !errors.As(err, &pe) {
				t.Fatalf("error %v is not a *ParamError", err)
			}
			if tt.sentinel != nil && !errors.Is(err, tt.sentinel) {
				t.Fatalf("error %v does not wrap %v", err, tt.sentinel)
			}
		})
	}
}

func TestValidationReportsEveryProblem(t *testing.T) {
	_, err := mustDefaults(t).Apply([]byte(`{"lifeEvents":{"birth":{"nationalVolume":-1,"contacts":{"desk":-1}}},"regionPopulation":0}`))
	var list ValidationErrors
	if !errors.As(err, &list) {
		t.Fatalf("error %v is not ValidationErrors", err)
	}
	var paths []string
	for _, e := range list {
		paths = append(paths, e.Path)
	}
	for _, want := range []string{"regionPopulation", "lifeEvents.birth.nationalVolume", "lifeEvents.birth.contacts.desk"} {
		if !slices.Contains(paths, want) {
			t.Errorf("paths %v lack %s", paths, want)
		}
	}
}

func TestOverridesMerge(t *testing.T) {
	p := mustDefaults(t)
	q, err := p.Apply([]byte(`{
		"channels": {"desk": {"frontOffice": 30}},
		"lifeEvents": {"birth": {"contacts": {"desk": 0.8}}},
		"firstContactResolution": {"today": {"value": 0.55, "source": "https://example.org/own-measurement"}},
		"couplings": [
			{"id": "death-contact-person", "remove": true},
			{"id": "travel-document-status", "oneOff": 80000},
			{"id": "moving-bulk-relocation", "lifeEvent": "moving", "description": "Bulk relocation by housing corporations.",
			 "oneOff": 50000, "yearly": 5000, "shares": {"national": 0, "regional": 0, "local": 1, "source": "own estimate"}}
		]
	}`))
	if err != nil {
		t.Fatal(err)
	}
	if got := q.Channels["desk"].FrontOffice; got.Value != 30 || got.Source != OverrideSource || got.Note != "" {
		t.Errorf("desk front office = %+v, want 30 with source %q and no note", got, OverrideSource)
	}
	if got := q.Channels["desk"].BackOffice; got != p.Channels["desk"].BackOffice {
		t.Errorf("desk back office changed to %+v", got)
	}
	birth := q.LifeEvents["birth"].Contacts
	if birth.Get("desk") != 0.8 || birth.Get("phone") != p.LifeEvents["birth"].Contacts.Get("phone") || birth.Source != OverrideSource {
		t.Errorf("birth contacts = %+v", birth)
	}
	if got := q.FirstContactResolution.Today; got.Value != 0.55 || got.Source != "https://example.org/own-measurement" {
		t.Errorf("resolution today = %+v", got)
	}
	ids := func(cs []Coupling) []string {
		var out []string
		for _, c := range cs {
			out = append(out, c.ID)
		}
		return out
	}
	got := ids(q.Couplings)
	if slices.Contains(got, "death-contact-person") || !slices.Contains(got, "moving-bulk-relocation") || len(got) != len(p.Couplings) {
		t.Errorf("couplings = %v", got)
	}
	i := slices.IndexFunc(q.Couplings, func(c Coupling) bool { return c.ID == "travel-document-status" })
	if c := q.Couplings[i]; c.OneOff.Value != 80000 || c.Yearly != p.Couplings[slices.IndexFunc(p.Couplings, func(c Coupling) bool { return c.ID == "travel-document-status" })].Yearly {
		t.Errorf("travel-document-status = %+v", c)
	}
	// The original is untouched.
	if p.Channels["desk"].FrontOffice.Value != 27 || len(p.Couplings) != len(q.Couplings) || !slices.Contains(ids(p.Couplings), "death-contact-person") {
		t.Error("Apply changed its receiver")
	}
}

func TestMunicipalSection(t *testing.T) {
	p, err := mustDefaults(t).Apply([]byte(`{"municipalities": {"Den Haag": {
		"population": 570000,
		"lifeEvents": {"birth": {"localVolume": {"value": 6000, "source": "https://example.org/births"}}}
	}}}`))
	if err != nil {
		t.Fatal(err)
	}
	c, err := p.ForMunicipality("GM0518")
	if err != nil {
		t.Fatal(err)
	}
	if c.Municipality.Population != 570000 {
		t.Errorf("population = %d, want 570000", c.Municipality.Population)
	}
	r, err := Compute(c, p.DefaultOptions())
	if err != nil {
		t.Fatal(err)
	}
	if e := r.LifeEvents[0]; e.ID != Birth || e.Volume != 6000 || !e.LocalVolume {
		t.Errorf("birth = %s %v local %v, want 6000 local", e.ID, e.Volume, e.LocalVolume)
	}
	// Other municipalities are not affected.
	other, err := p.ForMunicipality("Utrecht")
	if err != nil {
		t.Fatal(err)
	}
	if other.Params.LifeEvents[Birth].LocalVolume != nil {
		t.Error("Utrecht got Den Haag's local volume")
	}
}

func TestCouplingsFromGaps(t *testing.T) {
	p := mustDefaults(t)
	cs, err := p.CouplingsFromGaps([]Gap{
		{ID: "gap-1", LifeEvent: Birth, Description: "BRP to JGZ", Status: StatusMissing, Standard: "Digikoppeling"},
		{ID: "gap-2", LifeEvent: Moving, Description: "BRP", Status: StatusAutomated},
		{ID: "gap-3", LifeEvent: Death, Description: "taxes", Status: StatusManual},
	})
	if err != nil {
		t.Fatal(err)
	}
	if len(cs) != 2 || cs[0].ID != "gap-1" || cs[1].ID != "gap-3" {
		t.Fatalf("couplings = %+v, want gap-1 and gap-3", cs)
	}
	if cs[0].OneOff != p.CouplingCostByStatus[StatusMissing].OneOff || cs[1].Yearly != p.CouplingCostByStatus[StatusManual].Yearly {
		t.Errorf("costs not taken from couplingCostByStatus: %+v", cs)
	}
	q, err := p.WithCouplings(cs)
	if err != nil {
		t.Fatal(err)
	}
	if len(q.Couplings) != 2 || len(p.Couplings) == 2 {
		t.Errorf("WithCouplings: got %d, receiver %d", len(q.Couplings), len(p.Couplings))
	}

	_, err = p.CouplingsFromGaps([]Gap{{ID: "g", LifeEvent: "wedding", Status: "broken"}})
	if err == nil || !errors.Is(err, ErrUnknownLifeEvent) || !strings.Contains(err.Error(), "gaps[0].status") {
		t.Errorf("bad gap error = %v", err)
	}
	_, err = p.WithCouplings([]Coupling{{ID: "c", LifeEvent: Birth, OneOff: Figure{Value: -1, Source: "x"}, Yearly: Figure{Source: "x"},
		Shares: Shares{Local: 1, Source: "x"}}})
	if err == nil || !strings.Contains(err.Error(), "couplings[c].oneOff: must not be negative") {
		t.Errorf("WithCouplings error = %v", err)
	}
}
