package bag

import (
	"net/http"
	"time"

	"github.com/poort-nl/poort/mocks/population"
)

// timeTravel reads geldigOp and beschikbaarOp (the API strategy's time
// travel parameters) and reports whether the object's single voorkomen
// exists at those moments: valid from beginGeldigheid and available from
// tijdstipRegistratieLV.
func timeTravel(v *validator, reg registered) (exists bool) {
	exists = true
	if t, ok := v.date("geldigOp"); ok && t.Before(reg.begin) {
		exists = false
	}
	if t, ok := v.timestamp("beschikbaarOp"); ok && t.Before(truncateMs(reg.lv)) {
		exists = false
	}
	return exists
}

func truncateMs(t time.Time) time.Time { return t.Truncate(time.Millisecond) }

// object validates a request for one adresseerbaar object or
// verblijfsobject and finds its address; it writes the problem and returns
// false when there is none to answer with.
func (h *handler) object(w http.ResponseWriter, r *http.Request, b *builder, id, param, pattern string, match func(string) bool) (*population.Address, expansion, bool) {
	v := &validator{q: r.URL.Query()}
	if !match(id) {
		v.add(invalidPattern(param, pattern))
	}
	exp := v.expand(verblijfsobjectExpands())
	a, found := h.pop.AddressByObject(id)
	var exists bool
	if found {
		exists = timeTravel(v, b.registration(a.ObjectID, b.yearBuilt(a)))
	} else {
		timeTravel(v, registered{})
	}
	if p := v.problem(); p != nil {
		writeProblem(w, r, b.base, p)
		return nil, exp, false
	}
	if p := checkCRS(r); p != nil {
		writeProblem(w, r, b.base, p)
		return nil, exp, false
	}
	if !found || !exists {
		writeProblem(w, r, b.base, notFound())
		return nil, exp, false
	}
	return a, exp, true
}

// adresseerbaarObject serves GET /adresseerbareobjecten/{id}
// (bevragenAdresseerbaarObject): the object wrapped under its type.
func (h *handler) adresseerbaarObject(w http.ResponseWriter, r *http.Request, b *builder, id string) {
	a, exp, ok := h.object(w, r, b, id, "adresseerbaarobjectidentificatie", patternObject, bagID("01", "02", "03"))
	if !ok {
		return
	}
	writeHAL(w, adresseerbaarObjectHal{
		Links:           &selfLinks{Self: halLink{Href: requestURL(r, b.base)}},
		Verblijfsobject: b.verblijfsobject(a, exp),
	}, true)
}

// verblijfsobject serves GET /verblijfsobjecten/{identificatie}
// (verblijfsobjectIdentificatie).
func (h *handler) verblijfsobject(w http.ResponseWriter, r *http.Request, b *builder, id string) {
	a, exp, ok := h.object(w, r, b, id, "identificatie", patternVerblijfsobject, bagID("01"))
	if !ok {
		return
	}
	out := b.verblijfsobject(a, exp)
	out.Links.Self = halLink{Href: requestURL(r, b.base)}
	writeHAL(w, out, true)
}

// pand serves GET /panden/{identificatie} (pandIdentificatie). A pand has
// no relations to embed, so expand accepts only "true", which embeds
// nothing.
func (h *handler) pand(w http.ResponseWriter, r *http.Request, b *builder, id string) {
	v := &validator{q: r.URL.Query()}
	if !bagID("10")(id) {
		v.add(invalidPattern("identificatie", patternPand))
	}
	v.expand(nil)
	bu, found := h.pop.Building(id)
	exists := false
	if found {
		exists = timeTravel(v, b.pandRegistration(bu))
	} else {
		timeTravel(v, registered{})
	}
	if p := v.problem(); p != nil {
		writeProblem(w, r, b.base, p)
		return
	}
	if p := checkCRS(r); p != nil {
		writeProblem(w, r, b.base, p)
		return
	}
	if !found || !exists {
		writeProblem(w, r, b.base, notFound())
		return
	}
	out := b.pand(bu)
	out.Links.Self = halLink{Href: requestURL(r, b.base)}
	writeHAL(w, out, true)
}
