package server

import (
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"log/slog"
	"strings"

	"github.com/poort-nl/poort/internal/secretfile"
)

// pseudonymKey returns the key that pseudonymises data subjects in the
// audit log: POORT_PSEUDONYM_KEY, or in development mode a random key,
// generated once and kept beside the SQLite database in a file only its
// owner may read (in memory only, with an in-memory database). A generated
// key is logged as a warning on every start: it is fit for development
// only.
func (c Config) pseudonymKey(log *slog.Logger) ([]byte, error) {
	if c.PseudonymKey != "" {
		return decodePseudonymKey(c.PseudonymKey)
	}
	if !c.DevelopmentMode() {
		return nil, errors.New("POORT_PSEUDONYM_KEY is required outside development mode")
	}
	path, ok := sqliteFile(c.DatabaseURL)
	if !ok {
		log.Warn("development mode: the audit log's pseudonym key is random and lives only as long as the in-memory database; set POORT_PSEUDONYM_KEY in production")
		return randomKey()
	}
	file := path + ".pseudonym-key"
	b, created, err := secretfile.LoadOrCreate(file, func() ([]byte, error) {
		k, err := randomKey()
		return []byte(hex.EncodeToString(k) + "\n"), err
	})
	if err != nil {
		return nil, fmt.Errorf("pseudonym key: %w", err)
	}
	log.Warn("development mode: the audit log's pseudonym key is a generated one, kept beside the database; set POORT_PSEUDONYM_KEY in production",
		"file", file, "created", created)
	k, err := decodePseudonymKey(string(b))
	if err != nil {
		return nil, fmt.Errorf("pseudonym key file %s: %w", file, err)
	}
	return k, nil
}

func randomKey() ([]byte, error) {
	k := make([]byte, 32)
	if _, err := rand.Read(k); err != nil {
		return nil, fmt.Errorf("pseudonym key: %w", err)
	}
	return k, nil
}

// sqliteFile returns the file of an SQLite database URL; ok is false for
// an in-memory database or another kind of database.
func sqliteFile(dsn string) (path string, ok bool) {
	for _, prefix := range []string{"sqlite:", "file:"} {
		if rest, found := strings.CutPrefix(dsn, prefix); found {
			path, _, _ = strings.Cut(rest, "?")
			return path, path != "" && path != ":memory:"
		}
	}
	return "", false
}
