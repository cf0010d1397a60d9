package server_test

import (
	"encoding/json"
	"fmt"
	"slices"
	"strings"
	"testing"

	"github.com/poort-nl/poort/auth"
	"github.com/poort-nl/poort/mocks/population"
	"github.com/poort-nl/poort/store"
)

// rightHolders is what the BRK tests select of a parcel's rights.
type rightHolders []struct {
	Kind, Share, HolderKind string
	BSN, RSIN               *string
	Person                  *struct{ BSN string }
	Company                 *struct{ KvKNumber string }
}

// TestBRKThroughTheGraph asks the BRK through the assembled hub: the
// renovation house's parcel, owner and monument status, what the deceased
// held, and a housing corporation found by its RSIN.
func TestBRKThroughTheGraph(t *testing.T) {
	h, tap := newTappedHub(t)
	p := h.Mocks.Population
	ix := population.NewBRKIndex(p)

	t.Run("the renovation address: its parcel, owner and monument", func(t *testing.T) {
		want := ix.ParcelsAt(p.Scenarios.Renovation)[0]
		var got struct {
			Address struct {
				Parcels []struct {
					ID, Kind, Designation string
					Monument              bool
					Restrictions          []struct {
						Basis     struct{ Code string }
						Monument  bool
						Authority string
					}
					RightsHolders rightHolders
				}
			}
		}
		tap.take()
		h.Query(t, fmt.Sprintf(`{ address(id: %q) { parcels { id kind designation monument
			restrictions { basis { code } monument authority }
			rightsHolders { kind share holderKind bsn rsin person { bsn } company { kvkNumber } } } } }`, p.Scenarios.Renovation), nil).Decode(t, &got)
		ps := got.Address.Parcels
		if len(ps) != 1 || ps[0].ID != want.ID || ps[0].Kind != "LAND_PARCEL" || ps[0].Designation != want.Designation() || !ps[0].Monument {
			t.Fatalf("parcels = %+v, want %s, a monument", ps, want.Designation())
		}
		if r := ps[0].Restrictions; len(r) != 1 || r[0].Basis.Code != population.NationalMonument || !r[0].Monument || r[0].Authority == "" {
			t.Errorf("restrictions = %+v, want the rijksmonument", r)
		}
		resident := false
		for _, r := range ps[0].RightsHolders {
			if r.HolderKind != "PERSON" || r.BSN == nil || r.Person == nil || r.Person.BSN != *r.BSN || r.RSIN != nil || r.Company != nil {
				t.Errorf("rights holder %+v, want a person in the BRP", r)
				continue
			}
			if pe, _ := p.Person(*r.BSN); pe.AddressID == p.Scenarios.Renovation {
				resident = true
			}
		}
		if !resident {
			t.Errorf("no resident owns the renovation house: %+v", ps[0].RightsHolders)
		}
		// The parcel is about no one; each right is about its holder.
		got2 := recordedAbout(tap.take())
		for _, r := range want.Rights {
			if !has(got2[subject{typ: store.DataSubjectBSN, id: r.HolderBSN}], "brk.zakelijkgerechtigden.raadplegen persoon.identificatie") {
				t.Errorf("the right of %s is not recorded under its holder: %v", r.HolderBSN, got2)
			}
		}
		for s, ds := range got2 {
			if slices.ContainsFunc(ds, func(d string) bool { return strings.HasPrefix(d, "brk.kadastraalonroerendezaken.") }) {
				t.Errorf("%s %s: the parcel at an address recorded as theirs: %v", s.typ, s.id, ds)
			}
		}
	})

	t.Run("what the deceased held, with the surviving partner", func(t *testing.T) {
		dead, _ := p.Person(p.Scenarios.Deceased)
		var got struct {
			Person struct {
				RealEstate []struct {
					Kind, Share string
					Parcel      struct {
						Designation   string
						Addresses     []struct{ ID string }
						RightsHolders rightHolders
					}
				}
			}
		}
		h.Query(t, fmt.Sprintf(`{ person(bsn: %q) { realEstate { kind share parcel { designation addresses { id }
			rightsHolders { kind share holderKind bsn rsin person { bsn } company { kvkNumber } } } } } }`, dead.BSN), nil).Decode(t, &got)
		re := got.Person.RealEstate
		if len(re) == 0 || re[0].Kind != "eigenaar" || re[0].Share != "1/2" || len(re[0].Parcel.Addresses) == 0 || re[0].Parcel.Addresses[0].ID != dead.AddressID {
			t.Fatalf("realEstate = %+v, want half of their home %s", re, dead.AddressID)
		}
		var holders []string
		for _, r := range re[0].Parcel.RightsHolders {
			if r.BSN != nil {
				holders = append(holders, *r.BSN)
			}
		}
		if !slices.Contains(holders, dead.Partner.BSN) {
			t.Errorf("holders %v, want the surviving partner %s", holders, dead.Partner.BSN)
		}
	})

	t.Run("a housing corporation by its RSIN in the Handelsregister", func(t *testing.T) {
		var parcel *population.Parcel
		for i := range p.Parcels {
			if pa := &p.Parcels[i]; len(pa.AddressIDs) == 1 && len(pa.Rights) == 1 && pa.Rights[0].HolderRSIN != "" {
				parcel = pa
				break
			}
		}
		if parcel == nil {
			t.Fatal("no address of a legal entity's parcel")
		}
		c, _ := ix.CompanyByRSIN(parcel.Rights[0].HolderRSIN)
		var got struct {
			Address struct {
				Parcels []struct{ RightsHolders rightHolders }
			}
		}
		tap.take()
		h.Query(t, fmt.Sprintf(`{ address(id: %q) { parcels { rightsHolders { kind share holderKind bsn rsin person { bsn } company { kvkNumber } } } } }`, parcel.AddressIDs[0]), nil).Decode(t, &got)
		rs := got.Address.Parcels[0].RightsHolders
		if len(rs) != 1 || rs[0].HolderKind != "LEGAL_ENTITY" || rs[0].RSIN == nil || *rs[0].RSIN != c.RSIN || rs[0].Share != "1/1" ||
			rs[0].Company == nil || rs[0].Company.KvKNumber != c.KvKNumber || rs[0].BSN != nil || rs[0].Person != nil {
			t.Fatalf("rights holders = %+v, want %s (KvK %s)", rs, c.Name, c.KvKNumber)
		}
		// A legal entity's right is about no one; its registration is the
		// company's.
		for s, ds := range recordedAbout(tap.take()) {
			if s.typ != store.DataSubjectKvK || s.id != c.KvKNumber {
				t.Errorf("%s %s recorded: %v", s.typ, s.id, ds)
			}
		}
	})
}

