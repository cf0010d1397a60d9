package businesscase

import (
	"os"
	"path/filepath"
	"slices"
	"testing"
)

func applyFile(t *testing.T, p *Parameters, name string) *Parameters {
	t.Helper()
	doc, err := os.ReadFile(name)
	if err != nil {
		t.Fatal(err)
	}
	q, err := p.Apply(doc)
	if err != nil {
		t.Fatalf("%s: %v", name, err)
	}
	return q
}

// The example overrides in docs/business-case.md stay valid and do what the
// text says.
func TestExampleOverrides(t *testing.T) {
	p := mustDefaults(t)

	q := applyFile(t, p, "testdata/utrecht.json")
	c, err := q.ForMunicipality("Utrecht")
	if err != nil {
		t.Fatal(err)
	}
	if v := c.Params.LifeEvents[Birth].LocalVolume; v == nil || v.Value != 4100 {
		t.Errorf("Utrecht's births = %v, want 4100", v)
	}
	if slices.ContainsFunc(c.Params.Couplings, func(cp Coupling) bool { return cp.ID == "renovation-service-status" }) {
		t.Error("Utrecht still has renovation-service-status")
	}
	other, err := q.ForMunicipality("Amersfoort")
	if err != nil {
		t.Fatal(err)
	}
	if other.Params.LifeEvents[Birth].LocalVolume != nil || len(other.Params.Couplings) != len(p.Couplings) {
		t.Error("Utrecht's section reached Amersfoort")
	}
	if got := other.Params.Channels["desk"].FrontOffice.Value; got != 32 {
		t.Errorf("desk cost for every municipality = %v, want 32", got)
	}

	pooled := applyFile(t, p, "testdata/regional-pooling.json")
	for _, cp := range pooled.Couplings {
		if cp.Shares.Local != 0 {
			t.Errorf("%s keeps a local share %v", cp.ID, cp.Shares.Local)
		}
	}
	base, err := ScaleCheck(p, p.DefaultOptions())
	if err != nil {
		t.Fatal(err)
	}
	s, err := ScaleCheck(pooled, pooled.DefaultOptions())
	if err != nil {
		t.Fatal(err)
	}
	if s.SmallestShared == nil || s.SmallestShared.Municipality.Population > base.SmallestShared.Municipality.Population {
		t.Errorf("pooling did not lower the smallest municipality breaking even: %v against %v", s.SmallestShared, base.SmallestShared)
	}
	if s.Total.Alone.Count != base.Total.Alone.Count || s.Total.Alone.NPV != base.Total.Alone.NPV {
		t.Error("pooling changed the outcome of carrying costs alone")
	}
}

// Every overrides document the docs run stays valid, and the high national
// facility factor is the high end of the default's range.
func TestEveryTestdataOverrideApplies(t *testing.T) {
	p := mustDefaults(t)
	names, err := filepath.Glob("testdata/*.json")
	if err != nil || len(names) < 3 {
		t.Fatalf("overrides documents %v, %v", names, err)
	}
	for _, name := range names {
		applyFile(t, p, name)
	}
	q := applyFile(t, p, "testdata/national-facility-high.json")
	if q.NationalFacilityFactor.Value != p.NationalFacilityFactor.Range.High {
		t.Errorf("factor %v, want the high end %v", q.NationalFacilityFactor.Value, p.NationalFacilityFactor.Range.High)
	}
}
