// Package apq implements automatic persisted queries, the hash-first
// protocol of Apollo clients: a client sends the SHA-256 hash of its query
// in extensions.persistedQuery instead of the query. A hub that knows the
// hash runs the query it stands for; one that does not answers
// PERSISTED_QUERY_NOT_FOUND, and the client sends query and hash together,
// which the hub remembers once the query has passed its limits and
// validation. A busy client then sends a few dozen bytes instead of its
// query, and the hub neither reads nor hashes the query's text again.
//
// Install the extension with handler.Server.Use before the query limits,
// so that a query taken from the cache passes them as a query in the
// request would: the limits and the validator let a query they checked
// before through at the cost of a cache look-up, and check again one that
// has left their cache; the cost, which depends on the variables, is
// checked on every request.
package apq

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"sync"

	"github.com/99designs/gqlgen/graphql"
	"github.com/99designs/gqlgen/graphql/errcode"
	"github.com/hashicorp/golang-lru/v2/simplelru"
	"github.com/vektah/gqlparser/v2/gqlerror"
)

// The codes and messages of the protocol's errors, as Apollo clients
// recognise them, and of a malformed extension.
const (
	CodeNotFound     = "PERSISTED_QUERY_NOT_FOUND"
	CodeNotSupported = "PERSISTED_QUERY_NOT_SUPPORTED"
	CodeBadRequest   = "BAD_REQUEST"

	messageNotFound     = "PersistedQueryNotFound"
	messageNotSupported = "PersistedQueryNotSupported"
)

func init() {
	// Refusals of the request, not failures of the executed operation.
	for _, c := range []string{CodeNotFound, CodeNotSupported} {
		errcode.RegisterErrorType(c, errcode.KindProtocol)
	}
}

// Extension is the gqlgen extension of automatic persisted queries, with
// its cache.
type Extension struct {
	cache *cache
}

var (
	_ graphql.HandlerExtension          = (*Extension)(nil)
	_ graphql.OperationParameterMutator = (*Extension)(nil)
	_ graphql.OperationContextMutator   = (*Extension)(nil)
)

// New returns the extension with a cache of at most maxBytes of query
// text (the least recently used queries leave it first); with 0 it
// answers every persisted query PERSISTED_QUERY_NOT_SUPPORTED, so that
// clients send their queries in full.
func New(maxBytes int) *Extension {
	if maxBytes <= 0 {
		return &Extension{}
	}
	return &Extension{cache: newCache(maxBytes)}
}

// ExtensionName names the extension in gqlgen's statistics.
func (*Extension) ExtensionName() string { return "AutomaticPersistedQueries" }

// Validate accepts every schema.
func (*Extension) Validate(graphql.ExecutableSchema) error { return nil }

// persisted is what a request said in extensions.persistedQuery.
type persisted struct {
	hash string
	// sent says the request sent the query with the hash, to be
	// remembered once it is valid.
	sent bool
}

// MutateOperationParameters fills in the query of a request that sent
// only its hash, and checks the hash of one that sent both.
func (e *Extension) MutateOperationParameters(ctx context.Context, p *graphql.RawParams) *gqlerror.Error {
	raw, ok := p.Extensions["persistedQuery"]
	if !ok {
		return nil
	}
	hash, err := parseExtension(raw)
	if err != nil {
		return badRequest(err.Error())
	}
	if e.cache == nil {
		return protocolError(messageNotSupported, CodeNotSupported)
	}
	pq := &persisted{hash: hash, sent: p.Query != ""}
	if pq.sent {
		if Hash(p.Query) != hash {
			return badRequest("extensions.persistedQuery.sha256Hash is not the SHA-256 of the query")
		}
	} else if p.Query, ok = e.cache.get(hash); !ok {
		return protocolError(messageNotFound, CodeNotFound)
	}
	if oc := graphql.GetOperationContext(ctx); oc != nil {
		oc.Stats.SetExtension(e.ExtensionName(), pq)
	}
	return nil
}

// MutateOperationContext remembers a query that came with its hash: it
// runs after the query passed the limits, parsed and validated.
func (e *Extension) MutateOperationContext(_ context.Context, oc *graphql.OperationContext) *gqlerror.Error {
	if pq, ok := oc.Stats.GetExtension(e.ExtensionName()).(*persisted); ok && pq.sent {
		e.cache.add(pq.hash, oc.RawQuery)
	}
	return nil
}

// Hash is the hash a client sends for a query: its SHA-256 in lower-case
// hex.
func Hash(query string) string {
	sum := sha256.Sum256([]byte(query))
	return hex.EncodeToString(sum[:])
}

// parseExtension reads {"version": 1, "sha256Hash": "<64 hex digits>"}.
func parseExtension(raw any) (string, error) {
	const want = `extensions.persistedQuery: want {"version": 1, "sha256Hash": "<the query's SHA-256 in 64 hex digits>"}`
	m, ok := raw.(map[string]any)
	if !ok {
		return "", errors.New(want)
	}
	// The transport decodes numbers as json.Number; a test may give int.
	if v := fmt.Sprint(m["version"]); v != "1" {
		return "", fmt.Errorf("%s: version %s is not supported", want, v)
	}
	hash, _ := m["sha256Hash"].(string)
	if _, err := hex.DecodeString(hash); err != nil || len(hash) != sha256.Size*2 {
		return "", errors.New(want)
	}
	return hash, nil
}

func protocolError(message, code string) *gqlerror.Error {
	err := gqlerror.Errorf("%s", message)
	errcode.Set(err, code)
	return err
}

func badRequest(message string) *gqlerror.Error {
	return &gqlerror.Error{Message: message, Extensions: map[string]any{"code": CodeBadRequest}}
}

// cache keeps queries by hash, at most maxBytes of them, the least
// recently used leaving first.
type cache struct {
	mu       sync.Mutex
	lru      *simplelru.LRU[string, string]
	bytes    int
	maxBytes int
}

func newCache(maxBytes int) *cache {
	c := &cache{maxBytes: maxBytes}
	// The bound is in bytes, kept below; the count only has to be larger
	// than any number of entries that fit.
	c.lru, _ = simplelru.NewLRU(maxBytes, func(hash, query string) { c.bytes -= len(hash) + len(query) })
	return c
}

func (c *cache) get(hash string) (string, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.lru.Get(hash)
}

func (c *cache) add(hash, query string) {
	size := len(hash) + len(query)
	if size > c.maxBytes {
		return
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.lru.Contains(hash) {
		return
	}
	c.lru.Add(hash, query)
	c.bytes += size
	for c.bytes > c.maxBytes {
		c.lru.RemoveOldest()
	}
}
