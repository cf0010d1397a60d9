package cases_test

import (
	"context"
	"encoding/hex"
	"errors"
	"github.com/google/uuid"
	"net/http"
	"net/http/httptest"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/poort-nl/poort/cases"
	"github.com/poort-nl/poort/internal/globalid"
	"github.com/poort-nl/poort/mocks/fault"
	"github.com/poort-nl/poort/mocks/partners"
	"github.com/poort-nl/poort/store"
	"github.com/poort-nl/poort/store/storetest"
)

// partnerServer runs the mock partners for one test.
func partnerServer(t testing.TB) (*partners.Server, string) {
	t.Helper()
	p := partners.New()
	ts := httptest.NewServer(p.Handler())
	t.Cleanup(ts.Close)
	return p, ts.URL
}

func newDispatcher(t *testing.T, st cases.DispatchStore, dir cases.Directory, o cases.DispatcherOptions) *cases.Dispatcher {
	t.Helper()
	d, err := cases.NewDispatcher(st, dir, o)
	if err != nil {
		t.Fatal(err)
	}
	return d
}

func dispatchOnce(t *testing.T, d *cases.Dispatcher) cases.DispatchResult {
	t.Helper()
	res, err := d.DispatchOnce(context.Background())
	if err != nil {
		t.Fatalf("DispatchOnce: %v", err)
	}
	return res
}

var traceparentRE = regexp.MustCompile(`^00-([0-9a-f]{32})-([0-9a-f]{16})-01$`)

func TestDispatchDelivers(t *testing.T) {
	env.Each(t, func(t *testing.T, db storetest.Named) {
		ctx := context.Background()
		clk := newClock()
		p, url := partnerServer(t)
		s := newService(t, db.Store, clk)
		d := newDispatcher(t, db.Store, cases.MockDirectory(url), cases.DispatcherOptions{Now: clk.Now})
		care := start(t, s, "becoming-dependent-on-care", person(bsnA), "desk", "k1")
		renovation := start(t, s, "renovation", address(addrA), "web", "k2")

		got := dispatchOnce(t, d)
		if got != (cases.DispatchResult{Claimed: 2, Delivered: 2}) {
			t.Fatalf("DispatchOnce = %+v, want 2 claimed and delivered", got)
		}
		if again := dispatchOnce(t, d); again.Claimed != 0 {
			t.Fatalf("delivered messages claimed again: %+v", again)
		}

		for _, m := range append(care.Messages, renovation.Messages...) {
			recv := p.Received(m.PartnerID)
			if len(recv) != 1 || recv[0].Deliveries != 1 || recv[0].IdempotencyKey != m.IdempotencyKey {
				t.Fatalf("%s received %+v", m.PartnerID, recv)
			}
			tp := traceparentRE.FindStringSubmatch(recv[0].Traceparent)
			if tp == nil || tp[1] != hex.EncodeToString(m.ID[:]) {
				t.Errorf("traceparent %q, want the message id as trace id", recv[0].Traceparent)
			}
			var e cases.Envelope
			if err := recv[0].Decode(&e); err != nil {
				t.Fatal(err)
			}
			var n cases.Notification
			if err := recv[0].Decode(&struct {
				N *cases.Notification `json:"notification"`
			}{&n}); err != nil {
				t.Fatal(err)
			}
			if e.MessageID != m.ID || e.CaseID != globalid.New(globalid.Case, m.CaseID.String()) || e.PartnerID != m.PartnerID ||
				e.IdempotencyKey != m.IdempotencyKey || (n.Subject.ID != bsnA && n.Subject.ID != addrA) {
				t.Errorf("envelope = %+v, notification %+v", e, n)
			}
		}

		// Every automated task went to sent, also the second step of a
		// partner whose one message carried two; the others stay open.
		res := care
		tasks, _ := s.Tasks(ctx, res.Case.ID)
		for _, tk := range tasks {
			want := store.TaskSent
			if tk.Kind != store.TaskAutomated {
				want = store.TaskOpen
			}
			if tk.Status != want {
				t.Errorf("task %s (%s, %s) is %s, want %s", tk.StepID, tk.PartnerID, tk.Kind, tk.Status, want)
			}
		}
		msgs, _ := nodes(s.Messages(ctx, res.Case.ID, wholeList))
		for _, m := range msgs {
			if m.Status != store.OutboxDelivered || m.Attempts != 1 {
				t.Errorf("message to %s: %s after %d attempts", m.PartnerID, m.Status, m.Attempts)
			}
		}
		events, _ := nodes(s.Timeline(ctx, res.Case.ID, wholeList))
		counts := map[store.EventKind]int{}
		for _, e := range events {
			counts[e.Kind]++
		}
		if counts[store.EventMessageDelivered] != 1 || counts[store.EventTaskStatusChanged] != 2 {
			t.Errorf("timeline counts %v, want 1 delivery and 2 task changes", counts)
		}
	}, store.WithClock(newClock().Now))
}

