package limits

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/99designs/gqlgen/graphql"
	"github.com/99designs/gqlgen/graphql/handler/lru"
	"github.com/vektah/gqlparser/v2"
	"github.com/vektah/gqlparser/v2/ast"

	"github.com/poort-nl/poort/auth"
	"github.com/poort-nl/poort/graph"
)

type gqlResponse struct {
	Errors []struct {
		Message    string         `json:"message"`
		Extensions map[string]any `json:"extensions"`
	} `json:"errors"`
}

func post(t testing.TB, h http.Handler, body string) (*httptest.ResponseRecorder, gqlResponse) {
	t.Helper()
	r := httptest.NewRequest(http.MethodPost, "/graphql", strings.NewReader(body))
	r.Header.Set("Content-Type", "application/json")
	w := httptest.NewRecorder()
	h.ServeHTTP(w, r)
	var resp gqlResponse
	if err := json.Unmarshal(w.Body.Bytes(), &resp); err != nil {
		t.Fatalf("body %q is not JSON: %v", w.Body.String(), err)
	}
	return w, resp
}

func query(q string, vars map[string]any) string {
	b, _ := json.Marshal(map[string]any{"query": q, "variables": vars})
	return string(b)
}

func nest(field string, n int, leaf string) string {
	return strings.Repeat(field+" { ", n) + leaf + strings.Repeat(" }", n)
}

// spreads is a query spreading n fragments into one selection, every other
// one through another fragment, sharing out keys within their repeat limit.
func spreads(n int) string {
	keys := []string{"bsn", "age", "secret", "curatele", "aNumber", "__typename"}
	var b, defs strings.Builder
	b.WriteString(`{ person(bsn: "999990019") { `)
	for i := range n {
		if i%2 == 0 {
			fmt.Fprintf(&b, "...F%d ", i)
		} else {
			fmt.Fprintf(&defs, " fragment F%d on Person { %s ...F%d }", i-1, keys[(i-1)%len(keys)], i)
			continue
		}
		if i == n-1 {
			fmt.Fprintf(&defs, " fragment F%d on Person { %s }", i, keys[i%len(keys)])
		}
	}
	for i := 1; i < n; i += 2 {
		fmt.Fprintf(&defs, " fragment F%d on Person { %s }", i, keys[i%len(keys)])
	}
	return b.String() + "} }" + defs.String()
}

func bsns(n int) []string {
	out := make([]string, n)
	for i := range out {
		out[i] = "999990019"
	}
	return out
}

