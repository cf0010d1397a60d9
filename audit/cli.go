package audit

import (
	"context"
	"encoding/hex"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"strings"

	"github.com/poort-nl/poort/store"
)

// RunAuditCLI is `poort audit`:
//
//	poort audit verify [--json]
//
// verify opens the store of POORT_DATABASE_URL (default sqlite:poort.db),
// walks the audit log's hash chain and prints the report. It returns an
// error, so the process exits non-zero, when the chain is broken or the log
// cannot be read. It needs no pseudonymisation key; POORT_PSEUDONYM_KEY is
// used when set.
func RunAuditCLI(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) error {
	if len(args) == 0 || args[0] != "verify" {
		fmt.Fprintln(stderr, "usage: poort audit verify [--json]")
		if len(args) == 0 {
			return errors.New("audit: name a subcommand: verify")
		}
		return fmt.Errorf("audit: unknown subcommand %q; want verify", args[0])
	}
	fs := flag.NewFlagSet("poort audit verify", flag.ContinueOnError)
	fs.SetOutput(stderr)
	asJSON := fs.Bool("json", false, "print the report as JSON")
	if err := fs.Parse(args[1:]); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return nil
		}
		return err
	}
	dsn := strings.TrimSpace(getenv("POORT_DATABASE_URL"))
	if dsn == "" {
		dsn = "sqlite:poort.db"
	}
	if path, ok := sqliteFile(dsn); ok {
		// Opening a missing file would create an empty, trivially valid log.
		if _, err := os.Stat(path); err != nil {
			return fmt.Errorf("audit verify: no database at %s: %w", path, err)
		}
	}
	var opts []store.Option
	if k := strings.TrimSpace(getenv("POORT_PSEUDONYM_KEY")); k != "" {
		key, err := hex.DecodeString(k)
		if err != nil {
			return errors.New("audit verify: POORT_PSEUDONYM_KEY: want hex digits")
		}
		opts = append(opts, store.WithPseudonymKey(key))
	}
	s, err := store.Open(ctx, dsn, opts...)
	if err != nil {
		return fmt.Errorf("audit verify: open store: %w", err)
	}
	defer s.Close()
	rep, err := s.VerifyAudit(ctx)
	if err != nil {
		return fmt.Errorf("audit verify: %w", err)
	}
	if *asJSON {
		enc := json.NewEncoder(stdout)
		enc.SetIndent("", "  ")
		if err := enc.Encode(rep); err != nil {
			return err
		}
	} else {
		printReport(stdout, rep)
	}
	if !rep.OK {
		return fmt.Errorf("audit log chain broken at record %d", rep.FirstBroken.Seq)
	}
	return nil
}

func printReport(w io.Writer, rep store.VerifyReport) {
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
