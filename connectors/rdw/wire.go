package rdw

import (
	"cmp"
	"fmt"
	"slices"
	"strconv"
)

// This file holds the registry's shapes and their mapping to the domain
// types. Open data rows have only string values; the dossier mirrors SuwiML
// with yyyymmdd dates.

// vehicleRow is a row of dataset m9d7-ebf2, the columns the connector maps.
type vehicleRow struct {
	Kenteken                           string `json:"kenteken"`
	Voertuigsoort                      string `json:"voertuigsoort"`
	Merk                               string `json:"merk"`
	Handelsbenaming                    string `json:"handelsbenaming"`
	EersteKleur                        string `json:"eerste_kleur"`
	TweedeKleur                        string `json:"tweede_kleur"`
	Inrichting                         string `json:"inrichting"`
	EuropeseVoertuigcategorie          string `json:"europese_voertuigcategorie"`
	AantalZitplaatsen                  string `json:"aantal_zitplaatsen"`
	AantalDeuren                       string `json:"aantal_deuren"`
	MassaLedigVoertuig                 string `json:"massa_ledig_voertuig"`
	MassaRijklaar                      string `json:"massa_rijklaar"`
	Catalogusprijs                     string `json:"catalogusprijs"`
	DatumEersteToelating               string `json:"datum_eerste_toelating"`
	DatumEersteTenaamstellingNederland string `json:"datum_eerste_tenaamstelling_in_nederland"`
	DatumTenaamstelling                string `json:"datum_tenaamstelling"`
	VervaldatumAPK                     string `json:"vervaldatum_apk"`
	WAMVerzekerd                       string `json:"wam_verzekerd"`
	OpenstaandeTerugroepactie          string `json:"openstaande_terugroepactie_indicator"`
	ExportIndicator                    string `json:"export_indicator"`
	TaxiIndicator                      string `json:"taxi_indicator"`
	Zuinigheidsclassificatie           string `json:"zuinigheidsclassificatie"`
}

// fuelRow is a row of dataset 8ys7-d773.
type fuelRow struct {
	Kenteken              string `json:"kenteken"`
	BrandstofVolgnummer   string `json:"brandstof_volgnummer"`
	BrandstofOmschrijving string `json:"brandstof_omschrijving"`
}

// notRegistered is what open data says for a column without a value.
const notRegistered = "Niet geregistreerd"

func registered(s string) string {
	if s == notRegistered {
		return ""
	}
	return s
}

func (r vehicleRow) vehicle() (*Vehicle, error) {
	v := &Vehicle{
		Plate: r.Kenteken, Kind: r.Voertuigsoort, Make: r.Merk, TradeName: r.Handelsbenaming,
		Colour: registered(r.EersteKleur), SecondColour: registered(r.TweedeKleur), Body: registered(r.Inrichting),
		EUCategory: r.EuropeseVoertuigcategorie, EnergyLabel: r.Zuinigheidsclassificatie,
		Insured: jaNee(r.WAMVerzekerd), OpenRecall: jaNee(r.OpenstaandeTerugroepactie),
		Exported: jaNee(r.ExportIndicator), Taxi: jaNee(r.TaxiIndicator),
	}
	var err error
	ints := []struct {
		column, value string
		to            **int
	}{
		{"aantal_zitplaatsen", r.AantalZitplaatsen, &v.Seats},
		{"aantal_deuren", r.AantalDeuren, &v.Doors},
		{"massa_ledig_voertuig", r.MassaLedigVoertuig, &v.EmptyMass},
		{"massa_rijklaar", r.MassaRijklaar, &v.MassInRunningOrder},
		{"catalogusprijs", r.Catalogusprijs, &v.CatalogPrice},
	}
	for _, f := range ints {
		if *f.to, err = optionalInt(f.value); err != nil {
			return nil, fmt.Errorf("%s: %w", f.column, err)
		}
	}
	dates := []struct {
		column, value string
		to            *string
	}{
		{"datum_eerste_toelating", r.DatumEersteToelating, &v.FirstAdmission},
		{"datum_eerste_tenaamstelling_in_nederland", r.DatumEersteTenaamstellingNederland, &v.FirstRegistrationNL},
		{"datum_tenaamstelling", r.DatumTenaamstelling, &v.RegisteredSince},
		{"vervaldatum_apk", r.VervaldatumAPK, &v.APKExpiry},
	}
	for _, f := range dates {
		if *f.to, err = isoDate(f.value); err != nil {
			return nil, fmt.Errorf("%s: %w", f.column, err)
		}
	}
	return v, nil
}

