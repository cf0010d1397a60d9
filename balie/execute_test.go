package balie

import (
	"context"
	"encoding/json"
	"net/http"
	"sync"
	"sync/atomic"
	"testing"

	"github.com/poort-nl/poort/internal/apq"
)

// persistingHub plays the hub's side of persisted queries: it answers a
// hash it was never sent the query of PERSISTED_QUERY_NOT_FOUND (or, with
// supported off, every hash PERSISTED_QUERY_NOT_SUPPORTED), keeps a query
// sent with its hash, and records what each request carried.
type persistingHub struct {
	supported bool
	mu        sync.Mutex
	known     map[string]string
	sent      []string // "hash", "query+hash" or "query" per request
}

func (h *persistingHub) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	var req struct {
		Query      string `json:"query"`
		Extensions struct {
			PersistedQuery *struct {
				Hash string `json:"sha256Hash"`
			} `json:"persistedQuery"`
		} `json:"extensions"`
	}
	json.NewDecoder(r.Body).Decode(&req)
	h.mu.Lock()
	defer h.mu.Unlock()
	refuse := func(code string) {
		json.NewEncoder(w).Encode(map[string]any{"errors": []any{map[string]any{"message": code, "extensions": map[string]any{"code": code}}}})
	}
	pq := req.Extensions.PersistedQuery
	switch {
	case pq == nil:
		h.sent = append(h.sent, "query")
	case !h.supported:
		h.sent = append(h.sent, "hash")
		refuse(apq.CodeNotSupported)
		return
	case req.Query == "":
		h.sent = append(h.sent, "hash")
		if _, ok := h.known[pq.Hash]; !ok {
			refuse(apq.CodeNotFound)
			return
		}
	default:
		h.sent = append(h.sent, "query+hash")
		if apq.Hash(req.Query) != pq.Hash {
			refuse(apq.CodeBadRequest)
			return
		}
		h.known[pq.Hash] = req.Query
	}
	w.Write([]byte(`{"data":{"ok":true}}`))
}

// TestExecuteSendsHashesFirst: the console sends an operation's hash
// alone, and its document only when the hub does not hold it yet; a hub
// that takes no persisted queries gets documents from then on.
func TestExecuteSendsHashesFirst(t *testing.T) {
	ops, err := loadOperations()
	if err != nil {
		t.Fatal(err)
	}
	var op string
	for name := range ops {
		op = name
		break
	}
	s := &session{Subject: "emp", Role: "kcc-medewerker", Purpose: "kcc-algemeen"}
	for _, c := range []struct {
		supported bool
		want      []string
	}{
		{true, []string{"hash", "query+hash", "hash", "hash"}},
		{false, []string{"hash", "query", "query", "query"}},
	} {
		hub := &persistingHub{supported: c.supported, known: map[string]string{}}
		console := &Console{ops: ops, graphql: hub, noPersisted: new(atomic.Bool)}
		for range 3 {
			var into struct{ OK bool }
			if _, err := console.execute(context.Background(), s, op, nil, &into); err != nil || !into.OK {
				t.Fatalf("supported %v: %v, %+v", c.supported, err, into)
			}
		}
		if len(hub.sent) != len(c.want) {
			t.Fatalf("supported %v: sent %v, want %v", c.supported, hub.sent, c.want)
		}
		for i := range c.want {
			if hub.sent[i] != c.want[i] {
				t.Fatalf("supported %v: sent %v, want %v", c.supported, hub.sent, c.want)
			}
		}
	}
}
