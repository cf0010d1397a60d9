package server

import (
	"context"
	"encoding/json"
	"net/http"
	"sync/atomic"

	"github.com/99designs/gqlgen/graphql"

	"github.com/poort-nl/poort/graph"
)

// A request that could do nothing because the store cannot be reached is
// answered with HTTP 503 and Retry-After, so that clients and load
// balancers retry it, rather than with 200: every error of its response is
// STORE_UNAVAILABLE and no root field holds data. A response that holds
// data keeps 200, with the code on the fields that lack it.

type storeStatusKey struct{}

// storeStatus is set by markStoreUnavailable, read when the status is
// written.
type storeStatus struct{ unavailable atomic.Bool }

// withStoreStatus gives each request a storeStatus and answers 503 when
// its response marked one.
func withStoreStatus(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		st := &storeStatus{}
		next.ServeHTTP(&storeStatusWriter{ResponseWriter: w, st: st}, r.WithContext(context.WithValue(r.Context(), storeStatusKey{}, st)))
	})
}

type storeStatusWriter struct {
	http.ResponseWriter
	st    *storeStatus
	wrote bool
}

func (w *storeStatusWriter) WriteHeader(code int) {
	if !w.wrote && code == http.StatusOK && w.st.unavailable.Load() {
		w.Header().Set("Retry-After", "5")
		code = http.StatusServiceUnavailable
	}
	w.wrote = true
	w.ResponseWriter.WriteHeader(code)
}

func (w *storeStatusWriter) Write(b []byte) (int, error) {
	if !w.wrote {
		w.WriteHeader(http.StatusOK)
	}
	return w.ResponseWriter.Write(b)
}

func (w *storeStatusWriter) Unwrap() http.ResponseWriter { return w.ResponseWriter }

// markStoreUnavailable is a response middleware (handler.Server's
// AroundResponses) that marks a response that did nothing for want of the
// store.
func markStoreUnavailable(ctx context.Context, next graphql.ResponseHandler) *graphql.Response {
	resp := next(ctx)
	if st, ok := ctx.Value(storeStatusKey{}).(*storeStatus); ok && resp != nil && nothingDone(resp) {
		st.unavailable.Store(true)
	}
	return resp
}

// nothingDone reports whether every error of the response says the store
// is unavailable and no root field holds data.
func nothingDone(resp *graphql.Response) bool {
	if len(resp.Errors) == 0 {
		return false
	}
	for _, e := range resp.Errors {
		if e.Extensions["code"] != graph.CodeStoreUnavailable {
			return false
		}
	}
	if len(resp.Data) == 0 || string(resp.Data) == "null" {
		return true
	}
	var data map[string]json.RawMessage
	if err := json.Unmarshal(resp.Data, &data); err != nil {
		return false
	}
	for _, v := range data {
		if string(v) != "null" {
			return false
		}
	}
	return true
}
