package bench

import (
	"context"
	"os"
	"runtime"
	"runtime/metrics"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"time"
)

// Latencies summarises the latencies of one phase.
type Latencies struct {
	P50  time.Duration `json:"p50"`
	P95  time.Duration `json:"p95"`
	P99  time.Duration `json:"p99"`
	Mean time.Duration `json:"mean"`
	Max  time.Duration `json:"max"`
}

func summarise(ds []time.Duration) Latencies {
	if len(ds) == 0 {
		return Latencies{}
	}
	slices.Sort(ds)
	var sum time.Duration
	for _, d := range ds {
		sum += d
	}
	at := func(q float64) time.Duration {
		// Nearest rank.
		i := int(q*float64(len(ds))+0.999999) - 1
		return ds[min(max(i, 0), len(ds)-1)]
	}
	return Latencies{P50: at(0.50), P95: at(0.95), P99: at(0.99), Mean: sum / time.Duration(len(ds)), Max: ds[len(ds)-1]}
}

// load runs do from clients goroutines until count calls were made (when
// count > 0) or for the duration, and returns each call's latency and the
// failures, counted by error message.
func load(ctx context.Context, clients, count int, duration time.Duration, do func(ctx context.Context, i int) error) ([]time.Duration, map[string]int, time.Duration) {
	var next atomic.Int64
	var mu sync.Mutex
	failures := map[string]int{}
	per := make([][]time.Duration, clients)
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	var stop atomic.Bool
	if count <= 0 {
		t := time.AfterFunc(duration, func() { stop.Store(true) })
		defer t.Stop()
	}
	start := time.Now()
	var wg sync.WaitGroup
	for c := range clients {
		wg.Go(func() {
			for ctx.Err() == nil && !stop.Load() {
				i := int(next.Add(1)) - 1
				if count > 0 && i >= count {
					return
				}
				t := time.Now()
				err := do(ctx, i)
				per[c] = append(per[c], time.Since(t))
				if err != nil {
					mu.Lock()
					failures[err.Error()]++
					mu.Unlock()
				}
			}
		})
	}
	wg.Wait()
	elapsed := time.Since(start)
	var all []time.Duration
	for _, p := range per {
		all = append(all, p...)
	}
	return all, failures, elapsed
}

// proc is a process whose CPU time and memory a run reads: the hub's,
// or this one.
type proc struct{ pid int }

// self is this process.
func self() proc { return proc{os.Getpid()} }

// selfCPU returns the CPU time this process used so far, user and system,
// to the nanosecond.
func selfCPU() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

// Memory is what a process held while a level or a phase ran: the hub's
// when it runs in a process of its own, otherwise this whole process.
type Memory struct {
	// PeakRSS is the resident set's peak: the kernel's high-water mark
	// (VmHWM), reset at the start where the kernel allows it, or else the
	// largest VmRSS sampled.
	PeakRSS uint64 `json:"peakRssBytes"`
	// StartRSS is the resident set when the watch started.
	StartRSS uint64 `json:"startRssBytes"`
	// PeakHeap is the largest Go heap in use (live and not yet swept
	// objects) seen by sampling; StartHeap the heap at the start;
	// PeakStacks the most memory goroutine stacks took; Goroutines the
	// most goroutines seen. Only for a hub in this process.
	PeakHeap   uint64 `json:"peakHeapBytes,omitempty"`
	StartHeap  uint64 `json:"startHeapBytes,omitempty"`
	PeakStacks uint64 `json:"peakStackBytes,omitempty"`
	Goroutines int    `json:"peakGoroutines,omitempty"`
}

// memoryWatch samples a process's memory until stopped.
type memoryWatch struct {
	stop chan struct{}
	done chan Memory
}

// watchMemory samples p's resident set every period, and this process's
// Go runtime too when goRuntime is set (p is then this process).
func watchMemory(p proc, goRuntime bool, every time.Duration) *memoryWatch {
	// Forget the high-water mark of what came before (the population's
	// generation, earlier phases).
	reset := p.resetPeak()
	w := &memoryWatch{stop: make(chan struct{}), done: make(chan Memory, 1)}
	m := Memory{StartRSS: p.status("VmRSS")}
	if goRuntime {
		m.StartHeap, _ = heapInUse()
	}
	go func() {
		t := time.NewTicker(every)
		defer t.Stop()
		for {
			m.PeakRSS = max(m.PeakRSS, p.status("VmRSS"))
			if goRuntime {
				heap, stacks := heapInUse()
				m.PeakHeap, m.PeakStacks = max(m.PeakHeap, heap), max(m.PeakStacks, stacks)
				m.Goroutines = max(m.Goroutines, runtime.NumGoroutine())
			}
			select {
			case <-w.stop:
				if reset {
					m.PeakRSS = max(m.PeakRSS, p.status("VmHWM"))
				}
				w.done <- m
				return
			case <-t.C:
			}
		}
	}()
	return w
}

func (w *memoryWatch) end() Memory {
	close(w.stop)
	return <-w.done
}

// heapInUse returns the bytes of heap objects (live, and dead ones not yet
// swept) and of goroutine stacks.
func heapInUse() (heap, stacks uint64) {
	s := []metrics.Sample{{Name: "/memory/classes/heap/objects:bytes"}, {Name: "/memory/classes/heap/stacks:bytes"}}
	metrics.Read(s)
	if s[0].Value.Kind() == metrics.KindUint64 {
		heap = s[0].Value.Uint64()
	}
	if s[1].Value.Kind() == metrics.KindUint64 {
		stacks = s[1].Value.Uint64()
	}
	return heap, stacks
}

// Machine describes where the benchmark ran.
type Machine struct {
	CPUs       int    `json:"cpus"`
	GOMAXPROCS int    `json:"gomaxprocs"`
	CPUModel   string `json:"cpuModel"`
	GoVersion  string `json:"goVersion"`
	OS         string `json:"os"`
	// LoadAverage is the machine's load over 1, 5 and 15 minutes before
	// the run (/proc/loadavg): other work on the machine shows there.
	LoadAverage string `json:"loadAverage,omitempty"`
}

func machine() Machine {
	m := Machine{CPUs: runtime.NumCPU(), GOMAXPROCS: runtime.GOMAXPROCS(0), GoVersion: runtime.Version(), OS: runtime.GOOS + "/" + runtime.GOARCH}
	if b, err := os.ReadFile("/proc/loadavg"); err == nil {
		if f := strings.Fields(string(b)); len(f) >= 3 {
			m.LoadAverage = strings.Join(f[:3], " ")
		}
	}
	if b, err := os.ReadFile("/proc/cpuinfo"); err == nil {
		for line := range strings.SplitSeq(string(b), "\n") {
			if name, v, ok := strings.Cut(line, ":"); ok && strings.TrimSpace(name) == "model name" {
				m.CPUModel = strings.TrimSpace(v)
				break
			}
		}
	}
	return m
}