// TestBRKUnderThePolicy: a permits officer sees who owns an address and
// whether it is a monument, but not what else its owners hold; general
// KCC work sees no parcels, and the BRK is not asked for them.
func TestBRKUnderThePolicy(t *testing.T) {
	h := newTestHub(t)
	p := h.Mocks.Population
	permits := h.TokenFor(t, auth.Principal{Role: "vergunningverlener", Purposes: []string{"bouwen-en-verbouwen"}})
	kcc := h.TokenFor(t, auth.Principal{Role: "kcc-medewerker", Purposes: []string{"kcc-algemeen"}})
	owner := population.NewBRKIndex(p).ParcelsAt(p.Scenarios.Renovation)[0].Rights[0].HolderBSN
	search := "POST /esd/bevragen/v2/kadastraalonroerendezaken"

	h.Mocks.ResetCalls()
	r := h.QueryAs(t, permits, fmt.Sprintf(`{ address(id: %q) { parcels { monument rightsHolders { bsn person { realEstate { share } } } } } }`, p.Scenarios.Renovation), nil)
	if len(r.Errors) == 0 || r.Errors[0].Extensions["code"] != "FORBIDDEN" || !strings.Contains(r.Errors[0].Message, "Person.realEstate") {
		t.Fatalf("errors = %+v, want the owner's other property refused", r.Errors)
	}
	if !strings.Contains(string(r.Data), owner) || !strings.Contains(string(r.Data), `"monument":true`) {
		t.Errorf("data %s: want the owner's BSN and the monument", r.Data)
	}
	if _, routes := h.Mocks.Calls("BRK"); routes[search] != 0 {
		t.Errorf("the BRK was searched by BSN for a permits officer: %v", routes)
	}

	h.Mocks.ResetCalls()
	r = h.QueryAs(t, kcc, fmt.Sprintf(`{ address(id: %q) { street parcels { designation } } }`, p.Scenarios.Renovation), nil)
	if len(r.Errors) == 0 || r.Errors[0].Extensions["code"] != "FORBIDDEN" {
		t.Fatalf("errors = %+v, want the parcels refused to general KCC work", r.Errors)
	}
	if n, routes := h.Mocks.Calls("BRK"); n != 0 {
		t.Errorf("the BRK was asked: %v", routes)
	}
}

