// Package openapitest holds HTTP exchanges to OpenAPI documents in tests:
// a connector under test sends its calls through a Checker, which
// validates every request and every response against the documents of its
// registry's API and reports each violation as a test error. The
// documents are made strict first (strict.go), so that a field the
// document does not name, or a concrete type a discriminator picks, is
// checked rather than waved through. Validation is kin-openapi's; patterns
// are compiled as JSON Schema (ECMA-262) has them, lookahead included.
package openapitest

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"maps"
	"net/http"
	"reflect"
	"slices"
	"strings"
	"sync"
	"testing"

	"github.com/dlclark/regexp2/v2"
	"github.com/getkin/kin-openapi/openapi3"
	"github.com/getkin/kin-openapi/openapi3filter"
	"github.com/getkin/kin-openapi/routers"
	"github.com/getkin/kin-openapi/routers/legacy"
)

// Document is an OpenAPI document, strict, served at a base URL.
type Document struct {
	// Name is the file the document came from, for messages.
	Name   string
	doc    *openapi3.T
	router routers.Router
}

// Load reads the OpenAPI document at path, as served at base (its servers
// replaced), lets each adjust change it, and makes it strict. An adjust is
// a documented exception: a place where the registry's own published
// behaviour contradicts its document, which the test accepts on purpose.
func Load(path, base string, adjust ...func(*openapi3.T) error) (*Document, error) {
	loader := openapi3.NewLoader()
	doc, err := loader.LoadFromFile(path)
	if err != nil {
		return nil, fmt.Errorf("load %s: %w", path, err)
	}
	for _, a := range adjust {
		if err := a(doc); err != nil {
			return nil, fmt.Errorf("adjust %s: %w", path, err)
		}
	}
	doc.Servers = openapi3.Servers{{URL: strings.TrimSuffix(base, "/")}}
	if err := strict(doc); err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	router, err := legacy.NewRouter(doc, openapi3.DisableExamplesValidation(), openapi3.SetRegexCompiler(compilePattern))
	if err != nil {
		return nil, fmt.Errorf("route %s: %w", path, err)
	}
	return &Document{Name: path, doc: doc, router: router}, nil
}

// Schema returns a component schema of the document as loaded, for an
// adjust to change.
func Schema(doc *openapi3.T, name string) (*openapi3.Schema, error) {
	ref := doc.Components.Schemas[name]
	if ref == nil || ref.Value == nil {
		return nil, fmt.Errorf("no schema %q", name)
	}
	return ref.Value, nil
}

// DropPattern removes the pattern of a component schema's property: for a
// registry whose published texts break its document's pattern. It fails
// when the property has no pattern, so that an exception cannot outlive
// the fault it excuses.
func DropPattern(schema, property string) func(*openapi3.T) error {
	return func(doc *openapi3.T) error {
		s, err := Schema(doc, schema)
		if err != nil {
			return err
		}
		p := s.Properties[property]
		if p == nil || p.Value == nil || p.Value.Pattern == "" {
			return fmt.Errorf("schema %s: property %s has no pattern to drop", schema, property)
		}
		p.Value.Pattern = ""
		return nil
	}
}

// DropFormat removes the format of component schema properties: for a
// registry whose published values break the format its document gives
// them. Like DropPattern it fails when a property has no format.
func DropFormat(schema string, properties ...string) func(*openapi3.T) error {
	return func(doc *openapi3.T) error {
		s, err := Schema(doc, schema)
		if err != nil {
			return err
		}
		for _, property := range properties {
			p := s.Properties[property]
			if p == nil || p.Value == nil || p.Value.Format == "" {
				return fmt.Errorf("schema %s: property %s has no format to drop", schema, property)
			}
			p.Value.Format = ""
		}
		return nil
	}
}

// AddProperty adds a property to a component schema: for what a
// registry's later version gives that the vendored document lacks. value
// makes the property's schema from the document. It fails when the schema
// has the property already.
func AddProperty(schema, property string, value func(*openapi3.T) (*openapi3.SchemaRef, error)) func(*openapi3.T) error {
	return func(doc *openapi3.T) error {
		s, err := Schema(doc, schema)
		if err != nil {
			return err
		}
		v, err := value(doc)
		if err != nil {
			return err
		}
		if s.Properties[property] != nil {
			return fmt.Errorf("schema %s has %s already", schema, property)
		}
		if s.Properties == nil {
			s.Properties = openapi3.Schemas{}
		}
		s.Properties[property] = v
		return nil
	}
}

