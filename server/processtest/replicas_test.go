package processtest

import (
	"context"
	"encoding/json"
	"fmt"
	"maps"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/poort-nl/poort/mocks/fault"
	"github.com/poort-nl/poort/mocks/partners"
)

// Bounds of the two-replica test.
const (
	// writers update one task at once, half through each replica, each
	// for writerRounds read-then-update rounds.
	writers      = 8
	writerRounds = 12
	// sameKeyRaces is how many times both replicas get one idempotency
	// key at once.
	sameKeyRaces = 10
	// replicaCases are opened at once through both replicas, to give both
	// dispatchers work.
	replicaCases = 24
	// maxDispatchRounds bounds the rounds of replicaCases opened until
	// both dispatchers have delivered some.
	maxDispatchRounds = 5
)

// TestTwoReplicasOnePostgres runs two hub processes on one PostgreSQL
// database, as two replicas behind a load balancer, and checks that
// optimistic locking loses no update between them, that one idempotency
// key sent to both at once opens one case, that their two dispatchers
// deliver every notification once, and that when one replica dies the
// other delivers what it held.
func TestTwoReplicasOnePostgres(t *testing.T) {
	if testing.Short() {
		t.Skip("starts hub processes")
	}
	specs := eventSpecs(t)
	// An empty database: both replicas migrate it at the same moment.
	dsn := env.PostgresDSN(t)
	// Each replica sends its notifications to a mock partner server of its
	// own, so that what each mock received tells which dispatcher
	// delivered it.
	mocks := make([]*partners.Running, 2)
	for i := range mocks {
		m, err := partners.Start("127.0.0.1:0")
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { m.Close() })
		mocks[i] = m
	}
	d := newDeployment(t)
	token := d.token(t, "replicas")
	hubs := make([]*hubProcess, 2)
	for i, name := range []string{"replica-a", "replica-b"} {
		vars := d.hubVars(t, dsn, mocks[i].URL)
		// Exactly once needs every attempt to finish within its timeout,
		// also on a busy machine: an attempt that times out is tried again
		// and may then reach the partner twice, as at least once allows.
		vars["POORT_DISPATCH_TIMEOUT"], vars["POORT_DISPATCH_LEASE"] = "2s", "4s"
		hubs[i] = newHub(t, name, vars)
	}
	for _, h := range hubs {
		h.launch()
	}
	for _, h := range hubs {
		h.waitReady()
	}
	replicas := []*client{newClient(hubs[0].URL, token), newClient(hubs[1].URL, token)}

	t.Run("no lost update", func(t *testing.T) { noLostUpdate(t, replicas, specs["BIRTH"]) })
	t.Run("one idempotency key on both replicas", func(t *testing.T) { sameKeyBothReplicas(t, replicas, specs["MOVING"]) })
	t.Run("cases through both replicas", func(t *testing.T) { casesBothReplicas(t, replicas, specs, 0) })
	t.Run("every notification delivered once", func(t *testing.T) {
		// Both dispatchers compete for one outbox, and on a busy machine
		// one of them may win a whole round; further rounds give the other
		// its chance. Exactly once is checked over everything sent.
		var perReplica []int
		for round := 1; ; round++ {
			perReplica = checkReceived(t, waitDrained(t, replicas[0], 30*time.Second), true, mocks...)
			if !slices.Contains(perReplica, 0) || round == maxDispatchRounds {
				break
			}
			t.Logf("round %d: notifications per replica %v; opening more cases", round, perReplica)
			casesBothReplicas(t, replicas, specs, round)
		}
		for r, n := range perReplica {
			if n == 0 {
				t.Errorf("replica %d delivered no notification; its dispatcher did not take part", r)
			}
		}
	})
	t.Run("a killed replica's notifications are delivered by the other", func(t *testing.T) {
		failover(t, hubs[0], replicas, mocks, notifying(t, specs)[0])
	})
}

// attempt is one writer's update of the contended task.
type attempt struct {
	replica  int
	expected int     // the version the writer read
	won      bool    // acknowledged
	made     int     // the version a won update made
	code     string  // the error code of a lost one
	actual   float64 // the version a CONFLICT names as current
	answer   response
}

