package main

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"log"
	"net"
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"
)

// lockedBuffer is a bytes.Buffer safe for concurrent writers.
type lockedBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (l *lockedBuffer) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.Write(p)
}

func (l *lockedBuffer) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.String()
}

// TestServeJSONModeWritesOnlyJSON runs the hub with POORT_LOG_FORMAT=json:
// every line it writes to stdout and stderr is JSON, what the standard log
// package and the migrations print included, and an error that stops it
// is a JSON line too, which main does not print again.
func TestServeJSONModeWritesOnlyJSON(t *testing.T) {
	dir := t.TempDir()
	vars := map[string]string{
		"POORT_LOG_FORMAT":          "json",
		"POORT_LISTEN":              "127.0.0.1:0",
		"POORT_ADMIN_LISTEN":        "127.0.0.1:0",
		"POORT_DATABASE_URL":        "sqlite:" + dir + "/poort.db",
		"POORT_AUTH_LOCAL_KEY_FILE": dir + "/signing-key.json",
		"POORT_POPULATION_SIZE":     "60",
	}
	getenv := func(k string) string { return vars[k] }
	var stdout, stderr lockedBuffer
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- run(ctx, []string{"serve"}, getenv, &stdout, &stderr) }()

	var url string
	for range 600 {
		if url = listeningURL(stderr.String()); url != "" {
			break
		}
		time.Sleep(10 * time.Millisecond)
	}
	if url == "" {
		cancel()
		t.Fatalf("the hub did not say where it listens:\n%s", stderr.String())
	}
	// A refused request, and a line of the standard log package, as a
	// library would print it.
	resp, err := http.Post(url+"/graphql", "application/json", strings.NewReader(`{"query":"{ lineage { field } }"}`))
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	log.Print("a library speaks")
	cancel()
	if err := <-done; err != nil {
		t.Fatalf("serve: %v", err)
	}

	// The port in use: the hub cannot start, and says so in JSON.
	vars["POORT_LISTEN"] = strings.TrimPrefix(url, "http://")
	blocker, err := (&net.ListenConfig{}).Listen(context.Background(), "tcp", vars["POORT_LISTEN"])
	if err != nil {
		t.Fatal(err)
	}
	defer blocker.Close()
	err = run(context.Background(), []string{"serve"}, getenv, &stdout, &stderr)
	if !errors.As(err, new(errReported)) {
		t.Errorf("a hub that cannot listen returned %v, not an error its log reported", err)
	}

	seen := map[string]bool{}
	for name, out := range map[string]string{"stdout": stdout.String(), "stderr": stderr.String()} {
		for _, line := range strings.Split(strings.TrimRight(out, "\n"), "\n") {
			if line == "" {
				continue
			}
			var l map[string]any
			if err := json.Unmarshal([]byte(line), &l); err != nil {
				t.Errorf("%s: not JSON: %s", name, line)
				continue
			}
			msg, _ := l["msg"].(string)
			seen[msg] = true
			if logger, _ := l["logger"].(string); logger == "goose" {
				seen["goose"] = true
			}
		}
	}
	for _, msg := range []string{"hub listening", "request", "authentication refused", "a library speaks", "goose", "hub stopped"} {
		if !seen[msg] {
			t.Errorf("no %q line:\n%s", msg, stderr.String())
		}
	}
}

// listeningURL finds the URL of the "hub listening" line.
func listeningURL(log string) string {
	for _, line := range strings.Split(log, "\n") {
		var l struct{ Msg, URL string }
		if json.Unmarshal([]byte(line), &l) == nil && l.Msg == "hub listening" {
			return l.URL
		}
	}
	return ""
}
