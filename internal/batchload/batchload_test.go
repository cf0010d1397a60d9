package batchload

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"sync"
	"testing"
	"time"
)

// recorder is a source that records the batches it is asked.
type recorder struct {
	mu      sync.Mutex
	batches [][]string
}

func (r *recorder) fetch(_ context.Context, keys []string) ([]string, []error) {
	r.mu.Lock()
	r.batches = append(r.batches, slices.Clone(keys))
	r.mu.Unlock()
	vals := make([]string, len(keys))
	errs := make([]error, len(keys))
	for i, k := range keys {
		if k == "missing" {
			errs[i] = ErrNotFound
			continue
		}
		vals[i] = "v" + k
	}
	return vals, errs
}

func (r *recorder) asked() [][]string {
	r.mu.Lock()
	defer r.mu.Unlock()
	return slices.Clone(r.batches)
}

// An hour's MaxWait: a test that passes dispatched on the work alone.
const never = time.Hour

func TestBatchGoesWhenTheLastWorkerWaits(t *testing.T) {
	g := NewGroup(never)
	src := &recorder{}
	l := New(g, src.fetch, Options{})
	// Three resolvers run; each asks a key and waits. The batch must hold
	// all three keys, and go when the third waits.
	g.Enter(3)
	var wg sync.WaitGroup
	got := make([]string, 3)
	for i, k := range []string{"a", "b", "a"} {
		wg.Go(func() {
			defer g.Leave()
			v, err := l.Load(context.Background(), k)
			if err != nil {
				t.Error(err)
			}
			got[i] = v
		})
	}
	wg.Wait()
	if b := src.asked(); len(b) != 1 || !slices.Equal(sorted(b[0]), []string{"a", "b"}) {
		t.Fatalf("batches %v, want one with a and b", b)
	}
	if !slices.Equal(got, []string{"va", "vb", "va"}) {
		t.Fatalf("values %v", got)
	}
	if g.Fallbacks() != 0 {
		t.Fatalf("%d batches went by MaxWait", g.Fallbacks())
	}
}

func TestBatchWaitsForWorkStillRunning(t *testing.T) {
	g := NewGroup(never)
	src := &recorder{}
	l := New(g, src.fetch, Options{})
	g.Enter(2)
	l.Start(context.Background(), "a")
	g.Leave() // one resolver is done; the other still runs
	if b := src.asked(); len(b) != 0 {
		t.Fatalf("asked %v while a resolver still ran", b)
	}
	v, err := l.Load(context.Background(), "b") // the last one waits: the batch goes
	if err != nil || v != "vb" {
		t.Fatalf("Load: %q, %v", v, err)
	}
	if b := src.asked(); len(b) != 1 || len(b[0]) != 2 {
		t.Fatalf("batches %v, want one of two keys", b)
	}
}

func TestFullBatchGoesAtOnce(t *testing.T) {
	g := NewGroup(never)
	src := &recorder{}
	l := New(g, src.fetch, Options{Capacity: 2})
	g.Enter(1)
	vs, err := l.LoadAll(context.Background(), []string{"a", "b", "c", "d", "e"})
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(vs, []string{"va", "vb", "vc", "vd", "ve"}) {
		t.Fatalf("values %v", vs)
	}
	if b := src.asked(); len(b) != 3 {
		t.Fatalf("batches %v, want 3 (2, 2, 1)", b)
	}
}

func TestCapacityOneAsksEachKeyAtOnce(t *testing.T) {
	g := NewGroup(never)
	src := &recorder{}
	l := New(g, src.fetch, Options{Capacity: 1})
	g.Enter(1) // a resolver still runs, yet the one-key calls go
	l.Start(context.Background(), "a")
	v, err := l.Load(context.Background(), "b")
	if err != nil || v != "vb" {
		t.Fatalf("Load: %q, %v", v, err)
	}
	if _, err := l.Load(context.Background(), "a"); err != nil {
		t.Fatal(err)
	}
	if b := src.asked(); len(b) != 2 {
		t.Fatalf("batches %v, want a call per key", b)
	}
}

func TestMaxWaitBoundsWorkItCannotSee(t *testing.T) {
	g := NewGroup(time.Millisecond)
	src := &recorder{}
	l := New(g, src.fetch, Options{})
	// Two resolvers: one blocked on something else, one that asks and
	// waits. Only MaxWait sends the batch.
	g.Enter(2)
	if v, err := l.Load(context.Background(), "a"); err != nil || v != "va" {
		t.Fatalf("Load: %q, %v", v, err)
	}
	if g.Fallbacks() != 1 {
		t.Fatalf("fallbacks %d, want 1", g.Fallbacks())
	}
}

