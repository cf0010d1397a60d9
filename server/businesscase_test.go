package server_test

import (
	"encoding/xml"
	"io"
	"math"
	"net/http"
	"slices"
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
	h.Query(t, `{
		businessCase(municipality: "Utrecht", horizonYears: 10) {
			municipality { code population } total { breakEvenYear netPresentValue years { year } } lifeEvents { lifeEvent } chartUrl }
		scaleCheck { classes { id municipalities } total { municipalities population }
			smallestShared { municipality { name } } small: municipalities(sizeClass: "lt10k") { sizeClass } chartUrl }
	}`, nil).Decode(t, &got)
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
		resp, err := http.Get(h.AdminURL + u)
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

// The business case and the scale check answer both questions through the
// hub: do couplings pay, and does being the front office for all of
// government pay, without and with compensation.
func TestFrontOfficeQueries(t *testing.T) {
	h := newTestHub(t)
	type flow struct {
		Balance, ExtraCost, Compensation float64
		BreakEvenYear                    *int
	}
	type agency struct {
		ID               string
		NationalContacts *float64
	}
	type shift struct {
		CompensationPerContact, CompensationShare       float64
		Contacts, ExtraCost, AgencySaving, Compensation float64
		Agencies                                        []agency
		BreakEvenCompensationPerContact                 *float64
	}
	type need struct{ Median, Highest float64 }
	var got struct {
		BusinessCase struct {
			Total, FrontOffice, Compensated flow
			Shift                           shift
			LifeEvents                      []struct {
				LifeEvent         string
				NormContactsToday float64
				ServiceNorms      []struct{ Key string }
				ShiftedContacts   float64
			}
			Items []struct{ Kind string }
		}
		ScaleCheck struct {
			Answers []struct {
				Scenario       string
				BreakEven      int
				Municipalities int
				Answer         string
			}
			National struct {
				ShiftedContacts, ExtraCost, AgencySaving float64
				Balances                                 []struct {
					Scenario string
					Balance  float64
				}
				PerContactEvery *float64
			}
			Total struct {
				Shared, FrontOffice, Compensated struct{ Count int }
				CompensationPerContact           need
			}
			Small []struct {
				FrontOffice                     struct{ BreakEvenYear *int }
				BreakEvenCompensationPerContact *float64
			} `json:"small"`
		}
	}
	h.Query(t, `{
		businessCase(municipality: "Zwolle", compensationPerContact: 1.5, compensationShare: 0.5) {
			total { balance extraCost compensation breakEvenYear } frontOffice { balance extraCost compensation breakEvenYear }
			compensated { balance extraCost compensation breakEvenYear }
			shift { compensationPerContact compensationShare contacts extraCost agencySaving compensation agencies { id nationalContacts } breakEvenCompensationPerContact }
			lifeEvents { lifeEvent normContactsToday serviceNorms { key } shiftedContacts }
			items { kind }
		}
		scaleCheck {
			answers { scenario breakEven municipalities answer }
			national { shiftedContacts extraCost agencySaving balances { scenario balance } perContactEvery }
			total { shared { count } frontOffice { count } compensated { count } compensationPerContact { median highest } }
			small: municipalities(sizeClass: "lt10k") { frontOffice { breakEvenYear } breakEvenCompensationPerContact }
		}
	}`, nil).Decode(t, &got)
	bc := got.BusinessCase
	if bc.Total.ExtraCost != 0 || bc.FrontOffice.ExtraCost <= 0 || bc.Compensated.Compensation <= 0 ||
		bc.FrontOffice.Balance != bc.Total.Balance-bc.FrontOffice.ExtraCost ||
		math.Abs(bc.Compensated.Balance-(bc.FrontOffice.Balance+bc.Compensated.Compensation)) > 0.005 {
		t.Errorf("flows: total %+v, front office %+v, compensated %+v", bc.Total, bc.FrontOffice, bc.Compensated)
	}
	if s := bc.Shift; s.CompensationPerContact != 1.5 || s.CompensationShare != 0.5 || s.Contacts <= 0 ||
		math.Abs(s.Compensation-(1.5*s.Contacts+0.5*s.AgencySaving)) > 0.02 || s.BreakEvenCompensationPerContact == nil {
		t.Errorf("shift = %+v", s)
	}
	uwv := slices.IndexFunc(bc.Shift.Agencies, func(a agency) bool { return a.ID == "uwv" })
	if uwv < 0 || bc.Shift.Agencies[uwv].NationalContacts == nil {
		t.Errorf("agencies = %+v", bc.Shift.Agencies)
	}
	if len(bc.LifeEvents) != 8 || len(bc.LifeEvents[0].ServiceNorms) == 0 || bc.LifeEvents[0].NormContactsToday <= 0 || bc.LifeEvents[0].ShiftedContacts <= 0 {
		t.Errorf("life events = %+v", bc.LifeEvents[0])
	}
	if !slices.ContainsFunc(bc.Items, func(i struct{ Kind string }) bool { return i.Kind == "FLOOR" }) {
		t.Error("no floor item")
	}

	sc := got.ScaleCheck
	want := []string{"COUPLINGS", "FRONT_OFFICE", "COMPENSATED"}
	counts := []int{sc.Total.Shared.Count, sc.Total.FrontOffice.Count, sc.Total.Compensated.Count}
	if len(sc.Answers) != 3 {
		t.Fatalf("answers = %+v", sc.Answers)
	}
	for i, a := range sc.Answers {
		if a.Scenario != want[i] || a.BreakEven != counts[i] || a.Municipalities != 342 || !strings.Contains(a.Answer, "of 342") {
			t.Errorf("answer %d = %+v, want %s with %d", i, a, want[i], counts[i])
		}
	}
	if n := sc.National; n.ShiftedContacts <= 0 || n.ExtraCost <= 0 || n.AgencySaving <= 0 || len(n.Balances) != 3 || n.PerContactEvery == nil ||
		*n.PerContactEvery != sc.Total.CompensationPerContact.Highest {
		t.Errorf("national = %+v, total need %+v", n, sc.Total.CompensationPerContact)
	}
	if len(sc.Small) != 11 {
		t.Fatalf("%d municipalities under 10k", len(sc.Small))
	}
	for _, m := range sc.Small {
		if m.FrontOffice.BreakEvenYear != nil || m.BreakEvenCompensationPerContact == nil || *m.BreakEvenCompensationPerContact <= 0 {
			t.Errorf("a small municipality: %+v", m)
		}
	}
}

func TestSensitivityQueries(t *testing.T) {
	h := newTestHub(t)
	type outcome struct {
		NetPresentValue float64
		BreakEvenYear   *int
	}
	var got struct {
		Tornado struct {
			Municipality struct{ Code string }
			Scenario     string
			Base         outcome
			Bars         []struct {
				Group     string
				Figures   int
				Low, High outcome
				Swing     float64
			}
			ChartURL string
		}
		Uncertainty struct {
			Municipalities int
			Scenarios      []struct {
				Scenario string
				Counts   []struct {
					Assumption string
					BreakEven  int
					Share      float64
					Smallest   *struct{ Population int }
				}
			}
			ChartURL string
		}
	}
	h.Query(t, `{
		tornado(municipality: "Deventer", scenario: COMPENSATED) {
			municipality { code } scenario base { netPresentValue breakEvenYear }
			bars { group figures low { netPresentValue breakEvenYear } high { netPresentValue breakEvenYear } swing } chartUrl }
		uncertainty { municipalities scenarios { scenario counts { assumption breakEven share smallest { population } } } chartUrl }
	}`, nil).Decode(t, &got)
	tor := got.Tornado
	if tor.Municipality.Code != "GM0150" || tor.Scenario != "COMPENSATED" || len(tor.Bars) < 20 {
		t.Fatalf("tornado = %s %s with %d bars", tor.Municipality.Code, tor.Scenario, len(tor.Bars))
	}
	for i, b := range tor.Bars {
		if math.Abs(b.Swing-math.Abs(b.High.NetPresentValue-b.Low.NetPresentValue)) > 0.005 || (i > 0 && b.Swing > tor.Bars[i-1].Swing) {
			t.Errorf("bar %d = %+v", i, b)
		}
	}
	u := got.Uncertainty
	if u.Municipalities != 342 || len(u.Scenarios) != 3 {
		t.Fatalf("uncertainty = %+v", u)
	}
	for _, s := range u.Scenarios {
		if len(s.Counts) != 3 || s.Counts[0].Assumption != "LOW" || s.Counts[2].Assumption != "HIGH" ||
			s.Counts[0].BreakEven > s.Counts[1].BreakEven || s.Counts[1].BreakEven > s.Counts[2].BreakEven {
			t.Errorf("%s: %+v", s.Scenario, s.Counts)
		}
	}
	for _, u := range []string{tor.ChartURL, u.ChartURL} {
		resp, err := http.Get(h.AdminURL + u)
		if err != nil {
			t.Fatal(err)
		}
		b, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		if resp.StatusCode != 200 || resp.Header.Get("Content-Type") != "image/svg+xml" {
			t.Fatalf("GET %s = %d %s", u, resp.StatusCode, b)
		}
		if err := xml.Unmarshal(b, new(struct{ XMLName xml.Name })); err != nil {
			t.Fatalf("GET %s is not XML: %v", u, err)
		}
	}
	resp, _ := http.Get(h.AdminURL + "/charts/business-case/GM0150/tornado.svg?scenario=everything")
	b, _ := io.ReadAll(resp.Body)
	if resp.StatusCode != 400 || !strings.Contains(string(b), "unknown scenario") {
		t.Errorf("bad scenario chart = %d %s", resp.StatusCode, b)
	}
}

func TestBusinessCaseBadParameters(t *testing.T) {
	h := newTestHub(t)
	tests := []struct{ name, query, want string }{
		{"unknown municipality", `{ businessCase(municipality: "Atlantis") { total { balance } } }`, "municipality"},
		{"negative volume", `{ businessCase(municipality: "Utrecht", overrides: {lifeEvents: {birth: {volume: {value: -5}}}}) { total { balance } } }`, "overrides"},
		{"horizon", `{ businessCase(municipality: "Utrecht", horizonYears: 0) { total { balance } } }`, "options"},
		{"negative compensation", `{ scaleCheck(compensationShare: -0.5) { total { municipalities } } }`, "options"},
		{"unknown municipality in the tornado", `{ tornado(municipality: "Atlantis") { base { balance } } }`, "municipality"},
		{"an unsourced estimate without a range", `{ uncertainty(overrides: {regionPopulation: {value: 1, source: "unsourced estimate"}}) { municipalities } }`, "overrides"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := h.Query(t, tt.query, nil)
			if len(r.Errors) != 1 || r.Errors[0].Extensions["code"] != "BAD_USER_INPUT" || r.Errors[0].Extensions["argument"] != tt.want {
				t.Fatalf("errors = %+v", r.Errors)
			}
		})
	}
	resp, _ := http.Get(h.AdminURL + "/charts/business-case/Atlantis/cash-flow.svg")
	if resp.StatusCode != 404 {
		t.Errorf("unknown municipality chart = %d", resp.StatusCode)
	}
	resp, _ = http.Get(h.AdminURL + "/charts/scale-check/break-even-by-size.svg?horizon=soon")
	b, _ := io.ReadAll(resp.Body)
	if resp.StatusCode != 400 || !strings.Contains(string(b), "horizon") {
		t.Errorf("bad horizon chart = %d %s", resp.StatusCode, b)
	}
}