// vehiclesOf maps a batch's vehicle rows and adds their fuels.
func vehiclesOf(rows []vehicleRow, fuels []fuelRow) (map[string]*Vehicle, error) {
	out := make(map[string]*Vehicle, len(rows))
	for i, r := range rows {
		v, err := r.vehicle()
		if err != nil {
			return nil, invalidResponse(opVehicles, fmt.Errorf("row %d: %w", i, err))
		}
		out[v.Plate] = v
	}
	type fuel struct {
		seq  int
		name string
	}
	byPlate := make(map[string][]fuel, len(out))
	for _, f := range fuels {
		if _, ok := out[f.Kenteken]; !ok || f.BrandstofOmschrijving == "" {
			continue
		}
		seq, err := strconv.Atoi(f.BrandstofVolgnummer)
		if err != nil {
			return nil, invalidResponse(opFuels, fmt.Errorf("brandstof_volgnummer %q is not a number", f.BrandstofVolgnummer))
		}
		byPlate[f.Kenteken] = append(byPlate[f.Kenteken], fuel{seq, f.BrandstofOmschrijving})
	}
	for plate, fs := range byPlate {
		slices.SortStableFunc(fs, func(a, b fuel) int { return cmp.Compare(a.seq, b.seq) })
		for _, f := range fs {
			out[plate].Fuels = append(out[plate].Fuels, f.name)
		}
	}
	return out, nil
}

// jaNee reads open data's yes/no columns. Anything but "Ja" and "Nee",
// such as "Geen verstrekking in Open Data", is unknown.
func jaNee(s string) *bool {
	var b bool
	switch s {
	case "Ja":
		b = true
	case "Nee":
	default:
		return nil
	}
	return &b
}

func optionalInt(s string) (*int, error) {
	if s == "" {
		return nil, nil
	}
	n, err := strconv.Atoi(s)
	if err != nil {
		return nil, fmt.Errorf("%q is not a whole number", s)
	}
	return &n, nil
}

// isoDate turns a yyyymmdd date into ISO 8601. Unknown parts are zeros in
// SuwiML dates; the result is then reduced ("2026-07", "2026") or empty.
func isoDate(s string) (string, error) {
	if s == "" {
		return "", nil
	}
	if len(s) != 8 {
		return "", fmt.Errorf("date %q is not yyyymmdd", s)
	}
	for i := 0; i < 8; i++ {
		if s[i] < '0' || s[i] > '9' {
			return "", fmt.Errorf("date %q is not yyyymmdd", s)
		}
	}
	y, m, d := s[0:4], s[4:6], s[6:8]
	mm, _ := strconv.Atoi(m)
	dd, _ := strconv.Atoi(d)
	switch {
	case y == "0000":
		return "", nil
	case mm > 12 || dd > 31 || mm == 0 && dd != 0:
		return "", fmt.Errorf("date %q is not a calendar date", s)
	case mm == 0:
		return y, nil
	case dd == 0:
		return y + "-" + m, nil
	}
	return y + "-" + m + "-" + d, nil
}

// ---- dossier ----

// subjectsQuery is the body of both dossier operations.
type subjectsQuery struct {
	BSNs []string `json:"burgerservicenummers,omitempty"`
	KvKs []string `json:"kvkNummers,omitempty"`
}

type holdingsAnswer struct {
	ClientSuwi []struct {
		Burgerservicenr string           `json:"Burgerservicenr"`
		Aansprakelijke  []aansprakelijke `json:"Aansprakelijke"`
		NietsGevonden   *struct{}        `json:"NietsGevonden"`
	} `json:"ClientSuwi"`
	OndernemingInst []struct {
		InschrijvingsnrKvK string           `json:"InschrijvingsnrKvK"`
		Aansprakelijke     []aansprakelijke `json:"Aansprakelijke"`
		NietsGevonden      *struct{}        `json:"NietsGevonden"`
	} `json:"OndernemingInst"`
}

