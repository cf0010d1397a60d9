package balie

import (
	"bytes"
	"embed"
	"fmt"
	"html/template"
	"io/fs"
	"net/http"
	"path"
	"strings"
)

//go:embed templates/*.html
var templateFiles embed.FS

// views holds one template set per page, each with the layout and the
// shared parts.
type views struct {
	pages map[string]*template.Template
}

func loadViews() (*views, error) {
	base, err := template.New("base").Funcs(funcs).ParseFS(templateFiles, "templates/_*.html")
	if err != nil {
		return nil, fmt.Errorf("console templates: %w", err)
	}
	names, err := fs.Glob(templateFiles, "templates/[a-z]*.html")
	if err != nil {
		return nil, err
	}
	v := &views{pages: map[string]*template.Template{}}
	for _, n := range names {
		t, err := template.Must(base.Clone()).ParseFS(templateFiles, n)
		if err != nil {
			return nil, fmt.Errorf("console template %s: %w", n, err)
		}
		v.pages[strings.TrimSuffix(path.Base(n), ".html")] = t
	}
	return v, nil
}

// page is what every page's template gets: the layout's needs and the
// page's own data in Data.
type page struct {
	Title       string
	Nav         string
	Session     *session
	Development bool
	Flash       string
	Data        any
}

// render writes a page. A template error is a bug: it is logged and the
// employee gets a plain error, never half a page.
func (c *Console) render(w http.ResponseWriter, r *http.Request, s *session, status int, name string, p page) {
	p.Session, p.Development = s, c.development
	var buf bytes.Buffer
	t := c.views.pages[name]
	if t == nil {
		c.log.Error("console: no such page template", "page", name)
		http.Error(w, "interne fout", http.StatusInternalServerError)
		return
	}
	tmpl := "layout"
	if r.Header.Get("X-Balie-Fragment") != "" && t.Lookup("fragment") != nil {
		tmpl = "fragment"
	}
	if err := t.ExecuteTemplate(&buf, tmpl, p); err != nil {
		c.log.Error("console: page did not render", "page", name, "err", err)
		http.Error(w, "interne fout", http.StatusInternalServerError)
		return
	}
	h := w.Header()
	h.Set("Content-Type", "text/html; charset=utf-8")
	// Pages hold personal data: no cache may keep them.
	h.Set("Cache-Control", "no-store")
	w.WriteHeader(status)
	w.Write(buf.Bytes())
}

// errorPage is the data of the error page.
type errorPage struct {
	Message string
	Code    string
}

func (c *Console) renderError(w http.ResponseWriter, r *http.Request, s *session, status int, title, message string) {
	c.render(w, r, s, status, "error", page{Title: title, Data: errorPage{Message: message}})
}

// renderRefusal shows a request the hub refused as a whole (rate limit,
// audit log unavailable, query limits), with its code.
func (c *Console) renderRefusal(w http.ResponseWriter, r *http.Request, s *session, res *result, err error) {
	if err != nil {
		c.log.Error("console: operation failed", "err", err)
		c.renderError(w, r, s, http.StatusInternalServerError, "Er ging iets mis", "De hub gaf geen bruikbaar antwoord. Probeer het opnieuw.")
		return
	}
	ep := errorPage{Message: "De hub weigerde dit verzoek."}
	if len(res.Errors) > 0 {
		ep.Message, ep.Code = res.Errors[0].Message, res.Errors[0].code()
	}
	status := res.status
	if status < 400 {
		status = http.StatusBadGateway
	}
	c.render(w, r, s, status, "error", page{Title: "Verzoek geweigerd", Data: ep})
}

