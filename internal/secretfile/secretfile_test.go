package secretfile

import (
	"bytes"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
)

func TestLoadOrCreate(t *testing.T) {
	path := filepath.Join(t.TempDir(), "secret")
	calls := 0
	create := func() ([]byte, error) { calls++; return []byte("s3cret\n"), nil }

	got, created, err := LoadOrCreate(path, create)
	if err != nil || !created || string(got) != "s3cret\n" {
		t.Fatalf("first = %q, %v, %v", got, created, err)
	}
	st, err := os.Stat(path)
	if err != nil || st.Mode().Perm() != 0o600 {
		t.Fatalf("mode = %v, %v; want 0600", st.Mode().Perm(), err)
	}
	again, created, err := LoadOrCreate(path, create)
	if err != nil || created || !bytes.Equal(again, got) || calls != 1 {
		t.Fatalf("second = %q, %v, %v after %d creations", again, created, err, calls)
	}
}

// A secret in a state directory that does not exist yet creates the
// directory, for its owner only.
func TestLoadOrCreateMakesTheDirectory(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "state", "poort")
	if _, _, err := LoadOrCreate(filepath.Join(dir, "key"), func() ([]byte, error) { return []byte("k"), nil }); err != nil {
		t.Fatal(err)
	}
	if st, err := os.Stat(dir); err != nil || st.Mode().Perm() != 0o700 {
		t.Fatalf("directory: %v, %v; want mode 0700", st, err)
	}
}

func TestLoadOrCreateRefusesAFileOthersMayRead(t *testing.T) {
	path := filepath.Join(t.TempDir(), "secret")
	if err := os.WriteFile(path, []byte("x"), 0o644); err != nil {
		t.Fatal(err)
	}
	_, _, err := LoadOrCreate(path, func() ([]byte, error) { return []byte("y"), nil })
	if err == nil || !strings.Contains(err.Error(), "readable by others") {
		t.Fatalf("err = %v", err)
	}
}

func TestLoadOrCreateReportsCreateErrors(t *testing.T) {
	boom := errors.New("no entropy")
	_, _, err := LoadOrCreate(filepath.Join(t.TempDir(), "secret"), func() ([]byte, error) { return nil, boom })
	if !errors.Is(err, boom) {
		t.Fatalf("err = %v", err)
	}
}

// Processes starting together must agree on one secret.
func TestLoadOrCreateConcurrently(t *testing.T) {
	path := filepath.Join(t.TempDir(), "secret")
	var wg sync.WaitGroup
	results := make([][]byte, 8)
	for i := range results {
		wg.Go(func() {
			b, _, err := LoadOrCreate(path, func() ([]byte, error) { return []byte{byte('a' + i)}, nil })
			if err != nil {
				t.Error(err)
			}
			results[i] = b
		})
	}
	wg.Wait()
	for _, r := range results {
		if !bytes.Equal(r, results[0]) {
			t.Fatalf("secrets differ: %q", results)
		}
	}
}
