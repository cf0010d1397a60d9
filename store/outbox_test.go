package store_test

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/google/uuid"

	"github.com/poort-nl/poort/store"
	"github.com/poort-nl/poort/store/storetest"
)

// manyMessages opens a case with n partner notifications.
func manyMessages(t *testing.T, s *store.Store, n int) *store.CaseResult {
	t.Helper()
	nc := birthCase(person(bsnA), "")
	nc.Messages = nil
	for i := range n {
		nc.Messages = append(nc.Messages, store.NewOutboxMessage{
			PartnerID: fmt.Sprintf("partner-%d", i), Endpoint: "https://partner.example/in",
			Payload: json.RawMessage(fmt.Sprintf(`{"n":%d}`, i)),
		})
	}
	return createCase(t, s, nc)
}

// TestClaimDueConcurrently has two dispatchers on two replicas claim the
// outbox empty at the same time: every message goes to exactly one.
func TestClaimDueConcurrently(t *testing.T) {
	env.Each(t, func(t *testing.T, db storetest.Named) {
		ctx := context.Background()
		a, b := db.Store, replica(t, db)
		const n = 40
		manyMessages(t, a, n)
		now := time.Now().Add(time.Second)

		var mu sync.Mutex
		claimedBy := map[uuid.UUID]int{}
		var wg sync.WaitGroup
		for d, s := range []*store.Store{a, b, a, b} {
			wg.Add(1)
			go func() {
				defer wg.Done()
				for {
					msgs, err := s.ClaimDue(ctx, now, 3, time.Minute)
					if err != nil {
						t.Error(err)
						return
					}
					if len(msgs) == 0 {
						return
					}
					mu.Lock()
					for _, m := range msgs {
						if prev, ok := claimedBy[m.ID]; ok {
							t.Errorf("message %s claimed by dispatchers %d and %d", m.ID, prev, d)
						}
						claimedBy[m.ID] = d
						if m.Attempts != 1 || m.LeaseToken == uuid.Nil || m.LeaseUntil == nil {
							t.Errorf("claimed message = %+v", m)
						}
					}
					mu.Unlock()
				}
			}()
		}
		wg.Wait()
		if len(claimedBy) != n {
			t.Fatalf("%d messages claimed, want %d", len(claimedBy), n)
		}
		again, err := a.ClaimDue(ctx, now, 10, time.Minute)
		if err != nil || len(again) != 0 {
			t.Fatalf("claimed %d messages while the leases hold (%v)", len(again), err)
		}
	})
}

func TestLeaseExpiry(t *testing.T) {
	env.Each(t, func(t *testing.T, db storetest.Named) {
		ctx := context.Background()
		s := db.Store
		manyMessages(t, s, 1)
		now := time.Now().Add(time.Second)

		first, err := s.ClaimDue(ctx, now, 10, time.Minute)
		if err != nil || len(first) != 1 {
			t.Fatalf("first claim = %v, %v", first, err)
		}
		// The dispatcher "crashes": it never settles the message.
		if msgs, _ := s.ClaimDue(ctx, now.Add(59*time.Second), 10, time.Minute); len(msgs) != 0 {
			t.Fatal("message claimed again while its lease holds")
		}
		second, err := s.ClaimDue(ctx, now.Add(61*time.Second), 10, time.Minute)
		if err != nil || len(second) != 1 {
			t.Fatalf("claim after the lease = %v, %v", second, err)
		}
		m := second[0]
		if m.ID != first[0].ID || m.Attempts != 2 || m.LeaseToken == first[0].LeaseToken {
			t.Fatalf("reclaimed message = %+v", m)
		}

		// The first dispatcher comes back: its failure report is refused.
		err = s.MarkFailed(ctx, m.ID, first[0].LeaseToken, errors.New("timeout"), now.Add(time.Hour), false)
		var lost *store.LeaseLostError
		if !errors.As(err, &lost) || !errors.Is(err, store.ErrConflict) {
			t.Fatalf("MarkFailed with a lost lease: got %v", err)
		}
		// Its delivery, if it did succeed, is still a fact.
		if err := s.MarkDelivered(ctx, m.ID); err != nil {
			t.Fatal(err)
		}
		if err := s.MarkDelivered(ctx, m.ID); err != nil {
			t.Fatalf("second MarkDelivered: %v", err)
		}
		got, _ := s.Message(ctx, m.ID)
		if got.Status != store.OutboxDelivered || got.DeliveredAt == nil || got.LeaseToken != uuid.Nil {
			t.Errorf("delivered message = %+v", got)
		}
		if msgs, _ := s.ClaimDue(ctx, now.Add(time.Hour), 10, time.Minute); len(msgs) != 0 {
			t.Error("a delivered message was claimed")
		}
	})
}