type aansprakelijke struct {
	DatRegistratieAansprakelijkheid string `json:"DatRegistratieAansprakelijkheid"`
	DatEAansprakelijkheid           string `json:"DatEAansprakelijkheid"`
	Voertuig                        struct {
		CdSrtVoertuig                    string `json:"CdSrtVoertuig"`
		KentekenVoertuig                 string `json:"KentekenVoertuig"`
		MerkVoertuig                     string `json:"MerkVoertuig"`
		TypeVoertuig                     string `json:"TypeVoertuig"`
		HoofdkleurVoertuig               string `json:"HoofdkleurVoertuig"`
		DatEersteInschrijvingVoertuigNat string `json:"DatEersteInschrijvingVoertuigNat"`
		DatEersteInschrijvingVoertuigInt string `json:"DatEersteInschrijvingVoertuigInt"`
		BedrCatalogusVoertuig            *struct {
			WaardeBedr int `json:"WaardeBedr"`
		} `json:"BedrCatalogusVoertuig"`
		Keuring []struct {
			DatEGeldigheidApk string `json:"DatEGeldigheidApk"`
		} `json:"Keuring"`
		Verzekering *struct {
			CdSrtDekking string `json:"CdSrtDekking"`
		} `json:"Verzekering"`
	} `json:"Voertuig"`
}

// kindName returns open data's voertuigsoort name for SuwiML's CdSrtVoertuig.
func kindName(code string) string {
	switch code {
	case "P":
		return "Personenauto"
	case "B":
		return "Bedrijfsauto"
	case "M":
		return "Motorfiets"
	case "C":
		return "Bromfiets"
	case "A":
		return "Aanhangwagen"
	case "D":
		return "Driewielig motorrijtuig"
	}
	return ""
}

// byBSN maps the persons' holdings; NietsGevonden leaves a person out.
func (r holdingsAnswer) byBSN() (map[string][]Holding, error) {
	out := make(map[string][]Holding, len(r.ClientSuwi))
	for _, cl := range r.ClientSuwi {
		if cl.NietsGevonden == nil {
			if err := addHoldings(out, cl.Burgerservicenr, cl.Burgerservicenr, "", cl.Aansprakelijke); err != nil {
				return nil, err
			}
		}
	}
	return out, nil
}

// byKvK maps the organisations' holdings; NietsGevonden leaves one out.
func (r holdingsAnswer) byKvK() (map[string][]Holding, error) {
	out := make(map[string][]Holding, len(r.OndernemingInst))
	for _, o := range r.OndernemingInst {
		if o.NietsGevonden == nil {
			if err := addHoldings(out, o.InschrijvingsnrKvK, "", o.InschrijvingsnrKvK, o.Aansprakelijke); err != nil {
				return nil, err
			}
		}
	}
	return out, nil
}

// addHoldings maps one subject's Aansprakelijke elements into out[key].
func addHoldings(out map[string][]Holding, key, bsn, kvk string, as []aansprakelijke) error {
	hs := make([]Holding, 0, len(as))
	for i, a := range as {
		h, err := a.holding(bsn, kvk)
		if err != nil {
			return invalidResponse(opHoldings, fmt.Errorf("holding %d: %w", i, err))
		}
		hs = append(hs, h)
	}
	out[key] = hs
	return nil
}

func (a aansprakelijke) holding(bsn, kvk string) (Holding, error) {
	v := a.Voertuig
	h := Holding{
		Plate: v.KentekenVoertuig, HolderBSN: bsn, HolderKvK: kvk,
		KindCode: v.CdSrtVoertuig, Kind: kindName(v.CdSrtVoertuig),
		Make: v.MerkVoertuig, TradeName: v.TypeVoertuig, Colour: v.HoofdkleurVoertuig,
		Insured: v.Verzekering != nil && v.Verzekering.CdSrtDekking == "WAM",
	}
	if v.BedrCatalogusVoertuig != nil {
		cents := v.BedrCatalogusVoertuig.WaardeBedr
		h.CatalogPriceCents = &cents
	}
	if h.Plate == "" {
		return h, fmt.Errorf("no KentekenVoertuig")
	}
	apk := ""
	for _, k := range v.Keuring {
		// yyyymmdd sorts as text: keep the latest inspection.
		apk = max(apk, k.DatEGeldigheidApk)
	}
	var err error
	dates := []struct {
		element, value string
		to             *string
	}{
		{"DatRegistratieAansprakelijkheid", a.DatRegistratieAansprakelijkheid, &h.Since},
		{"DatEAansprakelijkheid", a.DatEAansprakelijkheid, &h.Until},
		{"DatEersteInschrijvingVoertuigNat", v.DatEersteInschrijvingVoertuigNat, &h.FirstRegistrationNL},
		{"DatEersteInschrijvingVoertuigInt", v.DatEersteInschrijvingVoertuigInt, &h.FirstAdmission},
		{"DatEGeldigheidApk", apk, &h.APKExpiry},
	}
	for _, d := range dates {
		if *d.to, err = isoDate(d.value); err != nil {
			return h, fmt.Errorf("%s: %w", d.element, err)
		}
	}
	return h, nil
}

