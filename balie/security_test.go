package balie_test

import (
	"bytes"
	"encoding/json"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/poort-nl/poort/auth"
	"github.com/poort-nl/poort/server"
)

// client is an employee's browser without JavaScript: it keeps cookies
// and does not follow redirects, so each answer can be looked at.
type client struct {
	t    testing.TB
	base string
	http *http.Client
}

func newClient(t testing.TB, base string) *client {
	jar, _ := cookiejar.New(nil)
	return &client{t: t, base: base, http: &http.Client{Jar: jar, Timeout: 20 * time.Second,
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}}
}

func (c *client) do(method, path string, form url.Values, header map[string]string) (*http.Response, string) {
	c.t.Helper()
	var body *strings.Reader
	if form != nil {
		body = strings.NewReader(form.Encode())
	} else {
		body = strings.NewReader("")
	}
	req, err := http.NewRequest(method, c.base+path, body)
	if err != nil {
		c.t.Fatal(err)
	}
	if form != nil {
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	}
	for k, v := range header {
		req.Header.Set(k, v)
	}
	resp, err := c.http.Do(req)
	if err != nil {
		c.t.Fatal(err)
	}
	defer resp.Body.Close()
	var b bytes.Buffer
	b.ReadFrom(resp.Body)
	return resp, b.String()
}

// signIn signs in on the development sign-in page and returns the
// session's CSRF token, read from a page as a browser would.
func (c *client) signIn(role string, purposes ...string) string {
	c.t.Helper()
	resp, _ := c.do("POST", "/balie/aanmelden", url.Values{"rol": {role}, "medewerker": {"dev-test"}, "doel": purposes}, nil)
	if resp.StatusCode != http.StatusSeeOther {
		c.t.Fatalf("development sign-in: %s", resp.Status)
	}
	_, page := c.do("GET", "/balie/", nil, nil)
	i := strings.Index(page, `name="_csrf" value="`)
	if i < 0 {
		c.t.Fatal("no CSRF token on the search page")
	}
	tok := page[i+len(`name="_csrf" value="`):]
	return tok[:strings.IndexByte(tok, '"')]
}

