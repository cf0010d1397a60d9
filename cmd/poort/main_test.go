package main

import (
	"bytes"
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"strings"
	"testing"

	"github.com/poort-nl/poort/auth"
	"github.com/poort-nl/poort/lifeevents"
	"github.com/poort-nl/poort/store"
)

func noEnv(string) string { return "" }

func TestRunHelpAndUnknown(t *testing.T) {
	var out, errOut bytes.Buffer
	if err := run(context.Background(), []string{"help"}, noEnv, &out, &errOut); err != nil {
		t.Fatal(err)
	}
	for _, c := range commands() {
		if !strings.Contains(out.String(), c.name) {
			t.Errorf("help does not list %s", c.name)
		}
	}
	if err := run(context.Background(), []string{"frobnicate"}, noEnv, &out, &errOut); err == nil || !strings.Contains(err.Error(), "frobnicate") {
		t.Fatalf("unknown command: %v", err)
	}
}

func TestMocksExport(t *testing.T) {
	var out, errOut bytes.Buffer
	if err := run(context.Background(), []string{"mocks", "export", "--seed", "3", "--size", "60"}, noEnv, &out, &errOut); err != nil {
		t.Fatal(err)
	}
	var pop struct {
		Seed      uint64
		Persons   []struct{ BSN string }
		Scenarios struct{ Household string }
	}
	if err := json.Unmarshal(out.Bytes(), &pop); err != nil {
		t.Fatal(err)
	}
	household := slices.ContainsFunc(pop.Persons, func(p struct{ BSN string }) bool { return p.BSN == pop.Scenarios.Household })
	if pop.Seed != 3 || len(pop.Persons) < 60 || !household {
		t.Fatalf("export = seed %d, %d persons, the household scenario's person %q among them: %v", pop.Seed, len(pop.Persons), pop.Scenarios.Household, household)
	}
}

func TestMocksRefuseBadKeys(t *testing.T) {
	for _, keys := range []string{`BAG=secret`, `{"BGA":"secret"}`} {
		var out, errOut bytes.Buffer
		err := run(context.Background(), []string{"mocks", "--size", "60", "--keys", keys}, noEnv, &out, &errOut)
		if err == nil || !strings.Contains(err.Error(), "key") {
			t.Errorf("mocks --keys %s = %v, want it refused", keys, err)
		}
	}
}

func TestServeRefusesBadConfiguration(t *testing.T) {
	env := func(k string) string {
		if k == "POORT_UPSTREAM_TIMEOUT" {
			return "later"
		}
		return ""
	}
	var out, errOut bytes.Buffer
	err := run(context.Background(), nil, env, &out, &errOut)
	if err == nil || !strings.Contains(err.Error(), "POORT_UPSTREAM_TIMEOUT") {
		t.Fatalf("serve = %v", err)
	}
}

func TestToken(t *testing.T) {
	env := map[string]string{"POORT_AUTH_LOCAL_KEY_FILE": filepath.Join(t.TempDir(), "key.json")}
	getenv := func(k string) string { return env[k] }
	var out, errOut bytes.Buffer
	err := run(context.Background(), []string{"token", "--role", "kcc-medewerker", "--purpose", "kcc-algemeen",
		"--purpose", "burgerzaken-geboorte,travel", "--organisation", "00000001234567890000", "--ttl", "1h"},
		getenv, &out, &errOut)
	if err != nil {
		t.Fatalf("%v; stderr %s", err, errOut.String())
	}
	cfg, _ := auth.LoadConfig(getenv)
	v, _, err := auth.Setup(cfg)
	if err != nil {
		t.Fatal(err)
	}
	p, err := v.Verify(context.Background(), strings.TrimSpace(out.String()))
	if err != nil {
		t.Fatal(err)
	}
	if p.Role != "kcc-medewerker" || !reflect.DeepEqual(p.Purposes, []string{"burgerzaken-geboorte", "kcc-algemeen", "travel"}) ||
		p.Subject != "developer" || p.Organisation != "00000001234567890000" {
		t.Errorf("principal = %+v", p)
	}
	out.Reset()
	if err := run(context.Background(), []string{"token", "--bsn", "999990019"}, getenv, &out, &errOut); err != nil {
		t.Fatal(err)
	}
	if p, err := v.Verify(context.Background(), strings.TrimSpace(out.String())); err != nil || p.CitizenBSN != "999990019" || p.Role != "burger" {
		t.Errorf("citizen token: %+v, %v", p, err)
	}
	if err := run(context.Background(), []string{"token", "--role", "r", "extra"}, getenv, &out, &errOut); err == nil {
		t.Error("an extra argument was accepted")
	}
}

