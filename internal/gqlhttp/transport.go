package gqlhttp

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"mime"
	"net/http"
	"strconv"
	"strings"

	"github.com/99designs/gqlgen/graphql"
	"github.com/vektah/gqlparser/v2/gqlerror"
)

// The codes of requests the transport refuses before GraphQL sees them.
const (
	// CodeBadRequest: the body is not a GraphQL request (not JSON, not an
	// object, a parameter of the wrong type, no query).
	CodeBadRequest = "BAD_REQUEST"
	// CodeUnsupportedMediaType: the body is not application/json.
	CodeUnsupportedMediaType = "UNSUPPORTED_MEDIA_TYPE"
)

// The response media types of the GraphQL-over-HTTP specification.
const (
	mediaJSON            = "application/json"
	mediaGraphQLResponse = "application/graphql-response+json"
)

// POST is the hub's GraphQL-over-HTTP transport: a POST with a JSON body,
// answered as the GraphQL-over-HTTP specification asks, SHOULDs included
// (graphql-http's audit checks it; see docs/graphql.md):
//
//   - the response is application/graphql-response+json when the Accept
//     header prefers it, application/json otherwise;
//   - a body that is not application/json is 415 UNSUPPORTED_MEDIA_TYPE,
//     one that is not a GraphQL request 400 BAD_REQUEST;
//   - an operation refused before execution (it does not parse, does not
//     validate, its variables do not coerce, a query limit) is answered
//     without a data entry, with 200 under application/json and 400 (403
//     when FORBIDDEN) under application/graphql-response+json;
//   - an executed operation is 200, whatever its field errors.
//
// It supports every POST, so a wrong content type gets an answer of this
// shape rather than gqlgen's plain "transport not supported".
type POST struct{}

var _ graphql.Transport = POST{}

// Supports claims every POST except a protocol upgrade.
func (POST) Supports(r *http.Request) bool {
	return r.Method == http.MethodPost && r.Header.Get("Upgrade") == ""
}

// Do answers one GraphQL request.
func (POST) Do(w http.ResponseWriter, r *http.Request, exec graphql.GraphExecutor) {
	ctx := r.Context()
	media := negotiate(r.Header.Get("Accept"))
	start := graphql.Now()
	if err := checkContentType(r.Header.Get("Content-Type")); err != nil {
		refuse(w, media, http.StatusUnsupportedMediaType, CodeUnsupportedMediaType, err.Error())
		return
	}
	params, err := decodeParams(r.Body)
	if err != nil {
		refuse(w, media, http.StatusBadRequest, CodeBadRequest, err.Error())
		return
	}
	params.Headers = r.Header
	params.ReadTime = graphql.TraceTiming{Start: start, End: graphql.Now()}

	rc, errs := exec.CreateOperationContext(ctx, params)
	if errs != nil {
		resp := exec.DispatchError(graphql.WithOperationContext(ctx, rc), errs)
		status := http.StatusOK
		if media == mediaGraphQLResponse {
			status = requestErrorStatus(resp.Errors)
		}
		// A request error has no data entry: nothing was executed.
		writeBody(w, media, status, requestError{Errors: resp.Errors, Extensions: resp.Extensions})
		return
	}
	responses, ctx := exec.DispatchOperation(ctx, rc)
	writeBody(w, media, http.StatusOK, responses(ctx))
}

// requestError is a GraphQL response to a request refused before
// execution.
type requestError struct {
	Errors     gqlerror.List  `json:"errors"`
	Extensions map[string]any `json:"extensions,omitempty"`
}

// requestErrorStatus is the status of a request error under
// application/graphql-response+json: 403 for a refusal, 400 otherwise.
func requestErrorStatus(errs gqlerror.List) int {
	for _, e := range errs {
		if e.Extensions["code"] == "FORBIDDEN" {
			return http.StatusForbidden
		}
	}
	return http.StatusBadRequest
}

// negotiate picks the response media type from an Accept header: the
// supported type with the highest quality, the first listed among equals;
// application/json for a wildcard, for a missing header, and when nothing
// listed is supported (the specification lets a server disregard such a
// header instead of answering 406).
func negotiate(accept string) string {
	best, bestQ := mediaJSON, 0.0
	for part := range strings.SplitSeq(accept, ",") {
		mt, params, err := mime.ParseMediaType(strings.TrimSpace(part))
		if err != nil {
			continue
		}
		var media string
		switch mt {
		case mediaGraphQLResponse:
			media = mediaGraphQLResponse
		case mediaJSON, "application/*", "*/*":
			media = mediaJSON
		default:
			continue
		}
		q := 1.0
		if s, ok := params["q"]; ok {
			if q, err = strconv.ParseFloat(s, 64); err != nil {
				continue
			}
		}
		if q > bestQ {
			best, bestQ = media, q
		}
	}
	return best
}

// checkContentType accepts application/json in UTF-8, the only request
// encoding the hub reads.
func checkContentType(contentType string) error {
	const want = "send the operation as a JSON body with Content-Type: application/json"
	if contentType == "" {
		return errors.New("the request has no Content-Type; " + want)
	}
	mt, params, err := mime.ParseMediaType(contentType)
	if err != nil || mt != mediaJSON {
		return fmt.Errorf("Content-Type %q is not supported; %s", contentType, want)
	}
	if cs, ok := params["charset"]; ok && !strings.EqualFold(cs, "utf-8") {
		return fmt.Errorf("charset %q is not supported; JSON is UTF-8", cs)
	}
	return nil
}

// decodeParams reads a GraphQL request: one JSON object with a string
// query and, when present, a string operationName and object variables
// and extensions. Numbers stay json.Number, as gqlgen's coercion expects.
func decodeParams(body io.Reader) (*graphql.RawParams, error) {
	const shape = `the body must be one JSON object {"query": "...", "operationName": "...", "variables": {...}, "extensions": {...}}`
	var p graphql.RawParams
	dec := json.NewDecoder(body)
	dec.UseNumber()
	if err := dec.Decode(&p); err != nil {
		var typeErr *json.UnmarshalTypeError
		if errors.As(err, &typeErr) && typeErr.Field != "" {
			return nil, fmt.Errorf("%s: %q has the wrong type", shape, typeErr.Field)
		}
		return nil, errors.New(shape)
	}
	if _, err := dec.Token(); !errors.Is(err, io.EOF) {
		return nil, fmt.Errorf("%s: there is more after it", shape)
	}
	// A persisted query's hash may stand for the query (internal/apq).
	if _, persisted := p.Extensions["persistedQuery"]; p.Query == "" && !persisted {
		return nil, errors.New(`the request has no "query"`)
	}
	return &p, nil
}

// refuse answers a request the transport does not pass to GraphQL.
func refuse(w http.ResponseWriter, media string, status int, code, message string) {
	writeBody(w, media, status, map[string]any{"errors": errorList(code, message, nil)})
}

func writeBody(w http.ResponseWriter, media string, status int, body any) {
	var buf bytes.Buffer
	if err := json.NewEncoder(&buf).Encode(body); err != nil {
		Error(w, http.StatusInternalServerError, "INTERNAL", "the response could not be encoded", nil)
		return
	}
	w.Header().Set("Content-Type", media)
	// Responses carry personal data; no cache along the way may keep them.
	w.Header().Set("Cache-Control", "no-store")
	w.WriteHeader(status)
	w.Write(buf.Bytes())
}
