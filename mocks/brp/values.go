package brp

import (
	"strconv"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/poort-nl/poort/mocks/population"
)

var maanden = [...]string{"januari", "februari", "maart", "april", "mei", "juni", "juli",
	"augustus", "september", "oktober", "november", "december"}

// datum renders a GBA date as the API's polymorphic AbstractDatum:
// "19561115" is a Datum, "19780300" a JaarMaandDatum, "19680000" a
// JaarDatum and "00000000" a DatumOnbekend. An empty date is no value.
func datum(d population.Date) any {
	if d == "" {
		return nil
	}
	y, m, day := d.Parts()
	switch {
	case y == 0:
		return leaf{"type": "DatumOnbekend", "onbekend": true, "langFormaat": "onbekend"}
	case m == 0:
		return leaf{"type": "JaarDatum", "jaar": y, "langFormaat": strconv.Itoa(y)}
	case day == 0:
		return leaf{"type": "JaarMaandDatum", "jaar": y, "maand": m, "langFormaat": maanden[m-1] + " " + strconv.Itoa(y)}
	default:
		return leaf{
			"type": "Datum", "datum": d.ISO(),
			"langFormaat": strconv.Itoa(day) + " " + maanden[m-1] + " " + strconv.Itoa(y),
		}
	}
}

// waarde renders a Waardetabel; an empty code is no value.
func waarde(code, omschrijving string) any {
	if code == "" {
		return nil
	}
	if omschrijving == "" {
		return leaf{"code": code}
	}
	return leaf{"code": code, "omschrijving": omschrijving}
}

// The code tables the population uses (the national tables Geslacht,
// Landen (34), Nationaliteiten (32), Nederlands reisdocument (48) and the
// API's own value lists), with their descriptions as the tables give them.
var (
	geslachten = map[string]string{"M": "man", "V": "vrouw", "O": "onbekend"}
	// Only the codes the population uses; others are delivered with their
	// code alone.
	landen = map[string]string{
		"6030": "Nederland", "6043": "Turkije", "5022": "Marokko", "7028": "Polen", "5007": "Suriname",
		"9089": "Bondsrepubliek Duitsland", "7009": "Syrië", "5010": "België", "6038": "Oekraïne", "7046": "India",
		"7047": "Roemenië", "7024": "Bulgarije", "7044": "Italië", "6037": "Spanje", "6039": "Groot-Brittannië",
		"6022": "China",
	}
	nationaliteiten = map[string]string{
		"0001": "Nederlandse", "0339": "Turkse", "0131": "Marokkaanse", "0072": "Poolse", "0263": "Surinaamse",
		"0055": "Burger van de Bondsrepubliek Duitsland", "0336": "Syrische", "0052": "Belgische", "0034": "Oekraïense",
		"0312": "Indiase", "0074": "Roemeense", "0053": "Bulgaarse", "0064": "Italiaanse", "0077": "Spaanse",
		"0060": "Brits burger", "0307": "Chinese",
	}
	soortVerbintenissen = map[string]string{"H": "huwelijk", "P": "geregistreerd partnerschap"}
	soortReisdocumenten = map[string]string{
		population.Passport: "Nationaal paspoort",
		population.IDCard:   "Nederlandse identiteitskaart",
	}
	inhoudingen = map[string]string{
		population.Surrendered:  "ingehouden of ingeleverd",
		population.LapsedByLaw:  "van rechtswege vervallen",
		population.ReportedLost: "vermist",
	}
)

const landNederland = "6030"

// age is the age in whole years on the reference date.
func age(birth, ref time.Time) int {
	a := ref.Year() - birth.Year()
	if ref.Month() < birth.Month() || (ref.Month() == birth.Month() && ref.Day() < birth.Day()) {
		a--
	}
	return a
}

// leeftijd is the age the API gives: only for the living, and only when
// the birth date says it, which a year alone never does and a year and
// month do except in the birth month.
func leeftijd(p *population.Person, ref time.Time) any {
	if !p.Alive() {
		return nil
	}
	y, m, d := p.BirthDate.Parts()
	switch {
	case y == 0 || m == 0:
		return nil
	case d == 0:
		if int(ref.Month()) == m {
			return nil
		}
		return age(time.Date(y, time.Month(m), 1, 0, 0, 0, 0, time.UTC), ref)
	default:
		t, _ := p.BirthDate.Time()
		return age(t, ref)
	}
}

// voorletters derives the initials from the given names: the first letter
// of each name with a full stop, except for a name of one letter.
func voorletters(voornamen string) string {
	var b strings.Builder
	for _, n := range strings.Fields(voornamen) {
		r, size := utf8.DecodeRuneInString(n)
		b.WriteRune(r)
		if size < len(n) {
			b.WriteByte('.')
		}
	}
	return b.String()
}

func join(parts ...string) string {
	var nonEmpty []string
	for _, p := range parts {
		if p = strings.TrimSpace(p); p != "" {
			nonEmpty = append(nonEmpty, p)
		}
	}
	return strings.Join(nonEmpty, " ")
}

// capitalize upper-cases the first letter, as the API does for the first
// name part after "heer" or "mevrouw" ("Geachte heer Van der Meer").
func capitalize(s string) string {
	r, size := utf8.DecodeRuneInString(s)
	if size == 0 {
		return s
	}
	return string(unicode.ToUpper(r)) + s[size:]
}