// noLostUpdate has writers, half through each replica, read the same task
// and update it with the version they read, over and over. Per version
// exactly one update may win and every other must get CONFLICT; the task
// ends at 1 + the number of wins, with one task_status_changed event for
// each.
func noLostUpdate(t *testing.T, replicas []*client, spec eventSpec) {
	if spec.Manual == "" {
		t.Fatalf("life event %s has no manual task to contend for", spec.ID)
	}
	var started startPayload
	replicas[0].must(t, startLifeEventMutation, map[string]any{"in": spec.startInput("replicas-locking")}, &started)
	caseID := started.StartLifeEvent.Case.ID
	// A manual task: the dispatchers leave it alone, so every change to it
	// is one of the writers'.
	task := findStep(started.StartLifeEvent.Case.Tasks, spec.Manual)

	var mu sync.Mutex
	var attempts []attempt
	ready := make(chan struct{})
	var wg sync.WaitGroup
	for w := range writers {
		wg.Go(func() {
			r := w % len(replicas)
			c := replicas[r]
			<-ready
			for range writerRounds {
				cur, err := readTask(c, caseID, task.ID)
				if err != nil {
					t.Errorf("replica %d: %v", r, err)
					return
				}
				// open → failed → open ... is allowed for ever.
				next := "FAILED"
				if cur.Status == "FAILED" {
					next = "OPEN"
				}
				ans := c.do(context.Background(), updateTaskMutation, map[string]any{"in": map[string]any{
					"id": task.ID, "expectedVersion": cur.Version, "status": next,
				}})
				a := attempt{replica: r, expected: cur.Version, won: ans.acknowledged(), code: ans.code(), answer: ans}
				if a.won {
					var p updatePayload
					ans.decode(t, &p)
					a.made = p.UpdateTask.Task.Version
				} else if len(ans.Errors) > 0 {
					a.actual, _ = ans.Errors[0].Extensions["actualVersion"].(float64)
				}
				mu.Lock()
				attempts = append(attempts, a)
				mu.Unlock()
			}
		})
	}
	close(ready)
	wg.Wait()

	wins := map[int]int{}
	tried := map[int]int{}
	winsByReplica := make([]int, len(replicas))
	conflicts := 0
	for _, a := range attempts {
		tried[a.expected]++
		switch {
		case a.won:
			wins[a.expected]++
			winsByReplica[a.replica]++
			if a.made != a.expected+1 {
				t.Errorf("an update based on version %d made version %d", a.expected, a.made)
			}
		case a.code == "CONFLICT":
			conflicts++
			if int(a.actual) <= a.expected {
				t.Errorf("a CONFLICT for version %d names actual version %v", a.expected, a.actual)
			}
		default:
			t.Errorf("an update based on version %d through replica %d neither won nor got CONFLICT: %v", a.expected, a.replica, a.answer)
		}
	}
	total := 0
	for _, v := range slices.Sorted(maps.Keys(tried)) {
		total += wins[v]
		if wins[v] != 1 {
			t.Errorf("version %d: %d of %d updates won, want exactly 1", v, wins[v], tried[v])
		}
	}
	if conflicts == 0 {
		t.Errorf("the %d writers never collided, so nothing was tested", writers)
	}
	t.Logf("%d updates: %d won (%v per replica), %d got CONFLICT", len(attempts), total, winsByReplica, conflicts)

	// Both replicas see the same end state: 1 + the wins, and one
	// task_status_changed event per win, for versions 2 to the last.
	for r, c := range replicas {
		var got struct{ Case caseView }
		c.must(t, caseQuery, map[string]any{"id": caseID}, &got)
		final := findStep(got.Case.Tasks, spec.Manual)
		if final.Version != 1+total {
			t.Errorf("replica %d reads version %d after %d winning updates, want %d", r, final.Version, total, 1+total)
		}
		changes := stepChanges(got.Case.Timeline, spec.Manual)
		want := make([]int, total)
		for i := range want {
			want[i] = i + 2
		}
		if !slices.Equal(changes, want) {
			t.Errorf("replica %d: the timeline records task changes to versions %v, want %v", r, changes, want)
		}
	}
}

// readTask reads one task of a case through one replica.
func readTask(c *client, caseID, taskID string) (taskView, error) {
	r := c.do(context.Background(), `query($id: ID!) { case(id: $id) { tasks { id kind status version step { id } partner { id } } } }`,
		map[string]any{"id": caseID})
	if !r.acknowledged() {
		return taskView{}, fmt.Errorf("read case %s: %v", caseID, r)
	}
	var got struct{ Case struct{ Tasks []taskView } }
	if err := json.Unmarshal(r.Data, &got); err != nil {
		return taskView{}, err
	}
	for _, t := range got.Case.Tasks {
		if t.ID == taskID {
			return t, nil
		}
	}
	return taskView{}, fmt.Errorf("case %s has no task %s", caseID, taskID)
}

