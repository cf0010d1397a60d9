package server_test

import (
	"encoding/json"
	"io"
	"net/http"
	"strings"
	"testing"

	"github.com/poort-nl/poort/server/hubtest"
)

// TestGraphQLOverHTTP checks the answers the GraphQL-over-HTTP
// specification asks for, SHOULDs included, per media type the client
// accepts. federation/ runs graphql-http's audit of the same (npm test).
func TestGraphQLOverHTTP(t *testing.T) {
	h := newTestHub(t)
	const (
		jsonType     = "application/json"
		responseType = "application/graphql-response+json"
		lineage      = `{"query":"{ lineage(registry: BRP) { field } }"}`
		parseFailure = `{"query":"{ lineage("}`
		invalid      = `{"query":"{ lineage { nope } }"}`
		coercion     = `{"query":"query($b: String!) { person(bsn: $b) { bsn } }","variables":{"b":null}}`
	)
	deep := `{"query":"{ person(bsn: \"999993653\") { ` + strings.Repeat("parents { ", 20) + "bsn" + strings.Repeat(" }", 20) + ` } }"}`
	tests := []struct {
		name, contentType, accept, body string
		status                          int
		responseType                    string
		// code is the first error's extensions.code; empty for none.
		code string
		// data says whether the response has a data entry.
		data bool
	}{
		{"executed", jsonType, jsonType, lineage, 200, jsonType, "", true},
		{"executed, graphql-response", jsonType, responseType, lineage, 200, responseType, "", true},
		{"no Accept", jsonType, "", lineage, 200, jsonType, "", true},
		{"any type", jsonType, "*/*", lineage, 200, jsonType, "", true},
		{"preferred by quality", jsonType, "application/json;q=0.5, application/graphql-response+json", lineage, 200, responseType, "", true},
		{"nothing acceptable", jsonType, "text/html", lineage, 200, jsonType, "", true},
		{"charset utf-8", "application/json; charset=UTF-8", jsonType, lineage, 200, jsonType, "", true},

		{"parse failure", jsonType, jsonType, parseFailure, 200, jsonType, "GRAPHQL_PARSE_FAILED", false},
		{"validation failure", jsonType, jsonType, invalid, 200, jsonType, "GRAPHQL_VALIDATION_FAILED", false},
		{"variable coercion failure", jsonType, jsonType, coercion, 200, jsonType, "GRAPHQL_VALIDATION_FAILED", false},
		{"query limit", jsonType, jsonType, deep, 200, jsonType, "QUERY_TOO_DEEP", false},
		{"parse failure, graphql-response", jsonType, responseType, parseFailure, 400, responseType, "GRAPHQL_PARSE_FAILED", false},
		{"validation failure, graphql-response", jsonType, responseType, invalid, 400, responseType, "GRAPHQL_VALIDATION_FAILED", false},
		{"variable coercion failure, graphql-response", jsonType, responseType, coercion, 400, responseType, "GRAPHQL_VALIDATION_FAILED", false},
		{"query limit, graphql-response", jsonType, responseType, deep, 400, responseType, "QUERY_TOO_DEEP", false},

		{"text/plain body", "text/plain", jsonType, lineage, 415, jsonType, "UNSUPPORTED_MEDIA_TYPE", false},
		{"application/graphql body", "application/graphql", responseType, "{ lineage { field } }", 415, responseType, "UNSUPPORTED_MEDIA_TYPE", false},
		{"form body", "application/x-www-form-urlencoded", jsonType, "query=%7B__typename%7D", 415, jsonType, "UNSUPPORTED_MEDIA_TYPE", false},
		{"no Content-Type", "", jsonType, lineage, 415, jsonType, "UNSUPPORTED_MEDIA_TYPE", false},
		{"latin-1", "application/json; charset=iso-8859-1", jsonType, lineage, 415, jsonType, "UNSUPPORTED_MEDIA_TYPE", false},
		{"not JSON", jsonType, jsonType, `{"query": "{ lineage`, 400, jsonType, "BAD_REQUEST", false},
		{"not JSON, graphql-response", jsonType, responseType, `{"query": "{ lineage`, 400, responseType, "BAD_REQUEST", false},
		{"no query", jsonType, jsonType, `{"qeury":"{ __typename }"}`, 400, jsonType, "BAD_REQUEST", false},
		{"query not a string", jsonType, jsonType, `{"query":{"obj":"ect"}}`, 400, jsonType, "BAD_REQUEST", false},
		{"variables not an object", jsonType, jsonType, `{"query":"{ __typename }","variables":"x"}`, 400, jsonType, "BAD_REQUEST", false},
		{"two objects", jsonType, jsonType, lineage + lineage, 400, jsonType, "BAD_REQUEST", false},
		{"empty body", jsonType, jsonType, "", 400, jsonType, "BAD_REQUEST", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			resp, raw := postAs(t, h.URL+"/graphql", h.Token, tt.contentType, tt.accept, tt.body)
			if resp.StatusCode != tt.status {
				t.Errorf("status %d, want %d: %s", resp.StatusCode, tt.status, raw)
			}
			if ct := resp.Header.Get("Content-Type"); ct != tt.responseType {
				t.Errorf("Content-Type %q, want %q", ct, tt.responseType)
			}
			if cc := resp.Header.Get("Cache-Control"); cc != "no-store" {
				t.Errorf("Cache-Control %q, want no-store", cc)
			}
			var body struct {
				Data   *json.RawMessage `json:"data"`
				Errors []hubtest.Error  `json:"errors"`
			}
			var keys map[string]json.RawMessage
			if err := json.Unmarshal(raw, &body); err != nil || json.Unmarshal(raw, &keys) != nil {
				t.Fatalf("not a JSON object: %s", raw)
			}
			if _, has := keys["data"]; has != tt.data {
				t.Errorf("data entry present: %v, want %v: %s", has, tt.data, raw)
			}
			switch {
			case tt.code == "" && len(body.Errors) > 0:
				t.Errorf("errors %+v, want none", body.Errors)
			case tt.code != "" && (len(body.Errors) == 0 || body.Errors[0].Extensions["code"] != tt.code):
				t.Errorf("errors %+v, want %s", body.Errors, tt.code)
			case tt.code != "" && body.Errors[0].Message == "":
				t.Errorf("error without a message: %s", raw)
			}
		})
	}
}

// postAs posts body with the given Content-Type and Accept headers; an
// empty one is not sent.
func postAs(t testing.TB, url, token, contentType, accept, body string) (*http.Response, []byte) {
	t.Helper()
	req, _ := http.NewRequest(http.MethodPost, url, strings.NewReader(body))
	req.Header.Set("Authorization", "Bearer "+token)
	if contentType != "" {
		req.Header.Set("Content-Type", contentType)
	}
	if accept != "" {
		req.Header.Set("Accept", accept)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	raw, _ := io.ReadAll(resp.Body)
	return resp, raw
}
