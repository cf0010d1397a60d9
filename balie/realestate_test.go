package balie_test

import (
	"context"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/poort-nl/poort/mocks/fault"
	"github.com/poort-nl/poort/mocks/population"
	"github.com/poort-nl/poort/server"
)

// TestConsoleRealEstate follows the BRK through the console. For a KCC
// employee: the real estate of a person who died is hidden under general
// KCC work with the purpose that shows it named, shown under the death
// purpose with its source on focus and its restrictions hidden for that
// purpose, unavailable with the error code while the BRK is down; an
// address found by postcode shows its parcel, owner and monument under the
// renovation purpose; a company's premises are hidden under general KCC
// work. For a work and income consultant, the company's premises show who
// owns them.
func TestConsoleRealEstate(t *testing.T) {
	ctx := newBrowser(t)
	h := startHub(t, nil, server.Options{})
	p := testPopulation(t)
	brk := population.NewBRKIndex(p)
	dead, ok := p.Person(p.Scenarios.Deceased)
	if !ok {
		t.Fatal("the population names no person who died")
	}
	held := brk.ParcelsOf(dead.BSN)
	if len(held) == 0 {
		t.Fatal("the person who died holds no real estate")
	}

	owner := companyOwningItsPremises(t, p, brk)

	signInDevelopment(t, ctx, h.url, "kcc-medewerker", "dev-kcc-brk")

	t.Run("a company's premises hidden under general KCC work", func(t *testing.T) {
		searchCompany(t, ctx, h.url, owner.KvKNumber)
		got := text(t, ctx, "#onroerend-goed")
		if !strings.Contains(got, "niet zichtbaar voor doel kcc-algemeen") || !strings.Contains(got, "wel met doel bouwen-en-verbouwen") {
			t.Errorf("premises under kcc-algemeen, want them hidden and the renovation purpose named:\n%s", got)
		}
	})

	t.Run("hidden under general KCC work, with the purpose that shows it", func(t *testing.T) {
		searchBSN(t, ctx, dead.BSN, "#onroerend-goed")
		got := text(t, ctx, "#onroerend-goed")
		if !strings.Contains(got, "niet zichtbaar voor doel kcc-algemeen") || !strings.Contains(got, "wel met doel overlijden") || strings.Contains(got, held[0].Designation()) {
			t.Errorf("real estate under kcc-algemeen, want it hidden and the death purpose named:\n%s", got)
		}
	})

	t.Run("shown under the death purpose, each value with its source", func(t *testing.T) {
		afterNavigation(t, ctx, "choose the death purpose", "#onroerend-goed",
			chromedp.SetValue(chromedp.CSS("#doel"), "overlijden"), chromedp.Submit(chromedp.CSS("#doel")))
		got := text(t, ctx, "#onroerend-goed")
		for _, want := range []string{held[0].Designation(), "eigenaar", "1/2"} {
			if !strings.Contains(got, want) {
				t.Errorf("real estate under overlijden lacks %q:\n%s", want, got)
			}
		}
		// The restrictions (and so the monument) are for the renovation
		// purpose, which a KCC employee may hold.
		if !strings.Contains(got, "niet zichtbaar voor doel overlijden (wel met doel bouwen-en-verbouwen)") {
			t.Errorf("restrictions under overlijden, want them hidden with the renovation purpose named:\n%s", got)
		}
		tip := get(t, ctx, "tooltip", chromedp.Evaluate[string](`(() => {
			const v = document.querySelector("#onroerend-goed .balie-value");
			v.focus();
			const tip = document.getElementById(v.getAttribute("aria-describedby"));
			return (document.activeElement === v) + " " + getComputedStyle(tip).opacity + " " + tip.textContent; })()`))
		if !strings.HasPrefix(tip, "true 1 Bron: BRK") {
			t.Errorf("the first real-estate value on focus shows %q, want its BRK source", tip)
		}
		checkAccessibility(t, ctx, "persoonskaart-onroerend-goed")
		shot(t, ctx, "balie-persoonskaart-onroerend-goed")
	})

	t.Run("unavailable while the BRK is down, the rest of the card stays", func(t *testing.T) {
		if err := h.Mocks.Faults("BRK").Set(fault.Config{Status: 503}); err != nil {
			t.Fatal(err)
		}
		defer h.Mocks.ClearFaults()
		run(t, ctx, "reload card", chromedp.Reload(), chromedp.WaitVisible(chromedp.CSS("#onroerend-goed")))
		got := text(t, ctx, "#onroerend-goed")
		if !strings.Contains(got, "BRK is niet beschikbaar (UPSTREAM_UNAVAILABLE)") || strings.Contains(got, held[0].Designation()) {
			t.Errorf("real estate with the BRK down:\n%s", got)
		}
		if name := text(t, ctx, "h1"); name != fullName(dead) {
			t.Errorf("the rest of the card is gone with the BRK: heading %q", name)
		}
		if addr := text(t, ctx, "#adres"); strings.Contains(addr, "niet beschikbaar") {
			t.Errorf("the address section fails with the BRK:\n%s", addr)
		}
	})

	t.Run("an address's parcel, owner and monument under the renovation purpose", func(t *testing.T) {
		a, ok := p.Address(p.Scenarios.Renovation)
		if !ok {
			t.Fatal("the population names no address to renovate")
		}
		at := brk.ParcelsAt(a.ID)
		if len(at) == 0 {
			t.Fatal("the address to renovate is at no parcel")
		}
		afterNavigation(t, ctx, "choose the renovation purpose", "#doel",
			chromedp.SetValue(chromedp.CSS("#doel"), "bouwen-en-verbouwen"), chromedp.Submit(chromedp.CSS("#doel")))
		section := "#kadaster-" + a.ID
		run(t, ctx, "search by address", chromedp.Navigate(h.url+"/balie/"),
			chromedp.SendKeys(chromedp.CSS("#postcode"), a.Postcode),
			chromedp.SendKeys(chromedp.CSS("#huisnummer"), strconv.Itoa(a.HouseNumber)),
			chromedp.Submit(chromedp.CSS("#huisnummer")),
			chromedp.WaitVisible(chromedp.CSS(section)))
		got := text(t, ctx, section)
		for _, want := range []string{at[0].Designation(), "eigenaar", "rijksmonument"} {
			if !strings.Contains(strings.ToLower(got), strings.ToLower(want)) {
				t.Errorf("the address's BRK section lacks %q:\n%s", want, got)
			}
		}
		monument := get(t, ctx, "monument", chromedp.Evaluate[string](`document.querySelector("`+section+` td:nth-child(3)").textContent.trim()`))
		if !strings.HasPrefix(monument, "ja") {
			t.Errorf("the parcel's monument cell reads %q, want ja", monument)
		}
		checkAccessibility(t, ctx, "adres-kadaster")
		shot(t, ctx, "balie-adres-kadaster")
	})

	t.Run("a company's premises and their owner for work and income", func(t *testing.T) {
		afterNavigation(t, ctx, "sign out", "#rol-consulent-werk-en-inkomen",
			chromedp.Click(chromedp.CSS(`form[action="/balie/afmelden"] button`)))
		signInDevelopment(t, ctx, h.url, "consulent-werk-en-inkomen", "dev-wi-brk")
		afterNavigation(t, ctx, "choose the work and income purpose", "#doel",
			chromedp.SetValue(chromedp.CSS("#doel"), "werk-en-inkomen"), chromedp.Submit(chromedp.CSS("#doel")))
		searchCompany(t, ctx, h.url, owner.KvKNumber)
		got := text(t, ctx, "#onroerend-goed")
		if !strings.Contains(got, owner.premises) || !strings.Contains(got, owner.Name) || !strings.Contains(got, "eigenaar") {
			t.Errorf("the company's premises lack %s owned by %s:\n%s", owner.premises, owner.Name, got)
		}
		// The restrictions are no business of work and income, nor of any
		// purpose the consultant's role holds.
		if !strings.Contains(got, "niet zichtbaar voor rol consulent-werk-en-inkomen") {
			t.Errorf("the restrictions under werk-en-inkomen, want them hidden for the role:\n%s", got)
		}
		checkAccessibility(t, ctx, "bedrijfskaart-panden")
	})
}