// dutch names the graph's enum values and codes for the console's users.
var dutch = map[string]string{
	// coupling status
	"AUTOMATED": "geautomatiseerd", "PARTIAL": "gedeeltelijk", "MANUAL": "handmatig", "MISSING": "ontbreekt",
	// step status and coupling state
	"READY": "gereed", "NEEDS_INPUT": "invoer nodig", "UNKNOWN": "onbekend", "BLOCKED": "geblokkeerd",
	"IN_PROGRESS": "in behandeling", "NOT_APPLICABLE": "niet van toepassing", "LIVE_DEGRADED": "nu verstoord",
	// how a partner learns of an event, and task kinds
	"PROVISION": "verstrekking uit een registratie", "HUB": "bericht van de hub", "CITIZEN": "de burger zelf",
	"FRONT_OFFICE": "de balie zelf", "TRACKED": "gevolgd",
	// task, case, message and handover status
	"OPEN": "open", "SENT": "verstuurd", "ACKNOWLEDGED": "opgepakt", "DONE": "afgerond", "FAILED": "mislukt",
	"CLOSED": "gesloten", "CANCELLED": "geannuleerd", "PENDING": "in de wachtrij", "DELIVERED": "afgeleverd",
	"PARKED": "geparkeerd", "HANDED_OVER": "overgedragen",
	// channels
	"DESK": "balie", "PHONE": "telefoon", "WEB": "website", "POST": "post", "EMAIL": "e-mail", "CHAT": "chat", "APP": "app",
	// gaps
	"HIGH": "hoog", "MEDIUM": "middel", "LOW": "laag", "STATIC": "in de catalogus", "LIVE": "nu waargenomen",
	// registry health and circuit breakers (CLOSED and OPEN read as the
	// statuses above)
	"HEALTHY": "gezond", "DEGRADED": "verminderd", "DOWN": "onbereikbaar", "HALF_OPEN": "half open",
	// subjects
	"PERSON": "persoon", "COMPANY": "bedrijf", "ADDRESS": "adres",
	// blockers
	"COUPLING": "koppeling", "REGISTRY": "registratie", "NEED": "gegevens", "WITHHELD": "afgeschermd",
	// company search hits
	"MAIN_BRANCH": "hoofdvestiging", "SIDE_BRANCH": "nevenvestiging", "LEGAL_ENTITY": "rechtspersoon",
	// nationality records, addressable objects and driving licences
	"NATIONALITY": "nationaliteit", "TREATED_AS_DUTCH": "behandeld als Nederlander",
	"ESTABLISHED_NOT_DUTCH": "vastgesteld niet-Nederlander", "STATELESS": "staatloos",
	"UNIT": "verblijfsobject", "BERTH": "ligplaats", "PITCH": "standplaats",
	"VALID": "geldig", "EXPIRED": "verlopen", "WITHDRAWN": "ingetrokken", "INVALIDATED": "ongeldig",
}

var funcs = template.FuncMap{
	"nl":          dutchOr,
	"statusClass": func(v string) string { return "balie-status balie-status--" + strings.ToLower(v) },
	"asset":       assetURL,
	"join":        strings.Join,
	"yesno": func(b bool) string {
		if b {
			return "ja"
		}
		return "nee"
	},
	"dict": func(kv ...any) map[string]any {
		m := map[string]any{}
		for i := 0; i+1 < len(kv); i += 2 {
			m[kv[i].(string)] = kv[i+1]
		}
		return m
	},
	"euro": func(v float64) string { return formatEuro(v) },
	"percent": func(v float64) string {
		return strings.Replace(fmt.Sprintf("%.1f %%", v*100), ".", ",", 1)
	},
}

// formatEuro writes an amount the Dutch way: € 1.234.567.
func formatEuro(v float64) string {
	neg := v < 0
	if neg {
		v = -v
	}
	s := fmt.Sprintf("%.0f", v)
	var b strings.Builder
	for i, r := range s {
		if i > 0 && (len(s)-i)%3 == 0 {
			b.WriteByte('.')
		}
		b.WriteRune(r)
	}
	if neg {
		return "€ -" + b.String()
	}
	return "€ " + b.String()
}
