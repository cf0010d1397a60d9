package apq

import (
	"context"
	"encoding/json"
	"strings"
	"testing"

	"github.com/99designs/gqlgen/graphql"
)

func TestHashIsTheProtocols(t *testing.T) {
	// The SHA-256 of "{ __typename }" in hex, as sha256sum prints it.
	if got := Hash("{ __typename }"); got != "7f56e67dd21ab3f30d1ff8b7bed08893f0a0db86449836189b361dd1e56ddb4b" {
		t.Errorf("Hash = %s", got)
	}
}

// TestCacheIsBoundedByBytes: the cache keeps at most its bytes of query
// text, the least recently used leaving first; a query larger than the
// whole cache is not kept.
func TestCacheIsBoundedByBytes(t *testing.T) {
	q := func(c byte) string { return strings.Repeat(string(c), 100) }
	size := len(Hash("")) + 100
	c := newCache(3 * size)
	for _, x := range []byte("abc") {
		c.add(Hash(q(x)), q(x))
	}
	if _, ok := c.get(Hash(q('a'))); !ok { // a is now the most recently used
		t.Fatal("a left the cache too early")
	}
	c.add(Hash(q('d')), q('d'))
	if _, ok := c.get(Hash(q('b'))); ok {
		t.Error("b, the least recently used, is still there")
	}
	for _, x := range []byte("acd") {
		if got, ok := c.get(Hash(q(x))); !ok || got != q(x) {
			t.Errorf("%c: %q, %v", x, got, ok)
		}
	}
	if c.bytes != 3*size {
		t.Errorf("the cache counts %d bytes, holds %d", c.bytes, 3*size)
	}
	huge := strings.Repeat("x", 4*size)
	c.add(Hash(huge), huge)
	if _, ok := c.get(Hash(huge)); ok || c.lru.Len() != 3 {
		t.Errorf("a query larger than the cache was kept, or pushed others out (%d left)", c.lru.Len())
	}
}

// TestExtensionParameters takes a request's parameters as the transport
// decodes them (numbers as json.Number).
func TestExtensionParameters(t *testing.T) {
	const query = "{ __typename }"
	params := func(t *testing.T, body string) *graphql.RawParams {
		var p graphql.RawParams
		dec := json.NewDecoder(strings.NewReader(body))
		dec.UseNumber()
		if err := dec.Decode(&p); err != nil {
			t.Fatal(err)
		}
		return &p
	}
	ext := func(hash string) string {
		return `"extensions": {"persistedQuery": {"version": 1, "sha256Hash": "` + hash + `"}}`
	}
	e := New(1 << 10)
	ctx := graphql.WithOperationContext(context.Background(), &graphql.OperationContext{})
	if err := e.MutateOperationParameters(ctx, params(t, `{`+ext(Hash(query))+`}`)); err == nil || err.Extensions["code"] != CodeNotFound {
		t.Fatalf("unknown hash: %v", err)
	}
	p := params(t, `{"query": "`+query+`", `+ext(Hash(query))+`}`)
	if err := e.MutateOperationParameters(ctx, p); err != nil {
		t.Fatal(err)
	}
	// Only a query that reached the operation context, valid, is kept.
	if _, ok := e.cache.get(Hash(query)); ok {
		t.Fatal("kept before it was validated")
	}
	oc := graphql.GetOperationContext(ctx)
	oc.RawQuery = p.Query
	e.MutateOperationContext(ctx, oc)
	p = params(t, `{`+ext(Hash(query))+`}`)
	if err := e.MutateOperationParameters(ctx, p); err != nil || p.Query != query {
		t.Fatalf("the hash alone: %q, %v", p.Query, err)
	}
	// A request without the extension is left alone.
	p = params(t, `{"query": "`+query+`"}`)
	if err := e.MutateOperationParameters(ctx, p); err != nil || p.Query != query {
		t.Fatalf("no extension: %q, %v", p.Query, err)
	}
}
