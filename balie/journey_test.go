package balie_test

import (
	"context"
	"fmt"
	"os"
	"strconv"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"github.com/poort-nl/poort/mocks/fault"
	"github.com/poort-nl/poort/mocks/population"
	"github.com/poort-nl/poort/server"
)

// TestConsoleJourney walks the console as a KCC employee in development
// mode: sign in, find a person who just lost their job by each key, see
// the card with a forbidden field and a failed registry, start the life
// event, hand the case over to UWV, see it among their work, look at the
// coupling map, and sign out; axe-core checks every page on the way.
func TestConsoleJourney(t *testing.T) {
	ctx := newBrowser(t)
	h := startHub(t, nil, server.Options{})
	p := testPopulation(t)
	jobLoss, ok := p.Person(p.Scenarios.JobLoss)
	if !ok {
		t.Fatal("the population names no person who just lost their job")
	}

	signInDevelopment(t, ctx, h.url, "kcc-medewerker", "dev-kcc-1")
	if got := text(t, ctx, "h1"); got != "Zoeken" {
		t.Fatalf("after sign-in the page is %q, want the search page", got)
	}
	checkAccessibility(t, ctx, "zoeken")
	shot(t, ctx, "balie-zoeken")

	t.Run("invalid BSN gets the graph's message", func(t *testing.T) {
		searchBSN(t, ctx, "123456789", "#bsn-fout")
		msg := text(t, ctx, "#bsn-fout")
		if !strings.Contains(msg, "bsn") {
			t.Errorf("error at the BSN field = %q, want the graph's message about the argument bsn", msg)
		}
	})

	t.Run("person card by BSN", func(t *testing.T) {
		searchBSN(t, ctx, jobLoss.BSN, "#identiteit")
		if got, want := text(t, ctx, "h1"), fullName(jobLoss); got != want {
			t.Fatalf("card heading = %q, want %q", got, want)
		}
		// UWV data is not for the purpose kcc-algemeen, nor for any
		// purpose a KCC employee can hold: no purpose is advised.
		work := text(t, ctx, "#werk")
		if !strings.Contains(work, "niet zichtbaar voor doel kcc-algemeen") || !strings.Contains(work, "niet zichtbaar voor rol kcc-medewerker") || strings.Contains(work, "wel met doel") {
			t.Errorf("work section does not say the employments are forbidden for the purpose and the role, without advising a purpose the role cannot hold:\n%s", work)
		}
		ms := get(t, ctx, "navigation timing", chromedp.Evaluate[float64](`performance.getEntriesByType("navigation")[0].loadEventEnd`))
		t.Logf("the person card loaded in %.0f ms", ms)
		checkAccessibility(t, ctx, "persoonskaart")
		shot(t, ctx, "balie-persoonskaart")
	})

	t.Run("source of a value on focus", func(t *testing.T) {
		// Keyboard only: tab to the first value with a source.
		var focused string
		for range 40 {
			run(t, ctx, "tab", chromedp.KeyEvent("\t"))
			focused = get(t, ctx, "focused element", chromedp.Evaluate[string](`document.activeElement ? String(document.activeElement.className) : ""`))
			if strings.Contains(focused, "balie-value") {
				break
			}
		}
		if !strings.Contains(focused, "balie-value") {
			t.Fatalf("40 tabs reached no value with a source (focus on %q)", focused)
		}
		tip := get(t, ctx, "tooltip", chromedp.Evaluate[string](`(() => {
			const tip = document.getElementById(document.activeElement.getAttribute("aria-describedby"));
			return getComputedStyle(tip).opacity + " " + tip.textContent; })()`))
		if !strings.HasPrefix(tip, "1 Bron: BRP") {
			t.Errorf("focused value's tooltip = %q, want it visible and naming the BRP", tip)
		}
	})

	t.Run("a failed registry's section", func(t *testing.T) {
		h.Mocks.Faults("BAG").Set(fault.Config{Status: 503})
		defer h.Mocks.ClearFaults()
		run(t, ctx, "reload card", chromedp.Reload(), chromedp.WaitVisible(chromedp.CSS("#adres")))
		addr := text(t, ctx, "#adres")
		if !strings.Contains(addr, "BAG is niet beschikbaar (UPSTREAM_") {
			t.Errorf("address section with the BAG down:\n%s", addr)
		}
		if name := text(t, ctx, "h1"); name != fullName(jobLoss) {
			t.Errorf("the rest of the card is gone with the BAG: heading %q", name)
		}
		shot(t, ctx, "balie-persoonskaart-bag-onbereikbaar")
	})

	var caseURL, cardURL string
	t.Run("start the life event and see its tasks", func(t *testing.T) {
		start := `[data-gebeurtenis=BECOMING_UNEMPLOYED] form[action="/balie/starten"]`
		run(t, ctx, "reload card", chromedp.Reload(), chromedp.WaitVisible(chromedp.CSS(start)))
		cardURL = get(t, ctx, "card URL", chromedp.Location())
		// The front office may not see the UWV data that would confirm
		// the job loss, so it says why it starts the case.
		run(t, ctx, "start",
			chromedp.SendKeys(chromedp.CSS(start+` input[name=toelichting]`), "Meldt aan de balie dat de baan per einde maand ophoudt"),
			chromedp.Click(chromedp.CSS(start+` button`)),
			chromedp.WaitVisible(chromedp.CSS("#taken")))
		caseURL = get(t, ctx, "case URL", chromedp.Location())
		tasks := text(t, ctx, "#taken")
		if !strings.Contains(tasks, "UWV") || !strings.Contains(tasks, "handmatig") || !strings.Contains(tasks, "gevolgd") {
			t.Errorf("tasks of the case:\n%s", tasks)
		}
		// Whether assistance applies waits for the UWV data: the hub tells
		// no partner yet.
		get(t, ctx, "the case settles", chromedp.Poll[bool](`document.querySelector("#voortgang").hasAttribute("data-final")`))
		if msgs := text(t, ctx, "#berichten"); !strings.Contains(msgs, "Geen berichten") {
			t.Errorf("notifications of a case whose partners learn of it otherwise:\n%s", msgs)
		}
		checkAccessibility(t, ctx, "zaak")
		shot(t, ctx, "balie-zaak")
	})

	t.Run("a case that notifies its partner, and the delivery", func(t *testing.T) {
		start := `[data-gebeurtenis=BECOMING_DEPENDENT_ON_CARE] form[action="/balie/starten"]`
		run(t, ctx, "back to the card", chromedp.Navigate(cardURL), chromedp.WaitVisible(chromedp.CSS(start)))
		run(t, ctx, "start",
			chromedp.SendKeys(chromedp.CSS(start+` input[name=toelichting]`), "Dochter meldt dat haar vader niet meer alleen kan wonen"),
			chromedp.Click(chromedp.CSS(start+` button`)),
			chromedp.WaitVisible(chromedp.CSS("#taken")))
		// The social district team must investigate after a report: the
		// hub tells it, and the page follows the delivery.
		get(t, ctx, "notifications delivered", chromedp.Poll[bool](`document.querySelector("#voortgang").hasAttribute("data-final")`))
		if msgs := text(t, ctx, "#berichten"); !strings.Contains(msgs, "Sociaal wijkteam") || !strings.Contains(msgs, "afgeleverd") {
			t.Errorf("notifications after delivery:\n%s", msgs)
		}
		run(t, ctx, "back to the first case", chromedp.Navigate(caseURL), chromedp.WaitVisible(chromedp.CSS("#taken")))
	})

	t.Run("warm handover to UWV", func(t *testing.T) {
		if caseURL == "" {
			t.Skip("no case")
		}
		form := `form[action="/balie/overdragen"]`
		if sel := get(t, ctx, "suggested partner", chromedp.Value(chromedp.CSS(form+` select[name=partner]`))); sel != "uwv" {
			t.Errorf("the handover form suggests %q, want uwv", sel)
		}
		run(t, ctx, "hand over",
			chromedp.SendKeys(chromedp.CSS(form+` input[name=reden]`), "WW aanvragen en inschrijven als werkzoekende"),
			chromedp.SendKeys(chromedp.CSS(form+` textarea[name=notities]`), "Ontslagen per einde maand; belt liever na 12 uur."),
			chromedp.Click(chromedp.CSS(form+` button[type=submit]`)),
			chromedp.WaitVisible(chromedp.CSS("#overdrachten")))
		if got := text(t, ctx, "#overdrachten"); !strings.Contains(got, "UWV") || !strings.Contains(got, "WW aanvragen") {
			t.Errorf("handovers of the case:\n%s", got)
		}
	})

	t.Run("my work lists the open handover", func(t *testing.T) {
		run(t, ctx, "my work", chromedp.Navigate(h.url+"/balie/werk"), chromedp.WaitVisible(chromedp.CSS("#mijn-overdrachten")))
		if got := text(t, ctx, "#mijn-overdrachten"); !strings.Contains(got, "WW aanvragen") {
			t.Errorf("my open handovers:\n%s", got)
		}
		checkAccessibility(t, ctx, "mijn-werk")
	})

	t.Run("search by surname and birth date", func(t *testing.T) {
		run(t, ctx, "search by name", chromedp.Navigate(h.url+"/balie/"),
			chromedp.SendKeys(chromedp.CSS("#achternaam"), jobLoss.Surname),
			chromedp.SetValue(chromedp.CSS("#geboortedatum"), fmtBirth(jobLoss.BirthDate)),
			chromedp.Submit(chromedp.CSS("#geboortedatum")),
			chromedp.WaitVisible(chromedp.CSS("table")))
		if got := text(t, ctx, "main"); !strings.Contains(got, fullName(jobLoss)) {
			t.Errorf("results do not name %s:\n%s", fullName(jobLoss), got)
		}
		checkAccessibility(t, ctx, "zoekresultaten")
	})

	t.Run("search by postcode and house number", func(t *testing.T) {
		a, ok := p.Address(jobLoss.AddressID)
		if !ok {
			t.Fatal("the person who lost their job has no address")
		}
		run(t, ctx, "search by address", chromedp.Navigate(h.url+"/balie/"),
			chromedp.SendKeys(chromedp.CSS("#postcode"), a.Postcode),
			chromedp.SendKeys(chromedp.CSS("#huisnummer"), strconv.Itoa(a.HouseNumber)),
			chromedp.Submit(chromedp.CSS("#huisnummer")),
			chromedp.WaitVisible(chromedp.CSS("section")))
		// Who lives where is not for general KCC work (docs/security.md):
		// the address is shown, its residents are refused.
		got := text(t, ctx, "main")
		if strings.Contains(got, fullName(jobLoss)) || !strings.Contains(got, "niet zichtbaar voor doel kcc-algemeen") || !strings.Contains(got, a.Postcode) {
			t.Errorf("the address page shows residents under kcc-algemeen, or not the address:\n%s", got)
		}
	})

	t.Run("company by KvK number and by name", func(t *testing.T) {
		co, ok := p.Company(p.Scenarios.NewCompany)
		if !ok {
			t.Fatal("the population names no new company")
		}
		searchCompany(t, ctx, h.url, co.KvKNumber)
		if got := text(t, ctx, "h1"); got != co.Name {
			t.Errorf("company card heading = %q, want %q", got, co.Name)
		}
		checkAccessibility(t, ctx, "bedrijfskaart")
		searchCompany(t, ctx, h.url, strings.Fields(co.Name)[0])
		if got := text(t, ctx, "main"); !strings.Contains(got, co.KvKNumber) {
			t.Errorf("search by name does not list %s:\n%s", co.KvKNumber, got)
		}
	})

	t.Run("from a parent's card the birth is one click away", func(t *testing.T) {
		child, _ := p.Person(p.Scenarios.RecentBirth)
		// A registrar of births sees whose parent someone is.
		run(t, ctx, "work for birth registration",
			chromedp.SetValue(chromedp.CSS("#doel"), "burgerzaken-geboorte"),
			chromedp.Click(chromedp.CSS(`#doel ~ button, form:has(#doel) button`)),
			chromedp.WaitVisible(chromedp.CSS("#doel")))
		searchBSN(t, ctx, child.Parents[0], "#identiteit")
		births := get(t, ctx, "birth pictures", chromedp.Evaluate[string](
			`[...document.querySelectorAll("[data-gebeurtenis=BIRTH]")].map(e => e.textContent).join("\n")`))
		if !strings.Contains(births, "als Ouder") || !strings.Contains(births, fullName(child)) {
			t.Fatalf("the parent's birth pictures do not name the child:\n%s", births)
		}
		href := get(t, ctx, "the link to the child", chromedp.Evaluate[string](fmt.Sprintf(
			`(() => { const a = [...document.querySelectorAll("[data-gebeurtenis=BIRTH] a")].find(a => a.textContent === %q); return a ? a.href : ""; })()`,
			fullName(child))))
		if href == "" {
			t.Fatal("no link to the child's card")
		}
		run(t, ctx, "follow it", chromedp.Navigate(href), chromedp.WaitVisible(chromedp.CSS("#identiteit")))
		birth := `[data-gebeurtenis=BIRTH]`
		if got := text(t, ctx, "h1"); got != fullName(child) {
			t.Errorf("the link leads to %q, want the child %q", got, fullName(child))
		}
		if got := text(t, ctx, birth); !strings.Contains(got, "als Kind") || !strings.Contains(got, "afgerond") {
			t.Errorf("the child's birth picture:\n%s", got)
		}
	})

	t.Run("coupling map", func(t *testing.T) {
		run(t, ctx, "map", chromedp.Navigate(h.url+"/balie/koppelingen"), chromedp.WaitVisible(chromedp.CSS("svg")))
		all := get(t, ctx, "gap rows", chromedp.Evaluate[int](`document.querySelectorAll("tr[id^=gat-]").length`))
		if all == 0 {
			t.Fatal("the map lists no gaps")
		}
		if bc := text(t, ctx, "aside"); !strings.Contains(bc, "Utrecht") || !strings.Contains(bc, "Terugverdiend") {
			t.Errorf("business case beside the map:\n%s", bc)
		}
		checkAccessibility(t, ctx, "koppelingen")
		shot(t, ctx, "balie-koppelingen")
		run(t, ctx, "filter", chromedp.SetValue(chromedp.CSS("#gebeurtenis"), "BECOMING_UNEMPLOYED"),
			chromedp.SetValue(chromedp.CSS("#ernst"), "HIGH"),
			chromedp.Submit(chromedp.CSS("#gebeurtenis")), chromedp.WaitVisible(chromedp.CSS("svg")))
		some := get(t, ctx, "gap rows", chromedp.Evaluate[int](`document.querySelectorAll("tr[id^=gat-]").length`))
		if some == 0 || some >= all {
			t.Errorf("filtered to one event's high gaps: %d of %d rows", some, all)
		}
		// A gap in the diagram links to its reason.
		run(t, ctx, "follow a gap", chromedp.Click(chromedp.CSS("svg a")))
		target := get(t, ctx, "target", chromedp.Evaluate[string](`document.querySelector(":target") ? document.querySelector(":target").textContent : ""`))
		if !strings.Contains(target, "UWV") {
			t.Errorf("the gap link leads to %q", target)
		}
	})

	t.Run("sign out", func(t *testing.T) {
		run(t, ctx, "sign out", chromedp.Navigate(h.url+"/balie/"),
			chromedp.Click(chromedp.CSS(`form[action="/balie/afmelden"] button`)),
			chromedp.WaitVisible(chromedp.CSS(".utrecht-alert--ok")))
		if got := text(t, ctx, ".utrecht-alert--ok"); !strings.Contains(got, "afgemeld") {
			t.Errorf("after sign-out: %q", got)
		}
		run(t, ctx, "back to the console", chromedp.Navigate(h.url+"/balie/werk"), chromedp.WaitVisible(chromedp.CSS("h1")))
		if got := text(t, ctx, "h1"); got != "Aanmelden bij de balie" {
			t.Errorf("signed out, /balie/werk shows %q", got)
		}
		checkAccessibility(t, ctx, "aanmelden")
	})
}

