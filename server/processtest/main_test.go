package processtest

import (
	"bytes"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"sync"
	"testing"

	"github.com/poort-nl/poort/store/storetest"
)

// env provides the PostgreSQL databases, from one throwaway cluster per
// test binary.
var env = storetest.New()

// poortBinary is built once per test binary, on first use.
var poortBinary = &binary{}

func TestMain(m *testing.M) {
	code := env.Main(m)
	poortBinary.remove()
	os.Exit(code)
}

// binary is the poort binary, built from the module this package is in.
type binary struct {
	once sync.Once
	dir  string
	path string
	err  error
}

// get returns the binary's path, building it on first use.
func (b *binary) get(t testing.TB) string {
	t.Helper()
	b.once.Do(b.build)
	if b.err != nil {
		t.Fatalf("build poort: %v", b.err)
	}
	return b.path
}

func (b *binary) build() {
	root, err := moduleRoot()
	if err != nil {
		b.err = err
		return
	}
	goTool, err := exec.LookPath("go")
	if err != nil {
		b.err = fmt.Errorf("the go command is needed to build the hub: %w", err)
		return
	}
	if b.dir, err = os.MkdirTemp("", "poort-processtest-"); err != nil {
		b.err = err
		return
	}
	b.path = filepath.Join(b.dir, "poort")
	if runtime.GOOS == "windows" {
		b.path += ".exe"
	}
	cmd := exec.Command(goTool, "build", "-o", b.path, "./cmd/poort")
	cmd.Dir = root
	if out, err := cmd.CombinedOutput(); err != nil {
		b.err = fmt.Errorf("go build ./cmd/poort: %w\n%s", err, out)
	}
}

func (b *binary) remove() {
	if b.dir != "" {
		os.RemoveAll(b.dir)
	}
}

// moduleRoot finds the directory of the poort module's go.mod, upwards
// from the working directory (which go test sets to this package's).
func moduleRoot() (string, error) {
	dir, err := os.Getwd()
	if err != nil {
		return "", err
	}
	for {
		b, err := os.ReadFile(filepath.Join(dir, "go.mod"))
		if err == nil && bytes.Contains(b, []byte("module github.com/poort-nl/poort\n")) {
			return dir, nil
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			return "", errors.New("no go.mod of github.com/poort-nl/poort above the working directory")
		}
		dir = parent
	}
}