func TestQueryLimits(t *testing.T) {
	h := graphHandler(t, Defaults())
	aliases := func(n int, root bool) string {
		var b strings.Builder
		if !root {
			b.WriteString(`person(bsn: "999990019") { `)
		}
		for i := range n {
			if root {
				fmt.Fprintf(&b, `p%d: person(bsn: "999990019") { bsn } `, i)
			} else {
				fmt.Fprintf(&b, "n%d: name { fullName } ", i)
			}
		}
		if !root {
			b.WriteString("}")
		}
		return "{ " + b.String() + " }"
	}
	var frag strings.Builder
	frag.WriteString(`query { person(bsn: "999990019") { ...F20 } } fragment F0 on Person { bsn }`)
	for i := 1; i <= 20; i++ {
		fmt.Fprintf(&frag, " fragment F%d on Person { ...F%d ... on Person { ...F%d } }", i, i-1, i-1)
	}
	tests := []struct {
		name, body string
		code       string
		message    string
	}{
		{"depth bomb", query(`{ person(bsn: "999990019") { `+nest("parents", 15, "bsn")+` } }`, nil), CodeQueryTooDeep, "the limit is 15"},
		{"depth through fragments", query(`{ person(bsn: "999990019") { ...A } } fragment A on Person { `+nest("children", 8, "...B")+` } fragment B on Person { `+nest("parents", 8, "bsn")+` }`, nil), CodeQueryTooDeep, "nests 18 fields deep"},
		{"alias bomb", query(aliases(60, false), nil), CodeTooManyAliases, "60 aliased fields; the limit is 50"},
		{"too many root fields", query(aliases(25, true), nil), CodeTooManyRootFields, "25 root fields; the limit is 20"},
		{"cost bomb through lists", query(`query($b: [String!]!) { persons(bsns: $b) { `+nest("children", 3, "vehicles { licencePlate make }")+` } }`, map[string]any{"b": bsns(50)}), CodeQueryTooComplex, "the limit is 20000"},
		{"fragment bomb", query(frag.String(), nil), CodeQueryTooComplex, "once its fragments are expanded"},
		{"token flood", query(`{ persons(bsns: [`+strings.Repeat(`"1" `, 11000)+`]) { bsn } }`, nil), CodeQueryTooLarge, "more than 10000 tokens"},
		// Validating this one took over 5 s: every pair of the 9,900
		// fields is compared. Now the lexer stops at field 501.
		{"a flood of cheap fields", query("{ "+strings.Repeat("__typename ", 9900)+"}", nil), CodeQueryTooComplex, "more than 500 fields, the limit"},
		{"a flood of fields through fragments", query(`{ ...F ...F ...F ...F ...F ...F } fragment F on Query { `+strings.Repeat("__typename ", 100)+`}`, nil), CodeQueryTooComplex, "600 fields once its fragments are expanded; the limit is 500"},
		{"a flood of fragments", query(spreads(51), nil), CodeQueryTooComplex, "spreads 51 named fragments into one selection; the limit is 50"},
		{"one field selected again and again", query(`{ person(bsn: "999990019") { `+strings.Repeat("name { fullName } ", 11)+`} }`, nil), CodeQueryTooComplex, `"name" 11 times in one selection`},
		{"one field repeated through fragments and merged selections", query(`{ person(bsn: "999990019") { ...A ...B } }
			fragment A on Person { name { surname surname surname surname surname surname } }
			fragment B on Person { name { surname surname surname surname surname } }`, nil), CodeQueryTooComplex, `"surname" 11 times`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			w, resp := post(t, h, tt.body)
			if len(resp.Errors) != 1 || resp.Errors[0].Extensions["code"] != tt.code {
				t.Fatalf("status %d, errors %+v; want one %s", w.Code, resp.Errors, tt.code)
			}
			if !strings.Contains(resp.Errors[0].Message, tt.message) {
				t.Errorf("message %q does not say %q", resp.Errors[0].Message, tt.message)
			}
			if w.Code != http.StatusUnprocessableEntity {
				t.Errorf("status %d, want 422", w.Code)
			}
		})
	}
}

// TestRealQueriesPassTheLimits runs the queries a front-end sends, from
// the README and GraphiQL, and checks that no limit refuses them.
func TestRealQueriesPassTheLimits(t *testing.T) {
	h := graphHandler(t, Defaults())
	queries := map[string]string{
		"household": `{ person(bsn: "999534099") { name { fullName } birth { date { date } }
			address { street houseNumber postcode place residentialObject { surface } buildings { yearBuilt } }
			partners { partner { name { fullName } } } children { name { givenNames } age }
			vehicles { licencePlate make tradeName apkExpiry } drivingLicences { expires valid }
			employments { employerName start end employer { name } } } }`,
		"company": `{ company(kvkNumber: "80001075") { name legalForm employees
			branches { branchNumber main visitingAddress address { residentialObject { uses surface } } }
			functionaries { role person { name { fullName } } } vehicles { licencePlate kind make } } }`,
		"address": `{ addresses(postcode: "3571AA", houseNumber: 2) { street place municipality { description }
			buildings { yearBuilt } residents { name { fullName } age } companies { name } }
			lineage(type: "Address") { field registry sourcePath } }`,
		"twenty persons": `query($b: [String!]!) { persons(bsns: $b) { name { fullName } address { street postcode } children { name { fullName } } } }`,
		"introspection":  introspectionQuery,
	}
	for name, q := range queries {
		t.Run(name, func(t *testing.T) {
			_, resp := post(t, h, query(q, map[string]any{"b": bsns(20)}))
			for _, e := range resp.Errors {
				if c, _ := e.Extensions["code"].(string); strings.HasPrefix(c, "QUERY_") || strings.HasPrefix(c, "TOO_MANY") || c == "GRAPHQL_VALIDATION_FAILED" || c == "GRAPHQL_PARSE_FAILED" {
					t.Fatalf("refused: %s (%s)", e.Message, c)
				}
			}
		})
	}
}

