package resilience

import (
	"strings"
	"testing"
	"time"

	"github.com/poort-nl/poort/connectors"
)

// testRegistries are the registries whose bulkheads the tests configure.
var testRegistries = []connectors.Registry{"BRP", "NHR", "BAG", "RDW", "UWV"}

func envOf(m map[string]string) func(string) string {
	return func(k string) string { return m[k] }
}

func TestLoadConfigDefaults(t *testing.T) {
	c, err := LoadConfig(envOf(nil), testRegistries)
	if err != nil {
		t.Fatal(err)
	}
	want := DefaultConfig()
	if c.Breaker != want.Breaker || c.Deadline != want.Deadline || c.Cache != want.Cache ||
		c.Bulkhead.MaxConcurrent != want.Bulkhead.MaxConcurrent || c.Bulkhead.PerRegistry != nil {
		t.Fatalf("config = %+v, want the defaults %+v", c, want)
	}
	if c.Cache.PersonalTTL != 0 {
		t.Errorf("personal data is cached by default for %v", c.Cache.PersonalTTL)
	}
}

func TestLoadConfig(t *testing.T) {
	c, err := LoadConfig(envOf(map[string]string{
		"POORT_BREAKER_FAILURES":           "3",
		"POORT_BREAKER_FAILURE_RATIO":      "0",
		"POORT_BREAKER_MIN_REQUESTS":       "7",
		"POORT_BREAKER_INTERVAL":           "1m",
		"POORT_BREAKER_OPEN_TIMEOUT":       "250ms",
		"POORT_BREAKER_HALF_OPEN_REQUESTS": "2",
		"POORT_BULKHEAD_MAX":               "10",
		"POORT_BULKHEAD_MAX_BAG":           "4",
		"POORT_BULKHEAD_QUEUE":             "0",
		"POORT_BULKHEAD_QUEUE_TIMEOUT":     "20ms",
		"POORT_DEADLINE_SHARE":             "0.75",
		"POORT_DEADLINE_RESERVE":           "5ms",
		"POORT_DEADLINE_MIN":               "30ms",
		"POORT_CACHE_TTL":                  "0s",
		"POORT_CACHE_MAX_ENTRIES":          "99",
		"POORT_CACHE_PERSONAL_TTL":         "30s",
	}), testRegistries)
	if err != nil {
		t.Fatal(err)
	}
	want := Config{
		Breaker: BreakerConfig{ConsecutiveFailures: 3, FailureRatio: 0, MinRequests: 7, Interval: time.Minute,
			OpenTimeout: 250 * time.Millisecond, HalfOpenRequests: 2},
		Bulkhead: BulkheadConfig{MaxConcurrent: 10, Queue: 0, QueueTimeout: 20 * time.Millisecond},
		Deadline: DeadlineConfig{Share: 0.75, Reserve: 5 * time.Millisecond, Min: 30 * time.Millisecond},
		Cache:    CacheConfig{TTL: 0, MaxEntries: 99, PersonalTTL: 30 * time.Second},
	}
	if c.Breaker != want.Breaker || c.Deadline != want.Deadline || c.Cache != want.Cache {
		t.Errorf("config = %+v, want %+v", c, want)
	}
	b := c.Bulkhead
	if b.MaxConcurrent != 10 || b.Queue != 0 || b.QueueTimeout != 20*time.Millisecond {
		t.Errorf("bulkhead = %+v", b)
	}
	if b.maxConcurrent("BAG") != 4 || b.maxConcurrent("BRP") != 10 {
		t.Errorf("bulkhead per registry: BAG %d, BRP %d; want 4 and 10", b.maxConcurrent("BAG"), b.maxConcurrent("BRP"))
	}
}

func TestLoadConfigRefusesNaNRatios(t *testing.T) {
	for _, name := range []string{"POORT_BREAKER_FAILURE_RATIO", "POORT_DEADLINE_SHARE"} {
		_, err := LoadConfig(envOf(map[string]string{name: "NaN"}), testRegistries)
		if err == nil || !strings.Contains(err.Error(), name) {
			t.Errorf("%s=NaN: err = %v, want it refused", name, err)
		}
	}
}

func TestLoadConfigReportsEveryBadVariable(t *testing.T) {
	bad := map[string]string{
		"POORT_BREAKER_FAILURES":      "0",
		"POORT_BREAKER_FAILURE_RATIO": "1.5",
		"POORT_BREAKER_OPEN_TIMEOUT":  "soon",
		"POORT_BULKHEAD_MAX_UWV":      "-1",
		"POORT_DEADLINE_SHARE":        "0",
		"POORT_CACHE_TTL":             "-1s",
		"POORT_BREAKER_DISABLED":      "maybe",
	}
	_, err := LoadConfig(envOf(bad), testRegistries)
	if err == nil {
		t.Fatal("no error")
	}
	for name := range bad {
		if !strings.Contains(err.Error(), name) {
			t.Errorf("error does not name %s: %v", name, err)
		}
	}
}
