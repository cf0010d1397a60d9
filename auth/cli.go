package auth

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"strings"
	"time"
)

// RunTokenCLI is `poort token`: it signs a token with the local issuer
// and prints it.
//
//	poort token --role ROLE --purpose P [--purpose P2] [--organisation OIN]
//	            [--subject ID] [--bsn BSN] [--ttl 8h]
//
// A token with --bsn is a citizen's; it needs no role. The token is
// accepted by a hub that runs with the local issuer and the same
// POORT_AUTH_LOCAL_KEY_FILE; a hub pointed at an identity provider does
// not accept it, so the command refuses when one is configured.
func RunTokenCLI(_ context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("poort token", flag.ContinueOnError)
	fs.SetOutput(stderr)
	var p Principal
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
	cfg, err := LoadConfig(getenv)
	if err != nil {
		return err
	}
	if !cfg.UsesLocalIssuer() {
		return errors.New("token: the hub is configured with an identity provider (POORT_AUTH_JWKS_URL or POORT_AUTH_KEYS) and would not accept a locally signed token; get one from the provider")
	}
	p.Purposes = purposes
	iss, err := OpenIssuer(cfg)
	if err != nil {
		return err
	}
	tok, err := iss.Issue(p, *ttl)
	if err != nil {
		return fmt.Errorf("token: %w", err)
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
