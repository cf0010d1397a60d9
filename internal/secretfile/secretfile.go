// Package secretfile keeps a secret the hub generates for itself (a
// signing key, a pseudonymisation key) in a file only its owner can read.
package secretfile

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
)

// LoadOrCreate returns the contents of the file at path, creating it with
// the bytes create returns when it does not exist; created says which. The
// file is made readable by its owner only (mode 0600), and an existing file
// that others may read is refused rather than trusted. Creation writes a
// temporary file and links it into place, so two processes starting
// together end up with one secret.
func LoadOrCreate(path string, create func() ([]byte, error)) (data []byte, created bool, err error) {
	data, err = read(path)
	if err == nil || !errors.Is(err, fs.ErrNotExist) {
		return data, false, err
	}
	data, err = create()
	if err != nil {
		return nil, false, err
	}
	if err := os.MkdirAll(filepath.Dir(path), 0o700); err != nil {
		return nil, false, fmt.Errorf("create %s: %w", path, err)
	}
	tmp, err := os.CreateTemp(filepath.Dir(path), ".poort-secret-*")
	if err != nil {
		return nil, false, fmt.Errorf("create %s: %w", path, err)
	}
	defer os.Remove(tmp.Name())
	if err := tmp.Chmod(0o600); err != nil {
		tmp.Close()
		return nil, false, fmt.Errorf("create %s: %w", path, err)
	}
	if _, err := tmp.Write(data); err != nil {
		tmp.Close()
		return nil, false, fmt.Errorf("write %s: %w", path, err)
	}
	if err := tmp.Close(); err != nil {
		return nil, false, fmt.Errorf("write %s: %w", path, err)
	}
	if err := os.Link(tmp.Name(), path); err != nil {
		if errors.Is(err, fs.ErrExist) {
			data, err = read(path) // another process was first
			return data, false, err
		}
		return nil, false, fmt.Errorf("create %s: %w", path, err)
	}
	return data, true, nil
}

// read returns the file's contents, refusing a file others may read.
func read(path string) ([]byte, error) {
	st, err := os.Stat(path)
	if err != nil {
		return nil, err
	}
	if st.Mode().Perm()&0o077 != 0 {
		return nil, fmt.Errorf("%s is readable by others (mode %v): chmod 600 it", path, st.Mode().Perm())
	}
	return os.ReadFile(path)
}