// sameKeyBothReplicas sends one startLifeEvent with one idempotency key to
// both replicas at the same moment, several times: each time both must
// answer with the same case, one opened and one replayed.
func sameKeyBothReplicas(t *testing.T, replicas []*client, spec eventSpec) {
	for i := range sameKeyRaces {
		in := spec.startInput(fmt.Sprintf("replicas-same-key-%d", i))
		answers := make([]response, len(replicas))
		ready := make(chan struct{})
		var wg sync.WaitGroup
		for r, c := range replicas {
			wg.Go(func() {
				<-ready
				answers[r] = c.do(context.Background(), startLifeEventMutation, map[string]any{"in": in})
			})
		}
		close(ready)
		wg.Wait()
		ids := map[string]bool{}
		opened := 0
		for r, ans := range answers {
			if !ans.acknowledged() {
				t.Errorf("race %d, replica %d: %v", i, r, ans)
				continue
			}
			var p startPayload
			ans.decode(t, &p)
			ids[p.StartLifeEvent.Case.ID] = true
			if !p.StartLifeEvent.Replayed {
				opened++
			}
		}
		if len(ids) != 1 || opened != 1 {
			t.Errorf("race %d: the replicas answered cases %v, %d of them newly opened; want one case, opened once", i, slices.Sorted(maps.Keys(ids)), opened)
		}
	}
	var got struct{ Cases struct{ TotalCount int } }
	replicas[1].must(t, `query($kind: SubjectKind, $id: String) { cases(subjectKind: $kind, subjectId: $id, first: 1) { totalCount } }`,
		map[string]any{"kind": spec.SubjectKind, "id": spec.SubjectID}, &got)
	if got.Cases.TotalCount != sameKeyRaces {
		t.Errorf("the subject has %d cases after %d races, want %d", got.Cases.TotalCount, sameKeyRaces, sameKeyRaces)
	}
}

// casesBothReplicas opens cases of every life event through both replicas
// at once, so that both dispatchers have notifications to deliver.
func casesBothReplicas(t *testing.T, replicas []*client, specs map[string]eventSpec, round int) {
	// Only events whose partners the hub notifies give the dispatchers
	// work; the others' partners learn of them otherwise.
	kinds := notifying(t, specs)
	var wg sync.WaitGroup
	for i := range replicaCases {
		wg.Go(func() {
			spec := kinds[i%len(kinds)]
			c := replicas[i%len(replicas)]
			ans := c.do(context.Background(), startLifeEventMutation, map[string]any{"in": spec.startInput(fmt.Sprintf("replicas-case-%d-%d", round, i))})
			if !ans.acknowledged() {
				t.Errorf("case %d through replica %d: %v", i, i%len(replicas), ans)
			}
		})
	}
	wg.Wait()
}

// notifying returns the events whose cases notify a partner, those with
// the most notifications first, and fails when none does.
func notifying(t *testing.T, specs map[string]eventSpec) []eventSpec {
	t.Helper()
	var out []eventSpec
	for _, k := range slices.Sorted(maps.Keys(specs)) {
		if specs[k].Notifications > 0 {
			out = append(out, specs[k])
		}
	}
	if len(out) == 0 {
		t.Fatal("no life event notifies a partner when it is started")
	}
	slices.SortStableFunc(out, func(a, b eventSpec) int { return b.Notifications - a.Notifications })
	return out
}

// failoverCases are opened through the replica that is then killed.
const failoverCases = 8

// failover opens cases through replica A, whose partners answer slowly,
// kills A with SIGKILL while it holds notifications under its lease, and
// checks that replica B takes them over once the lease ran out and
// delivers everything.
func failover(t *testing.T, a *hubProcess, replicas []*client, mocks []*partners.Running, spec eventSpec) {
	if err := mocks[0].Faults().Set(fault.Config{LatencyMs: 500}); err != nil {
		t.Fatal(err)
	}
	var ids []string
	for i := range failoverCases {
		var started startPayload
		replicas[0].must(t, startLifeEventMutation, map[string]any{"in": spec.startInput(fmt.Sprintf("replicas-failover-%d", i))}, &started)
		ids = append(ids, started.StartLifeEvent.Case.ID)
	}
	// Wait until a notification has stayed claimed but undelivered for a
	// while: A holds its lease, waiting for its slow partner. (B's partners
	// answer at once, so what B claims is delivered within milliseconds.)
	seen := map[string]time.Time{}
	held := func() bool {
		now := time.Now()
		for _, id := range ids {
			var got struct{ Case caseView }
			replicas[1].must(t, `query($id: ID!) { case(id: $id) { messages { edges { node { id status attempts partner { id } } } } } }`, map[string]any{"id": id}, &got)
			for _, m := range got.Case.Messages {
				if m.Status != "PENDING" || m.Attempts == 0 {
					delete(seen, m.ID)
					continue
				}
				if first, ok := seen[m.ID]; !ok {
					seen[m.ID] = now
				} else if now.Sub(first) >= 100*time.Millisecond {
					return true
				}
			}
		}
		return false
	}
	deadline := time.Now().Add(10 * time.Second)
	for !held() {
		if time.Now().After(deadline) {
			t.Fatal("replica A held none of its notifications under lease within 10s")
		}
		time.Sleep(10 * time.Millisecond)
	}
	a.kill()

	all := waitDrained(t, replicas[1], 30*time.Second)
	takenOver := 0
	for _, cs := range all {
		if !slices.Contains(ids, cs.ID) {
			continue
		}
		for _, m := range cs.Messages {
			if m.Attempts > 1 {
				takenOver++
			}
		}
	}
	if takenOver == 0 {
		t.Error("no notification of the killed replica's cases took a second attempt; nothing was taken over")
	}
	t.Logf("replica B took over %d notifications of the killed replica A", takenOver)
	checkReceived(t, all, false, mocks...)
}
