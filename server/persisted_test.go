package server_test

import (
	"encoding/json"
	"fmt"
	"net/http"
	"os"
	"strings"
	"testing"

	"github.com/poort-nl/poort/internal/apq"
	"github.com/poort-nl/poort/server"
	"github.com/poort-nl/poort/server/hubtest"
)

// persistedBody is a GraphQL request with extensions.persistedQuery: the
// query itself only when query is not empty.
func persistedBody(t testing.TB, query, hash string, vars map[string]any) string {
	t.Helper()
	req := map[string]any{
		"variables":  vars,
		"extensions": map[string]any{"persistedQuery": map[string]any{"version": 1, "sha256Hash": hash}},
	}
	if query != "" {
		req["query"] = query
	}
	b, err := json.Marshal(req)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// askPersisted posts a persisted-query request and decodes the answer.
func askPersisted(t testing.TB, h *hubtest.Hub, body string) hubtest.Response {
	t.Helper()
	resp, raw := hubtest.Post(t, h.URL+"/graphql", h.Token, body)
	var out hubtest.Response
	if err := json.Unmarshal(raw, &out); err != nil {
		t.Fatalf("answer is not JSON: %v: %s", err, raw)
	}
	out.Status = resp.StatusCode
	return out
}

// TestPersistedQueries follows the hash-first protocol through the whole
// hub: a hash the hub never saw is PERSISTED_QUERY_NOT_FOUND; the query
// sent with its hash runs and is remembered; the hash alone then runs the
// same query, audited as any, and still within the cost limit, which
// depends on the variables. A query that fails the limits or validation,
// or comes with another query's hash, is never remembered.
func TestPersistedQueries(t *testing.T) {
	h, tap := newTappedHub(t)
	bsn := testPopulation(t).Scenarios.JobLoss
	const query = `query Person($bsn: String!) { person(bsn: $bsn) { bsn name { fullName } } }`
	hash := apq.Hash(query)
	vars := map[string]any{"bsn": bsn}

	t.Run("unknown hash", func(t *testing.T) {
		r := askPersisted(t, h, persistedBody(t, "", hash, vars))
		if code(r) != apq.CodeNotFound || r.Errors[0].Message != "PersistedQueryNotFound" || r.Status != http.StatusOK || len(r.Data) > 0 {
			t.Fatalf("answer %d %+v, data %s", r.Status, r.Errors, r.Data)
		}
		if recs := tap.take(); len(recs) != 0 {
			t.Errorf("a refused request recorded %d disclosures", len(recs))
		}
	})
	var full hubtest.Response
	t.Run("query with its hash", func(t *testing.T) {
		full = askPersisted(t, h, persistedBody(t, query, hash, vars))
		if len(full.Errors) > 0 || !strings.Contains(string(full.Data), bsn) {
			t.Fatalf("answer %+v %s", full.Errors, full.Data)
		}
	})
	sent := tap.take()
	t.Run("hash alone", func(t *testing.T) {
		r := askPersisted(t, h, persistedBody(t, "", hash, vars))
		if len(r.Errors) > 0 || string(r.Data) != string(full.Data) {
			t.Fatalf("answer %+v %s, want %s", r.Errors, r.Data, full.Data)
		}
		got := tap.take()
		if len(sent) == 0 || len(got) != len(sent) || got[0].DataSubject.ID != bsn {
			t.Errorf("the hash alone recorded %d disclosures, the query %d", len(got), len(sent))
		}
	})
	t.Run("the cost limit still holds", func(t *testing.T) {
		many := `query Many($bsns: [String!]!) { persons(bsns: $bsns) { bsn parents { bsn parents { bsn children { bsn } } } } }`
		few := map[string]any{"bsns": []string{bsn}}
		if r := askPersisted(t, h, persistedBody(t, many, apq.Hash(many), few)); len(r.Errors) > 0 {
			t.Fatalf("a cheap request: %+v", r.Errors)
		}
		lots := make([]string, 5000)
		for i := range lots {
			lots[i] = bsn
		}
		r := askPersisted(t, h, persistedBody(t, "", apq.Hash(many), map[string]any{"bsns": lots}))
		if code(r) != "QUERY_TOO_COMPLEX" {
			t.Fatalf("a costly request by hash: %+v", r.Errors)
		}
	})
	refused := map[string]struct{ query, hash, code string }{
		"another query's hash": {`{ lineage { field } }`, hash, apq.CodeBadRequest},
		"invalid":              {`{ person(bsn: "x") { noSuchField } }`, "", "GRAPHQL_VALIDATION_FAILED"},
		"too deep":             {"{ person(bsn: \"x\") { " + strings.Repeat("parents { ", 20) + "bsn" + strings.Repeat(" }", 20) + " } }", "", "QUERY_TOO_DEEP"},
	}
	for name, c := range refused {
		t.Run(name, func(t *testing.T) {
			if c.hash == "" {
				c.hash = apq.Hash(c.query)
			}
			if r := askPersisted(t, h, persistedBody(t, c.query, c.hash, nil)); code(r) != c.code {
				t.Fatalf("sent with its hash: %+v, want %s", r.Errors, c.code)
			}
			if r := askPersisted(t, h, persistedBody(t, "", apq.Hash(c.query), nil)); code(r) != apq.CodeNotFound {
				t.Fatalf("the hash alone afterwards: %+v, want %s", r.Errors, apq.CodeNotFound)
			}
		})
	}
	t.Run("malformed extension", func(t *testing.T) {
		for _, ext := range []string{`"yes"`, `{"version": 2, "sha256Hash": "` + hash + `"}`, `{"version": 1, "sha256Hash": "abc"}`} {
			r := askPersisted(t, h, fmt.Sprintf(`{"query": %q, "extensions": {"persistedQuery": %s}}`, query, ext))
			if code(r) != apq.CodeBadRequest {
				t.Errorf("%s: %+v", ext, r.Errors)
			}
		}
	})
}

// TestPersistedQueriesOff: with no cache the hub says it does not support
// them, and the client sends its queries in full.
func TestPersistedQueriesOff(t *testing.T) {
	h := newHubWith(t, nil, server.Options{}, func(c *server.Config) { c.PersistedQueryBytes = 0 })
	const query = `{ lineage { field } }`
	r := askPersisted(t, h, persistedBody(t, query, apq.Hash(query), nil))
	if code(r) != apq.CodeNotSupported || r.Errors[0].Message != "PersistedQueryNotSupported" {
		t.Fatalf("answer %+v", r.Errors)
	}
	if r := h.Query(t, query, nil); len(r.Errors) > 0 {
		t.Fatalf("the query in full: %+v", r.Errors)
	}
}

// BenchmarkPersistedQuery asks for the console's person card (the
// console's largest query) with the query in full and by its hash alone:
// what the hash saves the hub per request (reading and decoding the
// query's text, and finding it by that text in the cache of parsed and
// validated queries), beside the bytes each request sends.
//
//	go test ./server -run '^$' -bench PersistedQuery
func BenchmarkPersistedQuery(b *testing.B) {
	h, _ := newTappedHub(b)
	bsn := testPopulation(b).Scenarios.JobLoss
	doc, err := os.ReadFile("../balie/operations/PersonCard.graphql")
	if err != nil {
		b.Fatal(err)
	}
	query := string(doc)
	hash := apq.Hash(query)
	vars := map[string]any{"bsn": bsn}
	if r := askPersisted(b, h, persistedBody(b, query, hash, vars)); len(r.Errors) > 0 || !strings.Contains(string(r.Data), bsn) {
		b.Fatalf("the person card: %+v", r.Errors)
	}
	for _, c := range []struct{ name, body string }{
		{"query in full", persistedBody(b, query, hash, vars)},
		{"hash alone", persistedBody(b, "", hash, vars)},
	} {
		b.Run(c.name, func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				if r := askPersisted(b, h, c.body); len(r.Errors) > 0 {
					b.Fatal(r.Errors)
				}
			}
			b.ReportMetric(float64(len(c.body)), "request-bytes")
		})
	}
}
