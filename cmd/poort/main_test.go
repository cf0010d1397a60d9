package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"maps"
	"os"
	"path/filepath"
	"reflect"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/poort-nl/poort/auth"
	"github.com/poort-nl/poort/lifeevents"
	"github.com/poort-nl/poort/store"
)

func noEnv(string) string { return "" }

// TestHelp asks for help every way a user does: it is printed to
// standard output and is no error (exit 0), for poort and every command.
func TestHelp(t *testing.T) {
	for _, args := range [][]string{{"--help"}, {"-h"}, {"help"}} {
		var out, errOut bytes.Buffer
		if err := run(context.Background(), args, noEnv, &out, &errOut); err != nil {
			t.Fatalf("poort %v: %v", args, err)
		}
		for _, c := range commands() {
			if !strings.Contains(out.String(), "\n  "+c.name+" ") {
				t.Errorf("poort %v does not list %s:\n%s", args, c.name, out.String())
			}
		}
	}
	var invocations [][]string
	for _, c := range commands() {
		invocations = append(invocations, []string{c.name})
	}
	invocations = append(invocations, []string{"mocks", "export"}, []string{"audit", "verify"})
	for _, cmd := range invocations {
		for _, help := range []string{"--help", "-h"} {
			var out, errOut bytes.Buffer
			err := run(context.Background(), append(slices.Clone(cmd), help), noEnv, &out, &errOut)
			name := strings.Join(cmd, " ")
			want := "usage: poort " + name
			if name == "serve" {
				want = "usage: poort [serve]"
			}
			if err != nil || !strings.HasPrefix(out.String(), want) || errOut.Len() > 0 {
				t.Errorf("poort %s %s: err %v, stdout %.60q, stderr %q", name, help, err, out.String(), errOut.String())
			}
		}
	}
	var out, errOut bytes.Buffer
	if err := run(context.Background(), []string{"help", "token"}, noEnv, &out, &errOut); err != nil || !strings.HasPrefix(out.String(), "usage: poort token") {
		t.Errorf("poort help token: %v %.60q", err, out.String())
	}
}

// TestUnknownArguments refuses what a command does not take, before it
// does anything: a mistyped subcommand must not start the mocks.
func TestUnknownArguments(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	cancel() // a command that started anyway returns at once, without error
	for _, tt := range []struct {
		args []string
		want string
	}{
		{[]string{"frobnicate"}, `unknown command "frobnicate"; run ` + "`poort --help`"},
		{[]string{"mocks", "exprot"}, `poort mocks: unexpected argument "exprot"`},
		{[]string{"mocks", "--sede", "2"}, "poort mocks: flag provided but not defined: -sede"},
		{[]string{"mocks", "export", "now"}, `poort mocks export: unexpected argument "now"`},
		{[]string{"serve", "now"}, `poort serve: unexpected argument "now"`},
		{[]string{"--port", "80"}, "poort serve: flag provided but not defined: -port"},
		{[]string{"gaps", "extra"}, `poort gaps: unexpected argument "extra"`},
		{[]string{"token", "--role", "kcc-medewerker", "extra"}, `poort token: unexpected argument "extra"`},
		{[]string{"audit"}, "poort audit: name a subcommand: verify"},
		{[]string{"audit", "rewrite"}, `poort audit: unknown subcommand "rewrite"`},
		{[]string{"audit", "verify", "all"}, `poort audit verify: unexpected argument "all"`},
		{[]string{"bench", "fast"}, `poort bench: unexpected argument "fast"`},
		{[]string{"soak", "--clients", "many"}, `poort soak: invalid value "many" for flag -clients`},
		{[]string{"businesscase", "Utrecht"}, `unexpected argument "Utrecht"`},
	} {
		var out, errOut bytes.Buffer
		err := run(ctx, tt.args, noEnv, &out, &errOut)
		if err == nil || !strings.Contains(err.Error(), tt.want) {
			t.Errorf("poort %v: err %v, want %q", tt.args, err, tt.want)
		}
		if out.Len() > 0 {
			t.Errorf("poort %v wrote to stdout: %.80q", tt.args, out.String())
		}
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
		"--purpose", "burgerzaken-geboorte,reisdocumenten", "--organisation", "00000001234567890000", "--ttl", "1h"},
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
	if p.Role != "kcc-medewerker" || !reflect.DeepEqual(p.Purposes, []string{"burgerzaken-geboorte", "kcc-algemeen", "reisdocumenten"}) ||
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
	// Without --organisation, the local issuer's: acting on cases takes one.
	out.Reset()
	if err := run(context.Background(), []string{"token", "--role", "kcc-medewerker", "--purpose", "overlijden"}, getenv, &out, &errOut); err != nil {
		t.Fatal(err)
	}
	if p, err := v.Verify(context.Background(), strings.TrimSpace(out.String())); err != nil || p.Organisation != auth.LocalOrganisation {
		t.Errorf("token without --organisation: %+v, %v", p, err)
	}
	if err := run(context.Background(), []string{"token", "--role", "r", "extra"}, getenv, &out, &errOut); err == nil {
		t.Error("an extra argument was accepted")
	}
}

