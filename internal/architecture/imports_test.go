package architecture

import (
	"bytes"
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/poort-nl/poort/server"
)

const module = "github.com/poort-nl/poort"

// pkg is what `go list` says of one package of the module, test files
// left out.
type pkg struct {
	ImportPath string
	Imports    []string
	Deps       []string
}

// rel returns a package path relative to the module, "" for none of it.
func rel(path string) string {
	r, ok := strings.CutPrefix(path, module+"/")
	if !ok {
		return ""
	}
	return r
}

// under reports whether a module-relative path is the folder or below it.
func under(path, folder string) bool {
	return path == folder || strings.HasPrefix(path, folder+"/")
}

func list(t *testing.T) []pkg {
	t.Helper()
	cmd := exec.Command("go", "list", "-json", module+"/...")
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("go list: %v\n%s", err, stderr.String())
	}
	var pkgs []pkg
	dec := json.NewDecoder(bytes.NewReader(out))
	for dec.More() {
		var p pkg
		if err := dec.Decode(&p); err != nil {
			t.Fatal(err)
		}
		pkgs = append(pkgs, p)
	}
	if len(pkgs) < 10 {
		t.Fatalf("go list found %d packages", len(pkgs))
	}
	return pkgs
}

// rule forbids the packages below a folder to depend, directly or through
// others, on anything below the forbidden folders or packages.
type rule struct {
	folder    string
	forbidden []string
	why       string
}

// rules are the import rules of docs/architecture.md.
var rules = []rule{
	{"connectors", []string{"graph", "mocks", "server", "store", "github.com/99designs/gqlgen", "github.com/vektah/gqlparser/v2"},
		"connectors know nothing of GraphQL, the mocks or the hub"},
	{"mocks", []string{"connectors", "graph", "server", "store"}, "mocks speak only the registries' public APIs"},
	{"graph", []string{"mocks", "server"}, "the graph knows nothing of the mocks and does not compose the hub"},
	{"schema", []string{"graph", "connectors", "mocks", "server"}, "the schema is the contract, nothing else"},
	{"lifeevents", []string{"graph", "mocks", "server", "store"}, "the catalogue is data and rules"},
	{"policy", []string{"graph", "mocks", "server", "store"}, "the policy decides, others enforce"},
	{"store", []string{"graph", "connectors", "mocks", "server"}, "the store persists what it is given"},
	{"balie", []string{"graph", "mocks", "server", "store"}, "the console asks the graph over the hub's own handler, as any client"},
}

func TestImportRules(t *testing.T) {
	for _, p := range list(t) {
		from := rel(p.ImportPath)
		for _, r := range rules {
			if !under(from, r.folder) {
				continue
			}
			for _, d := range p.Deps {
				for _, f := range r.forbidden {
					if under(rel(d), f) || under(d, f) {
						t.Errorf("%s depends on %s: %s", from, d, r.why)
					}
				}
			}
		}
		// Plumbing serves the domain and the hub, never the other way.
		if under(from, "internal") && !under(from, "internal/bench") && !under(from, "internal/architecture") {
			for _, d := range p.Deps {
				if r := rel(d); under(r, "server") || under(r, "graph") || under(r, "cmd") {
					t.Errorf("%s depends on %s: plumbing under internal/ does not depend on the hub", from, d)
				}
			}
		}
	}
}

// sql are the packages that speak SQL to a database.
var sql = []string{"database/sql", "github.com/jmoiron/sqlx", "github.com/lib/pq", "modernc.org/sqlite", "github.com/pressly/goose/v3"}

func TestSQLOnlyInTheStore(t *testing.T) {
	for _, p := range list(t) {
		from := rel(p.ImportPath)
		if under(from, "store") {
			continue
		}
		for _, imp := range p.Imports {
			for _, s := range sql {
				if under(imp, s) {
					t.Errorf("%s imports %s: SQL lives in store/ only", from, imp)
				}
			}
		}
	}
}

// registryPackage reports whether a package is a registry's connector or
// mock (connectors/brp, mocks/brp): the document names those as
// `connectors/<registry>/`, so that a registry is added without it.
func registryPackage(path string) bool {
	for _, folder := range []string{"connectors/", "mocks/"} {
		name, ok := strings.CutPrefix(path, folder)
		if !ok || strings.Contains(name, "/") {
			continue
		}
		for _, r := range server.Registries() {
			if strings.EqualFold(name, string(r.Connector.Registry)) {
				return true
			}
		}
	}
	return false
}

// TestTheDocumentNamesEveryPackage keeps docs/architecture.md whole: every
// package of the module appears in it as `path/` (code spans), a
// registry's connector and mock as `connectors/<registry>/` and
// `mocks/<registry>/`, and every package it names exists.
func TestTheDocumentNamesEveryPackage(t *testing.T) {
	doc, err := os.ReadFile(filepath.Join("..", "..", "docs", "architecture.md"))
	if err != nil {
		t.Fatal(err)
	}
	text := string(doc)
	var paths []string
	for _, p := range list(t) {
		r := rel(p.ImportPath)
		paths = append(paths, r)
		if registryPackage(r) {
			r = strings.Split(r, "/")[0] + "/<registry>"
		}
		if !strings.Contains(text, "`"+r+"/`") {
			t.Errorf("docs/architecture.md does not name `%s/`", r)
		}
	}
	for _, span := range strings.Split(text, "`")[1:] {
		if strings.HasSuffix(span, "/") && !strings.ContainsAny(span, " .*<>") && strings.Count(span, "/") >= 1 {
			name := strings.TrimSuffix(span, "/")
			if !slices.Contains(paths, name) && !isFolder(name) {
				t.Errorf("docs/architecture.md names `%s`, which is not a package or folder of the module", span)
			}
		}
	}
}

// isFolder reports whether a module-relative folder exists.
func isFolder(name string) bool {
	fi, err := os.Stat(filepath.Join("..", "..", filepath.FromSlash(name)))
	return err == nil && fi.IsDir()
}