// TestDispatchRetryParkRequeue fails a partner until the message is
// parked, then recovers it: the backoff decides when each attempt comes,
// a parked message is never claimed, and a requeued one is delivered.
func TestDispatchRetryParkRequeue(t *testing.T) {
	env.Each(t, func(t *testing.T, db storetest.Named) {
		ctx := context.Background()
		clk := newClock()
		p, url := partnerServer(t)
		p.PartnerFaults("omgevingsdienst").Set(fault.Config{Status: http.StatusServiceUnavailable})
		s := newService(t, db.Store, clk)
		var backoffs []int
		d := newDispatcher(t, db.Store, cases.MockDirectory(url), cases.DispatcherOptions{
			Now: clk.Now, MaxAttempts: 3,
			Backoff: func(attempt int) time.Duration {
				backoffs = append(backoffs, attempt)
				return time.Duration(attempt) * 10 * time.Second
			},
		})
		// Renovation notifies one partner: the environmental service.
		res := start(t, s, "renovation", address(addrA), "web", "k")
		msgID := res.Messages[0].ID

		for attempt := 1; attempt <= 2; attempt++ {
			if got := dispatchOnce(t, d); got != (cases.DispatchResult{Claimed: 1, Retrying: 1}) {
				t.Fatalf("attempt %d: %+v", attempt, got)
			}
			m, _ := db.Store.Message(ctx, msgID)
			wait := time.Duration(attempt) * 10 * time.Second
			if m.Attempts != attempt || !m.NextAttemptAt.Equal(clk.Now().Add(wait)) || m.Status != store.OutboxPending ||
				!strings.Contains(m.LastError, "503") {
				t.Fatalf("after attempt %d: %+v", attempt, m)
			}
			clk.Advance(wait - time.Millisecond)
			if got := dispatchOnce(t, d); got.Claimed != 0 {
				t.Fatalf("attempt %d: claimed again before the backoff ran out", attempt)
			}
			clk.Advance(time.Millisecond)
		}
		if got := dispatchOnce(t, d); got != (cases.DispatchResult{Claimed: 1, Parked: 1}) {
			t.Fatalf("last attempt: %+v, want parked", got)
		}
		if len(backoffs) != 3 || backoffs[0] != 1 || backoffs[2] != 3 {
			t.Errorf("backoff asked for attempts %v", backoffs)
		}

		// Parked: visible, never claimed, even after the partner recovers.
		p.PartnerFaults("omgevingsdienst").Set(fault.Config{})
		clk.Advance(24 * time.Hour)
		if got := dispatchOnce(t, d); got.Claimed != 0 {
			t.Fatalf("a parked message was claimed: %+v", got)
		}
		parked, err := nodes(s.ParkedMessages(ctx, nil, wholeList))
		if err != nil || len(parked) != 1 || parked[0].ID != msgID || parked[0].Attempts != 3 || !strings.Contains(parked[0].LastError, "503") {
			t.Fatalf("parked = %+v, %v", parked, err)
		}
		if n := p.Deliveries("omgevingsdienst"); n != 0 {
			t.Fatalf("the failing partner recorded %d deliveries", n)
		}

		// Requeued, it is delivered.
		if _, err := s.RequeueMessage(ctx, msgID, cases.Principal{ID: "operator-1"}); err != nil {
			t.Fatal(err)
		}
		if got := dispatchOnce(t, d); got != (cases.DispatchResult{Claimed: 1, Delivered: 1}) {
			t.Fatalf("after requeue: %+v", got)
		}
		if recv := p.Received("omgevingsdienst"); len(recv) != 1 || recv[0].Deliveries != 1 {
			t.Fatalf("svb received %+v", recv)
		}
		if parked, _ := nodes(s.ParkedMessages(ctx, nil, wholeList)); len(parked) != 0 {
			t.Errorf("still parked: %+v", parked)
		}
		_, err = s.RequeueMessage(ctx, msgID, cases.Principal{ID: "operator-1"})
		wantErr(t, err, cases.ErrInvalidTransition)
	}, store.WithClock(newClock().Now))
}