// TestTokenChecksThePolicy refuses a token the policy forbids for every
// request, warns of names it does not know, and gives the organisation
// acting on cases takes.
func TestTokenChecksThePolicy(t *testing.T) {
	dir := t.TempDir()
	env := map[string]string{"POORT_STATE_DIR": dir}
	getenv := func(k string) string { return env[k] }
	cfg, _ := auth.LoadConfig(getenv)
	if cfg.LocalKeyFile != filepath.Join(dir, "signing-key.json") {
		t.Fatalf("key file %s, want it in the state directory %s", cfg.LocalKeyFile, dir)
	}
	for _, tt := range []struct {
		name    string
		args    []string
		err     string
		warning string
	}{
		{"a role with its purposes", []string{"--role", "consulent-werk-en-inkomen", "--purpose", "werk-en-inkomen,kcc-algemeen"}, "", ""},
		{"a purpose the role may not act for", []string{"--role", "vergunningverlener", "--purpose", "overlijden"},
			"role vergunningverlener may not act for purpose overlijden in the embedded policy; its purposes are bouwen-en-verbouwen, ondernemen", ""},
		{"a BSN on a role that is not a citizen's", []string{"--role", "kcc-medewerker", "--bsn", "999990019"}, "role kcc-medewerker is not a citizen's", ""},
		{"a citizen's role without a BSN", []string{"--role", "burger"}, "give the citizen's --bsn", ""},
		{"an unknown role", []string{"--role", "kcc", "--purpose", "kcc-algemeen"}, "", `warning: role "kcc" is not in the embedded policy (roles: auditor, burger,`},
		{"an unknown purpose", []string{"--role", "kcc-medewerker", "--purpose", "travel"}, "", `warning: purpose "travel" is not in the embedded policy`},
		{"the development role", []string{"--role", "ontwikkelaar"}, "", ""},
	} {
		var out, errOut bytes.Buffer
		err := run(context.Background(), append([]string{"token"}, tt.args...), getenv, &out, &errOut)
		if (err == nil) != (tt.err == "") || err != nil && !strings.Contains(err.Error(), tt.err) {
			t.Errorf("%s: err %v, want %q", tt.name, err, tt.err)
		}
		if err != nil && out.Len() > 0 {
			t.Errorf("%s: refused, but printed a token", tt.name)
		}
		if !strings.Contains(errOut.String(), tt.warning) || tt.warning == "" && errOut.Len() > 0 {
			t.Errorf("%s: stderr %q, want %q", tt.name, errOut.String(), tt.warning)
		}
	}

	// The hub's policy file is the one checked.
	file := filepath.Join(dir, "policy.yaml")
	if err := os.WriteFile(file, []byte(`register: https://register.example/
purposes:
  lezen:
    description: reading names
    sources: [BRP:naam.*]
roles:
  lezer:
    description: reads names
    purposes: [lezen]
`), 0o600); err != nil {
		t.Fatal(err)
	}
	env["POORT_POLICY_FILE"] = file
	var out, errOut bytes.Buffer
	if err := run(context.Background(), []string{"token", "--role", "kcc-medewerker", "--purpose", "lezen"}, getenv, &out, &errOut); err != nil ||
		!strings.Contains(errOut.String(), `role "kcc-medewerker" is not in `+file+" (roles: lezer)") {
		t.Errorf("with a policy file: %v, %q", err, errOut.String())
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
	if err := os.WriteFile(healthFile, []byte(`[{"registry":"UWV","errorRate":0.9,"p95Ms":100,"calls":30,"windowMs":300000}]`), 0o600); err != nil {
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
}

// TestErrorsNameNoGoTypes gives the commands malformed JSON: the errors
// say where in the document and what was wanted, never a Go type.
func TestErrorsNameNoGoTypes(t *testing.T) {
	dir := t.TempDir()
	file := func(name, content string) string {
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, []byte(content), 0o600); err != nil {
			t.Fatal(err)
		}
		return p
	}
	ctx := context.Background() // each fails before it would serve
	for _, tt := range []struct {
		args []string
		env  map[string]string
		want string
	}{
		{[]string{"gaps", "--health", file("object.json", `{"registry":"UWV"}`)}, nil, "the document: want a list, got an object"},
		{[]string{"gaps", "--health", file("number.json", `[{"registry":5}]`)}, nil, "registry: want a string, got a number"},
		{[]string{"mocks", "--faults", `{"BAG":{"latencyMs":"slow"}}`}, nil, "--faults: latencyMs: want a whole number, got a string"},
		{[]string{"mocks", "--keys", `{"BAG":42}`}, nil, "--keys: the value before byte 9: want a string, got a number"},
		{[]string{"mocks", "--faults", `{"BAG":[]}`}, nil, "--faults: the value before byte 8: want an object, got a list"},
		{[]string{"serve"}, map[string]string{"POORT_MOCK_FAULTS": `{"BAG":{"latencyMs":true}}`}, "POORT_MOCK_FAULTS: latencyMs: want a whole number, got true or false"},
		{[]string{"businesscase", "--municipality", "Utrecht", "--overrides", file("overrides.json", `{"horizon":`)}, nil, "not valid JSON at byte 11"},
	} {
		var out, errOut bytes.Buffer
		err := run(ctx, tt.args, func(k string) string { return tt.env[k] }, &out, &errOut)
		if err == nil || !strings.Contains(err.Error(), tt.want) {
			t.Errorf("poort %v: %v, want %q", tt.args, err, tt.want)
			continue
		}
		if goType.MatchString(err.Error()) {
			t.Errorf("poort %v: %q names a Go type", tt.args, err)
		}
	}
}

// goType matches a Go type or encoding/json's words for one.
var goType = regexp.MustCompile(`Go (value|struct)|\[\][a-z]|\b[a-z]+\.[A-Z][A-Za-z]+\b|(^|: )json: `)

// TestJSONOutputsUseSchemaNaming runs every command that writes JSON and
// checks each key is in the schema's lowerCamelCase, never a Go field name.
func TestJSONOutputsUseSchemaNaming(t *testing.T) {
	camel := regexp.MustCompile(`^[a-z][a-zA-Z0-9]*$`)
	for _, args := range [][]string{
		{"gaps", "--format", "json"},
		{"mocks", "export", "--size", "60"},
		{"businesscase", "--municipality", "Utrecht", "--format", "json"},
		{"businesscase", "--parameters", "--format", "json"},
	} {
		var out, errOut bytes.Buffer
		if err := run(context.Background(), args, noEnv, &out, &errOut); err != nil {
			t.Fatalf("poort %v: %v", args, err)
		}
		var doc any
		if err := json.Unmarshal(out.Bytes(), &doc); err != nil {
			t.Fatalf("poort %v: %v", args, err)
		}
		bad := map[string]bool{}
		var walk func(path string, v any)
		walk = func(path string, v any) {
			switch v := v.(type) {
			case map[string]any:
				for k, inner := range v {
					if !camel.MatchString(k) {
						bad[path+"."+k] = true
					}
					walk(path+"."+k, inner)
				}
			case []any:
				for _, inner := range v {
					walk(path+"[]", inner)
				}
			}
		}
		walk("", doc)
		if len(bad) > 0 {
			t.Errorf("poort %v: keys not in the schema's naming: %v", args, slices.Sorted(maps.Keys(bad)))
		}
	}
}

// TestGapsJSONIsAsDocumented runs the command docs/life-events.md shows,
// with the health list of its excerpt as the file, and finds the excerpt
// in the answer: every key where the excerpt has it, every value equal,
// every listed item among the answer's.
func TestGapsJSONIsAsDocumented(t *testing.T) {
	b, err := os.ReadFile("../../docs/life-events.md")
	if err != nil {
		t.Fatal(err)
	}
	m := regexp.MustCompile("(?s)`poort (gaps [^`]*?) \\| jq \\.(\\w+)`.*?```json\n(.*?)```").FindStringSubmatch(string(b))
	if m == nil {
		t.Fatal("docs/life-events.md shows no `poort gaps ... | jq .FIELD` command with a JSON excerpt")
	}
	var excerpt map[string]any
	if err := json.Unmarshal([]byte(m[3]), &excerpt); err != nil {
		t.Fatalf("the excerpt: %v", err)
	}
	health, err := json.Marshal(excerpt["health"])
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	var args []string
	for _, a := range strings.Fields(m[1]) {
		if strings.HasSuffix(a, ".json") {
			a = filepath.Join(dir, a)
			if err := os.WriteFile(a, health, 0o600); err != nil {
				t.Fatal(err)
			}
		}
		args = append(args, a)
	}
	var out, errOut bytes.Buffer
	if err := run(context.Background(), args, noEnv, &out, &errOut); err != nil {
		t.Fatalf("poort %s: %v", m[1], err)
	}
	var doc map[string]any
	if err := json.Unmarshal(out.Bytes(), &doc); err != nil {
		t.Fatal(err)
	}
	if problem := contains(doc[m[2]], excerpt, "."+m[2]); problem != "" {
		t.Errorf("poort %s | jq .%s differs from the excerpt: %s", m[1], m[2], problem)
	}
}

// contains says where got does not hold want: maps hold want's keys,
// lists hold each of want's items somewhere, other values are equal.
func contains(got, want any, path string) string {
	switch w := want.(type) {
	case map[string]any:
		g, ok := got.(map[string]any)
		if !ok {
			return fmt.Sprintf("%s: %v, want an object", path, got)
		}
		for k, v := range w {
			if _, ok := g[k]; !ok {
				return fmt.Sprintf("%s: no %q (keys %v)", path, k, slices.Sorted(maps.Keys(g)))
			}
			if p := contains(g[k], v, path+"."+k); p != "" {
				return p
			}
		}
	case []any:
		g, ok := got.([]any)
		if !ok {
			return fmt.Sprintf("%s: %v, want a list", path, got)
		}
		for i, v := range w {
			found := slices.ContainsFunc(g, func(item any) bool { return contains(item, v, "") == "" })
			if !found {
				return fmt.Sprintf("%s[%d]: %v is not in the answer", path, i, v)
			}
		}
	default:
		if got != want {
			return fmt.Sprintf("%s: %v, want %v", path, got, want)
		}
	}
	return ""
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
	var rep map[string]any
	if err := json.Unmarshal(out.Bytes(), &rep); err != nil {
		t.Fatal(err)
	}
	if keys := slices.Sorted(maps.Keys(rep)); !slices.Equal(keys, []string{"checked", "firstBroken", "headHash", "headSequence", "ok"}) || rep["ok"] != true {
		t.Errorf("verify --json = %v, want the schema's naming", rep)
	}
	if err := run(context.Background(), []string{"audit", "rewrite"}, getenv, &out, &errOut); err == nil {
		t.Error("an unknown subcommand ran")
	}
	env["POORT_DATABASE_URL"] = "sqlite:" + filepath.Join(t.TempDir(), "missing.db")
	if err := run(context.Background(), []string{"audit", "verify"}, getenv, &out, &errOut); err == nil || !strings.Contains(err.Error(), "no database") {
		t.Errorf("a missing database: err = %v", err)
	}
	garbage := filepath.Join(t.TempDir(), "garbage.db")
	if err := os.WriteFile(garbage, []byte("not a database"), 0o600); err != nil {
		t.Fatal(err)
	}
	env["POORT_DATABASE_URL"] = "sqlite:" + garbage
	if err := run(context.Background(), []string{"audit", "verify"}, getenv, &out, &errOut); err == nil || goType.MatchString(err.Error()) {
		t.Errorf("a file that is no database: err = %v", err)
	}
	env["POORT_PSEUDONYM_KEY"] = "not hex"
	if err := run(context.Background(), []string{"audit", "verify"}, getenv, &out, &errOut); err == nil || !strings.Contains(err.Error(), "POORT_PSEUDONYM_KEY") {
		t.Errorf("a bad key: err = %v", err)
	}
}
