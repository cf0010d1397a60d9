package brp

import (
	"encoding/json"
	"strings"

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
		bsn := p.str("burgerservicenummer", true, false, reBSN)
		if bsn != "" {
			docs = s.pop.TravelDocumentsOf(bsn)
		}
	case raadpleegReis:
		p = newParams(body, "reisdocumentnummer")
		for _, nr := range p.strArray("reisdocumentnummer", false, reReisdocumentnr, 1) {
			if d, ok := s.ix.TravelDocument(strings.ToUpper(nr)); ok {
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

// reisdocument builds a Reisdocument (ReisdocumentUitgebreid) and keeps
// the selected fields; the holder's secrecy and suspension come along
// automatically.
func (s *server) reisdocument(d *population.TravelDocument, sel *selection) obj {
	holder, _ := s.pop.Person(d.BSN)
	full := obj{
		"reisdocumentnummer":   d.Number,
		"soortReisdocument":    waarde(d.Kind, soortReisdocumenten[d.Kind]),
		"datumEindeGeldigheid": datum(d.ExpiryDate),
		"indicatieGeldig":      s.indicatieGeldig(d, holder),
		"burgerservicenummer":  d.BSN,
	}
	out := obj{}
	if f := filter(compact(full), sel); f != nil {
		out = f.(obj)
	}
	if holder != nil && holder.Secret {
		// The specification spells this field without the s.
		out["geheimhoudingPersoongegevens"] = true
	}
	if holder != nil && !holder.Alive() {
		out["opschortingBijhouding"] = opschorting(holder)
	}
	return out
}

// indicatieGeldig: a document is valid until its expiry date (that day
// itself is no longer valid) and while its holder lives.
func (s *server) indicatieGeldig(d *population.TravelDocument, holder *population.Person) any {
	exp, ok := d.ExpiryDate.Time()
	if !ok || !exp.After(s.ref) || (holder != nil && !holder.Alive()) {
		return waarde("N", "Reisdocument is niet geldig")
	}
	return waarde("G", "Reisdocument is geldig")
}