// TestBRKInTheLifeEvents: the renovation of the monument its resident
// owns shows the owner and the monument; the death shows what the
// deceased held. Each as a front-office employee sees it under the life
// event's own purpose.
func TestBRKInTheLifeEvents(t *testing.T) {
	h := newTestHub(t)
	p := h.Mocks.Population
	ix := population.NewBRKIndex(p)
	pictureAs := func(t *testing.T, purpose, root, arg, id, kind string) picture {
		t.Helper()
		tok := h.TokenFor(t, auth.Principal{Role: "kcc-medewerker", Purposes: []string{purpose}})
		q := fmt.Sprintf(`query($id: String!) { subject: %s(%s: $id) { lifeEvent(kind: %s) { %s } } }`, root, arg, kind, pictureFields)
		var got struct{ Subject struct{ LifeEvent picture } }
		h.QueryAs(t, tok, q, map[string]any{"id": id}).Decode(t, &got)
		return got.Subject.LifeEvent
	}

	t.Run("renovation", func(t *testing.T) {
		parcel := ix.ParcelsAt(p.Scenarios.Renovation)[0]
		pic := pictureAs(t, "bouwen-en-verbouwen", "address", "id", p.Scenarios.Renovation, "RENOVATION")
		if !contains(fact(pic, "parcels.monument"), "true") || !contains(fact(pic, "parcels.rightsHolders"), parcel.Rights[0].HolderBSN) ||
			!contains(fact(pic, "parcels.restrictions"), population.NationalMonument) {
			t.Errorf("facts = %v, want the monument and its owner %s", pic.Facts, parcel.Rights[0].HolderBSN)
		}
		checkBRKNeeds(t, pic, "permit-check", "intake", "appearance-advice")
	})
	t.Run("death", func(t *testing.T) {
		dead, _ := p.Person(p.Scenarios.Deceased)
		parcel := ix.ParcelsOf(dead.BSN)[0]
		pic := pictureAs(t, "overlijden", "person", "bsn", dead.BSN, "DEATH")
		if !contains(fact(pic, "realEstate.parcel.designation"), parcel.Designation()) || !contains(fact(pic, "realEstate.share"), "1/2") {
			t.Errorf("facts = %v, want half of %s", pic.Facts, parcel.Designation())
		}
		checkBRKNeeds(t, pic, "municipal-services")
	})
}

// checkBRKNeeds holds the steps to needing the BRK and to resolving every
// need, none withheld.
func checkBRKNeeds(t *testing.T, pic picture, steps ...string) {
	t.Helper()
	for _, id := range steps {
		found := false
		for _, st := range pic.Steps {
			if st.Step.ID != id {
				continue
			}
			found = true
			brk := false
			for _, n := range st.Needs {
				brk = brk || strings.HasPrefix(n.Path, "parcels.") || strings.HasPrefix(n.Path, "realEstate.")
				if !n.Resolved {
					t.Errorf("step %s: need %s did not resolve", id, n.Path)
				}
			}
			for _, b := range st.Blockers {
				if b.Kind == "withheld" {
					t.Errorf("step %s: %s", id, b.Reason)
				}
			}
			if !brk {
				t.Errorf("step %s needs nothing of the BRK: %+v", id, st.Needs)
			}
		}
		if !found {
			t.Errorf("no step %s", id)
		}
	}
}

// TestBRKRightsHoldersForACitizen: a citizen looking at a parcel sees only
// the rights they may see, their own, and learns neither who else holds a
// right on it nor how many do; the rights of others are withheld with a
// refusal, as the residents of an address are.
func TestBRKRightsHoldersForACitizen(t *testing.T) {
	h := newTestHub(t)
	p := h.Mocks.Population
	parcel := population.NewBRKIndex(p).ParcelsAt(p.Scenarios.Renovation)[0]
	owner := parcel.Rights[0].HolderBSN
	var stranger string
	for _, pe := range p.Persons {
		if pe.AddressID != p.Scenarios.Renovation && !slices.ContainsFunc(parcel.Rights, func(r population.Right) bool { return r.HolderBSN == pe.BSN }) {
			stranger = pe.BSN
			break
		}
	}
	if stranger == "" {
		t.Fatal("no person outside the renovation house and its rights")
	}
	q := fmt.Sprintf(`{ address(id: %q) { parcels { rightsHolders { bsn share } } } }`, p.Scenarios.Renovation)
	type answer struct {
		Address struct {
			Parcels []struct {
				RightsHolders []struct {
					BSN   *string
					Share *string
				}
			}
		}
	}

	var got answer
	r := h.QueryAs(t, h.TokenFor(t, auth.Principal{Subject: "digid-1", Role: "burger", CitizenBSN: stranger}), q, nil)
	if len(r.Errors) == 0 || r.Errors[0].Extensions["code"] != "FORBIDDEN" {
		t.Fatalf("errors = %+v, want the others' rights refused", r.Errors)
	}
	if err := json.Unmarshal(r.Data, &got); err != nil {
		t.Fatal(err)
	}
	if len(got.Address.Parcels) == 0 {
		t.Fatalf("the stranger sees no parcel at the address: %s %+v", r.Data, r.Errors)
	}
	for _, pa := range got.Address.Parcels {
		if len(pa.RightsHolders) != 0 {
			t.Errorf("a stranger sees %d rights holders: %s", len(pa.RightsHolders), r.Data)
		}
	}

	got = answer{}
	r = h.QueryAs(t, h.TokenFor(t, auth.Principal{Subject: "digid-2", Role: "burger", CitizenBSN: owner}), q, nil)
	if err := json.Unmarshal(r.Data, &got); err != nil {
		t.Fatal(err)
	}
	mine := 0
	for _, pa := range got.Address.Parcels {
		for _, rh := range pa.RightsHolders {
			if rh.BSN == nil || *rh.BSN != owner {
				t.Errorf("the owner sees another's right: %s", r.Data)
			}
			mine++
		}
	}
	if mine == 0 {
		t.Errorf("the owner does not see their own right: %s %+v", r.Data, r.Errors)
	}
}