type licencesAnswer struct {
	ClientSuwi []struct {
		Burgerservicenr string      `json:"Burgerservicenr"`
		Rijbewijs       []rijbewijs `json:"Rijbewijs"`
		NietsGevonden   *struct{}   `json:"NietsGevonden"`
	} `json:"ClientSuwi"`
}

type rijbewijs struct {
	Rijbewijsnr             string `json:"Rijbewijsnr"`
	DatAfgifteRijbewijs     string `json:"DatAfgifteRijbewijs"`
	DatEGeldigheidRijbewijs string `json:"DatEGeldigheidRijbewijs"`
	AfgevendeGemeente       struct {
		CdGemeente   string `json:"CdGemeente"`
		NaamGemeente string `json:"NaamGemeente"`
	} `json:"AfgevendeGemeente"`
	StatusRijbewijs    string `json:"StatusRijbewijs"`
	Rijbewijscategorie []struct {
		CdCategorieRijbewijs             string `json:"CdCategorieRijbewijs"`
		DatAfgifteCategorieRijbewijs     string `json:"DatAfgifteCategorieRijbewijs"`
		DatEGeldigheidCategorieRijbewijs string `json:"DatEGeldigheidCategorieRijbewijs"`
	} `json:"Rijbewijscategorie"`
}

// byBSN maps the persons' licences; NietsGevonden leaves a person out.
func (r licencesAnswer) byBSN() (map[string][]DrivingLicence, error) {
	out := make(map[string][]DrivingLicence, len(r.ClientSuwi))
	for _, cl := range r.ClientSuwi {
		if cl.NietsGevonden != nil {
			continue
		}
		ls := make([]DrivingLicence, 0, len(cl.Rijbewijs))
		for i, rb := range cl.Rijbewijs {
			l, err := rb.licence(cl.Burgerservicenr)
			if err != nil {
				return nil, invalidResponse(opLicences, fmt.Errorf("licence %d: %w", i, err))
			}
			ls = append(ls, l)
		}
		out[cl.Burgerservicenr] = ls
	}
	return out, nil
}

func (r rijbewijs) licence(bsn string) (DrivingLicence, error) {
	l := DrivingLicence{
		Number: r.Rijbewijsnr, BSN: bsn, Authority: r.AfgevendeGemeente.CdGemeente,
		AuthorityName: r.AfgevendeGemeente.NaamGemeente, Status: LicenceStatus(r.StatusRijbewijs),
		Categories: make([]LicenceCategory, 0, len(r.Rijbewijscategorie)),
	}
	if l.Number == "" {
		return l, fmt.Errorf("no Rijbewijsnr")
	}
	var err error
	if l.IssueDate, err = isoDate(r.DatAfgifteRijbewijs); err != nil {
		return l, fmt.Errorf("element DatAfgifteRijbewijs: %w", err)
	}
	if l.ExpiryDate, err = isoDate(r.DatEGeldigheidRijbewijs); err != nil {
		return l, fmt.Errorf("element DatEGeldigheidRijbewijs: %w", err)
	}
	for _, c := range r.Rijbewijscategorie {
		lc := LicenceCategory{Code: c.CdCategorieRijbewijs}
		if lc.IssueDate, err = isoDate(c.DatAfgifteCategorieRijbewijs); err != nil {
			return l, fmt.Errorf("category %s DatAfgifteCategorieRijbewijs: %w", lc.Code, err)
		}
		if lc.ExpiryDate, err = isoDate(c.DatEGeldigheidCategorieRijbewijs); err != nil {
			return l, fmt.Errorf("category %s DatEGeldigheidCategorieRijbewijs: %w", lc.Code, err)
		}
		l.Categories = append(l.Categories, lc)
	}
	return l, nil
}
