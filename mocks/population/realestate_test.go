package population

import (
	"regexp"
	"strings"
	"testing"
)

// checkRealEstate holds the BRK to the Kadaster's rules and to the other
// registries: identifications and designations in the API's patterns,
// shares that add up, apartment rights and their land parcel pointing at
// each other, every address at one parcel with owners, holders who exist
// and could hold the right when it began, owner-occupiers who live there,
// legal entities owning only their premises or, as housing corporations,
// dwellings, and monuments on old buildings.
func checkRealEstate(t *testing.T, p *Population) {
	t.Helper()
	x := NewBRKIndex(p)
	today := p.ReferenceDate
	// The patterns of kadastraleAanduiding and
	// kadastraleAanduidingMetGemeentecode in the OpenAPI document.
	designation := regexp.MustCompile(`^([a-zA-Z0-9'][a-zA-Z0-9' ,-]*[a-zA-Z0-9]) ([A-IK-Z]{1,2}) ([1-9][0-9]{0,4})( A[1-9][0-9]{0,3})?$`)
	withCode := regexp.MustCompile(`^([A-Z]{3}[0-9]{2}) ([A-IK-Z]{1,2}) ([1-9][0-9]{0,4})( A[1-9][0-9]{0,3})?$`)
	id := regexp.MustCompile(`^[0-9]{9}[17][0-9]{4}$`)
	branchAt := map[string]map[string]bool{} // RSIN → addresses of its branches
	corporation := map[string]bool{}
	for _, c := range p.Companies {
		if c.RSIN == "" {
			continue
		}
		branchAt[c.RSIN] = map[string]bool{}
		for _, b := range c.Branches {
			branchAt[c.RSIN][b.AddressID] = true
		}
		corporation[c.RSIN] = strings.HasPrefix(c.Name, "Woonstichting ")
	}
	built := map[string]int{}
	for _, b := range p.Buildings {
		built[b.ID] = b.YearBuilt
	}

	held := map[string]int{} // address → parcels with rights registered there
	ids := map[string]bool{}
	var dwellings, ownerOccupied, byCorporation, apartments, monuments int
	for _, pa := range p.Parcels {
		if !id.MatchString(pa.ID) || (pa.ID[9] == '1') != (pa.Kind == ApartmentRight) || ids[pa.ID] {
			t.Fatalf("parcel %s (%s): not a BRK identification of its kind, or used twice", pa.ID, pa.Kind)
		}
		ids[pa.ID] = true
		if !designation.MatchString(pa.Designation()) || !withCode.MatchString(pa.DesignationWithCode()) {
			t.Fatalf("parcel %s: designations %q, %q do not match the API's patterns", pa.ID, pa.Designation(), pa.DesignationWithCode())
		}
		switch {
		case pa.Kind == ApartmentRight:
			apartments++
			g, ok := x.Parcel(pa.GroundParcel)
			if !ok || !contains(g.ApartmentRights, pa.ID) || len(pa.AddressIDs) != 1 {
				t.Fatalf("apartment right %s: land parcel %q does not list it, or it is at %d addresses", pa.ID, pa.GroundParcel, len(pa.AddressIDs))
			}
		case len(pa.ApartmentRights) > 0:
			if len(pa.Rights) > 0 || len(pa.AddressIDs) > 0 {
				t.Fatalf("land parcel %s is split into apartment rights but has rights or addresses of its own", pa.ID)
			}
			for _, a := range pa.ApartmentRights {
				if ar, ok := x.Parcel(a); !ok || ar.GroundParcel != pa.ID {
					t.Fatalf("land parcel %s: apartment right %s does not point back", pa.ID, a)
				}
			}
		}
		if len(pa.ApartmentRights) == 0 {
			if len(pa.Rights) == 0 {
				t.Fatalf("parcel %s has no owner", pa.ID)
			}
			for _, a := range pa.AddressIDs {
				held[a]++
			}
		}
		num, den := 0, 1
		lives := false
		for _, r := range pa.Rights {
			num, den = num*r.ShareDenominator+r.ShareNumerator*den, den*r.ShareDenominator
			if before(today, r.Since) {
				t.Fatalf("parcel %s: a right begins %s, after the reference date", pa.ID, r.Since)
			}
			switch {
			case (r.HolderBSN == "") == (r.HolderRSIN == ""):
				t.Fatalf("parcel %s: right %s has not exactly one holder", pa.ID, r.ID)
			case r.HolderBSN != "":
				h, ok := p.Person(r.HolderBSN)
				if !ok {
					t.Fatalf("parcel %s: holder %s is not a person of the BRP", pa.ID, r.HolderBSN)
				}
				if before(r.Since, addYears(h.BirthDate, 18)) {
					t.Fatalf("parcel %s: holder born %s acquired it %s, as a minor", pa.ID, h.BirthDate, r.Since)
				}
				if !h.Alive() && daysBetween(h.DeathDate, today) > 365 {
					t.Fatalf("parcel %s: holder died %s, over a year ago, and still holds it", pa.ID, h.DeathDate)
				}
				lives = lives || contains(pa.AddressIDs, h.AddressID)
			default:
				c, ok := x.CompanyByRSIN(r.HolderRSIN)
				if !ok {
					t.Fatalf("parcel %s: holder RSIN %s is no legal entity of the Handelsregister", pa.ID, r.HolderRSIN)
				}
				if before(r.Since, c.StartDate) {
					t.Fatalf("parcel %s: %s acquired it %s, before it started %s", pa.ID, c.Name, r.Since, c.StartDate)
				}
				for _, a := range pa.AddressIDs {
					ad, _ := p.Address(a)
					if !corporation[c.RSIN] && !branchAt[c.RSIN][a] || corporation[c.RSIN] && !isDwelling(ad) && !branchAt[c.RSIN][a] {
						t.Fatalf("parcel %s at %s: %s owns premises it does not work at, or dwellings without being a housing corporation", pa.ID, a, c.Name)
					}
				}
				if corporation[c.RSIN] {
					byCorporation++
				}
			}
		}
		if len(pa.Rights) > 0 && num != den {
			t.Fatalf("parcel %s: shares add up to %d/%d", pa.ID, num, den)
		}
		if len(pa.AddressIDs) == 1 {
			if a, _ := p.Address(pa.AddressIDs[0]); isDwelling(a) {
				dwellings++
				if lives {
					ownerOccupied++
				}
			}
		}
		for _, res := range pa.Restrictions {
			if res.Basis != NationalMonument && res.Basis != DraftNationalMonument && res.Basis != MunicipalMonument {
				t.Fatalf("parcel %s: restriction basis %q", pa.ID, res.Basis)
			}
			if before(today, res.Since) {
				t.Fatalf("parcel %s: restriction %s in force from %s, after the reference date", pa.ID, res.ID, res.Since)
			}
			if g, ok := x.Parcel(pa.GroundParcel); ok && !containsRestriction(g.Restrictions, res.ID) {
				t.Fatalf("apartment right %s: restriction %s does not rest on its land parcel", pa.ID, res.ID)
			}
		}
		if len(pa.Restrictions) > 0 && pa.Kind == LandParcel {
			monuments++
			a := pa.AddressIDs
			if len(a) == 0 {
				ar, _ := x.Parcel(pa.ApartmentRights[0])
				a = ar.AddressIDs
			}
			ad, _ := p.Address(a[0])
			if y := built[ad.BuildingIDs[0]]; y >= 1940 {
				t.Fatalf("parcel %s: a monument built %d", pa.ID, y)
			}
		}
	}
	for _, a := range p.Addresses {
		if held[a.ID] != 1 {
			t.Fatalf("address %s is registered at %d parcels with owners, want 1", a.ID, held[a.ID])
		}
	}
	share := float64(ownerOccupied) / float64(dwellings)
	if share < 0.35 || share > 0.7 || byCorporation == 0 || apartments == 0 || monuments == 0 {
		t.Fatalf("%.0f%% of separately held dwellings owner-occupied (want 35 to 70), %d held by housing corporations, %d apartment rights, %d monuments: want some of each",
			100*share, byCorporation, apartments, monuments)
	}
}

