package brp

import (
	_ "embed"
	"slices"
	"strings"
)

// fieldsPersoonCSV is the list of every path the fields parameter accepts
// for a Persoon, as the API's repository publishes it
// (features/fields-Persoon.csv).
//
//go:embed fields-Persoon.csv
var fieldsPersoonCSV string

func persoonFields() map[string]bool {
	m := map[string]bool{}
	for i, line := range strings.Split(fieldsPersoonCSV, "\n") {
		line = strings.TrimSpace(line)
		if i == 0 || line == "" {
			continue // header "pad"
		}
		m[line] = true
	}
	return m
}

func set(paths []string) map[string]bool {
	m := make(map[string]bool, len(paths))
	for _, p := range paths {
		m[p] = true
	}
	return m
}

// dateSubfields are the paths below a date field.
var dateSubfields = []string{"langFormaat", "type", "datum", "onbekend", "jaar", "maand"}

func withDate(path string) []string {
	out := []string{path}
	for _, s := range dateSubfields {
		out = append(out, path+"."+s)
	}
	return out
}

// beperktFieldList is what the search types that answer PersoonBeperkt
// accept (features/fields-GezagPersoonBeperkt.csv without gezag).
var beperktFieldList = append([]string{
	"adressering", "adressering.adresregel1", "adressering.adresregel2", "adressering.adresregel3",
	"adressering.land", "adressering.land.code", "adressering.land.omschrijving",
	"burgerservicenummer",
	"geboorte",
	"geslacht", "geslacht.code", "geslacht.omschrijving",
	"leeftijd",
	"naam", "naam.adellijkeTitelPredicaat", "naam.adellijkeTitelPredicaat.code",
	"naam.adellijkeTitelPredicaat.omschrijving", "naam.adellijkeTitelPredicaat.soort",
	"naam.geslachtsnaam", "naam.volledigeNaam", "naam.voorletters", "naam.voornamen", "naam.voorvoegsel",
	"adresseringBinnenland", "adresseringBinnenland.adresregel1", "adresseringBinnenland.adresregel2",
}, withDate("geboorte.datum")...)

// gezagFieldList is what ZoekMetAdresseerbaarObjectIdentificatie accepts
// besides beperktFieldList (GezagPersoonBeperkt).
var gezagFieldList = []string{
	"gezag", "gezag.type", "gezag.toelichting",
	"gezag.minderjarige", "gezag.minderjarige.burgerservicenummer", "gezag.minderjarige.leeftijd",
	"gezag.minderjarige.naam", "gezag.minderjarige.naam.volledigeNaam",
	"gezag.ouders", "gezag.ouders.burgerservicenummer", "gezag.ouders.naam", "gezag.ouders.naam.volledigeNaam",
	"gezag.ouder", "gezag.ouder.burgerservicenummer", "gezag.ouder.naam", "gezag.ouder.naam.volledigeNaam",
	"gezag.derde", "gezag.derde.type", "gezag.derde.burgerservicenummer", "gezag.derde.naam", "gezag.derde.naam.volledigeNaam",
	"gezag.derden", "gezag.derden.type", "gezag.derden.burgerservicenummer", "gezag.derden.naam", "gezag.derden.naam.volledigeNaam",
}

// reisdocumentFieldList is every path the Reisdocumenten API knows, as
// its validator lists them (ReisdocumentenQueryValidator.BestaandeVeldpaden
// in BRP-API/Haal-Centraal-Reisdocumenten-bevragen), the automatically
// delivered ones included.
var reisdocumentFieldList = slices.Concat(
	[]string{"reisdocumentnummer", "soort", "soort.code", "soort.omschrijving"},
	withDate("datumEindeGeldigheid"),
	[]string{"inhoudingOfVermissing"},
	withDate("inhoudingOfVermissing.datum"),
	[]string{"inhoudingOfVermissing.aanduiding", "inhoudingOfVermissing.aanduiding.code", "inhoudingOfVermissing.aanduiding.omschrijving",
		"inhoudingOfVermissing.inOnderzoek", "inhoudingOfVermissing.inOnderzoek.datum", "inhoudingOfVermissing.inOnderzoek.aanduiding"},
	withDate("inhoudingOfVermissing.inOnderzoek.datumIngangOnderzoek"),
	[]string{"houder", "houder.burgerservicenummer", "houder.geheimhoudingPersoonsgegevens", "houder.opschortingBijhouding"},
	withDate("houder.opschortingBijhouding.datum"),
	[]string{"houder.opschortingBijhouding.reden", "houder.opschortingBijhouding.reden.code", "houder.opschortingBijhouding.reden.omschrijving",
		"houder.inOnderzoek", "houder.inOnderzoek.burgerservicenummer"},
	withDate("houder.inOnderzoek.datumIngangOnderzoek"),
	[]string{"inOnderzoek", "inOnderzoek.reisdocumentnummer", "inOnderzoek.soort", "inOnderzoek.datumEindeGeldigheid"},
	withDate("inOnderzoek.datumIngangOnderzoek"),
)