func TestConsoleSecurity(t *testing.T) {
	h := startHub(t, nil, server.Options{})
	p := testPopulation(t)
	bsn := p.Scenarios.JobLoss
	c := newClient(t, h.url)

	t.Run("the policy checks the development sign-in", func(t *testing.T) {
		resp, page := c.do("POST", "/balie/aanmelden", url.Values{"rol": {"vergunningverlener"}, "medewerker": {"x"}, "doel": {"werk-en-inkomen"}}, nil)
		if resp.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(page, "werk-en-inkomen") {
			t.Errorf("a purpose the role may not hold: %s", resp.Status)
		}
		resp, _ = c.do("POST", "/balie/aanmelden", url.Values{"rol": {"burger"}, "medewerker": {"x"}, "doel": {"inzage-eigen-gegevens"}}, nil)
		if resp.StatusCode != http.StatusUnprocessableEntity {
			t.Errorf("a citizen's role at the employees' sign-in: %s", resp.Status)
		}
	})

	csrf := c.signIn("kcc-medewerker", "kcc-algemeen", "verhuizen")

	t.Run("no identifier in a URL", func(t *testing.T) {
		resp, _ := c.do("POST", "/balie/zoeken", url.Values{"_csrf": {csrf}, "soort": {"bsn"}, "bsn": {bsn}}, nil)
		loc := resp.Header.Get("Location")
		if resp.StatusCode != http.StatusSeeOther || !strings.HasPrefix(loc, "/balie/persoon/") || strings.Contains(loc, bsn) {
			t.Fatalf("search answered %s to %q", resp.Status, loc)
		}
		resp, page := c.do("GET", loc, nil, nil)
		if resp.StatusCode != http.StatusOK || !strings.Contains(page, bsn) {
			t.Fatalf("card: %s", resp.Status)
		}
		if cc := resp.Header.Get("Cache-Control"); cc != "no-store" {
			t.Errorf("a card with personal data may be cached: Cache-Control %q", cc)
		}
		// The reference is this session's: another employee cannot use it.
		other := newClient(t, h.url)
		other.signIn("kcc-medewerker", "kcc-algemeen")
		if resp, _ := other.do("GET", loc, nil, nil); resp.StatusCode != http.StatusNotFound {
			t.Errorf("another session opened the card's link: %s", resp.Status)
		}
	})

	t.Run("state changes need the session's CSRF token", func(t *testing.T) {
		resp, _ := c.do("POST", "/balie/doel", url.Values{"doel": {"verhuizen"}}, nil)
		if resp.StatusCode != http.StatusForbidden {
			t.Errorf("without the token: %s", resp.Status)
		}
		resp, _ = c.do("POST", "/balie/doel", url.Values{"doel": {"verhuizen"}, "_csrf": {csrf}},
			map[string]string{"Sec-Fetch-Site": "cross-site", "Origin": "https://elders.example"})
		if resp.StatusCode != http.StatusForbidden {
			t.Errorf("from another site, with the token: %s", resp.Status)
		}
		resp, _ = c.do("POST", "/balie/doel", url.Values{"doel": {"verhuizen"}, "_csrf": {csrf}}, nil)
		if resp.StatusCode != http.StatusSeeOther {
			t.Errorf("with the token: %s", resp.Status)
		}
		resp, _ = c.do("POST", "/balie/doel", url.Values{"doel": {"werk-en-inkomen"}, "_csrf": {csrf}}, nil)
		if resp.StatusCode != http.StatusBadRequest {
			t.Errorf("a purpose the sign-in did not grant: %s", resp.Status)
		}
	})

	t.Run("the console's reads are in the audit log", func(t *testing.T) {
		tok, err := h.Issuer.Issue(auth.Principal{Subject: "privacy-officer", Organisation: "poort-local", Role: "auditor"}, time.Minute)
		if err != nil {
			t.Fatal(err)
		}
		body, _ := json.Marshal(map[string]any{
			"query":     `query($id: String!) { auditLog(subjectId: $id, first: 100) { edges { node { purpose principal { subject role } } } } }`,
			"variables": map[string]any{"id": bsn},
		})
		req, _ := http.NewRequest("POST", h.url+"/graphql", bytes.NewReader(body))
		req.Header.Set("Content-Type", "application/json")
		req.Header.Set("Authorization", "Bearer "+tok)
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		var out struct {
			Data struct {
				AuditLog struct {
					Edges []struct {
						Node struct {
							Purpose   string
							Principal struct{ Subject, Role string }
						}
					}
				}
			}
		}
		json.NewDecoder(resp.Body).Decode(&out)
		found := false
		for _, e := range out.Data.AuditLog.Edges {
			if e.Node.Principal.Subject == "dev-test" && e.Node.Principal.Role == "kcc-medewerker" && e.Node.Purpose == "kcc-algemeen" {
				found = true
			}
		}
		if !found {
			t.Errorf("the audit log holds no disclosure to the console's employee under kcc-algemeen: %+v", out.Data.AuditLog.Edges)
		}
	})

	t.Run("signed out", func(t *testing.T) {
		resp, _ := c.do("POST", "/balie/afmelden", url.Values{"_csrf": {csrf}}, nil)
		if resp.StatusCode != http.StatusSeeOther {
			t.Fatalf("sign-out: %s", resp.Status)
		}
		if resp, _ := c.do("GET", "/balie/werk", nil, nil); resp.StatusCode != http.StatusSeeOther || resp.Header.Get("Location") != "/balie/aanmelden" {
			t.Errorf("after sign-out: %s to %q", resp.Status, resp.Header.Get("Location"))
		}
	})
}

// TestNoDevelopmentSignInInProduction: with an identity provider the
// development sign-in does not exist.
func TestNoDevelopmentSignInInProduction(t *testing.T) {
	idp := newTestProvider(t, "balie", "geheim")
	h := startHub(t, func(hub string) map[string]string {
		return production(t, map[string]string{
			"POORT_AUTH_ISSUER": idp.url, "POORT_AUTH_JWKS_URL": idp.url + "/jwks",
			"POORT_CONSOLE_OIDC_CLIENT_ID": "balie", "POORT_CONSOLE_OIDC_CLIENT_SECRET": "geheim",
			"POORT_CONSOLE_OIDC_REDIRECT_URL": hub + "/balie/oidc/callback", "POORT_CONSOLE_SESSION_KEY": strings.Repeat("cd", 32),
		})
	}, server.Options{})
	c := newClient(t, h.url)
	resp, _ := c.do("POST", "/balie/aanmelden", url.Values{"rol": {"kcc-medewerker"}, "medewerker": {"x"}, "doel": {"kcc-algemeen"}}, nil)
	if resp.StatusCode != http.StatusNotFound {
		t.Errorf("development sign-in with an identity provider: %s", resp.Status)
	}
	for _, ck := range c.http.Jar.Cookies(mustURL(t, h.url)) {
		t.Errorf("the refused sign-in set cookie %s", ck.Name)
	}
}

func mustURL(t *testing.T, s string) *url.URL {
	u, err := url.Parse(s)
	if err != nil {
		t.Fatal(err)
	}
	return u
}
