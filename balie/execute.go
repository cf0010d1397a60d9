package balie

import (
	"bytes"
	"context"
	"embed"
	"encoding/json"
	"fmt"
	"io/fs"
	"maps"
	"net/http"
	"slices"
	"strings"

	"github.com/vektah/gqlparser/v2/ast"
	"github.com/vektah/gqlparser/v2/parser"

	"github.com/poort-nl/poort/auth"
	"github.com/poort-nl/poort/internal/apq"
)

// The console's GraphQL operations, one named operation per file with the
// fragments it uses. They are the console's whole contract with the graph:
// a front-end team reads them to see how a screen is built on it.
//
//go:embed operations/*.graphql
var operationFiles embed.FS

// operations maps an operation's name to the document that holds it.
type operations map[string]operation

// operation is a document and the hash that stands for it once the hub
// holds it as a persisted query (internal/apq).
type operation struct {
	doc, hash string
}

func loadOperations() (operations, error) {
	ops := operations{}
	err := fs.WalkDir(operationFiles, "operations", func(path string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		b, err := operationFiles.ReadFile(path)
		if err != nil {
			return err
		}
		doc, perr := parser.ParseQuery(&ast.Source{Name: path, Input: string(b)})
		if perr != nil {
			return fmt.Errorf("%s: %w", path, perr)
		}
		if len(doc.Operations) != 1 || doc.Operations[0].Name == "" {
			return fmt.Errorf("%s: want exactly one named operation", path)
		}
		name := doc.Operations[0].Name
		if want := strings.TrimSuffix(strings.TrimPrefix(path, "operations/"), ".graphql"); name != want {
			return fmt.Errorf("%s: the operation is named %s; name the file after it", path, name)
		}
		ops[name] = operation{doc: string(b), hash: apq.Hash(string(b))}
		return nil
	})
	return ops, err
}

// gqlError is one error of a GraphQL response.
type gqlError struct {
	Message    string         `json:"message"`
	Path       []any          `json:"path"`
	Extensions map[string]any `json:"extensions"`
}

func (e gqlError) code() string     { s, _ := e.Extensions["code"].(string); return s }
func (e gqlError) registry() string { s, _ := e.Extensions["registry"].(string); return s }
func (e gqlError) ext(k string) string {
	s, _ := e.Extensions[k].(string)
	return s
}

// pathString is the error's path with list indexes left out, e.g.
// "person.employments".
func (e gqlError) pathString() string {
	var parts []string
	for _, p := range e.Path {
		if s, ok := p.(string); ok {
			parts = append(parts, s)
		}
	}
	return strings.Join(parts, ".")
}

// result is a GraphQL response as the console reads it.
type result struct {
	Data   json.RawMessage `json:"data"`
	Errors []gqlError      `json:"errors"`
	status int
}

// refused reports a response that carries no data at all because the hub
// refused the whole request: a rate limit, a withheld audit, a limit.
func (r *result) refused() bool {
	return r.status != http.StatusOK && (len(r.Data) == 0 || string(r.Data) == "null")
}

// at returns the first error whose path is p or lies below it.
func (r *result) at(p string) (gqlError, bool) {
	for _, e := range r.Errors {
		if ps := e.pathString(); ps == p || strings.HasPrefix(ps, p+".") {
			return e, true
		}
	}
	return gqlError{}, false
}

// exactly returns the error whose path is p.
func (r *result) exactly(p string) (gqlError, bool) {
	for _, e := range r.Errors {
		if e.pathString() == p {
			return e, true
		}
	}
	return gqlError{}, false
}

// execute runs a named operation as the session's principal through the
// hub's GraphQL handler, exactly as an API client's request runs after
// authentication: the body limit, the rate limit, the audit log holding
// the response until its disclosures are recorded, the request timeout,
// and the executor with its policy and query limits. The decoded data
// lands in into.
//
// The operation goes by its hash alone, as a persisted query; only when the
// hub does not hold it yet (after a start, or when its cache let it go)
// does the document follow, and never again once the hub says it takes no
// persisted queries.
func (c *Console) execute(ctx context.Context, s *session, op string, vars map[string]any, into any) (*result, error) {
	o, ok := c.ops[op]
	if !ok {
		return nil, fmt.Errorf("unknown operation %s", op)
	}
	req := map[string]any{"operationName": op, "variables": vars}
	if !c.noPersisted.Load() {
		req["extensions"] = map[string]any{"persistedQuery": map[string]any{"version": 1, "sha256Hash": o.hash}}
	} else {
		req["query"] = o.doc
	}
	res, err := c.post(ctx, s, op, req)
	// The hub answers a request it did not run without data.
	if err == nil && (len(res.Data) == 0 || string(res.Data) == "null") && len(res.Errors) > 0 {
		switch res.Errors[0].code() {
		case apq.CodeNotSupported:
			c.noPersisted.Store(true)
			delete(req, "extensions")
			fallthrough
		case apq.CodeNotFound:
			req["query"] = o.doc
			res, err = c.post(ctx, s, op, req)
		}
	}
	if err != nil {
		return nil, err
	}
	if into != nil && len(res.Data) > 0 && string(res.Data) != "null" {
		if err := json.Unmarshal(res.Data, into); err != nil {
			return nil, fmt.Errorf("operation %s: %w", op, err)
		}
	}
	return res, nil
}

// post runs one GraphQL request through the hub's handler as the
// session's principal.
func (c *Console) post(ctx context.Context, s *session, op string, request map[string]any) (*result, error) {
	body, err := json.Marshal(request)
	if err != nil {
		return nil, fmt.Errorf("operation %s: %w", op, err)
	}
	req, err := http.NewRequestWithContext(auth.With(ctx, s.principal()), http.MethodPost, "/graphql", bytes.NewReader(body))
	if err != nil {
		return nil, err
	}
	req.Header.Set("Content-Type", "application/json")
	rec := &responseBuffer{header: http.Header{}, status: http.StatusOK}
	c.graphql.ServeHTTP(rec, req)
	res := &result{status: rec.status}
	if err := json.Unmarshal(rec.body.Bytes(), res); err != nil {
		return nil, fmt.Errorf("operation %s: the hub answered %d without a GraphQL body", op, rec.status)
	}
	return res, nil
}

// responseBuffer takes the GraphQL handler's response in memory.
type responseBuffer struct {
	header http.Header
	status int
	body   bytes.Buffer
	wrote  bool
}

func (b *responseBuffer) Header() http.Header { return b.header }

func (b *responseBuffer) WriteHeader(status int) {
	if !b.wrote {
		b.status, b.wrote = status, true
	}
}

func (b *responseBuffer) Write(p []byte) (int, error) {
	b.wrote = true
	return b.body.Write(p)
}

// OperationNames lists the names of the console's operations, for the
// hub's metrics to count each under its own name.
func OperationNames() []string {
	ops, err := loadOperations()
	if err != nil {
		return nil // New reports it
	}
	return slices.Sorted(maps.Keys(ops))
}

// connection is a Relay connection in an operation's answer: the graph
// pages its lists that grow.
type connection[T any] struct {
	Edges []struct{ Node T }
}

// nodes returns the connection's items; none for a connection that is
// null.
func (c *connection[T]) nodes() []T {
	if c == nil {
		return nil
	}
	out := make([]T, len(c.Edges))
	for i, e := range c.Edges {
		out[i] = e.Node
	}
	return out
}