func TestErrorsPerKeyAndForAll(t *testing.T) {
	g := NewGroup(never)
	src := &recorder{}
	l := New(g, src.fetch, Options{})
	g.Enter(1)
	vs, err := l.LoadAll(context.Background(), []string{"a", "missing"})
	var es ErrorSlice
	if !errors.As(err, &es) || es[0] != nil || !errors.Is(es[1], ErrNotFound) || vs[0] != "va" {
		t.Fatalf("LoadAll: %v, %v", vs, err)
	}
	down := errors.New("registry down")
	failing := New(g, func(context.Context, []string) ([]string, []error) { return nil, []error{down} }, Options{})
	if _, err := failing.Load(context.Background(), "x"); !errors.Is(err, down) {
		t.Fatalf("Load: %v, want the fetch's error", err)
	}
}

func TestPanicIsEveryKeysError(t *testing.T) {
	g := NewGroup(never)
	l := New(g, func(context.Context, []string) ([]string, []error) { panic("bug") }, Options{})
	g.Enter(1)
	if _, err := l.Load(context.Background(), "a"); err == nil {
		t.Fatal("a panicking fetch loaded")
	}
}

func TestWaitEndsWithTheContext(t *testing.T) {
	g := NewGroup(never)
	l := New(g, (&recorder{}).fetch, Options{})
	g.Enter(2) // another resolver never finishes: the batch never goes
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, err := l.Load(ctx, "a"); !errors.Is(err, context.Canceled) {
		t.Fatalf("Load: %v, want the context's error", err)
	}
}

func TestPrimedKeyIsNotFetched(t *testing.T) {
	g := NewGroup(never)
	src := &recorder{}
	l := New(g, src.fetch, Options{})
	l.Prime("a", "primed")
	g.Enter(1)
	if v, err := l.Load(context.Background(), "a"); err != nil || v != "primed" {
		t.Fatalf("Load: %q, %v", v, err)
	}
	if b := src.asked(); len(b) != 0 {
		t.Fatalf("asked %v for a primed key", b)
	}
}

func sorted(s []string) []string {
	s = slices.Clone(s)
	slices.Sort(s)
	return s
}

// BenchmarkDispatch is one hop of a request: eight resolvers each ask a
// key and wait; the batch goes when the last waits, with no window.
func BenchmarkDispatch(b *testing.B) {
	keys := make([]string, 8)
	for i := range keys {
		keys[i] = fmt.Sprint(i)
	}
	src := func(_ context.Context, keys []string) ([]string, []error) { return keys, nil }
	b.ReportAllocs()
	for b.Loop() {
		g := NewGroup(never)
		l := New(g, src, Options{Capacity: 20})
		g.Enter(len(keys))
		var wg sync.WaitGroup
		for _, k := range keys {
			wg.Go(func() {
				defer g.Leave()
				l.Load(context.Background(), k)
			})
		}
		wg.Wait()
	}
}

// TestShareTakesWhatTheParentAsked: a loader sharing another's takes the
// keys that one was asked, loaded or still on their way, and fetches only
// the others itself.
func TestShareTakesWhatTheParentAsked(t *testing.T) {
	ctx := context.Background()
	outer, nested := &recorder{}, &recorder{}
	pg := NewGroup(never)
	parent := New(pg, outer.fetch, Options{})
	if _, err := parent.Load(ctx, "a"); err != nil {
		t.Fatal(err)
	}
	// "b" is asked of the parent but not yet sent: its group has work.
	pg.Enter(1)
	parent.Start(ctx, "b")

	l := New(NewGroup(never), nested.fetch, Options{})
	l.Share(parent)
	done := make(chan []string)
	go func() {
		vals, err := l.LoadAll(ctx, []string{"a", "b", "c"})
		if err != nil {
			t.Error(err)
		}
		done <- vals
	}()
	pg.Leave() // the parent's batch with "b" goes
	if vals := <-done; !slices.Equal(vals, []string{"va", "vb", "vc"}) {
		t.Fatalf("values %v", vals)
	}
	if b := nested.asked(); len(b) != 1 || !slices.Equal(b[0], []string{"c"}) {
		t.Errorf("the sharing loader fetched %v, want only c", b)
	}
	if b := outer.asked(); len(b) != 2 {
		t.Errorf("the parent fetched %v, want a, then b", b)
	}
}

// BenchmarkShared is a key taken from a parent loader against one fetched.
//
//	go test ./internal/batchload -run '^$' -bench Shared -benchmem
func BenchmarkShared(b *testing.B) {
	ctx := context.Background()
	src := &recorder{}
	parent := New(NewGroup(never), src.fetch, Options{})
	if _, err := parent.Load(ctx, "a"); err != nil {
		b.Fatal(err)
	}
	for _, share := range []bool{false, true} {
		b.Run(fmt.Sprintf("shared=%v", share), func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				l := New(NewGroup(never), src.fetch, Options{})
				if share {
					l.Share(parent)
				}
				if _, err := l.Load(ctx, "a"); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
