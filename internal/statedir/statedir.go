// Package statedir names the directory where a hub in development mode
// keeps what it creates for itself: the local issuer's signing key, the
// embedded SQLite database and the pseudonym key beside it. One directory,
// independent of the working directory, so `poort token` run anywhere
// signs with the key the running hub verifies with.
package statedir

import (
	"os"
	"path/filepath"
	"strings"
)

// Variable configures the directory. It is created by whatever first
// writes a file into it (the key, the database), readable only by its
// owner.
const Variable = "POORT_STATE_DIR"

// Dir returns the state directory: POORT_STATE_DIR when set, else poort
// under XDG_STATE_HOME, else ~/.local/state/poort (the XDG default), and
// without a home directory poort under the system's temporary directory.
func Dir(getenv func(string) string) string {
	if d := strings.TrimSpace(getenv(Variable)); d != "" {
		return d
	}
	if d := strings.TrimSpace(getenv("XDG_STATE_HOME")); filepath.IsAbs(d) {
		return filepath.Join(d, "poort")
	}
	if h := strings.TrimSpace(getenv("HOME")); filepath.IsAbs(h) {
		return filepath.Join(h, ".local", "state", "poort")
	}
	return filepath.Join(os.TempDir(), "poort")
}

// Path returns a file in the state directory.
func Path(getenv func(string) string, name string) string {
	return filepath.Join(Dir(getenv), name)
}
