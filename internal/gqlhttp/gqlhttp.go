// Package gqlhttp is GraphQL over HTTP for the hub: the transport that
// answers POST /graphql as the GraphQL-over-HTTP specification asks, and
// the GraphQL-shaped error responses for requests the hub refuses in HTTP
// middleware, before or instead of the GraphQL executor: one error with a
// message and an extensions.code, so clients read every refusal the same
// way.
package gqlhttp

import (
	"encoding/json"
	"net/http"
)

// Error answers with status and a body of one GraphQL error:
//
//	{"errors":[{"extensions":{"code":code,...},"message":message}]}
//
// extensions, which may be nil, are added beside the code. The response is
// JSON and not to be cached. Headers the caller set before, such as
// Retry-After or WWW-Authenticate, are sent with it.
func Error(w http.ResponseWriter, status int, code, message string, extensions map[string]any) {
	write(w, status, map[string]any{"errors": errorList(code, message, extensions)})
}

// ErrorWithheld is Error with "data": null in the body: the request was
// executed, but its result is withheld.
func ErrorWithheld(w http.ResponseWriter, status int, code, message string, extensions map[string]any) {
	write(w, status, map[string]any{"errors": errorList(code, message, extensions), "data": nil})
}

func errorList(code, message string, extensions map[string]any) []map[string]any {
	ext := make(map[string]any, len(extensions)+1)
	for k, v := range extensions {
		ext[k] = v
	}
	ext["code"] = code
	return []map[string]any{{"message": message, "extensions": ext}}
}

func write(w http.ResponseWriter, status int, body map[string]any) {
	w.Header().Set("Content-Type", "application/json")
	w.Header().Set("Cache-Control", "no-store")
	w.WriteHeader(status)
	json.NewEncoder(w).Encode(body)
}