func containsRestriction(rs []Restriction, id string) bool {
	for _, r := range rs {
		if r.ID == id {
			return true
		}
	}
	return false
}

func TestRealEstate(t *testing.T) {
	p := generate(t, 1000)
	checkRealEstate(t, p)
	x := NewBRKIndex(p)

	t.Run("the renovation house is a monument its resident owns", func(t *testing.T) {
		ps := x.ParcelsAt(p.Scenarios.Renovation)
		if len(ps) != 1 || len(ps[0].Restrictions) == 0 || ps[0].Restrictions[0].Basis != NationalMonument {
			t.Fatalf("parcels at the renovation address: %+v, want one rijksmonument", ps)
		}
		owner := false
		for _, r := range ps[0].Rights {
			if h, ok := p.Person(r.HolderBSN); ok && h.AddressID == p.Scenarios.Renovation && h.Alive() {
				owner = true
			}
		}
		if !owner {
			t.Fatalf("no resident of the renovation address owns it: %+v", ps[0].Rights)
		}
	})
	t.Run("the deceased held their home with their partner", func(t *testing.T) {
		d, _ := p.Person(p.Scenarios.Deceased)
		ps := x.ParcelsOf(d.BSN)
		if len(ps) == 0 || !contains(ps[0].AddressIDs, d.AddressID) {
			t.Fatalf("the deceased holds %+v, want their home", ps)
		}
		var holders []string
		for _, r := range ps[0].Rights {
			holders = append(holders, r.HolderBSN)
		}
		if !contains(holders, d.Partner.BSN) {
			t.Fatalf("the home is held by %v, not by the surviving partner %s too", holders, d.Partner.BSN)
		}
	})
	t.Run("landlords let what they do not live in", func(t *testing.T) {
		landlords := 0
		for _, pe := range p.Persons {
			for _, pa := range x.ParcelsOf(pe.BSN) {
				if !contains(pa.AddressIDs, pe.AddressID) && len(p.Residents(pa.AddressIDs[0])) > 0 {
					landlords++
					break
				}
			}
		}
		if landlords == 0 {
			t.Fatal("no person lets a dwelling to others")
		}
	})
}