// signInDevelopment signs in on the development sign-in page with a role
// and all its purposes.
func signInDevelopment(t *testing.T, ctx context.Context, base, role, name string) {
	t.Helper()
	run(t, ctx, "sign in",
		chromedp.Navigate(base+"/balie/"),
		chromedp.Click(chromedp.CSS("#rol-"+role)),
		chromedp.Click(chromedp.CSS(`form[action="/balie/aanmelden"] button`)),
		chromedp.WaitVisible(chromedp.CSS("#medewerker")),
		chromedp.SetValue(chromedp.CSS("#medewerker"), name),
		chromedp.Click(chromedp.CSS(`form[method=post] button`)),
		chromedp.WaitVisible(chromedp.CSS("#doel")))
}

// searchBSN searches a BSN from the search page and waits for the page
// that answers: an element only that page has (the search page itself is
// still showing its h1 while the answer loads).
func searchBSN(t *testing.T, ctx context.Context, bsn, answer string) {
	t.Helper()
	run(t, ctx, "search BSN "+bsn,
		chromedp.Click(chromedp.CSS(`a.balie-header__brand`)),
		chromedp.WaitVisible(chromedp.CSS("#bsn")),
		chromedp.SendKeys(chromedp.CSS("#bsn"), bsn+"\r"),
		chromedp.WaitVisible(chromedp.CSS(answer)))
}

