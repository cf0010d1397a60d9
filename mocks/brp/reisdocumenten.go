package brp

import (
	"encoding/json"

	"github.com/poort-nl/poort/mocks/population"
)

// The query types of POST /reisdocumenten.
const (
	zoekReisBSN   = "ZoekMetBurgerservicenummer"
	raadpleegReis = "RaadpleegMetReisdocumentnummer"
)

// reisdocumentenResponse is ReisdocumentenQueryResponse.
type reisdocumentenResponse struct {
	Type           string `json:"type"`
	Reisdocumenten []obj  `json:"reisdocumenten"`
}

func (s *server) reisdocumenten(body map[string]json.RawMessage, instance string) (any, *problem) {
	typ, prob := searchType(body, instance, zoekReisBSN, raadpleegReis)
	if prob != nil {
		return nil, prob
	}
	var docs []*population.TravelDocument
	var p *params
	switch typ {
	case zoekReisBSN:
		p = newParams(body, "burgerservicenummer")
		if bsn := p.str("burgerservicenummer", true, reBSN); bsn != "" {
			// Only the documents the holder still has: one handed in,
			// lapsed or reported lost is left out.
			for _, d := range s.pop.TravelDocumentsOf(bsn) {
				if d.Held() {
					docs = append(docs, d)
				}
			}
		}
	case raadpleegReis:
		p = newParams(body, "reisdocumentnummer")
		for _, nr := range p.strArray("reisdocumentnummer", reReisdocumentnr, 1) {
			if d, ok := s.ix.TravelDocument(nr); ok {
				docs = append(docs, d)
			}
		}
	}
	fields := p.fields(s.reisdocumentFields)
	p.unknown()
	if prob := p.problem(instance); prob != nil {
		return nil, prob
	}
	sel := newSelection(fields)
	out := reisdocumentenResponse{Type: typ, Reisdocumenten: make([]obj, 0, len(docs))}
	for _, d := range docs {
		out.Reisdocumenten = append(out.Reisdocumenten, s.reisdocument(d, sel))
	}
	return out, nil
}

// reisdocument builds a Reisdocument and keeps the selected fields; the
// holder's secrecy and suspension come along automatically.
func (s *server) reisdocument(d *population.TravelDocument, sel *selection) obj {
	full := compact(obj{
		"reisdocumentnummer":   d.Number,
		"soort":                waarde(d.Kind, soortReisdocumenten[d.Kind]),
		"datumEindeGeldigheid": datum(d.ExpiryDate),
		"inhoudingOfVermissing": compact(obj{
			"datum":      datum(d.WithdrawnOn),
			"aanduiding": waarde(d.Withdrawal, inhoudingen[d.Withdrawal]),
		}),
		"houder": obj{"burgerservicenummer": d.BSN},
	})
	out := obj{}
	if f := filter(full, sel); f != nil {
		out = f.(obj)
	}
	holder, ok := s.pop.Person(d.BSN)
	if !ok || (!holder.Secret && holder.Alive()) {
		return out
	}
	h, _ := out["houder"].(obj)
	if h == nil {
		h = obj{}
		out["houder"] = h
	}
	if holder.Secret {
		h["geheimhoudingPersoonsgegevens"] = true
	}
	if !holder.Alive() {
		h["opschortingBijhouding"] = opschorting(holder)
	}
	return out
}