func TestDispatchBackoffAndRetryAfter(t *testing.T) {
	env.Each(t, func(t *testing.T, db storetest.Named) {
		ctx := context.Background()
		clk := newClock()
		p, url := partnerServer(t)
		// Three cases notify three partners; two of them fail.
		p.PartnerFaults("social-district-team").Set(fault.Config{Status: http.StatusServiceUnavailable})
		p.PartnerFaults("omgevingsdienst").Set(fault.Config{Status: http.StatusTooManyRequests, RetryAfterSeconds: 120})
		s := newService(t, db.Store, clk)
		d := newDispatcher(t, db.Store, cases.MockDirectory(url), cases.DispatcherOptions{Now: clk.Now})
		var ids []uuid.UUID
		for _, res := range []*store.CaseResult{
			start(t, s, "becoming-dependent-on-care", person(bsnA), "desk", "k1"),
			start(t, s, "renovation", address(addrA), "web", "k2"),
			startApplying(t, s, "becoming-unemployed", person(bsnB), "desk", "k3"),
		} {
			ids = append(ids, res.Case.ID)
		}

		if got := dispatchOnce(t, d); got != (cases.DispatchResult{Claimed: 3, Delivered: 1, Retrying: 2}) {
			t.Fatalf("DispatchOnce = %+v", got)
		}
		now := clk.Now()
		var msgs []store.OutboxMessage
		for _, id := range ids {
			ms, _ := nodes(s.Messages(ctx, id, wholeList))
			msgs = append(msgs, ms...)
		}
		for _, m := range msgs {
			switch m.PartnerID {
			case "social-district-team": // store.Backoff(1): 2 s with equal jitter
				if wait := m.NextAttemptAt.Sub(now); wait < store.BackoffBase/2 || wait > store.BackoffBase {
					t.Errorf("social-district-team retries after %s, want between %s and %s", wait, store.BackoffBase/2, store.BackoffBase)
				}
			case "omgevingsdienst": // Retry-After beats the shorter backoff
				if wait := m.NextAttemptAt.Sub(now); wait != 120*time.Second {
					t.Errorf("omgevingsdienst retries after %s, want its Retry-After of 120s", wait)
				}
			default:
				if m.Status != store.OutboxDelivered {
					t.Errorf("%s: %s", m.PartnerID, m.Status)
				}
			}
		}
	}, store.WithClock(newClock().Now))
}

func TestDispatchParksWhatCannotSucceed(t *testing.T) {
	env.Each(t, func(t *testing.T, db storetest.Named) {
		ctx := context.Background()
		clk := newClock()
		p, url := partnerServer(t)
		s := newService(t, db.Store, clk)
		// The environmental service's endpoint answers 404, SVB's has moved,
		// and UWV has none.
		moved := httptest.NewServer(http.RedirectHandler(url+"/partners/svb/notifications", http.StatusPermanentRedirect))
		t.Cleanup(moved.Close)
		dir := &cases.PartnerDirectory{Partners: map[string]string{"omgevingsdienst": url + "/nowhere", "svb": moved.URL}}
		d := newDispatcher(t, db.Store, dir, cases.DispatcherOptions{Now: clk.Now})
		start(t, s, "renovation", address(addrA), "web", "k")
		sub := person(bsnA)
		for _, partner := range []string{"uwv", "svb"} {
			_, _, err := s.HandOver(ctx, cases.HandOverRequest{Subject: &sub, ToPartner: partner, Reason: "r", IdempotencyKey: partner, Principal: clerk})
			if err != nil {
				t.Fatal(err)
			}
		}

		if got := dispatchOnce(t, d); got != (cases.DispatchResult{Claimed: 3, Parked: 3}) {
			t.Fatalf("DispatchOnce = %+v, want all parked at the first attempt", got)
		}
		parked, _ := nodes(s.ParkedMessages(ctx, nil, wholeList))
		errs := map[string]string{}
		for _, m := range parked {
			errs[m.PartnerID] = m.LastError
		}
		if !strings.Contains(errs["omgevingsdienst"], "404") || !strings.Contains(errs["uwv"], "no endpoint configured") ||
			!strings.Contains(errs["svb"], "308") {
			t.Errorf("parked with %v", errs)
		}
		if n := p.Deliveries("svb"); n != 0 {
			t.Errorf("the redirect was followed: svb got %d deliveries", n)
		}
	}, store.WithClock(newClock().Now))
}

