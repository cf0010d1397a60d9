package processtest

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"maps"
	mrand "math/rand/v2"
	"slices"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/poort-nl/poort/lifeevents"
	"github.com/poort-nl/poort/mocks/fault"
	"github.com/poort-nl/poort/mocks/partners"
)

// Bounds of the durability test.
const (
	// burstClients send mutations at once.
	burstClients = 8
	// drainTimeout bounds how long the outbox may take to empty after the
	// restart: the killed hub's leases (3 s) must run out first.
	drainTimeout = 60 * time.Second
	// burstTimeout bounds how long the burst may take to reach the number
	// of acknowledged mutations after which the hub is killed.
	burstTimeout = 60 * time.Second
	// maxReplayErrors stops the replay's reports when everything is lost.
	maxReplayErrors = 20
)

// TestDurabilityAfterSIGKILL kills the hub with SIGKILL in the middle of a
// burst of case mutations from several clients, starts it again on the
// same database, and checks what a client may rely on: every mutation the
// hub acknowledged is there, exactly once; every other one is there whole
// or not at all; no case or task is duplicated; and the outbox drains, with
// each notification at its partner exactly once after de-duplication by
// its Idempotency-Key.
func TestDurabilityAfterSIGKILL(t *testing.T) {
	if testing.Short() {
		t.Skip("starts and kills hub processes")
	}
	specs := eventSpecs(t)
	t.Run("sqlite", func(t *testing.T) {
		durability(t, specs, "sqlite:"+tempFile(t, "poort.db"))
	})
	t.Run("postgres", func(t *testing.T) {
		durability(t, specs, env.PostgresDSN(t))
	})
}

func randomHex(t testing.TB, n int) string {
	t.Helper()
	b := make([]byte, n)
	if _, err := rand.Read(b); err != nil {
		t.Fatal(err)
	}
	return hex.EncodeToString(b)
}

