package cases_test

import (
	"context"
	"slices"
	"testing"

	"github.com/poort-nl/poort/cases"
	"github.com/poort-nl/poort/store"
	"github.com/poort-nl/poort/store/storetest"
)

// A cancelled case tells every partner that was notified, through the
// outbox, why; a partner never reached hears nothing of it.
func TestCancelCaseTellsThePartnersThatWereNotified(t *testing.T) {
	env.Each(t, func(t *testing.T, db storetest.Named) {
		ctx := context.Background()
		clk := newClock()
		p, url := partnerServer(t)
		s := newService(t, db.Store, clk)
		d := newDispatcher(t, db.Store, cases.MockDirectory(url), cases.DispatcherOptions{Now: clk.Now})
		delivered := start(t, s, "becoming-dependent-on-care", person(bsnB), "desk", "k1")
		dispatchOnce(t, d)
		unsent := start(t, s, "birth", person(bsnA), "desk", "k2")

		for _, tt := range []struct {
			name string
			res  *store.CaseResult
			told []string
		}{
			{"delivered", delivered, []string{"social-district-team"}},
			{"never sent", unsent, nil},
		} {
			got, err := s.CancelCase(ctx, tt.res.Case.ID, 1, "registered by mistake", clerk)
			if err != nil {
				t.Fatalf("%s: %v", tt.name, err)
			}
			if !slices.Equal(got.Told, tt.told) || got.Case.Status != store.CaseCancelled || len(got.Withdrawn) != len(tt.res.Tasks) {
				t.Fatalf("%s: told %v, %d of %d tasks withdrawn, status %s", tt.name, got.Told, len(got.Withdrawn), len(tt.res.Tasks), got.Case.Status)
			}
		}
		if res := dispatchOnce(t, d); res.Delivered != 1 {
			t.Fatalf("after cancelling: %+v, want the cancellation delivered", res)
		}
		for _, partner := range []string{"social-district-team"} {
			recv := p.Received(partner)
			var n cases.Notification
			if err := recv[len(recv)-1].Decode(&struct {
				N *cases.Notification `json:"notification"`
			}{&n}); err != nil {
				t.Fatal(err)
			}
			if n.Type != cases.TypeCaseCancelled || n.Cancellation == nil || n.Cancellation.Reason != "registered by mistake" ||
				n.Subject.ID != bsnB || n.LifeEvent != "becoming-dependent-on-care" {
				t.Errorf("%s was told %+v", partner, n)
			}
		}
		for _, partner := range []string{"svb", "rivm", "ggd"} {
			if got := p.Received(partner); len(got) != 0 {
				t.Errorf("%s, never notified of the birth, received %d notifications", partner, len(got))
			}
		}

		_, err := s.CancelCase(ctx, delivered.Case.ID, 2, "", clerk)
		if cases.Code(err) != cases.CodeBadUserInput {
			t.Fatalf("no reason: %v", err)
		}
	}, store.WithClock(newClock().Now))
}
