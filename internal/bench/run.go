package bench

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"sort"
	"strings"
	"time"
)

// Phase is the result of running one query one way at one concurrency.
type Phase struct {
	Requests int `json:"requests"`
	// Failures counts the queries whose answer had errors, or none;
	// Errors counts them by cause (for the hub, the errors' codes and
	// registries).
	Failures   int            `json:"failures"`
	Errors     map[string]int `json:"errors,omitempty"`
	Seconds    float64        `json:"seconds"`
	Throughput float64        `json:"throughputPerSecond"`
	Latency    Latencies      `json:"latency"`
	// Calls are the registry calls per query the mocks counted.
	Calls           float64            `json:"upstreamCallsPerQuery"`
	CallsByRegistry map[string]float64 `json:"upstreamCallsByRegistry"`
	// CPUSeconds is the CPU time of this process during the phase: hub,
	// mocks and clients together when the hub runs in it, the mocks and
	// clients alone otherwise.
	CPUSeconds float64 `json:"cpuSeconds"`
	// HubCPUSeconds is the CPU time of the hub's own process during the
	// phase, and HubCPUPerRequest and RequestsPerHubCPUSecond follow from
	// it; all zero when the hub runs in this process.
	HubCPUSeconds           float64       `json:"hubCpuSeconds,omitempty"`
	HubCPUPerRequest        time.Duration `json:"hubCpuPerRequest,omitempty"`
	RequestsPerHubCPUSecond float64       `json:"requestsPerHubCpuSecond,omitempty"`
	// HubMemory is the hub's memory during a hub phase: its own
	// process's, or this whole process's when it runs in it.
	HubMemory *Memory `json:"hubMemory,omitempty"`
}

// QueryResult holds the three ways of resolving one query at one
// concurrency, and how they compare.
type QueryResult struct {
	Query    string `json:"query"`
	Hub      *Phase `json:"hub"`
	Critical *Phase `json:"criticalPath,omitempty"`
	Naive    *Phase `json:"naive,omitempty"`
	// Overhead is the hub's p50 over the critical path's p50.
	Overhead float64 `json:"overheadRatio,omitempty"`
	// NaiveOverHub is the naive baseline's p50 over the hub's.
	NaiveOverHub float64 `json:"naiveOverHubRatio,omitempty"`
	CriticalHops int     `json:"criticalHops"`
	HubHops      int     `json:"hubHops"`
}

// Level is one concurrency's results.
type Level struct {
	Concurrency int           `json:"concurrency"`
	Queries     []QueryResult `json:"queries"`
	Memory      Memory        `json:"memory"`
}

// Verification compares, subject by subject, the calls the hub makes for a
// query with the minimum the critical-path resolution makes.
type Verification struct {
	Query    string `json:"query"`
	Subjects int    `json:"subjects"`
	// HubCalls and MinimumCalls are per query, on average.
	HubCalls     float64            `json:"hubCallsPerQuery"`
	MinimumCalls float64            `json:"minimumCallsPerQuery"`
	HubBy        map[string]float64 `json:"hubCallsByRegistry"`
	MinimumBy    map[string]float64 `json:"minimumCallsByRegistry"`
	// Differing counts the subjects for which the hub made other calls
	// than the minimum; Examples describe a few.
	Differing int      `json:"subjectsDiffering"`
	Examples  []string `json:"examples,omitempty"`
	Failures  int      `json:"failures"`
}

// answerError is an answer with errors, by code and registry.
type answerError struct{ codes []string }

func (e answerError) Error() string { return strings.Join(e.codes, ", ") }

// post sends a prepared GraphQL request to the hub and returns the HTTP
// status and the body.
func (e *env) post(ctx context.Context, body []byte) (int, []byte, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, e.url, bytes.NewReader(body))
	if err != nil {
		return 0, nil, err
	}
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("Authorization", "Bearer "+e.token)
	resp, err := e.client.Do(req)
	if err != nil {
		return 0, nil, err
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	return resp.StatusCode, b, err
}

// errorCodes returns each error's code and registry in a GraphQL answer,
// as "UPSTREAM_TIMEOUT BAG".
func errorCodes(b []byte) ([]string, error) {
	var out struct {
		Errors []struct {
			Extensions struct{ Code, Registry string } `json:"extensions"`
		} `json:"errors"`
	}
	if err := json.Unmarshal(b, &out); err != nil {
		return nil, err
	}
	codes := make([]string, 0, len(out.Errors))
	for _, x := range out.Errors {
		c := x.Extensions.Code
		if x.Extensions.Registry != "" {
			c += " " + x.Extensions.Registry
		}
		codes = append(codes, c)
	}
	return codes, nil
}

// ask sends a prepared GraphQL request to the hub; an answer with errors
// is an answerError.
func (e *env) ask(ctx context.Context, body []byte) error {
	st, b, err := e.post(ctx, body)
	if err != nil {
		return err
	}
	if st != http.StatusOK {
		return fmt.Errorf("HTTP %d", st)
	}
	// Most answers have none; skip decoding them on the measured path.
	if !bytes.Contains(b, []byte(`"errors":`)) {
		return nil
	}
	all, _ := errorCodes(b)
	seen := map[string]bool{}
	var codes []string
	for _, c := range all {
		if c = strings.TrimSpace(c); !seen[c] {
			seen[c] = true
			codes = append(codes, c)
		}
	}
	sort.Strings(codes)
	return answerError{codes}
}