// TestAtLeastOnceDeduplicated loses the partner's answer after it took the
// message: the dispatcher cannot know, delivers again, and the partner
// recognises the duplicate by its idempotency key.
func TestAtLeastOnceDeduplicated(t *testing.T) {
	env.Each(t, func(t *testing.T, db storetest.Named) {
		ctx := context.Background()
		clk := newClock()
		p, url := partnerServer(t)
		p.PartnerFaults("omgevingsdienst").Set(fault.Config{Truncated: true})
		s := newService(t, db.Store, clk)
		d := newDispatcher(t, db.Store, cases.MockDirectory(url), cases.DispatcherOptions{Now: clk.Now})
		res := start(t, s, "renovation", address(addrA), "web", "k")

		if got := dispatchOnce(t, d); got != (cases.DispatchResult{Claimed: 1, Retrying: 1}) {
			t.Fatalf("first attempt: %+v", got)
		}
		p.PartnerFaults("omgevingsdienst").Set(fault.Config{})
		clk.Advance(store.BackoffBase)
		if got := dispatchOnce(t, d); got != (cases.DispatchResult{Claimed: 1, Delivered: 1}) {
			t.Fatalf("second attempt: %+v", got)
		}
		recv := p.Received("omgevingsdienst")
		if len(recv) != 1 || recv[0].Deliveries != 2 || recv[0].IdempotencyKey != res.Messages[0].IdempotencyKey {
			t.Fatalf("partner received %+v, want one notification delivered twice", recv)
		}
		m, _ := db.Store.Message(ctx, res.Messages[0].ID)
		if m.Status != store.OutboxDelivered || m.Attempts != 2 {
			t.Errorf("message %s after %d attempts", m.Status, m.Attempts)
		}
	}, store.WithClock(newClock().Now))
}

// TestLeaseHoldsAcrossReplicas has a dispatcher claim a message and die;
// another replica's dispatcher does not touch it while the lease holds,
// and delivers it once the lease has run out.
func TestLeaseHoldsAcrossReplicas(t *testing.T) {
	env.Each(t, func(t *testing.T, db storetest.Named) {
		ctx := context.Background()
		clk := newClock()
		p, url := partnerServer(t)
		s := newService(t, db.Store, clk)
		start(t, s, "renovation", address(addrA), "web", "k")

		const lease = time.Minute
		crashed, err := db.Store.ClaimDue(ctx, clk.Now(), 10, lease)
		if err != nil || len(crashed) != 1 {
			t.Fatalf("claim = %v, %v", crashed, err)
		}
		second := replica(t, db, clk)
		d := newDispatcher(t, second, cases.MockDirectory(url), cases.DispatcherOptions{Now: clk.Now, Lease: lease})
		clk.Advance(lease - time.Millisecond)
		if got := dispatchOnce(t, d); got.Claimed != 0 {
			t.Fatalf("claimed while another's lease holds: %+v", got)
		}
		clk.Advance(time.Millisecond)
		if got := dispatchOnce(t, d); got != (cases.DispatchResult{Claimed: 1, Delivered: 1}) {
			t.Fatalf("after the lease: %+v", got)
		}
		// The crashed dispatcher's late failure report is refused.
		err = db.Store.MarkFailed(ctx, crashed[0].ID, crashed[0].LeaseToken, errors.New("late"), clk.Now(), false)
		wantErr(t, err, store.ErrConflict)
		if n := p.Deliveries("omgevingsdienst"); n != 1 {
			t.Errorf("%d deliveries, want 1", n)
		}
	}, store.WithClock(newClock().Now))
}

// TestTwoDispatchersDeliverEachOnce runs two dispatchers on two replicas
// of one database at once: every message reaches its partner exactly once.
func TestTwoDispatchersDeliverEachOnce(t *testing.T) {
	env.Each(t, func(t *testing.T, db storetest.Named) {
		ctx := context.Background()
		clk := newClock()
		p, url := partnerServer(t)
		s := newService(t, db.Store, clk)
		total := 0
		for i := range 8 {
			res := start(t, s, "becoming-dependent-on-care", person(bsnA), "desk", "k"+string(rune('a'+i)))
			total += len(res.Messages)
		}
		stores := []cases.DispatchStore{db.Store, replica(t, db, clk)}
		results := make([]cases.DispatchResult, len(stores))
		var wg sync.WaitGroup
		for i, st := range stores {
			d := newDispatcher(t, st, cases.MockDirectory(url), cases.DispatcherOptions{Now: clk.Now, BatchSize: 3, Concurrency: 3})
			wg.Add(1)
			go func() {
				defer wg.Done()
				for {
					res, err := d.DispatchOnce(ctx)
					if err != nil {
						t.Error(err)
						return
					}
					if res.Claimed == 0 {
						return
					}
					results[i].Claimed += res.Claimed
					results[i].Delivered += res.Delivered
				}
			}()
		}
		wg.Wait()
		if got := results[0].Delivered + results[1].Delivered; got != total || results[0].Claimed+results[1].Claimed != total {
			t.Fatalf("dispatchers delivered %+v, want %d in all", results, total)
		}
		distinct, deliveries := 0, 0
		for _, partner := range p.Partners() {
			for _, n := range p.Received(partner) {
				distinct++
				deliveries += n.Deliveries
				if n.Deliveries != 1 {
					t.Errorf("%s got message %s %d times", partner, n.IdempotencyKey, n.Deliveries)
				}
			}
		}
		if distinct != total || deliveries != total {
			t.Errorf("partners got %d deliveries of %d messages, want %d", deliveries, distinct, total)
		}
		t.Logf("%s: dispatchers delivered %d and %d", db.Name, results[0].Delivered, results[1].Delivered)
	}, store.WithClock(newClock().Now))
}