// reisdocumentAutomatic are the Reisdocument paths delivered automatically
// (the validator's PadAutomatischGeleverdeVelden): a known path starting
// with one of them may not be asked for.
var reisdocumentAutomatic = []string{
	"inhoudingOfVermissing.inOnderzoek", "houder.geheimhoudingPersoonsgegevens", "houder.inOnderzoek",
	"houder.opschortingBijhouding", "inOnderzoek",
}

func reisdocumentFields() fieldRules {
	known := set(reisdocumentFieldList)
	return fieldRules{
		known: known,
		automatic: func(path string) bool {
			return known[path] && slices.ContainsFunc(reisdocumentAutomatic, func(p string) bool { return strings.HasPrefix(path, p) })
		},
		max: 25,
	}
}

// persoonAutomatic reports a Persoon path of a field the API delivers by
// itself when it applies (features/bevragen/fields-fout-cases.feature):
// geheimhoudingPersoonsgegevens, opschortingBijhouding, rni and
// verificatie with anything below them, and any inOnderzoek or
// indicatieVastgesteldVerblijftNietOpAdres. fields-Persoon.csv lists none
// of these, so a path under one of them that does not exist is refused as
// not allowed too.
func persoonAutomatic(path string) bool {
	segs := strings.Split(path, ".")
	switch segs[0] {
	case "geheimhoudingPersoonsgegevens", "opschortingBijhouding", "rni", "verificatie":
		return true
	}
	return slices.Contains(segs, "inOnderzoek") || slices.Contains(segs, "indicatieVastgesteldVerblijftNietOpAdres")
}

// persoonRules gives the fields parameter of a response answering
// Persoon, PersoonBeperkt or GezagPersoonBeperkt.
func persoonRules(known map[string]bool) fieldRules {
	return fieldRules{known: known, automatic: persoonAutomatic, max: 130}
}

// aliases maps the "Binnenland" variants to the group they filter: they
// ask for the verblijfplaats or adressering only when it is in the
// Netherlands, and every address in the population is.
var aliases = map[string]string{
	"verblijfplaatsBinnenland": "verblijfplaats",
	"adresseringBinnenland":    "adressering",
}

// selection is the tree of requested fields. A node with all set asks for
// the whole value below it.
type selection struct {
	all  bool
	kids map[string]*selection
}

func newSelection(paths []string) *selection {
	root := &selection{kids: map[string]*selection{}}
	for _, p := range paths {
		segs := strings.Split(p, ".")
		if a, ok := aliases[segs[0]]; ok {
			segs[0] = a
		}
		n := root
		for _, s := range segs {
			if n.all {
				break
			}
			if n.kids == nil {
				n.kids = map[string]*selection{}
			}
			k, ok := n.kids[s]
			if !ok {
				k = &selection{}
				n.kids[s] = k
			}
			n = k
		}
		n.all = true
		n.kids = nil
	}
	return root
}

// The value types a response is built from. obj is a plain group; poly
// is a group whose "type" discriminates its shape and is kept whenever any
// of its fields is; leaf is delivered whole whichever of its fields is
// asked (a date, a Waardetabel).
type (
	obj  map[string]any
	poly map[string]any
	leaf map[string]any
)

// filter keeps of v what the selection asks for; it returns nil when
// nothing is left, since a field without a value is not delivered.
func filter(v any, sel *selection) any {
	if v == nil {
		return nil
	}
	if sel.all {
		return v
	}
	switch v := v.(type) {
	case leaf:
		return v
	case obj:
		out := filterMap(map[string]any(v), sel)
		if out == nil {
			return nil
		}
		return obj(out)
	case poly:
		out := filterMap(map[string]any(v), sel)
		if out == nil {
			return nil
		}
		out["type"] = v["type"]
		return poly(out)
	case []any:
		var out []any
		for _, e := range v {
			if f := filter(e, sel); f != nil {
				out = append(out, f)
			}
		}
		if len(out) == 0 {
			return nil
		}
		return out
	default:
		return v
	}
}

func filterMap(m map[string]any, sel *selection) map[string]any {
	var out map[string]any
	for k, child := range sel.kids {
		val, ok := m[k]
		if !ok {
			continue
		}
		if f := filter(val, child); f != nil {
			if out == nil {
				out = map[string]any{}
			}
			out[k] = f
		}
	}
	return out
}