// prepared is a query with its subjects and request bodies.
type prepared struct {
	query
	subjects []subject
	bodies   [][]byte
}

func prepare(q query, e *env, n int) (prepared, error) {
	p := prepared{query: q, subjects: q.subjects(e.pop, n)}
	if len(p.subjects) == 0 {
		return p, fmt.Errorf("%s: no subjects in the population", q.name)
	}
	for _, s := range p.subjects {
		b, err := json.Marshal(map[string]any{"query": q.graphql, "variables": q.vars(s)})
		if err != nil {
			return p, err
		}
		p.bodies = append(p.bodies, b)
	}
	return p, nil
}

type way int

const (
	viaHub way = iota
	viaCritical
	viaNaive
)

func (p prepared) do(e *env, w way) func(ctx context.Context, i int) error {
	n := len(p.subjects)
	switch w {
	case viaCritical:
		return func(ctx context.Context, i int) error { return p.critical(ctx, e.regs, p.subjects[i%n]) }
	case viaNaive:
		return func(ctx context.Context, i int) error { return p.naive(ctx, e.regs, p.subjects[i%n]) }
	}
	return func(ctx context.Context, i int) error { return e.ask(ctx, p.bodies[i%n]) }
}

// phase runs one query one way: clients at once, count queries or for
// the duration. A hub phase also watches the hub's memory.
func (e *env) phase(ctx context.Context, p prepared, w way, clients, count int, duration time.Duration) *Phase {
	e.mocks.ResetCalls()
	var watch *memoryWatch
	if w == viaHub {
		watch = watchMemory(e.hubProc, e.inProcess, 10*time.Millisecond)
	}
	cpu := selfCPU()
	hubCPU, hubErr := e.hubProc.cpuTime()
	lat, failures, elapsed := load(ctx, clients, count, duration, p.do(e, w))
	ph := &Phase{
		Requests: len(lat), Errors: failures, Seconds: elapsed.Seconds(),
		Throughput: float64(len(lat)) / elapsed.Seconds(), Latency: summarise(lat),
		CPUSeconds: (selfCPU() - cpu).Seconds(), CallsByRegistry: map[string]float64{},
	}
	if end, err := e.hubProc.cpuTime(); !e.inProcess && hubErr == nil && err == nil {
		used := end - hubCPU
		ph.HubCPUSeconds = used.Seconds()
		if len(lat) > 0 && used > 0 {
			ph.HubCPUPerRequest = used / time.Duration(len(lat))
			ph.RequestsPerHubCPUSecond = float64(len(lat)) / used.Seconds()
		}
	}
	if watch != nil {
		m := watch.end()
		ph.HubMemory = &m
	}
	for _, n := range failures {
		ph.Failures += n
	}
	if len(lat) > 0 {
		for r, n := range e.calls() {
			ph.CallsByRegistry[r] = float64(n) / float64(len(lat))
			ph.Calls += float64(n) / float64(len(lat))
		}
	}
	return ph
}

// verify runs the hub and the critical-path resolution once per subject,
// with no latency, and compares the calls each made per registry.
func (e *env) verify(ctx context.Context, p prepared, n int) Verification {
	v := Verification{Query: p.name, HubBy: map[string]float64{}, MinimumBy: map[string]float64{}}
	var hubTotal, minTotal int
	for i := range min(n, len(p.subjects)) {
		e.mocks.ResetCalls()
		if err := e.ask(ctx, p.bodies[i]); err != nil {
			v.Failures++
		}
		hub := e.calls()
		e.mocks.ResetCalls()
		if err := p.critical(ctx, e.regs, p.subjects[i]); err != nil {
			v.Failures++
		}
		least := e.calls()
		v.Subjects++
		var diff []string
		for _, r := range e.mocks.Registries() {
			hubTotal += hub[r]
			minTotal += least[r]
			v.HubBy[r] += float64(hub[r])
			v.MinimumBy[r] += float64(least[r])
			if hub[r] != least[r] {
				diff = append(diff, fmt.Sprintf("%s %d, minimum %d", r, hub[r], least[r]))
			}
		}
		if len(diff) > 0 {
			v.Differing++
			if len(v.Examples) < 3 {
				v.Examples = append(v.Examples, fmt.Sprintf("subject %d: %s", i, strings.Join(diff, "; ")))
			}
		}
	}
	if v.Subjects > 0 {
		v.HubCalls = float64(hubTotal) / float64(v.Subjects)
		v.MinimumCalls = float64(minTotal) / float64(v.Subjects)
		for r := range v.HubBy {
			v.HubBy[r] /= float64(v.Subjects)
			v.MinimumBy[r] /= float64(v.Subjects)
		}
	}
	return v
}

func ratio(a, b time.Duration) float64 {
	if b <= 0 {
		return 0
	}
	return float64(a) / float64(b)
}
