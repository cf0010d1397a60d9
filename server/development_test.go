package server_test

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/poort-nl/poort/auth"
	"github.com/poort-nl/poort/cases"
	"github.com/poort-nl/poort/internal/logging"
	"github.com/poort-nl/poort/mocks"
	"github.com/poort-nl/poort/mocks/partners"
	"github.com/poort-nl/poort/policy"
	"github.com/poort-nl/poort/server"
	"github.com/poort-nl/poort/server/hubtest"
	"github.com/poort-nl/poort/store"
)

// productionHub is a hub configured as in production: the registries,
// the identity provider and the partners' intake at URLs (played here by
// the mocks, the test's own signing key and the mock intake, none of them
// embedded in the hub), a pseudonym key, and the given database.
type productionHub struct {
	*hubtest.Hub
	// idp signs tokens the hub accepts, as the identity provider would.
	idp *auth.Issuer
}

const testIdP = "https://idp.test.example/realms/gemeente"

// extra, when set, gives further variables from the running mocks.
func newProductionHub(t *testing.T, databaseURL string, extra func(*mocks.Set) map[string]string) *productionHub {
	t.Helper()
	set, err := mocks.Start(testPopulation(t), server.MockRegistrations(server.Registries()), mocks.Options{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { set.Close() })
	intake, err := partners.Start("127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { intake.Close() })
	dir, _ := json.Marshal(cases.MockDirectory(intake.URL))

	keys := t.TempDir()
	idp, err := auth.OpenIssuer(auth.Config{Issuer: testIdP, Audience: "poort", LocalKeyFile: filepath.Join(keys, "idp.json"), Claims: auth.DefaultClaimNames()})
	if err != nil {
		t.Fatal(err)
	}
	pub, _ := json.Marshal(idp.PublicKey())
	if err := os.WriteFile(filepath.Join(keys, "idp-public.json"), pub, 0o600); err != nil {
		t.Fatal(err)
	}
	vars := map[string]string{
		"POORT_DATABASE_URL": databaseURL, "POORT_AUTH_ISSUER": testIdP, "POORT_AUTH_KEYS": filepath.Join(keys, "idp-public.json"),
		"POORT_PSEUDONYM_KEY": strings.Repeat("5e", 32), "POORT_PARTNER_DIRECTORY": string(dir),
	}
	for _, r := range set.Registries() {
		vars["POORT_"+r+"_URL"] = set.BaseURL(r)
	}
	if extra != nil {
		for k, v := range extra(set) {
			vars[k] = v
		}
	}
	cfg, err := server.LoadConfig(env(vars))
	if err != nil {
		t.Fatal(err)
	}
	return &productionHub{Hub: hubtest.StartWith(t, cfg, hubtest.Options{}), idp: idp}
}

// idpToken signs a token as the identity provider would.
func (h *productionHub) idpToken(t *testing.T, p auth.Principal) string {
	t.Helper()
	if p.Subject == "" {
		p.Subject, p.Organisation = "employee-1", "00000001234567890000"
	}
	tok, err := h.idp.Issue(p, time.Hour)
	if err != nil {
		t.Fatal(err)
	}
	return tok
}

// A hub configured for production, here on PostgreSQL with a pseudonym
// key, hands out no development token: it starts no mocks and no local
// issuer, its playground asks for a token, and the development role is
// unknown to it.
func TestProductionHubHasNoDevelopmentToken(t *testing.T) {
	h := newProductionHub(t, stores.PostgresDSN(t), nil)
	if h.Development || h.Mocks != nil || h.Issuer != nil || h.Partners != nil {
		t.Fatalf("development %v, mocks %v, issuer %v, partner mock %v", h.Development, h.Mocks != nil, h.Issuer != nil, h.Partners != nil)
	}
	if h.Store.Dialect() != store.Postgres {
		t.Fatalf("store on %s", h.Store.Dialect())
	}
	if _, err := h.DevelopmentToken(time.Minute); err == nil {
		t.Fatal("a development token outside development mode")
	}
	resp, err := http.Get(h.URL + "/playground")
	if err != nil {
		t.Fatal(err)
	}
	page, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK || strings.Contains(string(page), "Bearer ey") || !strings.Contains(string(page), "a token from your identity provider") {
		t.Fatalf("playground = %d, asks for a token: %v, carries one: %v", resp.StatusCode,
			strings.Contains(string(page), "identity provider"), strings.Contains(string(page), "Bearer ey"))
	}
	bsn := testPopulation(t).Scenarios.Household
	q := `query($bsn: String!) { person(bsn: $bsn) { name { fullName } } }`
	dev := h.idpToken(t, auth.Principal{Role: policy.DevelopmentRole})
	if r := h.QueryAs(t, dev, q, map[string]any{"bsn": bsn}); len(r.Errors) == 0 || r.Errors[0].Extensions["code"] != "FORBIDDEN" {
		t.Fatalf("the development role, signed by the identity provider: %s %+v", r.Data, r.Errors)
	}
	kcc := h.idpToken(t, auth.Principal{Role: "kcc-medewerker", Purposes: []string{"kcc-algemeen"}})
	var got struct {
		Person struct{ Name struct{ FullName string } }
	}
	h.QueryAs(t, kcc, q, map[string]any{"bsn": bsn}).Decode(t, &got)
	if got.Person.Name.FullName == "" {
		t.Fatal("no name through the configured registries")
	}
}

// In development mode the audit log's pseudonym key is generated once, in
// a file beside the database that only its owner may read, and a restart
// on the same database keeps it, so the auditor still finds a subject's
// records; a warning says so on every start.
func TestDevelopmentPseudonymKeyFile(t *testing.T) {
	dir := t.TempDir()
	db := filepath.Join(dir, "poort.db")
	bsn := testPopulation(t).Scenarios.Household
	records := func(log *strings.Builder) int {
		t.Helper()
		logger, _ := logging.New(log, "text", "warn")
		h := newHubWith(t, logger, server.Options{}, func(c *server.Config) { c.DatabaseURL = "sqlite:" + db })
		h.Query(t, `query($bsn: String!) { person(bsn: $bsn) { name { fullName } } }`, map[string]any{"bsn": bsn})
		auditor := h.TokenFor(t, auth.Principal{Role: "auditor"})
		var got struct{ AuditLog struct{ TotalCount int } }
		h.QueryAs(t, auditor, `query($id: String!) { auditLog(subjectId: $id) { totalCount } }`, map[string]any{"id": bsn}).Decode(t, &got)
		return got.AuditLog.TotalCount
	}
	var first, second strings.Builder
	if n := records(&first); n != 1 {
		t.Fatalf("first start: %d records, want 1", n)
	}
	st, err := os.Stat(db + ".pseudonym-key")
	if err != nil || st.Mode().Perm() != 0o600 {
		t.Fatalf("key file: %v, mode %v", err, st.Mode().Perm())
	}
	key, _ := os.ReadFile(db + ".pseudonym-key")
	if n := records(&second); n != 2 {
		t.Fatalf("after a restart: %d records, want 2 (the key changed?)", n)
	}
	if again, _ := os.ReadFile(db + ".pseudonym-key"); string(again) != string(key) {
		t.Fatal("the key file was replaced")
	}
	for i, log := range []string{first.String(), second.String()} {
		if !strings.Contains(log, "level=WARN") || !strings.Contains(log, "pseudonym key") {
			t.Errorf("start %d logged no warning about the generated key:\n%s", i+1, log)
		}
	}
	if strings.Contains(first.String(), fmt.Sprintf("%x", key)) {
		t.Error("the key itself was logged")
	}
}

// A policy whose role names a team that is neither the front office nor a
// chain partner is refused at start-up: its handovers would reach no one.
func TestPolicyTeamsMustBePartners(t *testing.T) {
	file := filepath.Join(t.TempDir(), "policy.yaml")
	policy := `purposes:
  adressen:
    description: Look up addresses.
    sources: [BAG]
roles:
  baliemedewerker:
    description: Desk employee.
    team: %s
    purposes: [adressen]
`
	for team, ok := range map[string]bool{"front-office": true, "civil-affairs": true, "ministry-of-magic": false} {
		if err := os.WriteFile(file, []byte(fmt.Sprintf(policy, team)), 0o600); err != nil {
			t.Fatal(err)
		}
		cfg, err := server.LoadConfig(env(map[string]string{"POORT_POLICY_FILE": file}))
		if err != nil {
			t.Fatal(err)
		}
		cfg.DatabaseURL, cfg.Auth.LocalKeyFile = "sqlite::memory:", filepath.Join(t.TempDir(), "key.json")
		h, err := server.NewHub(context.Background(), cfg, logging.Discard(), server.Options{Population: testPopulation(t)})
		if err == nil {
			h.Close()
		}
		if ok != (err == nil) || !ok && !strings.Contains(err.Error(), team) {
			t.Errorf("team %s: %v", team, err)
		}
	}
}
