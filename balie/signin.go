package balie

import (
	"net/http"
	"net/url"
	"slices"
	"strings"

	"github.com/poort-nl/poort/auth"
	"github.com/poort-nl/poort/policy"
)

// developmentOrganisation is the organisation of development sign-ins, as
// of the hub's development token.
const developmentOrganisation = auth.LocalOrganisation

type signInPage struct {
	Development bool
	Provider    string
	PolicyFile  string
	SignedOut   bool
	Error       string
	Roles       []policy.Role
	Role        *policy.Role
	Purposes    []policy.Purpose
	Employee    string
}

// signInPage offers the identity provider's sign-in, or in development
// mode the roles of the policy and then the purposes of the chosen role.
func (c *Console) signInPage(w http.ResponseWriter, r *http.Request) {
	if c.session(r) != nil && r.URL.RawQuery == "" {
		http.Redirect(w, r, BasePath, http.StatusSeeOther)
		return
	}
	p := signInPage{Development: c.development, SignedOut: r.URL.Query().Has("afgemeld"), PolicyFile: c.policy.File()}
	status := http.StatusOK
	switch {
	case c.oidc != nil:
		u, _ := url.Parse(c.oidc.cfg.Issuer) // checked by LoadConfig
		p.Provider = u.Host
	case c.development:
		p.Roles = c.employeeRoles()
		if name := r.URL.Query().Get("rol"); name != "" {
			role, ok := c.employeeRole(name)
			if !ok {
				p.Error, status = "Die rol staat niet in het beleid, of is geen rol voor een medewerker.", http.StatusBadRequest
				break
			}
			p.Role, p.Employee = &role, "dev-"+role.Name
			for _, name := range role.Purposes {
				if pur, ok := c.policy.Purpose(name); ok {
					p.Purposes = append(p.Purposes, pur)
				}
			}
		}
	default:
		status = http.StatusServiceUnavailable
	}
	c.render(w, r, nil, status, "signin", page{Title: "Aanmelden", Data: p})
}

// employeeRoles are the roles an employee can sign in with in
// development mode: those that act for purposes chosen at sign-in. A
// citizen's role, a role without purposes (the auditor) and a role that
// holds every purpose whatever it chooses (the development role) are not.
func (c *Console) employeeRoles() []policy.Role {
	var out []policy.Role
	for _, r := range c.policy.Roles() {
		if !r.Citizen && !r.Implicit && len(r.Purposes) > 0 {
			out = append(out, r)
		}
	}
	return out
}

func (c *Console) employeeRole(name string) (policy.Role, bool) {
	i := slices.IndexFunc(c.employeeRoles(), func(r policy.Role) bool { return r.Name == name })
	if i < 0 {
		return policy.Role{}, false
	}
	return c.employeeRoles()[i], true
}

// developmentSignIn signs an employee in with the role and purposes they
// chose. It exists only in development mode; the policy checks the choice
// exactly as it checks a token's claims.
func (c *Console) developmentSignIn(w http.ResponseWriter, r *http.Request) {
	if !c.development {
		c.renderError(w, r, nil, http.StatusNotFound, "Niet beschikbaar", "Aanmelden zonder identiteitsprovider kan alleen in ontwikkelmodus.")
		return
	}
	role, ok := c.employeeRole(r.PostFormValue("rol"))
	name := strings.TrimSpace(r.PostFormValue("medewerker"))
	purposes := r.PostForm["doel"]
	fail := func(msg string) {
		p := signInPage{Development: true, PolicyFile: c.policy.File(), Error: msg, Roles: c.employeeRoles(), Employee: name}
		if ok {
			p.Role = &role
			for _, n := range role.Purposes {
				if pur, ok := c.policy.Purpose(n); ok {
					p.Purposes = append(p.Purposes, pur)
				}
			}
		}
		c.render(w, r, nil, http.StatusUnprocessableEntity, "signin", page{Title: "Aanmelden", Data: p})
	}
	switch {
	case !ok:
		fail("Kies een rol uit het beleid.")
		return
	case name == "" || len(name) > 64:
		fail("Vul je naam in (hooguit 64 tekens).")
		return
	case len(purposes) == 0:
		fail("Kies ten minste één doel: zonder doel toont de balie niets.")
		return
	}
	p := auth.Principal{Subject: name, Organisation: developmentOrganisation, Role: role.Name, Purposes: purposes}
	if err := c.policy.For(p).Err(); err != nil {
		fail("Het beleid staat deze keuze niet toe: " + err.Error())
		return
	}
	s, err := newSession(p, c.cfg.SessionTTL, c.now())
	if err != nil {
		fail(err.Error())
		return
	}
	s.Development = true
	c.saveSession(w, r, s)
	http.Redirect(w, r, BasePath, http.StatusSeeOther)
}

// changePurpose switches the purpose the employee acts under to another
// one their sign-in granted.
func (c *Console) changePurpose(w http.ResponseWriter, r *http.Request, s *session) {
	p := r.PostFormValue("doel")
	if !slices.Contains(s.Purposes, p) {
		c.renderError(w, r, s, http.StatusBadRequest, "Onbekend doel", "Je aanmelding geeft dat doel niet.")
		return
	}
	s.Purpose = p
	c.saveSession(w, r, s)
	back := r.Referer()
	if u, err := url.Parse(back); err != nil || u.Host != r.Host || !strings.HasPrefix(u.Path, BasePath) {
		back = BasePath
	}
	http.Redirect(w, r, back, http.StatusSeeOther)
}

// signOut ends the session, and the provider's session when it offers
// an end-session endpoint.
func (c *Console) signOut(w http.ResponseWriter, r *http.Request) {
	s := c.session(r)
	if s != nil && !checkCSRF(r, s) {
		c.renderError(w, r, s, http.StatusForbidden, "Verzoek geweigerd", "Dit formulier is niet vanuit je eigen sessie verstuurd.")
		return
	}
	c.cookiesFor(r).clear(w, sessionCookie)
	if s != nil && s.Logout != "" && c.oidc != nil {
		http.Redirect(w, r, c.oidc.logoutURL(s.Logout), http.StatusSeeOther)
		return
	}
	http.Redirect(w, r, "/balie/aanmelden?afgemeld=1", http.StatusSeeOther)
}