// RenameRequired renames a required name of a component schema: for a
// document that requires a property under another name than it declares.
func RenameRequired(schema, from, to string) func(*openapi3.T) error {
	return func(doc *openapi3.T) error {
		s, err := Schema(doc, schema)
		if err != nil {
			return err
		}
		i := slices.Index(s.Required, from)
		if i < 0 || s.Properties[to] == nil {
			return fmt.Errorf("schema %s: %s is not required, or %s not declared", schema, from, to)
		}
		s.Required[i] = to
		return nil
	}
}

// Component is a property value for AddProperty: a component schema of the
// document, or a list of them.
func Component(name string, list bool) func(*openapi3.T) (*openapi3.SchemaRef, error) {
	return func(doc *openapi3.T) (*openapi3.SchemaRef, error) {
		ref := doc.Components.Schemas[name]
		if ref == nil {
			return nil, fmt.Errorf("no schema %q", name)
		}
		ref = &openapi3.SchemaRef{Ref: "#/components/schemas/" + name, Value: ref.Value}
		if list {
			return openapi3.NewArraySchema().WithItems(ref.Value).NewRef(), nil
		}
		return ref, nil
	}
}

// Literal is a property value for AddProperty: the schema given.
func Literal(s *openapi3.Schema) func(*openapi3.T) (*openapi3.SchemaRef, error) {
	return func(*openapi3.T) (*openapi3.SchemaRef, error) { return s.NewRef(), nil }
}

// strict replaces every schema of the document's operations by its strict
// form.
func strict(doc *openapi3.T) error {
	s := newStrictifier(doc)
	content := func(c openapi3.Content) {
		for _, mt := range c {
			if mt != nil {
				mt.Schema = s.ref(mt.Schema)
			}
		}
	}
	for _, item := range doc.Paths.Map() {
		for _, op := range item.Operations() {
			if op.RequestBody != nil && op.RequestBody.Value != nil {
				content(op.RequestBody.Value.Content)
			}
			for _, r := range op.Responses.Map() {
				if r.Value != nil {
					content(r.Value.Content)
				}
			}
		}
	}
	return s.err
}

// compilePattern compiles a pattern as ECMA-262 would: Go's regexp lacks
// the lookahead the BRP's identification patterns use.
func compilePattern(expr string) (openapi3.RegexMatcher, error) {
	re, err := regexp2.Compile(expr)
	if err != nil {
		return nil, err
	}
	return matcher{re}, nil
}

type matcher struct{ re *regexp2.Regexp }

func (m matcher) MatchString(s string) bool {
	ok, err := m.re.MatchString(s)
	return ok && err == nil
}

// Checker is an http.RoundTripper that validates each exchange against
// its documents and passes it on unchanged. It is safe for concurrent use.
type Checker struct {
	t    testing.TB
	next http.RoundTripper
	docs []*Document

	// unchecked are path prefixes of calls no document covers, passed on
	// as they are.
	unchecked []string

	mu   sync.Mutex
	seen map[string][]int
}

// Unchecked lets calls below the path prefixes pass unchecked: for an API
// that publishes no OpenAPI document (RDW open data's Socrata datasets).
// Every other call must find its operation.
func (c *Checker) Unchecked(prefixes ...string) *Checker {
	c.unchecked = append(c.unchecked, prefixes...)
	return c
}

// NewChecker returns a Checker that sends through next (nil means
// http.DefaultTransport) and reports violations to t.
func NewChecker(t testing.TB, next http.RoundTripper, docs ...*Document) *Checker {
	if next == nil {
		next = http.DefaultTransport
	}
	return &Checker{t: t, next: next, docs: docs, seen: map[string][]int{}}
}

// Operations returns the operations exchanged so far, each with the
// statuses it answered, by operationId.
func (c *Checker) Operations() map[string][]int {
	c.mu.Lock()
	defer c.mu.Unlock()
	out := make(map[string][]int, len(c.seen))
	for op, statuses := range c.seen {
		out[op] = slices.Clone(statuses)
	}
	return out
}

