package balie_test

import (
	"net/http"
	"net/url"
	"testing"

	"github.com/poort-nl/poort/server"
)

// BenchmarkPersonCard measures one person card over HTTP on loopback, as
// a browser asks for it: both of its operations run in-process through
// the hub's handler chain against the mock registries at their default
// latency, and the page is rendered. Run it with
//
//	go test ./balie -run '^$' -bench PersonCard -benchtime 50x
//
// The second case puts 50 ms on every registry call, as a real registry
// might answer.
func BenchmarkPersonCard(b *testing.B) {
	b.Run("default latency", func(b *testing.B) { benchmarkCard(b, nil) })
	b.Run("registries at 50ms", func(b *testing.B) {
		benchmarkCard(b, map[string]string{"POORT_MOCK_FAULTS": `{"BRP":{"latencyMs":50},"NHR":{"latencyMs":50},"BAG":{"latencyMs":50},"RDW":{"latencyMs":50},"UWV":{"latencyMs":50},"BRK":{"latencyMs":50}}`})
	})
}

func benchmarkCard(b *testing.B, env map[string]string) {
	h := startHub(b, func(string) map[string]string { return env }, server.Options{})
	p := testPopulation(b)
	c := newClient(b, h.url)
	csrf := c.signIn("kcc-medewerker", "kcc-algemeen")
	resp, _ := c.do("POST", "/balie/zoeken", url.Values{"_csrf": {csrf}, "soort": {"bsn"}, "bsn": {p.Scenarios.JobLoss}}, nil)
	card := resp.Header.Get("Location")
	if resp, _ := c.do("GET", card, nil, nil); resp.StatusCode != http.StatusOK {
		b.Fatalf("card: %s", resp.Status)
	}
	b.ResetTimer()
	for b.Loop() {
		if resp, _ := c.do("GET", card, nil, nil); resp.StatusCode != http.StatusOK {
			b.Fatalf("card: %s", resp.Status)
		}
	}
}