func searchCompany(t *testing.T, ctx context.Context, base, q string) {
	t.Helper()
	run(t, ctx, "search company "+q, chromedp.Navigate(base+"/balie/"),
		chromedp.SendKeys(chromedp.CSS("#bedrijf"), q+"\r"),
		chromedp.WaitVisible(chromedp.CSS("table")))
}

func fullName(p *population.Person) string {
	return strings.Join(strings.Fields(p.GivenNames+" "+p.Prefix+" "+p.Surname), " ")
}

// checkAccessibility runs axe-core, bundled from npm into testdata, on the
// page, and fails on every serious or critical violation.
func checkAccessibility(t *testing.T, ctx context.Context, page string) {
	t.Helper()
	axe, err := os.ReadFile("testdata/axe.min.js")
	if err != nil {
		t.Fatal(err)
	}
	run(t, ctx, "load axe-core", chromedp.Evaluate[chromedp.Void](string(axe)))
	type violation struct {
		ID, Impact, Help string
		Nodes            []struct{ Target []string }
	}
	vs := get(t, ctx, "axe-core on "+page, chromedp.Evaluate[[]violation](`axe.run(document, {resultTypes: ["violations"]}).then(r => r.violations)`, chromedp.EvalAwaitPromise))
	for _, v := range vs {
		if v.Impact == "serious" || v.Impact == "critical" {
			var where []string
			for _, n := range v.Nodes {
				where = append(where, strings.Join(n.Target, " "))
			}
			t.Errorf("axe-core on %s: %s (%s): %s at %s", page, v.ID, v.Impact, v.Help, strings.Join(where, "; "))
		}
	}
}
