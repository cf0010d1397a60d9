package audit

import (
	"context"
	"fmt"
	"io"
	"os"
	"strings"

	"github.com/poort-nl/poort/store"
)

// Verify opens the store at databaseURL, walks the audit log's hash chain
// and returns the report, as `poort audit verify` prints it. The chain
// needs no pseudonymisation key; pseudonymKey, when given, is the store's.
// A SQLite file that does not exist is an error, not an empty and so
// trivially intact log.
func Verify(ctx context.Context, databaseURL string, pseudonymKey []byte) (store.VerifyReport, error) {
	if path, ok := sqliteFile(databaseURL); ok {
		if _, err := os.Stat(path); err != nil {
			return store.VerifyReport{}, fmt.Errorf("audit verify: no database at %s: %w", path, err)
		}
	}
	var opts []store.Option
	if len(pseudonymKey) > 0 {
		opts = append(opts, store.WithPseudonymKey(pseudonymKey))
	}
	s, err := store.Open(ctx, databaseURL, opts...)
	if err != nil {
		return store.VerifyReport{}, fmt.Errorf("audit verify: open store: %w", err)
	}
	defer s.Close()
	rep, err := s.VerifyAudit(ctx)
	if err != nil {
		return store.VerifyReport{}, fmt.Errorf("audit verify: %w", err)
	}
	return rep, nil
}

// WriteReport writes a verification report for a reader.
func WriteReport(w io.Writer, rep store.VerifyReport) {
	if rep.OK {
		fmt.Fprintf(w, "audit log intact: %d records checked\n", rep.Checked)
	} else {
		fmt.Fprintf(w, "audit log BROKEN at record %d: %s\n", rep.FirstBroken.Seq, rep.FirstBroken.Reason)
		fmt.Fprintf(w, "records checked: %d\n", rep.Checked)
	}
	fmt.Fprintf(w, "chain head: record %d, hash %s\n", rep.HeadSeq, rep.HeadHash)
	fmt.Fprintln(w, "keep the head hash elsewhere: a later run that does not extend it shows a rewritten log")
}

func sqliteFile(dsn string) (string, bool) {
	for _, p := range []string{"sqlite:", "file:"} {
		if rest, ok := strings.CutPrefix(dsn, p); ok {
			rest, _, _ = strings.Cut(rest, "?")
			if rest == "" || rest == ":memory:" {
				return "", false
			}
			return rest, true
		}
	}
	return "", false
}