// premisesOwner is a company and the designation of a parcel at one of its
// branches that it holds a right on.
type premisesOwner struct {
	*population.Company
	premises string
}

// companyOwningItsPremises picks a legal entity that holds a right on the
// parcel of one of its branches.
func companyOwningItsPremises(t *testing.T, p *population.Population, brk *population.BRKIndex) premisesOwner {
	t.Helper()
	for i := range p.Companies {
		co := &p.Companies[i]
		if co.RSIN == "" {
			continue
		}
		for _, b := range co.Branches {
			for _, pc := range brk.ParcelsAt(b.AddressID) {
				for _, r := range pc.Rights {
					if r.HolderRSIN == co.RSIN {
						return premisesOwner{co, pc.Designation()}
					}
				}
			}
		}
	}
	t.Fatal("no legal entity of the population owns the premises of a branch")
	return premisesOwner{}
}

// afterNavigation runs actions that leave the page, and waits until the
// next page has loaded and shows sel: a wait on sel alone could be met by
// the page being left.
func afterNavigation(t *testing.T, ctx context.Context, what, sel string, actions ...chromedp.Action[chromedp.Void]) {
	t.Helper()
	run(t, ctx, what, append([]chromedp.Action[chromedp.Void]{chromedp.Evaluate[chromedp.Void](`window.balieLeft = true`)}, actions...)...)
	check := `!window.balieLeft && document.readyState === "complete" && document.querySelector(` + strconv.Quote(sel) + `) !== null`
	for deadline := time.Now().Add(20 * time.Second); time.Now().Before(deadline); time.Sleep(50 * time.Millisecond) {
		cctx, cancel := context.WithTimeout(ctx, 2*time.Second)
		loaded, err := chromedp.Run(cctx, chromedp.Evaluate[bool](check))
		cancel()
		if err == nil && loaded {
			return
		}
	}
	failPage(t, ctx, what, context.DeadlineExceeded)
}
