package lifeevents

import (
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"
	"testing/fstest"
)

// embeddedFS returns a writable copy of the embedded catalogue's files.
func embeddedFS(t *testing.T) fstest.MapFS {
	t.Helper()
	sub, err := fs.Sub(embedded, "data")
	if err != nil {
		t.Fatal(err)
	}
	out := fstest.MapFS{}
	err = fs.WalkDir(sub, ".", func(path string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		b, err := fs.ReadFile(sub, path)
		out[path] = &fstest.MapFile{Data: b}
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	return out
}

// brokenFS lays the files of testdata/broken/<name> over the embedded
// catalogue.
func brokenFS(t *testing.T, name string) fstest.MapFS {
	t.Helper()
	out := embeddedFS(t)
	dir := filepath.Join("testdata", "broken", name)
	err := filepath.WalkDir(dir, func(path string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		b, err := os.ReadFile(path)
		rel, _ := filepath.Rel(dir, path)
		out[filepath.ToSlash(rel)] = &fstest.MapFile{Data: b}
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	return out
}

func problemsOf(t *testing.T, err error) []string {
	t.Helper()
	var ve *ValidationError
	if !errors.As(err, &ve) {
		t.Fatalf("error %v is not a *ValidationError", err)
	}
	out := make([]string, len(ve.Problems))
	for i, p := range ve.Problems {
		out[i] = p.String()
	}
	return out
}

func TestLoadEmbedded(t *testing.T) {
	c, err := LoadEmbedded(realSchema(t))
	if err != nil {
		t.Fatal(err)
	}
	var ids []string
	for _, e := range c.Events() {
		ids = append(ids, e.ID)
		if len(e.Steps) < 3 {
			t.Errorf("%s: only %d steps", e.ID, len(e.Steps))
		}
		if e.Name.NL == "" || e.Name.EN == "" || e.Trigger.Description == "" {
			t.Errorf("%s: name or trigger empty", e.ID)
		}
		for _, s := range e.Steps {
			for _, n := range s.Needs {
				if len(n.Registries) == 0 || n.Hops[len(n.Hops)-1].Registry == "" {
					t.Errorf("%s/%s: need %s traces to no registry", e.ID, s.ID, n.Path)
				}
			}
		}
	}
	if !slices.Equal(ids, EventIDs()) {
		t.Fatalf("events %v, want %v", ids, EventIDs())
	}

	// Every organisation of the design's list of chain partners, and the
	// ones the events need besides.
	for _, id := range []string{
		"uwv", "waste-services", "kadaster", "water-boards", "other-public-bodies", "provinces", "rdw",
		"ministries", "fire-service", "police", "duo", "belastingdienst", "judiciary", "advisory-boards",
		"svb", "housing-corporations", "schools", "kvk",
		"toeslagen", "health-insurers", "cak", "ciz", "ggd", "rivm", "rvig", "omgevingsdienst",
	} {
		if _, ok := c.Partner(id); !ok {
			t.Errorf("partner %q missing", id)
		}
	}

	// The facts that matter per event.
	for event, needs := range map[string][]string{
		"birth":                      {"parents.name", "parents.address", "parents.nationalities"},
		"becoming-unemployed":        {"employments.employer.name", "employments.end", "benefits.firstDayOfUnemployment"},
		"becoming-dependent-on-care": {"household.name", "address.residentialObject.surface", "address.buildings.yearBuilt"},
		"starting-a-business":        {"activities.code", "mainBranch.address.id", "branches.address.residentialObject.uses"},
		"travel":                     {"travelDocuments.expires", "drivingLicences.expires"},
		"renovation":                 {"residentialObject.surface", "buildings.yearBuilt"},
	} {
		e, _ := c.Event(event)
		var have []string
		for _, s := range e.Steps {
			for _, n := range s.Needs {
				have = append(have, n.Path)
			}
		}
		for _, n := range needs {
			if !slices.Contains(have, n) {
				t.Errorf("%s: no step needs %s", event, n)
			}
		}
	}
	e, _ := c.Event("starting-a-business")
	if s, ok := e.Step("kvk-registration"); !ok || s.Partner != "kvk" {
		t.Errorf("starting-a-business: no KvK registration step with partner kvk")
	}

	// A need traces through every registry on its path.
	e, _ = c.Event("becoming-unemployed")
	s, _ := e.Step("situation")
	if got := s.Needs[0]; got.Path != "employments.employer.name" || !slices.Equal(got.Registries, []string{"UWV", "NHR"}) {
		t.Errorf("need %s traces to %v, want UWV, NHR", got.Path, got.Registries)
	}
}

// Every event has a citizen-facing step with published service norms, and
// a norm reads back as written.
func TestLoadEmbeddedServiceNorms(t *testing.T) {
	c, err := LoadEmbedded(realSchema(t))
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range c.Events() {
		normed := false
		for _, s := range e.Steps {
			for _, n := range s.ServiceNorms {
				if n.Channel != "" && !slices.Contains(s.Channels, n.Channel) {
					t.Errorf("%s/%s: norm %s on a channel the step does not take", e.ID, s.ID, n)
				}
				if len(n.Sources) == 0 && !n.Unsourced {
					t.Errorf("%s/%s: norm %s without provenance", e.ID, s.ID, n)
				}
				normed = normed || s.CitizenFacing()
			}
		}
		if !normed {
			t.Errorf("%s: no citizen-facing step with a service norm", e.ID)
		}
	}
	e, _ := c.Event("birth")
	s, _ := e.Step("benefits-status")
	i := slices.IndexFunc(s.ServiceNorms, func(n ServiceNorm) bool { return n.Key() == "phone-pick-up" })
	if i < 0 {
		t.Fatalf("birth/benefits-status has no phone pick-up norm: %v", s.ServiceNorms)
	}
	if got := s.ServiceNorms[i].String(); got != "phone pick-up within 25 seconds (100 %)" {
		t.Errorf("norm = %q", got)
	}
	e, _ = c.Event("becoming-dependent-on-care")
	s, _ = e.Step("wlz-indication")
	if len(s.ServiceNorms) != 1 || s.ServiceNorms[0].Key() != "decision" || s.ServiceNorms[0].String() != "decision within 6 weeks (100 %)" {
		t.Errorf("CIZ's norm = %v", s.ServiceNorms)
	}
}

func TestLoadBroken(t *testing.T) {
	schema := realSchema(t)
	for _, tc := range []struct {
		name string
		want []string
	}{
		{"unknown-field", []string{
			`events/birth.yaml:14: step "register-birth": need "parents.nmae": type Person has no field "nmae"`,
		}},
		{"unknown-partner", []string{
			`events/birth.yaml:11: step "register-birth": unknown partner "registry-office"`,
			`events/birth.yaml:20: step "child-benefit": unknown actor "child-benefit-office": neither front-office nor a partner id`,
		}},
		{"cycle", []string{
			`events/death.yaml:12: steps depend on each other in a cycle: report-death → contact-person → certificate → report-death`,
		}},
		{"duplicate-step", []string{
			`events/travel.yaml:18: event "travel": duplicate step id "application" (first on line 7)`,
		}},
		{"duplicate-event", []string{
			`events/birth-again.yaml:2: event "birth" must be in events/birth.yaml, not birth-again.yaml`,
			`events/birth.yaml:5: duplicate event id "birth" (also in events/birth-again.yaml:2)`,
		}},
		{"unknown-standard", []string{
			`events/moving.yaml:13: step "report-move" coupling: unknown standard "stuf-xl"`,
		}},
		{"bad-status", []string{
			`events/moving.yaml:14: step "report-move" coupling: unknown status "automatic"; use automated, partial, manual or missing`,
		}},
		{"later-step", []string{
			`events/renovation.yaml:12: step "intake" depends on step "application", which comes later; list steps in the order they are taken`,
			`events/renovation.yaml:12: step "intake" depends on unknown step "permit-check"`,
		}},
		{"bad-norms", []string{
			`events/travel.yaml:13: step "application" service norm: channel "email" is not one the step takes (desk, phone)`,
			`events/travel.yaml:14: step "application" service norm: unknown measure "shout"; use answer, pick-up, callback, wait, decision`,
			`events/travel.yaml:15: step "application" service norm: "within" must be a number greater than zero, not "soon"`,
			`events/travel.yaml:15: step "application" service norm: unknown unit "fortnights"; use seconds, minutes, hours, working-days, days, weeks`,
			`events/travel.yaml:15: step "application" service norm: "target" must be a share above 0 and at most 1, such as 0.8, not "1.5"`,
			`events/travel.yaml:16: step "application" service norm: missing sources (a list of URLs) or source: unsourced`,
			`events/travel.yaml:17: unknown field "colour" in step "application" service norm; known fields: channel, measure, within, unit, target, sources, source`,
			`events/travel.yaml:18: step "application" service norm: a second desk-wait norm (first on line 16)`,
		}},
		{"bad-rules", []string{
			`events/death.yaml:7: event "death" trigger fact: "death.place" is a CodeValue, not a Date: a trigger is a fact with a date`,
			`events/death.yaml:8: event "death" trigger fact: condition "len(vehicles) > \"one\"": invalid operation: > (mismatched types int and string) (1:15)`,
			`events/death.yaml:10: event "death" role "deceased": a role is exactly one of anchor: true, via: <path to the anchor> or reported: true`,
			`events/death.yaml:10: event "death": exactly one role must be the anchor's own (anchor: true), not 0`,
			`events/death.yaml:13: event "death" role "heir": via "companies.company" leads to a Company, not to the event's anchor, a Person`,
			`events/death.yaml:23: step "report-death" condition: condition "death.cause == \"natural\"": type Death has no field cause (1:7)`,
			`events/death.yaml:26: step "report-death" done: condition "name.fullName.Contains(\"x\")": type string has no method Contains (1:15)`,
			`events/death.yaml:28: step "report-death" learns: a provision names its standard, e.g. brp-spontaneous-provision`,
			`events/death.yaml:40: step "certificate" learns: only a step the front office takes is learnt by the front office; civil-affairs takes this one`,
			`events/death.yaml:41: step "certificate" learns: only a notification from the hub needs a legal basis`,
		}},
		{"unknown-event", []string{
			`events/marriage.yaml:1: unknown life event "marriage"; the catalogue has exactly these: birth, starting-a-business, renovation, travel, becoming-unemployed, becoming-dependent-on-care, moving, death`,
		}},
		{"many-problems", []string{
			`events/becoming-unemployed.yaml:2: event "becoming-unemployed" name: missing required field "en"`,
			`events/becoming-unemployed.yaml:3: event "becoming-unemployed": unknown subject kind "CITIZEN"; use PERSON, COMPANY or ADDRESS`,
			`events/becoming-unemployed.yaml:6: event "becoming-unemployed": source "www.uwv.nl" is not an http(s) URL`,
			`events/becoming-unemployed.yaml:8: step "situation": missing required field "name"`,
			`events/becoming-unemployed.yaml:10: step "situation": unknown channel "fax"; use desk, phone, web, post, email, chat, app`,
			`events/becoming-unemployed.yaml:12: unknown field "colour" in a step; known fields: id, name, actor, channels, partner, needs, condition, done, learns, inputs, dependsOn, coupling, serviceNorms, note`,
			`events/becoming-unemployed.yaml:14: step "situation" coupling: missing required field "closes": say what would close a partial coupling`,
			`events/becoming-unemployed.yaml:22: step "ww-decision": channel "chat" is not one its actor "uwv" offers (web, phone, desk, post)`,
			`events/becoming-unemployed.yaml:24: step "ww-decision" depends on unknown step "intake"`,
			`events/becoming-unemployed.yaml:26: step "ww-decision" coupling: missing required field "standard" (only a missing coupling may lack a standard)`,
			`events/becoming-unemployed.yaml:26: step "ww-decision" coupling: missing required field "closes": say what would close a manual coupling`,
			`events/becoming-unemployed.yaml:26: step "ww-decision" coupling: missing sources (a list of URLs) or source: unsourced`,
		}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := Load(brokenFS(t, tc.name), schema)
			if err == nil {
				t.Fatal("loaded a broken catalogue")
			}
			got := problemsOf(t, err)
			for _, w := range tc.want {
				if !slices.Contains(got, w) {
					t.Errorf("missing problem\n  %s\ngot:\n  %s", w, strings.Join(got, "\n  "))
				}
			}
			if len(got) != len(tc.want) {
				t.Errorf("%d problems, want %d:\n  %s", len(got), len(tc.want), strings.Join(got, "\n  "))
			}
		})
	}
}

// TestLoadDuplicatePartnerAndStandard appends a second entry with an
// existing id to the partners and standards files.
func TestLoadDuplicatePartnerAndStandard(t *testing.T) {
	fsys := embeddedFS(t)
	appendTo := func(name, text string) int {
		f := fsys[name]
		line := strings.Count(string(f.Data), "\n") + 1
		f.Data = append(f.Data, text...)
		return line
	}
	pl := appendTo("partners.yaml", "  - id: uwv\n    name: {nl: UWV, en: UWV}\n    kind: both\n    channels: [web]\n    source: unsourced\n")
	sl := appendTo("standards.yaml", "  - id: stuf\n    name: StUF\n    description: Again.\n    source: unsourced\n")
	_, err := Load(fsys, realSchema(t))
	got := problemsOf(t, err)
	want := []string{
		"partners.yaml:" + strconv.Itoa(pl) + `: duplicate partner id "uwv" (first on line ` + strconv.Itoa(lineWith(t, fsys, "partners.yaml", "- id: uwv")) + ")",
		"standards.yaml:" + strconv.Itoa(sl) + `: duplicate standard id "stuf" (first on line ` + strconv.Itoa(lineWith(t, fsys, "standards.yaml", "- id: stuf")) + ")",
	}
	if !slices.Equal(got, want) {
		t.Errorf("problems:\n  %s\nwant:\n  %s", strings.Join(got, "\n  "), strings.Join(want, "\n  "))
	}
}

func TestLoadMissingFilesAndSyntax(t *testing.T) {
	fsys := embeddedFS(t)
	delete(fsys, "events/death.yaml")
	delete(fsys, "standards.yaml")
	fsys["events/travel.yaml"] = &fstest.MapFile{Data: []byte("id: travel\nsteps: [\n")}
	_, err := Load(fsys, realSchema(t))
	got := problemsOf(t, err)
	for _, w := range []string{
		`events/death.yaml: missing life event "death"`,
		`standards.yaml: file missing`,
		`events/travel.yaml: missing life event "travel"`,
	} {
		if !slices.Contains(got, w) {
			t.Errorf("missing %s in\n  %s", w, strings.Join(got, "\n  "))
		}
	}
	var syntax bool
	for _, p := range got {
		syntax = syntax || strings.HasPrefix(p, "events/travel.yaml:") && strings.Contains(p, "invalid YAML")
	}
	if !syntax {
		t.Errorf("no syntax problem for events/travel.yaml in\n  %s", strings.Join(got, "\n  "))
	}
	// With the standards gone every coupling's standard is unknown too;
	// problems are many but each carries its place.
	if !strings.Contains(err.Error(), "invalid life-event catalogue (") {
		t.Errorf("error = %.80s", err)
	}
}

func TestLoadEmbeddedNamesRepositoryPaths(t *testing.T) {
	fsys := embeddedFS(t)
	fsys["events/birth.yaml"].Data = append(fsys["events/birth.yaml"].Data, "extra: 1\n"...)
	// Through load with the embedded prefix, as LoadEmbedded reports.
	_, err := load(fsys, embeddedPrefix, realSchema(t))
	if got := problemsOf(t, err); len(got) != 1 || !strings.HasPrefix(got[0], "lifeevents/data/events/birth.yaml:") {
		t.Errorf("problems = %v", got)
	}
}

// lineWith returns the number of the first line of a file holding text.
func lineWith(t *testing.T, fsys fstest.MapFS, name, text string) int {
	t.Helper()
	for i, l := range strings.Split(string(fsys[name].Data), "\n") {
		if strings.Contains(l, text) {
			return i + 1
		}
	}
	t.Fatalf("%s holds no %q", name, text)
	return 0
}
