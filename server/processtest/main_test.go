package processtest

import (
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
	// go test runs in this package's directory, inside the module, so the
	// binary's import path finds it.
	cmd := exec.Command(goTool, "build", "-o", b.path, "github.com/poort-nl/poort/cmd/poort")
	if out, err := cmd.CombinedOutput(); err != nil {
		b.err = fmt.Errorf("go build github.com/poort-nl/poort/cmd/poort: %w\n%s", err, out)
	}
}

func (b *binary) remove() {
	if b.dir != "" {
		os.RemoveAll(b.dir)
	}
}
