package statedir

import (
	"os"
	"path/filepath"
	"testing"
)

func TestDir(t *testing.T) {
	for _, tt := range []struct {
		name string
		env  map[string]string
		want string
	}{
		{"configured", map[string]string{Variable: "/srv/poort", "HOME": "/home/a"}, "/srv/poort"},
		{"XDG", map[string]string{"XDG_STATE_HOME": "/x/state", "HOME": "/home/a"}, "/x/state/poort"},
		{"a relative XDG is ignored, as the specification says", map[string]string{"XDG_STATE_HOME": "state", "HOME": "/home/a"}, "/home/a/.local/state/poort"},
		{"home", map[string]string{"HOME": "/home/a"}, "/home/a/.local/state/poort"},
		{"nothing", nil, filepath.Join(os.TempDir(), "poort")},
	} {
		if got := Dir(func(k string) string { return tt.env[k] }); got != tt.want {
			t.Errorf("%s: Dir = %s, want %s", tt.name, got, tt.want)
		}
	}
}

func TestCreate(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "a", "b")
	getenv := func(k string) string { return map[string]string{Variable: dir}[k] }
	if err := Create(getenv); err != nil {
		t.Fatal(err)
	}
	st, err := os.Stat(dir)
	if err != nil || !st.IsDir() || st.Mode().Perm() != 0o700 {
		t.Fatalf("state directory: %v %v", st, err)
	}
}
