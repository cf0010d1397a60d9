package lifeevents

import (
	"bytes"
	"encoding/json"
	"fmt"
	"strings"
	"testing"
	"time"
)

func TestExportDiagrams(t *testing.T) {
	c := loadCatalogue(t)
	health := healthy(t)
	health[4].ErrorRate, health[4].Calls = 0.5, 10 // UWV
	r, err := NewReport(c, ReportOptions{Health: health})
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range []Format{FormatMermaid, FormatDOT} {
		t.Run(string(f), func(t *testing.T) {
			var b bytes.Buffer
			if err := Export(&b, f, c, r); err != nil {
				t.Fatal(err)
			}
			out := b.String()
			for _, e := range c.Events() {
				if !strings.Contains(out, diagramID("ev", e.ID)) || !strings.Contains(out, e.Name.EN) {
					t.Errorf("event %s not drawn", e.ID)
				}
				for _, s := range e.Steps {
					if !strings.Contains(out, diagramID(e.ID, s.ID)) {
						t.Errorf("step %s/%s not drawn", e.ID, s.ID)
					}
				}
			}
			for _, sc := range statusColours() {
				if !strings.Contains(out, sc.stroke) {
					t.Errorf("colour of %s missing", sc.class)
				}
				if f == FormatMermaid && !strings.Contains(out, "classDef "+sc.class+" ") {
					t.Errorf("classDef %s missing", sc.class)
				}
			}
			// The UWV steps are drawn as live gaps.
			live := diagramID("becoming-unemployed", "situation")
			want := live + `["1. Establish the situation: last employment, employer and WW benefit"]:::live`
			if f == FormatDOT {
				want = live + ` [label="1. Establish the situation: last employment, employer and WW benefit", class="live"`
			}
			if !strings.Contains(out, want) {
				t.Errorf("no live step %q", want)
			}
		})
	}
}

func TestMermaidLinkStyles(t *testing.T) {
	c := loadCatalogue(t)
	r, _ := NewReport(c, ReportOptions{Events: []string{"travel"}})
	var b bytes.Buffer
	if err := Export(&b, FormatMermaid, c, r); err != nil {
		t.Fatal(err)
	}
	// Every edge is counted: linkStyle indices must point at the partner
	// edges, which are the ones with a label.
	var edges []string
	for _, l := range strings.Split(b.String(), "\n") {
		if strings.Contains(l, "-->") {
			edges = append(edges, l)
		}
	}
	styled := 0
	for _, l := range strings.Split(b.String(), "\n") {
		var i int
		var rest string
		if n, _ := fmt.Sscanf(strings.TrimSpace(l), "linkStyle %d %s", &i, &rest); n == 2 {
			styled++
			if i >= len(edges) || !strings.Contains(edges[i], ` -- "`) {
				t.Errorf("linkStyle %d styles %q", i, edges[i])
			}
		}
	}
	e, _ := c.Event("travel")
	if styled != len(e.Steps) {
		t.Errorf("%d styled edges, want %d", styled, len(e.Steps))
	}
}

func TestExportJSONRoundTrip(t *testing.T) {
	c := loadCatalogue(t)
	health := healthy(t)
	health[0].Breaker = BreakerOpen
	r, err := NewReport(c, ReportOptions{Health: health, Absent: []string{"RDW"}})
	if err != nil {
		t.Fatal(err)
	}
	var first bytes.Buffer
	if err := Export(&first, FormatJSON, c, r); err != nil {
		t.Fatal(err)
	}
	var doc Document
	if err := json.Unmarshal(first.Bytes(), &doc); err != nil {
		t.Fatal(err)
	}
	if len(doc.Catalogue.EventList) != 8 || len(doc.GapReport.Gaps) != len(r.Gaps) {
		t.Fatalf("decoded %d events, %d gaps", len(doc.Catalogue.EventList), len(doc.GapReport.Gaps))
	}
	if doc.GapReport.Health[0].Window != 5*time.Minute || doc.GapReport.Thresholds.LatencyBudget != 2*time.Second {
		t.Errorf("durations did not survive: %+v %+v", doc.GapReport.Health[0], doc.GapReport.Thresholds)
	}
	var second bytes.Buffer
	enc := json.NewEncoder(&second)
	enc.SetIndent("", "  ")
	if err := enc.Encode(doc); err != nil {
		t.Fatal(err)
	}
	if first.String() != second.String() {
		t.Error("JSON does not round-trip")
	}
	if !strings.Contains(first.String(), `"p95Ms": 80`) {
		t.Error("durations are not written as duration strings")
	}
}

func TestExportSubset(t *testing.T) {
	c := loadCatalogue(t)
	r, err := NewReport(c, ReportOptions{Events: []string{"renovation"}})
	if err != nil {
		t.Fatal(err)
	}
	var b bytes.Buffer
	if err := Export(&b, FormatJSON, c, r); err != nil {
		t.Fatal(err)
	}
	var doc Document
	if err := json.Unmarshal(b.Bytes(), &doc); err != nil {
		t.Fatal(err)
	}
	if len(doc.Catalogue.EventList) != 1 || doc.Catalogue.EventList[0].ID != "renovation" {
		t.Fatalf("events = %d", len(doc.Catalogue.EventList))
	}
	for _, p := range doc.Catalogue.PartnerList {
		if p.ID == "svb" {
			t.Error("renovation's subset lists SVB")
		}
	}
	if len(doc.Catalogue.PartnerList) == 0 || len(doc.Catalogue.StandardList) == 0 {
		t.Error("subset without partners or standards")
	}
}

// TestHealthJSON: a registry's health is read and written with the
// schema's field names and durations in milliseconds; a negative or
// non-numeric duration is refused with its key named.
func TestHealthJSON(t *testing.T) {
	var h RegistryHealth
	if err := json.Unmarshal([]byte(`{"registry":"NHR","errorRate":0.45,"p95Ms":900,"breaker":"closed","calls":40,"windowMs":300000}`), &h); err != nil {
		t.Fatal(err)
	}
	if h.P95 != 900*time.Millisecond || h.Window != 5*time.Minute || h.Calls != 40 {
		t.Fatalf("health = %+v", h)
	}
	b, err := json.Marshal(h)
	if err != nil || !strings.Contains(string(b), `"p95Ms":900`) || !strings.Contains(string(b), `"windowMs":300000`) {
		t.Fatalf("marshal = %s, %v", b, err)
	}
	for _, in := range []string{`{"registry":"NHR","p95Ms":-1}`, `{"registry":"NHR","windowMs":-5}`} {
		if err := json.Unmarshal([]byte(in), &h); err == nil || !strings.Contains(err.Error(), "Ms") {
			t.Errorf("%s: err = %v, want the key refused", in, err)
		}
	}
	var th Thresholds
	if err := json.Unmarshal([]byte(`{"maxErrorRate":0.2,"minCalls":5,"latencyBudgetMs":2000}`), &th); err != nil || th.LatencyBudget != 2*time.Second {
		t.Fatalf("thresholds = %+v, %v", th, err)
	}
}