func TestBody(t *testing.T) {
	cfg := Defaults()
	cfg.MaxBodyBytes = 100
	var got string
	h := cfg.Body(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		buf := make([]byte, 200)
		n, _ := r.Body.Read(buf)
		got = string(buf[:n])
		w.WriteHeader(http.StatusTeapot)
	}))
	tests := []struct {
		name, body string
		chunked    bool
		status     int
		code       string
	}{
		{"small", `{"query":"{ __typename }"}`, false, http.StatusTeapot, ""},
		{"exactly the limit", `{"query":"` + strings.Repeat(" ", 85) + `"}`, false, http.StatusTeapot, ""},
		{"too large", `{"query":"` + strings.Repeat(" ", 200) + `"}`, false, http.StatusRequestEntityTooLarge, CodeRequestTooLarge},
		{"too large without a length", `{"query":"` + strings.Repeat(" ", 200) + `"}`, true, http.StatusRequestEntityTooLarge, CodeRequestTooLarge},
		{"batch", ` [{"query":"{ a }"},{"query":"{ b }"}]`, false, http.StatusBadRequest, CodeBatchNotAllowed},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got = ""
			r := httptest.NewRequest(http.MethodPost, "/graphql", strings.NewReader(tt.body))
			if tt.chunked {
				r.ContentLength = -1
			}
			w := httptest.NewRecorder()
			h.ServeHTTP(w, r)
			if w.Code != tt.status {
				t.Fatalf("status %d, want %d: %s", w.Code, tt.status, w.Body)
			}
			if tt.code == "" {
				if got != tt.body {
					t.Errorf("handler read %q, want the whole body", got)
				}
				return
			}
			var resp gqlResponse
			json.Unmarshal(w.Body.Bytes(), &resp)
			if len(resp.Errors) != 1 || resp.Errors[0].Extensions["code"] != tt.code {
				t.Errorf("body %s, want %s", w.Body, tt.code)
			}
			if tt.code == CodeRequestTooLarge && !strings.Contains(resp.Errors[0].Message, "100 bytes") {
				t.Errorf("message %q does not give the limit", resp.Errors[0].Message)
			}
		})
	}
}

func TestRateLimiter(t *testing.T) {
	cfg := Defaults()
	cfg.Rate, cfg.Burst, cfg.RateKeys = 1, 3, 2
	l := cfg.NewRateLimiter(nil)
	now := time.Date(2026, 3, 2, 10, 0, 0, 0, time.UTC)
	l.now = func() time.Time { return now }
	h := l.Middleware(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { w.WriteHeader(http.StatusNoContent) }))
	call := func(p auth.Principal) *httptest.ResponseRecorder {
		r := httptest.NewRequest(http.MethodPost, "/graphql", nil)
		r = r.WithContext(auth.With(r.Context(), p))
		w := httptest.NewRecorder()
		h.ServeHTTP(w, r)
		return w
	}
	alice := auth.Principal{Subject: "alice", Organisation: "1"}
	bob := auth.Principal{Subject: "bob", Organisation: "1"}
	for i := range 3 {
		if w := call(alice); w.Code != http.StatusNoContent {
			t.Fatalf("request %d within the burst: %d", i, w.Code)
		}
	}
	w := call(alice)
	if w.Code != http.StatusTooManyRequests || w.Header().Get("Retry-After") != "1" {
		t.Fatalf("beyond the burst: status %d, Retry-After %q", w.Code, w.Header().Get("Retry-After"))
	}
	var resp gqlResponse
	json.Unmarshal(w.Body.Bytes(), &resp)
	if len(resp.Errors) != 1 || resp.Errors[0].Extensions["code"] != CodeRateLimited || !strings.Contains(resp.Errors[0].Message, "more than 1 requests per second") {
		t.Errorf("body %s", w.Body)
	}
	if w := call(bob); w.Code != http.StatusNoContent {
		t.Errorf("another principal is limited too: %d", w.Code)
	}
	now = now.Add(time.Second)
	if w := call(alice); w.Code != http.StatusNoContent {
		t.Errorf("after a second a request is allowed again: %d", w.Code)
	}
	call(auth.Principal{Subject: "carol"})
	if l.Len() != 2 {
		t.Errorf("%d principals tracked, want at most 2", l.Len())
	}

	var none *RateLimiter
	if (Config{}).NewRateLimiter(nil) != nil || none.Middleware(http.NotFoundHandler()) == nil {
		t.Error("a zero rate must mean no limiter")
	}
}

