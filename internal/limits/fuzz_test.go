package limits

import (
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
)

// FuzzGraphQLRequest posts arbitrary bodies through the body limits and
// the query limits in front of the real executable schema, and checks that
// the hub never panics, never answers with a 5xx, and always answers with
// JSON.
func FuzzGraphQLRequest(f *testing.F) {
	cfg := Defaults()
	cfg.MaxBodyBytes = 16 << 10
	h := graphHandler(f, cfg)
	for _, s := range []string{
		`{"query":"{ person(bsn: \"999990019\") { name { fullName } } }"}`,
		`{"query":"query($b:[String!]!){ persons(bsns:$b){ bsn } }","variables":{"b":["999990019"]}}`,
		`[{"query":"{ __typename }"}]`,
		`{"query":"{ person(bsn: 1) { bsn } }"}`,
		`{"query":"{ a: __typename b: __typename }","operationName":"X"}`,
		`{"query":"query A { __typename } query B { __typename }"}`,
		`{"query":"fragment F on Query { ...F } { ...F }"}`,
		`{"query":null,"variables":[]}`,
		`{"query":"{ lineage(type: \"Person\") { field registry sourcePath } }"}`,
		`{`,
		``,
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, body string) {
		r := httptest.NewRequest(http.MethodPost, "/graphql", strings.NewReader(body))
		r.Header.Set("Content-Type", "application/json")
		w := httptest.NewRecorder()
		h.ServeHTTP(w, r)
		if w.Code >= 500 {
			t.Fatalf("status %d for %q: %s", w.Code, body, w.Body)
		}
		if !json.Valid(w.Body.Bytes()) {
			t.Fatalf("status %d, body not JSON for %q: %q", w.Code, body, w.Body)
		}
	})
}
