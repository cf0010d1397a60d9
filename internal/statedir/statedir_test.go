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
