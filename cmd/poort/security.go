package main

import (
	"context"
	"encoding/hex"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/poort-nl/poort/audit"
	"github.com/poort-nl/poort/auth"
)

// token is `poort token`: it signs a token with the local issuer and
// prints it.
func token(_ context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("poort token", flag.ContinueOnError)
	fs.SetOutput(stderr)
	var p auth.Principal
	var purposes listFlag
	fs.StringVar(&p.Role, "role", "", "the role, e.g. kcc-medewerker (required unless --bsn)")
	fs.Var(&purposes, "purpose", "a purpose the token grants; repeat or separate with commas")
	fs.StringVar(&p.Organisation, "organisation", "", "the organisation's OIN")
	fs.StringVar(&p.Subject, "subject", "developer", "the employee or client the token is for")
	fs.StringVar(&p.CitizenBSN, "bsn", "", "make a citizen's token for this BSN")
	ttl := fs.Duration("ttl", 8*time.Hour, "how long the token is valid")
	fs.Usage = func() {
		fmt.Fprintln(stderr, "usage: poort token --role ROLE --purpose P [--purpose P2] [--organisation OIN] [--subject ID] [--bsn BSN] [--ttl 8h]")
		fs.PrintDefaults()
	}
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return nil
		}
		return err
	}
	if fs.NArg() > 0 {
		return fmt.Errorf("token: unexpected argument %q", fs.Arg(0))
	}
	cfg, err := auth.LoadConfig(getenv)
	if err != nil {
		return err
	}
	p.Purposes = purposes
	tok, err := auth.IssueLocal(cfg, p, *ttl)
	if err != nil {
		return err
	}
	_, err = fmt.Fprintln(stdout, tok)
	return err
}

// listFlag collects a repeatable, comma-separated flag.
type listFlag []string

func (l *listFlag) String() string { return strings.Join(*l, ",") }

func (l *listFlag) Set(s string) error {
	for _, v := range strings.Split(s, ",") {
		if v = strings.TrimSpace(v); v != "" {
			*l = append(*l, v)
		}
	}
	return nil
}

// auditCommand is `poort audit verify [--json]`: it walks the audit log's
// hash chain in the store of POORT_DATABASE_URL (default sqlite:poort.db)
// and prints the report. It fails, so the process exits non-zero, when the
// chain is broken or the log cannot be read. POORT_PSEUDONYM_KEY is used
// when set.
func auditCommand(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) error {
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
	var key []byte
	if k := strings.TrimSpace(getenv("POORT_PSEUDONYM_KEY")); k != "" {
		var err error
		if key, err = hex.DecodeString(k); err != nil {
			return errors.New("audit verify: POORT_PSEUDONYM_KEY: want hex digits")
		}
	}
	rep, err := audit.Verify(ctx, dsn, key)
	if err != nil {
		return err
	}
	if *asJSON {
		enc := json.NewEncoder(stdout)
		enc.SetIndent("", "  ")
		if err := enc.Encode(rep); err != nil {
			return err
		}
	} else {
		audit.WriteReport(stdout, rep)
	}
	if !rep.OK {
		return fmt.Errorf("audit log chain broken at record %d", rep.FirstBroken.Seq)
	}
	return nil
}