func TestRunDeliversAndStops(t *testing.T) {
	st := env.SQLite(t).Store
	p, url := partnerServer(t)
	d := newDispatcher(t, st, cases.MockDirectory(url), cases.DispatcherOptions{PollInterval: time.Hour})
	s, err := cases.NewService(st, catalogue(t), nil, cases.WithEnqueued(d.Wake))
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- d.Run(ctx) }()

	// The first poll finds nothing; with an hour's poll interval only the
	// service's wake-up can get the message out.
	res := start(t, s, "renovation", address(addrA), "web", "k")
	deadline := time.Now().Add(10 * time.Second)
	for len(p.Received("omgevingsdienst")) == 0 {
		if time.Now().After(deadline) {
			t.Fatal("Run did not deliver the message after a wake-up")
		}
		time.Sleep(5 * time.Millisecond)
	}
	cancel()
	select {
	case err := <-done:
		if err != nil {
			t.Fatalf("Run returned %v, want nil on cancel", err)
		}
	case <-time.After(10 * time.Second):
		t.Fatal("Run did not stop after cancel")
	}
	m, _ := st.Message(context.Background(), res.Messages[0].ID)
	if m.Status != store.OutboxDelivered {
		t.Errorf("message %s", m.Status)
	}
}

// TestStopDuringDelivery cancels the dispatcher while a partner hangs: the
// message is handed back for any dispatcher to try at once, not parked.
func TestStopDuringDelivery(t *testing.T) {
	clk := newClock()
	st := env.SQLite(t, store.WithClock(clk.Now)).Store
	p, url := partnerServer(t)
	p.PartnerFaults("omgevingsdienst").Set(fault.Config{Hang: true})
	s := newService(t, st, clk)
	d := newDispatcher(t, st, cases.MockDirectory(url), cases.DispatcherOptions{Now: clk.Now, MaxAttempts: 1})
	res := start(t, s, "renovation", address(addrA), "web", "k")

	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan cases.DispatchResult, 1)
	go func() {
		r, _ := d.DispatchOnce(ctx)
		done <- r
	}()
	// Wait until the delivery is under way: the message is leased.
	deadline := time.Now().Add(10 * time.Second)
	for {
		m, _ := st.Message(context.Background(), res.Messages[0].ID)
		if m.LeaseUntil != nil {
			break
		}
		if time.Now().After(deadline) {
			t.Fatal("the message was never claimed")
		}
		time.Sleep(time.Millisecond)
	}
	cancel()
	got := <-done
	if got.Retrying != 1 || got.Parked != 0 {
		t.Fatalf("DispatchOnce = %+v, want the message handed back, not parked", got)
	}
	m, _ := st.Message(context.Background(), res.Messages[0].ID)
	if m.Status != store.OutboxPending || m.LeaseUntil != nil || m.NextAttemptAt.After(clk.Now()) {
		t.Errorf("message after stop = %+v", m)
	}
}

func TestNewDispatcherOptions(t *testing.T) {
	st := env.SQLite(t).Store
	if _, err := cases.NewDispatcher(st, cases.MockDirectory("http://x"), cases.DispatcherOptions{Timeout: time.Minute, Lease: time.Minute}); err == nil {
		t.Error("a lease no longer than the timeout was accepted")
	}
	if _, err := cases.NewDispatcher(st, nil, cases.DispatcherOptions{}); err == nil {
		t.Error("no directory was accepted")
	}
}

// replica opens a second Store on the same database, as a second hub
// replica would.
func replica(t *testing.T, db storetest.Named, clk *clock) *store.Store {
	t.Helper()
	s, err := store.Open(context.Background(), db.DSN, store.WithPseudonymKey([]byte(storetest.PseudonymKey)), store.WithClock(clk.Now))
	if err != nil {
		t.Fatalf("open replica: %v", err)
	}
	t.Cleanup(func() { s.Close() })
	return s
}
