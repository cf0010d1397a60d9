package server_test

import (
	"os"
	"regexp"
	"strings"
	"testing"

	"github.com/poort-nl/poort/server"
	"github.com/poort-nl/poort/server/hubtest"
)

// TestReadmeQueries runs the README's example queries against the hub as
// the run command starts it, so they keep returning data.
func TestReadmeQueries(t *testing.T) {
	readme, err := os.ReadFile("../README.md")
	if err != nil {
		t.Fatal(err)
	}
	blocks := regexp.MustCompile("(?s)```graphql\n(.*?)```").FindAllStringSubmatch(string(readme), -1)
	if len(blocks) < 3 {
		t.Fatalf("the README has %d example queries, want at least 3", len(blocks))
	}
	// The hub as the run command starts it: the default configuration, an
	// embedded database file, and the playground's own token, as a new
	// user gets it.
	cfg, err := server.LoadConfig(func(string) string { return "" })
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	cfg.DatabaseURL = "sqlite:" + dir + "/poort.db"
	cfg.Auth.LocalKeyFile = dir + "/signing-key.json"
	th := hubtest.StartWith(t, cfg, hubtest.Options{})
	for i, b := range blocks {
		r := th.Query(t, b[1], nil)
		if len(r.Errors) > 0 {
			t.Errorf("example %d: errors %+v", i+1, r.Errors)
		}
		// The first three examples show registry data: none of it empty.
		if i < 3 && (strings.Contains(string(r.Data), "[]") || strings.Contains(string(r.Data), ":null}}")) {
			t.Errorf("example %d returns empty parts: %s", i+1, r.Data)
		}
	}
}
