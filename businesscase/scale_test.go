package businesscase

import (
	"math"
	"testing"
)

// TestScaleCheckAllMunicipalities runs the scale check over all 342
// municipalities and checks that its totals add up to the national figures.
func TestScaleCheckAllMunicipalities(t *testing.T) {
	p := mustDefaults(t)
	opts := p.DefaultOptions()
	s, err := ScaleCheck(p, opts)
	if err != nil {
		t.Fatal(err)
	}
	if len(s.Municipalities) != 342 || s.Total.Municipalities != 342 {
		t.Fatalf("%d municipalities (total %d), want 342", len(s.Municipalities), s.Total.Municipalities)
	}

	// Size classes, as counted in the reference (§4.2).
	wantCount := map[string]int{"lt10k": 11, "10k-20k": 55, "20k-50k": 180, "50k-100k": 64, "ge100k": 32}
	count, population := 0, 0
	volumes := map[string]float64{}
	aloneCount, sharedCount := 0, 0
	var aloneNPV, sharedNPV Cents
	for _, c := range s.Classes {
		if c.Municipalities != wantCount[c.Class.ID] {
			t.Errorf("class %s: %d municipalities, want %d", c.Class.Label, c.Municipalities, wantCount[c.Class.ID])
		}
		count += c.Municipalities
		population += c.Population
		for id, v := range c.Volumes {
			volumes[id] += v
		}
		aloneCount += c.Alone.Count
		sharedCount += c.Shared.Count
		aloneNPV += c.Alone.NPV
		sharedNPV += c.Shared.NPV
		byYear := 0
		for _, y := range c.Shared.ByYear {
			byYear += y.Count
			if y.Year < opts.StartYear || y.Year >= opts.StartYear+opts.HorizonYears {
				t.Errorf("class %s: break-even year %d outside the horizon", c.Class.Label, y.Year)
			}
		}
		if byYear != c.Shared.Count {
			t.Errorf("class %s: by-year counts add up to %d, want %d", c.Class.Label, byYear, c.Shared.Count)
		}
		if c.Shared.Count > 0 && !(c.Shared.Earliest <= c.Shared.Median && c.Shared.Median <= c.Shared.Latest) {
			t.Errorf("class %s: earliest %d, median %d, latest %d", c.Class.Label, c.Shared.Earliest, c.Shared.Median, c.Shared.Latest)
		}
	}
	if count != 342 || population != 18_044_027 || s.Total.Population != 18_044_027 {
		t.Errorf("classes hold %d municipalities and %d inhabitants, total %d; want 342 and 18,044,027", count, population, s.Total.Population)
	}
	if aloneCount != s.Total.Alone.Count || sharedCount != s.Total.Shared.Count || aloneNPV != s.Total.Alone.NPV || sharedNPV != s.Total.Shared.NPV {
		t.Errorf("class break-evens %d/%d (NPV %v/%v) do not add up to the total %d/%d (%v/%v)",
			aloneCount, sharedCount, aloneNPV, sharedNPV, s.Total.Alone.Count, s.Total.Shared.Count, s.Total.Alone.NPV, s.Total.Shared.NPV)
	}

	// Volumes are scaled fractions of the national ones, so they add up to
	// them up to float rounding.
	for _, id := range LifeEventIDs() {
		national := p.LifeEvents[id].NationalVolume.Value
		for name, got := range map[string]float64{"classes": volumes[id], "total": s.Total.Volumes[id]} {
			if math.Abs(got-national) > 1e-6 {
				t.Errorf("%s: %s add up to %.9f events, want the national %v", id, name, got, national)
			}
		}
	}

	// Each municipality's part of the national shares adds up to the
	// national share itself, up to half a cent per line rounded.
	lines := int64(len(s.Municipalities) * (len(p.Couplings) + len(p.Investments)))
	if d := int64(s.NationalOneOffCarried - s.NationalOneOffCost); d < -lines/2 || d > lines/2 {
		t.Errorf("national one-off carried %v, cost %v", s.NationalOneOffCarried, s.NationalOneOffCost)
	}

	// Sharing never makes a municipality worse off, so the smallest to
	// break even sharing is no larger than the smallest alone.
	for _, m := range s.Municipalities {
		if m.Shared.NPV < m.Alone.NPV {
			t.Errorf("%s: NPV shared %v below alone %v", m.Municipality.Name, m.Shared.NPV, m.Alone.NPV)
		}
		if m.Alone.BreakEvenYear != 0 && (m.Shared.BreakEvenYear == 0 || m.Shared.BreakEvenYear > m.Alone.BreakEvenYear) {
			t.Errorf("%s: breaks even alone in %d but shared in %d", m.Municipality.Name, m.Alone.BreakEvenYear, m.Shared.BreakEvenYear)
		}
	}
	if s.SmallestShared == nil {
		t.Fatal("no municipality breaks even with shared investments")
	}
	if s.SmallestAlone != nil && s.SmallestAlone.Municipality.Population < s.SmallestShared.Municipality.Population {
		t.Errorf("smallest alone %v is smaller than smallest shared %v", s.SmallestAlone.Municipality, s.SmallestShared.Municipality)
	}
	for _, m := range s.Municipalities {
		if m.Shared.BreakEvenYear != 0 && m.Municipality.Population < s.SmallestShared.Municipality.Population {
			t.Errorf("%s breaks even shared and is smaller than the reported smallest %s", m.Municipality.Name, s.SmallestShared.Municipality.Name)
		}
	}
}

func TestScaleCheckHonoursMunicipalSections(t *testing.T) {
	p, err := mustDefaults(t).Apply([]byte(`{"municipalities": {"Schiermonnikoog": {"population": 2000000}}}`))
	if err != nil {
		t.Fatal(err)
	}
	s, err := ScaleCheck(p, p.DefaultOptions())
	if err != nil {
		t.Fatal(err)
	}
	for _, m := range s.Municipalities {
		if m.Municipality.Code == "GM0088" {
			if m.Municipality.Population != 2_000_000 || m.Class != "ge100k" || m.Alone.BreakEvenYear == 0 {
				t.Errorf("Schiermonnikoog with 2 M inhabitants: %+v", m)
			}
			return
		}
	}
	t.Error("Schiermonnikoog missing")
}

func TestScaleCheckRejectsBadOptions(t *testing.T) {
	p := mustDefaults(t)
	opts := p.DefaultOptions()
	opts.HorizonYears = -1
	if _, err := ScaleCheck(p, opts); err == nil {
		t.Error("ScaleCheck accepted a negative horizon")
	}
}
