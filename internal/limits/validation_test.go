package limits

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/99designs/gqlgen/graphql"
	"github.com/99designs/gqlgen/graphql/handler/lru"
	"github.com/vektah/gqlparser/v2"
	"github.com/vektah/gqlparser/v2/ast"

	"github.com/poort-nl/poort/graph"
)

// The queries the default limits admit that cost the validator the most.
// Its work is in comparing the fields that share a response key, pair by
// pair, and every pair of fragments spread into one selection; the limits
// bound the fields (with fragments expanded), how often one key repeats,
// the fragments spread into one selection, the aliases and the root
// fields, which bounds those pairs.

// worstQueries builds them for the schema.
func worstQueries(s *ast.Schema) map[string]string {
	// Handover is the object type with the most fields without required
	// arguments: the most keys one selection can hold without aliases.
	var keys []string
	for _, f := range s.Types["Handover"].Fields {
		if k := s.Types[f.Type.Name()].Kind; k == ast.Scalar || k == ast.Enum {
			keys = append(keys, f.Name)
		}
	}
	keys = append(keys, "__typename")
	d := Defaults()

	// As many fragments as may be spread into one selection, sharing out
	// every key as often as it may repeat and every alias.
	var selections []string
	for range d.MaxRepeats {
		selections = append(selections, keys...)
	}
	for a := range d.MaxAliases {
		selections = append(selections, fmt.Sprintf("a%d: %s", a, keys[a%len(keys)]))
	}
	var spreads, defs strings.Builder
	for i := range d.MaxSpreads {
		fmt.Fprintf(&spreads, "...H%d ", i)
		fmt.Fprintf(&defs, " fragment H%d on Handover {", i)
		for j := i; j < len(selections); j += d.MaxSpreads {
			defs.WriteString(" " + selections[j])
		}
		defs.WriteString(" }")
	}
	fragmentPairs := `{ handover(id: "0195f3a2-7c1e-7000-8000-000000000001") { ` + spreads.String() + "} }" + defs.String()

	// Every key repeated as often as it may, each repeat of the aliased
	// ones naming another field: a conflict for every pair.
	var b strings.Builder
	b.WriteString(`{ handover(id: "0195f3a2-7c1e-7000-8000-000000000001") { `)
	for r := range d.MaxRepeats {
		for _, k := range keys {
			b.WriteString(k + " ")
		}
		for a := range d.MaxAliases / d.MaxRepeats {
			fmt.Fprintf(&b, "c%d: %s ", a, keys[(a+r)%len(keys)])
		}
	}
	b.WriteString("} }")
	return map[string]string{"fragment pairs": fragmentPairs, "conflicting repeats": b.String()}
}

// The worst queries are admitted by the default limits, so the benchmark
// below measures what a client can make the validator do.
func TestWorstQueriesAreAdmitted(t *testing.T) {
	s := graph.NewExecutableSchema(graph.Config{}).Schema()
	ext := Defaults().Extension(nil).(*queryLimits)
	for name, q := range worstQueries(s) {
		if err := ext.MutateOperationParameters(context.Background(), &graphql.RawParams{Query: q}); err != nil {
			t.Errorf("%s is refused: %v; find the worst query the limits admit now", name, err)
		}
		if _, err := gqlparser.LoadQueryWithRules(s, q, nil); name == "fragment pairs" && err != nil {
			t.Errorf("%s does not validate: %v", name, err)
		}
	}
}

// BenchmarkWorstAdmittedQuery measures parsing and validating the worst
// queries the default limits admit, as a request that misses the query
// cache pays it (go test ./internal/limits -run '^$' -bench WorstAdmitted).
func BenchmarkWorstAdmittedQuery(b *testing.B) {
	s := graph.NewExecutableSchema(graph.Config{}).Schema()
	for name, q := range worstQueries(s) {
		b.Run(name, func(b *testing.B) {
			for b.Loop() {
				gqlparser.LoadQueryWithRules(s, q, nil)
			}
		})
	}
}

// Validation honours the request's deadline: a request whose time ran out
// is refused without waiting for the validator, and a query validated in
// time is left in the cache, where the executor takes it without
// validating it again.
func TestValidationHonoursTheDeadline(t *testing.T) {
	s := graph.NewExecutableSchema(graph.Config{Resolvers: nil})
	cache := lru.New[*ast.QueryDocument](10)
	ext := Defaults().Extension(cache).(*queryLimits)
	if err := ext.Validate(s); err != nil {
		t.Fatal(err)
	}
	q := `{ lineage(type: "Person") { field } }`

	ctx, cancel := context.WithDeadline(context.Background(), time.Now().Add(-time.Second))
	defer cancel()
	err := ext.MutateOperationParameters(ctx, &graphql.RawParams{Query: q})
	if err == nil || err.Extensions["code"] != CodeValidationTimeout {
		t.Fatalf("past the deadline: %v", err)
	}
	if _, cached := cache.Get(context.Background(), q); cached {
		t.Fatal("a query not validated was cached")
	}

	if err := ext.MutateOperationParameters(context.Background(), &graphql.RawParams{Query: q}); err != nil {
		t.Fatal(err)
	}
	doc, cached := cache.Get(context.Background(), q)
	if !cached || doc.Operations[0].SelectionSet[0].(*ast.Field).Definition == nil {
		t.Fatal("the validated query is not in the cache, or not validated")
	}
	// An invalid query is not cached: the executor reports its errors.
	bad := `{ lineage(type: "Person") { nonsense } }`
	if err := ext.MutateOperationParameters(context.Background(), &graphql.RawParams{Query: bad}); err != nil {
		t.Fatal(err)
	}
	if _, cached := cache.Get(context.Background(), bad); cached {
		t.Fatal("an invalid query was cached")
	}
}

// BenchmarkUnboundedFlood measures what the validator spends on 9,900
// __typename fields (109 KB, within the limits before fields were
// counted), which the limits now refuse while lexing: the cost the bounds
// save (go test ./internal/limits -run '^$' -bench UnboundedFlood -benchtime 1x).
func BenchmarkUnboundedFlood(b *testing.B) {
	s := graph.NewExecutableSchema(graph.Config{}).Schema()
	q := "{ " + strings.Repeat("__typename ", 9900) + "}"
	for b.Loop() {
		gqlparser.LoadQueryWithRules(s, q, nil)
	}
}