func TestGaps(t *testing.T) {
	gapsOf := func(args ...string) (string, string, error) {
		var out, errOut bytes.Buffer
		err := run(context.Background(), append([]string{"gaps"}, args...), noEnv, &out, &errOut)
		return out.String(), errOut.String(), err
	}
	out, _, err := gapsOf("--format", "mermaid", "--event", "TRAVEL")
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(out, "%% Life events") || !strings.Contains(out, "ev__travel") || strings.Contains(out, "ev__birth") {
		t.Errorf("mermaid for travel:\n%.300s", out)
	}
	out, _, err = gapsOf("--format", "dot")
	if err != nil || !strings.HasPrefix(out, "// Life events") || !strings.Contains(out, "digraph lifeevents {") {
		t.Errorf("dot: %v\n%.200s", err, out)
	}
	healthFile := filepath.Join(t.TempDir(), "health.json")
	if err := os.WriteFile(healthFile, []byte(`[{"registry":"UWV","errorRate":0.9,"p95":"100ms","calls":30,"window":"5m0s"}]`), 0o600); err != nil {
		t.Fatal(err)
	}
	out, _, err = gapsOf("--health", healthFile, "--event", "becoming-unemployed,birth")
	if err != nil {
		t.Fatal(err)
	}
	var doc lifeevents.Document
	if err := json.Unmarshal([]byte(out), &doc); err != nil {
		t.Fatal(err)
	}
	if doc.GapReport.Summary.Live == 0 || len(doc.GapReport.ByRegistry) != 1 || doc.GapReport.ByRegistry[0].Registry != "UWV" {
		t.Errorf("report with UWV down: %+v", doc.GapReport.ByRegistry)
	}
	if _, _, err := gapsOf("--format", "svg"); err == nil || err.Error() != `unknown format "svg"; use json, mermaid or dot` {
		t.Errorf("svg: %v", err)
	}
	if _, _, err := gapsOf("--event", "marriage"); err == nil || !strings.Contains(err.Error(), `unknown life event "marriage"`) {
		t.Errorf("marriage: %v", err)
	}
	if _, _, err := gapsOf("extra"); err == nil {
		t.Error("extra argument accepted")
	}
	if _, usage, err := gapsOf("-h"); err != nil || !strings.Contains(usage, "usage: poort gaps") {
		t.Errorf("help: %v %q", err, usage)
	}
}

func TestAuditVerify(t *testing.T) {
	dsn := "sqlite:" + filepath.Join(t.TempDir(), "poort.db")
	s, err := store.Open(context.Background(), dsn, store.WithPseudonymKey([]byte("a key of this test only")))
	if err != nil {
		t.Fatal(err)
	}
	s.Close()
	env := map[string]string{"POORT_DATABASE_URL": dsn}
	getenv := func(k string) string { return env[k] }
	var out, errOut bytes.Buffer
	if err := run(context.Background(), []string{"audit", "verify"}, getenv, &out, &errOut); err != nil || !strings.Contains(out.String(), "audit log intact: 0 records checked") {
		t.Fatalf("verify = %v:\n%s", err, out.String())
	}
	out.Reset()
	if err := run(context.Background(), []string{"audit", "verify", "--json"}, getenv, &out, &errOut); err != nil || !json.Valid(out.Bytes()) {
		t.Fatalf("verify --json = %v:\n%s", err, out.String())
	}
	if err := run(context.Background(), []string{"audit", "rewrite"}, getenv, &out, &errOut); err == nil {
		t.Error("an unknown subcommand ran")
	}
	env["POORT_DATABASE_URL"] = "sqlite:" + filepath.Join(t.TempDir(), "missing.db")
	if err := run(context.Background(), []string{"audit", "verify"}, getenv, &out, &errOut); err == nil || !strings.Contains(err.Error(), "no database") {
		t.Errorf("a missing database: err = %v", err)
	}
	env["POORT_PSEUDONYM_KEY"] = "not hex"
	if err := run(context.Background(), []string{"audit", "verify"}, getenv, &out, &errOut); err == nil || !strings.Contains(err.Error(), "POORT_PSEUDONYM_KEY") {
		t.Errorf("a bad key: err = %v", err)
	}
}