func TestLoadConfig(t *testing.T) {
	c, err := LoadConfig(func(string) string { return "" })
	if err != nil || c != Defaults() {
		t.Fatalf("defaults: %+v, %v", c, err)
	}
	env := map[string]string{"POORT_LIMIT_DEPTH": "8", "POORT_RATE_LIMIT": "0.5", "POORT_LIMIT_COST": "0"}
	c, err = LoadConfig(func(k string) string { return env[k] })
	if err != nil || c.MaxDepth != 8 || c.Rate != 0.5 || c.MaxCost != 0 {
		t.Fatalf("%+v, %v", c, err)
	}
	env = map[string]string{"POORT_LIMIT_DEPTH": "-1", "POORT_RATE_LIMIT": "fast"}
	if _, err := LoadConfig(func(k string) string { return env[k] }); err == nil ||
		!strings.Contains(err.Error(), "POORT_LIMIT_DEPTH") || !strings.Contains(err.Error(), "POORT_RATE_LIMIT") {
		t.Errorf("err = %v, want both variables named", err)
	}
	for _, rate := range []string{"NaN", "Inf", "-1"} {
		env = map[string]string{"POORT_RATE_LIMIT": rate}
		if _, err := LoadConfig(func(k string) string { return env[k] }); err == nil || !strings.Contains(err.Error(), "POORT_RATE_LIMIT") {
			t.Errorf("POORT_RATE_LIMIT=%s: err = %v, want it refused", rate, err)
		}
	}
}

// BenchmarkQueryLimits measures what the limits add to a request. The
// first time a query is seen they lex it, parse it and measure it (the
// validation that follows replaces the executor's own); once it is in the
// query cache, only the cost is walked.
func BenchmarkQueryLimits(b *testing.B) {
	q := `{ person(bsn: "999534099") { name { fullName } address { street buildings { yearBuilt } }
		partners { partner { name { fullName } } } children { name { givenNames } age } vehicles { licencePlate } } }`
	doc, gerr := gqlparser.LoadQueryWithRules(graph.NewExecutableSchema(graph.Config{}).Schema(), q, nil)
	if gerr != nil {
		b.Fatal(gerr)
	}
	ctx := context.Background()
	b.Run("first request", func(b *testing.B) {
		ext := Defaults().Extension(nil).(*queryLimits)
		for b.Loop() {
			if err := ext.MutateOperationParameters(ctx, &graphql.RawParams{Query: q}); err != nil {
				b.Fatal(err)
			}
			if err := ext.MutateOperationContext(ctx, &graphql.OperationContext{Doc: doc, Operation: doc.Operations[0]}); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("cached", func(b *testing.B) {
		cache := lru.New[*ast.QueryDocument](10)
		cache.Add(ctx, q, doc)
		ext := Defaults().Extension(cache).(*queryLimits)
		for b.Loop() {
			if err := ext.MutateOperationParameters(ctx, &graphql.RawParams{Query: q}); err != nil {
				b.Fatal(err)
			}
			if err := ext.MutateOperationContext(ctx, &graphql.OperationContext{Doc: doc, Operation: doc.Operations[0]}); err != nil {
				b.Fatal(err)
			}
		}
	})
}

const introspectionQuery = `query IntrospectionQuery {
  __schema {
    queryType { name } mutationType { name } subscriptionType { name }
    types { ...FullType }
    directives { name description locations args { ...InputValue } }
  }
}
fragment FullType on __Type {
  kind name description
  fields(includeDeprecated: true) { name description args { ...InputValue } type { ...TypeRef } isDeprecated deprecationReason }
  inputFields { ...InputValue }
  interfaces { ...TypeRef }
  enumValues(includeDeprecated: true) { name description isDeprecated deprecationReason }
  possibleTypes { ...TypeRef }
}
fragment InputValue on __InputValue { name description type { ...TypeRef } defaultValue }
fragment TypeRef on __Type {
  kind name
  ofType { kind name ofType { kind name ofType { kind name ofType { kind name ofType { kind name ofType { kind name ofType { kind name } } } } } } }
}`