func TestRetryParkAndRequeue(t *testing.T) {
	env.Each(t, func(t *testing.T, db storetest.Named) {
		ctx := context.Background()
		s := db.Store
		res := createCase(t, s, birthCase(person(bsnA), ""))
		msg := res.Messages[1]
		now := time.Now().Add(time.Second)

		// Deliver the first message to show the task moving on.
		claimed, _ := s.ClaimDue(ctx, now, 1, time.Minute)
		if len(claimed) != 1 || claimed[0].ID != res.Messages[0].ID {
			t.Fatalf("claimed %+v, want the first message", claimed)
		}
		if err := s.MarkDelivered(ctx, claimed[0].ID); err != nil {
			t.Fatal(err)
		}
		task, _ := s.Task(ctx, res.Tasks[0].ID)
		if task.Status != store.TaskSent || task.Version != 2 {
			t.Errorf("task after delivery = %+v, want sent", task)
		}

		// The second fails until it is parked.
		at := now
		for attempt := 1; ; attempt++ {
			claimed, err := s.ClaimDue(ctx, at, 10, time.Minute)
			if err != nil || len(claimed) != 1 || claimed[0].ID != msg.ID || claimed[0].Attempts != attempt {
				t.Fatalf("attempt %d: claimed %+v, %v", attempt, claimed, err)
			}
			park := attempt >= 3
			next := at.Add(store.Backoff(attempt))
			if err := s.MarkFailed(ctx, msg.ID, claimed[0].LeaseToken, fmt.Errorf("503 from partner (attempt %d)", attempt), next, park); err != nil {
				t.Fatal(err)
			}
			if park {
				break
			}
			if early, _ := s.ClaimDue(ctx, next.Add(-time.Millisecond), 10, time.Minute); len(early) != 0 {
				t.Fatalf("attempt %d: claimed before its backoff ended", attempt)
			}
			at = next
		}
		if msgs, _ := s.ClaimDue(ctx, at.Add(24*time.Hour), 10, time.Minute); len(msgs) != 0 {
			t.Fatal("a parked message was claimed")
		}
		parked, err := nodes(s.ListParked(ctx, nil, wholeList))
		if err != nil || len(parked) != 1 || parked[0].ID != msg.ID || parked[0].LastError != "503 from partner (attempt 3)" {
			t.Fatalf("parked = %+v, %v", parked, err)
		}

		requeued, err := s.Requeue(ctx, msg.ID, "operator-1")
		if err != nil || requeued.Status != store.OutboxPending || requeued.Attempts != 0 {
			t.Fatalf("requeue = %+v, %v", requeued, err)
		}
		_, err = s.Requeue(ctx, msg.ID, "operator-1")
		wantErr(t, err, store.ErrInvalidTransition)
		if parked, _ := nodes(s.ListParked(ctx, nil, wholeList)); len(parked) != 0 {
			t.Error("message still listed as parked")
		}
		claimed, _ = s.ClaimDue(ctx, time.Now().Add(time.Second), 10, time.Minute)
		if len(claimed) != 1 || claimed[0].ID != msg.ID || claimed[0].Attempts != 1 {
			t.Fatalf("after requeue claimed %+v", claimed)
		}

		events, _ := nodes(s.Timeline(ctx, res.Case.ID, wholeList))
		want := []store.EventKind{store.EventCaseOpened, store.EventMessageDelivered, store.EventTaskStatusChanged,
			store.EventMessageParked, store.EventMessageRequeued}
		if got := eventKinds(events); fmt.Sprint(got) != fmt.Sprint(want) {
			t.Errorf("timeline = %v, want %v", got, want)
		}

		_, err = s.Requeue(ctx, uuid.New(), "operator-1")
		wantErr(t, err, store.ErrNotFound)
		wantErr(t, s.MarkDelivered(ctx, uuid.New()), store.ErrNotFound)
	})
}

func TestBackoff(t *testing.T) {
	for attempt := 1; attempt <= 30; attempt++ {
		nominal := min(store.BackoffBase<<min(attempt-1, 20), store.BackoffMax)
		for range 50 {
			d := store.Backoff(attempt)
			if d < nominal/2 || d > nominal {
				t.Fatalf("Backoff(%d) = %v, want between %v and %v", attempt, d, nominal/2, nominal)
			}
		}
	}
}