// RoundTrip validates the request, sends it, and validates the response.
func (c *Checker) RoundTrip(req *http.Request) (*http.Response, error) {
	body, err := readAll(req.Body)
	if err != nil {
		return nil, err
	}
	req.Body = restore(body)
	check := req.Clone(req.Context())
	check.Body = restore(body)
	what := req.Method + " " + req.URL.Path
	for _, p := range c.unchecked {
		if strings.HasPrefix(req.URL.Path, p) {
			return c.next.RoundTrip(req)
		}
	}
	doc, route, params := c.route(check)
	if route == nil {
		c.t.Errorf("%s: no operation of %s", what, c.names())
		return c.next.RoundTrip(req)
	}
	what = fmt.Sprintf("%s (%s, %s)", what, route.Operation.OperationID, doc.Name)
	in := &openapi3filter.RequestValidationInput{
		Request: check, PathParams: params, Route: route,
		Options: &openapi3filter.Options{MultiError: true, AuthenticationFunc: apiKeyPresent, RegexCompiler: compilePattern},
	}
	if err := openapi3filter.ValidateRequest(context.Background(), in); err != nil && req.Context().Value(refusalKey{}) == nil {
		c.t.Errorf("%s: request breaks the document: %v", what, err)
	}
	resp, err := c.next.RoundTrip(req)
	if err != nil {
		return nil, err
	}
	rbody, err := readAll(resp.Body)
	if err != nil {
		return nil, err
	}
	resp.Body = restore(rbody)
	out := &openapi3filter.ResponseValidationInput{
		RequestValidationInput: in, Status: resp.StatusCode, Header: resp.Header, Body: restore(rbody),
		Options: &openapi3filter.Options{MultiError: true, IncludeResponseStatus: true, RegexCompiler: compilePattern},
	}
	if err := openapi3filter.ValidateResponse(context.Background(), out); err != nil {
		c.t.Errorf("%s: %d response breaks the document: %v\n%s", what, resp.StatusCode, err, clip(rbody))
	}
	c.mu.Lock()
	c.seen[route.Operation.OperationID] = append(c.seen[route.Operation.OperationID], resp.StatusCode)
	c.mu.Unlock()
	return resp, nil
}

func (c *Checker) route(req *http.Request) (*Document, *routers.Route, map[string]string) {
	for _, d := range c.docs {
		route, params, err := d.router.FindRoute(req)
		if err == nil {
			return d, route, params
		}
	}
	return nil, nil, nil
}

func (c *Checker) names() string {
	names := make([]string, len(c.docs))
	for i, d := range c.docs {
		names[i] = d.Name
	}
	return strings.Join(names, ", ")
}

type refusalKey struct{}

// Refusal marks a request that breaks the document on purpose, to see the
// registry refuse it: its request is not checked, its response is.
func Refusal(ctx context.Context) context.Context {
	return context.WithValue(ctx, refusalKey{}, true)
}

// apiKeyPresent holds a request to its operation's API-key scheme: the
// header must be there. Whether the key is right is the registry's (and
// the mock's) to say.
func apiKeyPresent(_ context.Context, in *openapi3filter.AuthenticationInput) error {
	s := in.SecurityScheme
	if s == nil || s.Type != "apiKey" || s.In != "header" {
		return nil
	}
	if in.RequestValidationInput.Request.Header.Get(s.Name) == "" {
		return fmt.Errorf("no %s header", s.Name)
	}
	return nil
}

func readAll(r io.ReadCloser) ([]byte, error) {
	if r == nil || r == http.NoBody {
		return nil, nil
	}
	defer r.Close()
	b, err := io.ReadAll(r)
	if err != nil {
		return nil, errors.Join(errors.New("read body"), err)
	}
	return b, nil
}

func restore(b []byte) io.ReadCloser {
	if b == nil {
		return http.NoBody
	}
	return io.NopCloser(bytes.NewReader(b))
}

func clip(b []byte) string {
	const max = 600
	if len(b) > max {
		return string(b[:max]) + "..."
	}
	return string(b)
}

// Drive runs a driver per method of client, each as a subtest named after
// it, and fails for every exported method of client that has no driver and
// is not excused, so that a method added to a connector is driven too.
func Drive(t *testing.T, client any, drivers map[string]func(t *testing.T), excused ...string) {
	t.Helper()
	typ := reflect.TypeOf(client)
	for i := range typ.NumMethod() {
		name := typ.Method(i).Name
		if _, ok := drivers[name]; !ok && !slices.Contains(excused, name) {
			t.Errorf("method %s of %s is not driven", name, typ)
		}
	}
	for _, name := range slices.Sorted(maps.Keys(drivers)) {
		if _, ok := typ.MethodByName(name); !ok {
			t.Errorf("driver %s: %s has no such method", name, typ)
			continue
		}
		t.Run(name, drivers[name])
	}
}

// Must ends a driver's test when the connector's call failed: the drivers
// of a conformance test call methods that must succeed against the mock.
func Must(t testing.TB, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}
