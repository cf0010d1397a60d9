package server

import (
	"encoding/xml"
	"io"
	"net/http"
	"strings"
	"testing"
)

func TestBusinessCaseQueries(t *testing.T) {
	h := newTestHub(t)
	var got struct {
		BusinessCase struct {
			Municipality struct {
				Code       string
				Population int
			}
			Total struct {
				BreakEvenYear   *int
				NetPresentValue float64
				Years           []struct{ Year int }
			}
			LifeEvents []struct{ LifeEvent string }
			ChartURL   string
		}
		ScaleCheck struct {
			Classes []struct {
				ID             string
				Municipalities int
			}
			Total          struct{ Municipalities, Population int }
			SmallestShared *struct{ Municipality struct{ Name string } }
			Small          []struct{ SizeClass string } `json:"small"`
			ChartURL       string
		}
	}
	h.query(t, `{
		businessCase(municipality: "Utrecht", horizonYears: 10) {
			municipality { code population } total { breakEvenYear netPresentValue years { year } } lifeEvents { lifeEvent } chartUrl }
		scaleCheck { classes { id municipalities } total { municipalities population }
			smallestShared { municipality { name } } small: municipalities(sizeClass: "lt10k") { sizeClass } chartUrl }
	}`, nil).decode(t, &got)
	bc := got.BusinessCase
	if bc.Municipality.Code != "GM0344" || bc.Municipality.Population < 300000 || len(bc.Total.Years) != 10 || len(bc.LifeEvents) != 8 {
		t.Fatalf("business case = %+v", bc)
	}
	sc := got.ScaleCheck
	if sc.Total.Municipalities != 342 || sc.Total.Population != 18_044_027 || len(sc.Classes) != 5 {
		t.Fatalf("scale check = %+v", sc)
	}
	sum := 0
	for _, c := range sc.Classes {
		sum += c.Municipalities
	}
	if sum != 342 || len(sc.Small) == 0 || sc.Small[0].SizeClass != "lt10k" {
		t.Fatalf("classes add to %d, small %d", sum, len(sc.Small))
	}
	for _, u := range []string{bc.ChartURL, sc.ChartURL} {
		resp, err := http.Get(h.adminURL + u)
		if err != nil {
			t.Fatal(err)
		}
		b, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		if resp.StatusCode != 200 || resp.Header.Get("Content-Type") != "image/svg+xml" {
			t.Fatalf("GET %s = %d %s", u, resp.StatusCode, resp.Header.Get("Content-Type"))
		}
		if err := xml.Unmarshal(b, new(struct{ XMLName xml.Name })); err != nil {
			t.Fatalf("GET %s is not XML: %v", u, err)
		}
	}
}

func TestBusinessCaseBadParameters(t *testing.T) {
	h := newTestHub(t)
	tests := []struct{ name, query, want string }{
		{"unknown municipality", `{ businessCase(municipality: "Atlantis") { total { balance } } }`, "municipality"},
		{"negative volume", `{ businessCase(municipality: "Utrecht", overrides: {lifeEvents: {birth: {volume: {value: -5}}}}) { total { balance } } }`, "overrides"},
		{"horizon", `{ businessCase(municipality: "Utrecht", horizonYears: 0) { total { balance } } }`, "options"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := h.query(t, tt.query, nil)
			if len(r.Errors) != 1 || r.Errors[0].Extensions["code"] != "BAD_USER_INPUT" || r.Errors[0].Extensions["argument"] != tt.want {
				t.Fatalf("errors = %+v", r.Errors)
			}
		})
	}
	resp, _ := http.Get(h.adminURL + "/charts/business-case/Atlantis/cash-flow.svg")
	if resp.StatusCode != 404 {
		t.Errorf("unknown municipality chart = %d", resp.StatusCode)
	}
	resp, _ = http.Get(h.adminURL + "/charts/scale-check/break-even-by-size.svg?horizon=soon")
	b, _ := io.ReadAll(resp.Body)
	if resp.StatusCode != 400 || !strings.Contains(string(b), "horizon") {
		t.Errorf("bad horizon chart = %d %s", resp.StatusCode, b)
	}
}