func durability(t *testing.T, specs map[string]eventSpec, databaseURL string) {
	mock, err := partners.Start("127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { mock.Close() })
	// Slow answers keep deliveries in flight when the hub dies: taken by
	// the partner, not yet recorded as delivered, so they go out again.
	if err := mock.Faults().Set(fault.Config{LatencyMs: 10, JitterMs: 40}); err != nil {
		t.Fatal(err)
	}
	d := newDeployment(t)
	token := d.token(t, "durability")
	hub := newHub(t, "hub", d.hubVars(t, databaseURL, mock.URL))
	hub.start()
	c := newClient(hub.URL, token)

	b := &burst{client: c, specs: specs}
	for _, k := range slices.Sorted(maps.Keys(specs)) {
		b.events = append(b.events, specs[k])
	}
	killAfter := 40 + mrand.IntN(80)
	b.run(t, hub, killAfter)
	if t.Failed() {
		return
	}

	hub.start() // on the same database and port
	v := b.replay(t)
	if t.Failed() {
		return
	}
	v.checkCases(t, c)
	v.checkDrained(t, c, mock)
}

// op is one mutation a client sent, and what became of it.
type op struct {
	Kind  string         // startLifeEvent, updateTask or handOver
	Input map[string]any // as sent, so that it can be sent again
	// Acked says the hub acknowledged it; ID is then the case, task or
	// handover it made or changed, and Version the task version an
	// updateTask made.
	Acked   bool
	ID      string
	Version int
}

// mutation returns the GraphQL of an op's kind.
func mutation(kind string) string {
	switch kind {
	case "startLifeEvent":
		return startLifeEventMutation
	case "updateTask":
		return updateTaskMutation
	}
	return handOverMutation
}

// burst is several clients sending case mutations to one hub.
type burst struct {
	client *client
	specs  map[string]eventSpec // by GraphQL enum
	events []eventSpec

	acked   atomic.Int64
	killing atomic.Bool  // set just before the SIGKILL
	ended   atomic.Int64 // clients that stopped
	ops     [][]*op      // per client, in the order sent
}

// run sends the burst, kills the hub with SIGKILL once killAfter mutations
// were acknowledged, and returns when every client has stopped.
func (b *burst) run(t *testing.T, hub *hubProcess, killAfter int) {
	t.Helper()
	b.ops = make([][]*op, burstClients)
	var wg sync.WaitGroup
	for w := range burstClients {
		wg.Go(func() {
			defer b.ended.Add(1)
			b.ops[w] = b.loop(t, w)
		})
	}
	deadline := time.Now().Add(burstTimeout)
	for b.acked.Load() < int64(killAfter) && b.ended.Load() == 0 && time.Now().Before(deadline) {
		time.Sleep(2 * time.Millisecond)
	}
	ackedAtKill := b.acked.Load()
	b.killing.Store(true)
	hub.kill()
	wg.Wait()
	if t.Failed() {
		return
	}
	if ackedAtKill < int64(killAfter) {
		t.Fatalf("the burst got %d mutations acknowledged in %v, want %d before the kill", ackedAtKill, burstTimeout, killAfter)
	}
	sent, acked := 0, 0
	for _, ops := range b.ops {
		for _, o := range ops {
			sent++
			if o.Acked {
				acked++
			}
		}
	}
	t.Logf("burst: %d clients sent %d mutations; %d acknowledged, %d not; SIGKILL after %d acknowledged",
		burstClients, sent, acked, sent-acked, ackedAtKill)
}

// loop is one client: start a life event, advance its manual task twice,
// hand the case over; again, until a mutation goes unacknowledged, which
// ends the client as the hub's death ends a real one's session.
func (b *burst) loop(t *testing.T, w int) []*op {
	var ops []*op
	for n := 0; ; n++ {
		spec := b.events[(w+n)%len(b.events)]
		key := fmt.Sprintf("client%d-%d", w, n)
		var started startPayload
		start := b.send(t, &ops, "startLifeEvent", spec.startInput(key+"-start"), &started)
		if start == nil {
			return ops
		}
		cs := started.StartLifeEvent.Case
		start.ID = cs.ID
		if got := taskKeys(cs.Tasks); !slices.Equal(got, spec.Tasks) {
			t.Errorf("case %s (%s) answered with tasks %v, want the plan %v", cs.ID, spec.ID, got, spec.Tasks)
		}
		if spec.Manual != "" {
			task := findStep(cs.Tasks, spec.Manual)
			version := task.Version
			for _, status := range []string{"ACKNOWLEDGED", "DONE"} {
				var updated updatePayload
				u := b.send(t, &ops, "updateTask", map[string]any{
					"id": task.ID, "expectedVersion": version, "status": status,
					"note": "taken up by phone", "idempotencyKey": key + "-" + status,
				}, &updated)
				if u == nil {
					return ops
				}
				u.ID, u.Version = updated.UpdateTask.Task.ID, updated.UpdateTask.Task.Version
				version = u.Version
			}
		}
		var handed handOverPayload
		h := b.send(t, &ops, "handOver", map[string]any{
			"caseId": cs.ID, "toPartner": firstChainPartner(cs.Tasks), "reason": "the citizen has questions the partner answers",
			"notes": "called back within the hour", "idempotencyKey": key + "-handover",
		}, &handed)
		if h == nil {
			return ops
		}
		h.ID = handed.HandOver.Handover.ID
	}
}

// send sends one mutation and records it. It returns the op when the hub
// acknowledged it, with the answer decoded into v, and nil otherwise.
func (b *burst) send(t *testing.T, ops *[]*op, kind string, input map[string]any, v any) *op {
	o := &op{Kind: kind, Input: input}
	*ops = append(*ops, o)
	ans := b.client.do(context.Background(), mutation(kind), map[string]any{"in": input})
	if !ans.acknowledged() {
		switch {
		case ans.Err == nil:
			// The hub answered, so it was alive: SIGKILL cannot turn a
			// mutation into an error answer. Something refused it.
			t.Errorf("%s %s was refused during the burst: %v", kind, input["idempotencyKey"], ans)
		case !b.killing.Load():
			t.Errorf("%s %s failed before the hub was killed: %v", kind, input["idempotencyKey"], ans)
		}
		return nil
	}
	if err := json.Unmarshal(ans.Data, v); err != nil {
		t.Errorf("%s: decode %s: %v", kind, ans.Data, err)
		return nil
	}
	o.Acked = true
	b.acked.Add(1)
	return o
}

// firstChainPartner is the partner of the case's first task that a chain
// partner takes: the front office takes its own steps and is no partner
// to hand over to.
func firstChainPartner(tasks []taskView) string {
	for _, t := range tasks {
		if t.Partner.ID != lifeevents.FrontOffice {
			return t.Partner.ID
		}
	}
	return ""
}

func findStep(tasks []taskView, step string) taskView {
	for _, t := range tasks {
		if t.Step.ID == step {
			return t
		}
	}
	return taskView{}
}

// verification is what the replay established, for the checks of the
// database as a whole.
type verification struct {
	specs map[string]eventSpec
	// cases are the case ids the startLifeEvent keys stand for.
	cases map[string]bool
	// taskUpdates counts the updateTask keys per task: after the replay,
	// each has been applied exactly once.
	taskUpdates map[string]int
	handovers   map[string]bool
}

// replay sends every mutation of the burst again with its idempotency
// key, as clients do after a lost answer. An acknowledged mutation must
// come back replayed with the same result: it survived the kill and was
// not applied twice. An unacknowledged one either comes back replayed (it
// was committed before the kill) or is applied now (it was not); either
// way it is then present exactly once.
func (b *burst) replay(t *testing.T) *verification {
	t.Helper()
	v := &verification{specs: b.specs, cases: map[string]bool{}, taskUpdates: map[string]int{}, handovers: map[string]bool{}}
	var present, absent, failed int
	errorf := func(format string, args ...any) {
		t.Helper()
		if failed++; failed > maxReplayErrors {
			t.Fatalf("more than %d mutations failed their replay; the rest are not checked", maxReplayErrors)
		}
		t.Errorf(format, args...)
	}
	for _, ops := range b.ops {
		for _, o := range ops {
			key := o.Input["idempotencyKey"]
			r := b.client.do(context.Background(), mutation(o.Kind), map[string]any{"in": o.Input})
			if !r.acknowledged() {
				errorf("%s %s sent again after the restart: %v", o.Kind, key, r)
				continue
			}
			var id string
			var replayed bool
			switch o.Kind {
			case "startLifeEvent":
				var p startPayload
				r.decode(t, &p)
				id, replayed = p.StartLifeEvent.Case.ID, p.StartLifeEvent.Replayed
				if v.cases[id] {
					errorf("startLifeEvent %s returned case %s, which another key opened", key, id)
				}
				v.cases[id] = true
			case "updateTask":
				var p updatePayload
				r.decode(t, &p)
				id, replayed = p.UpdateTask.Task.ID, p.UpdateTask.Replayed
				v.taskUpdates[id]++
				if o.Acked && p.UpdateTask.Task.Version < o.Version {
					errorf("task %s is at version %d after the restart; updateTask %s acknowledged version %d", id, p.UpdateTask.Task.Version, key, o.Version)
				}
			case "handOver":
				var p handOverPayload
				r.decode(t, &p)
				id, replayed = p.HandOver.Handover.ID, p.HandOver.Replayed
				v.handovers[id] = true
			}
			switch {
			case o.Acked && !replayed:
				errorf("acknowledged %s %s was lost: sent again after the restart, it was applied anew (%s)", o.Kind, key, id)
			case o.Acked && id != o.ID:
				errorf("acknowledged %s %s made %s, but after the restart it stands for %s", o.Kind, key, o.ID, id)
			case !o.Acked && replayed:
				present++
			case !o.Acked:
				absent++
			}
		}
	}
	t.Logf("after the restart: %d unacknowledged mutations had been committed, %d had not (and are now)", present, absent)
	return v
}

// checkCases reads every case in the database: one per startLifeEvent key,
// each with exactly the planned tasks, its notifications and its timeline,
// and every task update applied exactly once.
func (v *verification) checkCases(t *testing.T, c *client) {
	t.Helper()
	all := allCases(t, c)
	if len(all) != len(v.cases) {
		t.Errorf("the database holds %d cases; the burst's startLifeEvent keys stand for %d", len(all), len(v.cases))
	}
	handovers := 0
	for _, cs := range all {
		spec, ok := v.specs[cs.LifeEvent.Kind]
		if !ok {
			t.Errorf("case %s of unknown life event %q", cs.ID, cs.LifeEvent.Kind)
			continue
		}
		if !v.cases[cs.ID] {
			t.Errorf("case %s (%s) belongs to no startLifeEvent key: a duplicate", cs.ID, spec.ID)
		}
		if got := taskKeys(cs.Tasks); !slices.Equal(got, spec.Tasks) {
			t.Errorf("case %s (%s) has tasks %v, want the plan %v", cs.ID, spec.ID, got, spec.Tasks)
		}
		handovers += len(cs.Handovers)
		if want := spec.Notifications + len(cs.Handovers); len(cs.Messages) != want {
			t.Errorf("case %s (%s) has %d notifications, want %d (one per notified partner, one per handover)", cs.ID, spec.ID, len(cs.Messages), want)
		}
		opened := 0
		for _, e := range cs.Timeline {
			if e.Kind == "CASE_OPENED" {
				opened++
			}
		}
		if opened != 1 {
			t.Errorf("case %s has %d case_opened events", cs.ID, opened)
		}
		for _, task := range cs.Tasks {
			if task.Kind != "MANUAL" {
				continue
			}
			want := v.taskUpdates[task.ID]
			if task.Version != 1+want {
				t.Errorf("manual task %s of case %s is at version %d; %d updates were sent, so want %d", task.ID, cs.ID, task.Version, want, 1+want)
			}
			if got := stepChanges(cs.Timeline, task.Step.ID); len(got) != want {
				t.Errorf("manual task %s of case %s has %d task_status_changed events (versions %v), want %d", task.ID, cs.ID, len(got), got, want)
			}
		}
	}
	if handovers != len(v.handovers) {
		t.Errorf("the cases hold %d handovers; the burst's handOver keys stand for %d", handovers, len(v.handovers))
	}
}

// checkDrained waits until every notification is delivered, then checks
// that the partners received each exactly once after de-duplication, and
// nothing else.
func (v *verification) checkDrained(t *testing.T, c *client, mock *partners.Running) {
	t.Helper()
	all := waitDrained(t, c, drainTimeout)
	for _, cs := range all {
		for _, task := range cs.Tasks {
			if task.Kind == "AUTOMATED" && task.Status == "OPEN" {
				t.Errorf("automated task %s (%s, %s) of case %s is still open, though all of its case's notifications were delivered",
					task.ID, task.Step.ID, task.Partner.ID, cs.ID)
			}
		}
	}
	checkReceived(t, all, false, mock)
}

// waitDrained polls every case until none of their notifications is
// pending, and returns the cases as they are then. A parked notification
// fails the test at once: every partner in these tests accepts.
func waitDrained(t *testing.T, c *client, timeout time.Duration) []caseView {
	t.Helper()
	begin := time.Now()
	for {
		all := allCases(t, c)
		var pending, parked []string
		for _, cs := range all {
			for _, m := range cs.Messages {
				desc := fmt.Sprintf("%s to %s (case %s, %d attempts, last error %s)", m.ID, m.Partner.ID, cs.ID, m.Attempts, deref(m.LastError))
				switch m.Status {
				case "PENDING":
					pending = append(pending, desc)
				case "PARKED":
					parked = append(parked, desc)
				}
			}
		}
		if len(parked) > 0 {
			t.Fatalf("%d notifications were parked, though every partner accepts: %v", len(parked), parked)
		}
		if len(pending) == 0 {
			t.Logf("the outbox drained in %v", time.Since(begin).Round(100*time.Millisecond))
			var pm struct{ ParkedMessages nodes[json.RawMessage] }
			c.must(t, parkedQuery, nil, &pm)
			if len(pm.ParkedMessages) > 0 {
				t.Errorf("parkedMessages lists %d: %s", len(pm.ParkedMessages), pm.ParkedMessages)
			}
			return all
		}
		if time.Since(begin) > timeout {
			t.Fatalf("the outbox did not drain within %v; %d notifications still pending: %v", timeout, len(pending), pending)
		}
		time.Sleep(200 * time.Millisecond)
	}
}

// checkReceived compares what the partners received, at one or more mock
// partner servers, with the outbox: each notification of every case at its
// partner under its message id as Idempotency-Key, with the envelope naming
// the message and the case, and nothing else. With once, each must have
// arrived in a single delivery; otherwise redeliveries (at least once) are
// counted and logged. It returns how many distinct notifications each mock
// received.
func checkReceived(t *testing.T, all []caseView, once bool, mocks ...*partners.Running) []int {
	t.Helper()
	type sent struct{ partner, caseID string }
	messages := map[string]sent{}
	for _, cs := range all {
		for _, m := range cs.Messages {
			messages[m.ID] = sent{m.Partner.ID, cs.ID}
		}
	}
	received := map[string]partners.Notification{}
	perMock := make([]int, len(mocks))
	for i, mock := range mocks {
		for _, p := range mock.Partners() {
			for _, n := range mock.Received(p) {
				perMock[i]++
				if other, dup := received[n.IdempotencyKey]; dup {
					if once {
						t.Errorf("notification %s reached %s and %s", n.IdempotencyKey, other.PartnerID, p)
					}
					n.Deliveries += other.Deliveries
				}
				received[n.IdempotencyKey] = n
			}
		}
	}
	redelivered := 0
	for _, id := range slices.Sorted(maps.Keys(messages)) {
		m := messages[id]
		n, ok := received[id]
		if !ok {
			t.Errorf("notification %s to %s (case %s) is delivered according to the hub, but the partner never received it", id, m.partner, m.caseID)
			continue
		}
		if n.PartnerID != m.partner {
			t.Errorf("notification %s for %s reached %s", id, m.partner, n.PartnerID)
		}
		var envelope struct{ MessageID, IdempotencyKey, CaseID string }
		if err := n.Decode(&envelope); err != nil || envelope.MessageID != id || envelope.IdempotencyKey != id || envelope.CaseID != m.caseID {
			t.Errorf("notification %s carries envelope %+v (%v), want message %s of case %s", id, envelope, err, id, m.caseID)
		}
		if n.Deliveries > 1 {
			redelivered++
			if once {
				t.Errorf("notification %s reached %s %d times, want once", id, n.PartnerID, n.Deliveries)
			}
		}
	}
	var stray []string
	for key := range received {
		if _, ok := messages[key]; !ok {
			stray = append(stray, key)
		}
	}
	slices.Sort(stray)
	if len(stray) > 0 {
		t.Errorf("the partners received %d notifications that no case holds: %v", len(stray), stray)
	}
	t.Logf("the partners received %d distinct notifications (%v per mock); %d of them more than once", len(received), perMock, redelivered)
	return perMock
}

func deref(s *string) string {
	if s == nil {
		return "none"
	}
	return *s
}
