package graph

import (
	"bytes"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// TestGeneratedCodeIsInSync runs gqlgen on a copy of the module and
// compares what it writes with what is committed: `go generate ./...`
// must leave no diff.
func TestGeneratedCodeIsInSync(t *testing.T) {
	if testing.Short() {
		t.Skip("runs gqlgen")
	}
	root, err := filepath.Abs("..")
	if err != nil {
		t.Fatal(err)
	}
	tmp := t.TempDir()
	err = filepath.WalkDir(root, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(root, path)
		if d.IsDir() {
			// Dot directories and federation/'s npm packages are not Go.
			if rel == ".git" || strings.HasPrefix(d.Name(), ".") && rel != "." || d.Name() == "node_modules" {
				return filepath.SkipDir
			}
			return os.MkdirAll(filepath.Join(tmp, rel), 0o755)
		}
		if !d.Type().IsRegular() {
			return nil
		}
		b, err := os.ReadFile(path)
		if err != nil {
			return err
		}
		return os.WriteFile(filepath.Join(tmp, rel), b, 0o644)
	})
	if err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command("go", "tool", "gqlgen", "generate")
	cmd.Dir = tmp
	cmd.Env = append(os.Environ(), "GOFLAGS=-mod=mod")
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("gqlgen generate: %v\n%s", err, out)
	}
	var generated []string
	for _, pattern := range []string{"graph/*.go", "graph/model/*.go", "go.mod", "go.sum"} {
		m, _ := filepath.Glob(filepath.Join(tmp, pattern))
		generated = append(generated, m...)
	}
	for _, path := range generated {
		rel, _ := filepath.Rel(tmp, path)
		want, err := os.ReadFile(filepath.Join(root, rel))
		if err != nil {
			t.Errorf("gqlgen wrote %s, which is not committed", rel)
			continue
		}
		got, _ := os.ReadFile(path)
		if !bytes.Equal(got, want) {
			t.Errorf("%s differs from what gqlgen generates; run go generate ./...", rel)
		}
	}
}
