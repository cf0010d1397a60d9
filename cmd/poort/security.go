package main

import (
	"context"
	"encoding/hex"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"maps"
	"slices"
	"strings"
	"time"

	"github.com/poort-nl/poort/audit"
	"github.com/poort-nl/poort/auth"
	"github.com/poort-nl/poort/graph"
	"github.com/poort-nl/poort/internal/cli"
	"github.com/poort-nl/poort/internal/lineage"
	"github.com/poort-nl/poort/policy"
	"github.com/poort-nl/poort/server"
)

const tokenUsage = `usage: poort token --role ROLE --purpose P [--purpose P2] [--organisation OIN] [--subject ID] [--ttl 8h]
       poort token --bsn BSN

Signs a token with the hub's local issuer (development mode), with the key
in the state directory the hub verifies with. The role and purposes are
checked against the hub's policy (POORT_POLICY_FILE or the embedded one):
a purpose the role may not act for is refused, a role or purpose the policy
does not know is warned about.

Flags:
`

// token is `poort token`: it signs a token with the local issuer and
// prints it.
func token(_ context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("poort token", flag.ContinueOnError)
	var p auth.Principal
	var purposes listFlag
	fs.StringVar(&p.Role, "role", "", "the `role`, e.g. kcc-medewerker (required unless --bsn)")
	fs.Var(&purposes, "purpose", "a `purpose` the token grants; repeat or separate with commas")
	fs.StringVar(&p.Organisation, "organisation", auth.LocalOrganisation, "the organisation's `OIN`")
	fs.StringVar(&p.Subject, "subject", "developer", "the employee or client the token is for")
	fs.StringVar(&p.CitizenBSN, "bsn", "", "make a citizen's token for this `BSN`")
	ttl := fs.Duration("ttl", 8*time.Hour, "how long the token is valid")
	if done, err := cli.Parse(fs, args, tokenUsage, stdout); done || err != nil {
		return err
	}
	p.Purposes = purposes
	if err := checkAgainstPolicy(getenv, p, stderr); err != nil {
		return err
	}
	cfg, err := auth.LoadConfig(getenv)
	if err != nil {
		return err
	}
	tok, err := auth.IssueLocal(cfg, p, *ttl)
	if err != nil {
		return err
	}
	_, err = fmt.Fprintln(stdout, tok)
	return err
}

// checkAgainstPolicy refuses a token the hub's policy would refuse for
// every request (a purpose its role may not act for, a BSN on a role that
// is not a citizen's), and warns of names the policy does not know: the
// hub may run with another policy file.
func checkAgainstPolicy(getenv func(string) string, p auth.Principal, stderr io.Writer) error {
	pol, err := loadPolicy(getenv)
	if err != nil {
		return fmt.Errorf("token: %w", err)
	}
	roles := map[string]policy.Role{}
	for _, r := range pol.Roles() {
		roles[r.Name] = r
	}
	source := "the embedded policy"
	if f := getenv("POORT_POLICY_FILE"); f != "" {
		source = f
	}
	if p.CitizenBSN != "" && p.Role == "" {
		return nil // the hub gives a citizen's token its citizen role
	}
	role, known := roles[p.Role]
	if !known {
		fmt.Fprintf(stderr, "poort token: warning: role %q is not in %s (roles: %s); the hub refuses its requests\n", p.Role, source, strings.Join(slices.Sorted(maps.Keys(roles)), ", "))
	}
	for _, purpose := range p.Purposes {
		switch _, ok := pol.Purpose(purpose); {
		case !ok:
			fmt.Fprintf(stderr, "poort token: warning: purpose %q is not in %s; it grants nothing\n", purpose, source)
		case known && !role.Implicit && !slices.Contains(role.Purposes, purpose):
			return fmt.Errorf("token: role %s may not act for purpose %s in %s; its purposes are %s", p.Role, purpose, source, strings.Join(role.Purposes, ", "))
		}
	}
	if known && p.CitizenBSN != "" && !role.Citizen {
		return fmt.Errorf("token: role %s is not a citizen's, and only a citizen's token carries a BSN", p.Role)
	}
	if known && p.CitizenBSN == "" && role.Citizen {
		return fmt.Errorf("token: role %s is a citizen's: give the citizen's --bsn", p.Role)
	}
	return nil
}

// loadPolicy loads the policy the hub would: POORT_POLICY_FILE, or the
// embedded one with the development role (the local issuer is for
// development).
func loadPolicy(getenv func(string) string) (*policy.Policy, error) {
	ix, err := lineage.FromSchema(graph.NewExecutableSchema(graph.Config{}).Schema())
	if err != nil {
		return nil, err
	}
	if f := getenv("POORT_POLICY_FILE"); f != "" {
		return policy.Load(f, ix)
	}
	return policy.LoadDevelopment(ix)
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
// hash chain in the store of POORT_DATABASE_URL (default poort.db in the
// state directory)
// and prints the report. It fails, so the process exits non-zero, when the
// chain is broken or the log cannot be read. POORT_PSEUDONYM_KEY is used
// when set.
func auditCommand(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) error {
	const usage = "usage: poort audit verify [--json]\n\nWalks the audit log's hash chain in the store of POORT_DATABASE_URL (default\npoort.db in POORT_STATE_DIR) and reports where it breaks, if it does.\n\nFlags:\n"
	fs := flag.NewFlagSet("poort audit verify", flag.ContinueOnError)
	asJSON := fs.Bool("json", false, "print the report as JSON")
	switch {
	case len(args) > 0 && args[0] == "verify":
	case len(args) > 0 && slices.Contains([]string{"-h", "-help", "--help"}, args[0]):
		cli.PrintUsage(fs, usage, stdout)
		return nil
	case len(args) == 0:
		return errors.New("poort audit: name a subcommand: verify; run `poort audit --help`")
	default:
		return fmt.Errorf("poort audit: unknown subcommand %q; want verify", args[0])
	}
	if done, err := cli.Parse(fs, args[1:], usage, stdout); done || err != nil {
		return err
	}
	dsn := strings.TrimSpace(getenv("POORT_DATABASE_URL"))
	if dsn == "" {
		dsn = server.DefaultDatabaseURL(getenv)
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
