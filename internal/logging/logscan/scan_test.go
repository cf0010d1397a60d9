package logscan

import (
	"bytes"
	"fmt"
	"strings"
	"testing"

	"github.com/poort-nl/poort/internal/logging"
	"github.com/poort-nl/poort/mocks/population"
)

func TestScanForPersonalData(t *testing.T) {
	pop, err := population.Generate(population.Config{Seed: 1, Size: 200})
	if err != nil {
		t.Fatal(err)
	}
	var p *population.Person
	idx := -1
	for i := range pop.Persons {
		if strings.Contains(pop.Persons[i].GivenNames, " ") {
			p, idx = &pop.Persons[i], i
			break
		}
	}
	if p == nil {
		t.Fatal("no person with several given names in the population")
	}
	full := strings.Join(strings.Fields(p.GivenNames+" "+p.Prefix+" "+p.Surname), " ")
	short := strings.Join(strings.Fields(strings.Fields(p.GivenNames)[0]+" "+p.Prefix+" "+p.Surname), " ")
	log := strings.Join([]string{
		`time=2026-03-02T10:00:00Z level=INFO msg=request path=/graphql status=200 trace_id=0af7651916cd43dd8448eb211c80319c`,
		`level=ERROR msg="lookup failed" bsn=` + p.BSN,
		`{"level":"INFO","msg":"person","name":"` + strings.ToUpper(full) + `"}`,
		`level=INFO msg="greeting ` + short + `"`,
		`level=INFO msg=ids bag=0344200000` + p.BSN[:6] + ` big=1` + p.BSN + `1`,
		`level=INFO msg=surname only ` + p.Surname,
	}, "\n")
	got := ScanForPersonalData([]byte(log), pop)
	// Others in the population may share the name; the person must be
	// among those found, on exactly lines 2, 3 and 4.
	var ours []Finding
	lines := map[int]bool{}
	for _, f := range got {
		lines[f.Line] = true
		if f.Person == idx {
			ours = append(ours, f)
		}
	}
	want := []Finding{{2, "BSN", idx}, {3, "full name", idx}, {4, "name", idx}}
	if fmt.Sprint(ours) != fmt.Sprint(want) || len(lines) != 3 {
		t.Errorf("findings = %v, want %v and nothing on other lines", got, want)
	}
	for _, f := range got {
		if strings.Contains(f.String(), p.BSN) || strings.Contains(f.String(), p.Surname) {
			t.Errorf("finding %q repeats the personal data", f)
		}
	}
}

// TestLoggerOutputHoldsNoBSN logs through the hub's logger the kinds of
// values that reach it by mistake, and scans the output.
func TestLoggerOutputHoldsNoBSN(t *testing.T) {
	pop, err := population.Generate(population.Config{Seed: 1, Size: 200})
	if err != nil {
		t.Fatal(err)
	}
	var buf bytes.Buffer
	log, err := logging.New(&buf, "json", "debug")
	if err != nil {
		t.Fatal(err)
	}
	for _, p := range pop.Persons[:10] {
		log.Info("registry error", "err", fmt.Errorf("BRP: no person %s", p.BSN), "subject", p.BSN)
	}
	if f := ScanForPersonalData(buf.Bytes(), pop); len(f) != 0 {
		t.Errorf("the logger let personal data through: %v", f)
	}
}
