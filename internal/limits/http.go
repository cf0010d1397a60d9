package limits

import (
	"bytes"
	"fmt"
	"io"
	"net/http"

	"github.com/poort-nl/poort/internal/gqlhttp"
)

// Body is HTTP middleware that refuses a request body larger than
// MaxBodyBytes with 413 REQUEST_TOO_LARGE, and a JSON array body (a batch
// of operations) with 400 BATCH_NOT_ALLOWED: one operation per request
// keeps every limit, the rate limit and the audit of a request meaningful.
// The body is read into memory, so handlers after it see a complete one.
func (c Config) Body(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Body == nil || r.Body == http.NoBody {
			next.ServeHTTP(w, r)
			return
		}
		if c.MaxBodyBytes > 0 && r.ContentLength > c.MaxBodyBytes {
			tooLarge(w, c.MaxBodyBytes)
			return
		}
		var rd io.Reader = r.Body
		if c.MaxBodyBytes > 0 {
			rd = io.LimitReader(r.Body, c.MaxBodyBytes+1)
		}
		b, err := io.ReadAll(rd)
		r.Body.Close()
		if err != nil {
			gqlhttp.Error(w, http.StatusBadRequest, "BAD_REQUEST", "the request body could not be read", nil)
			return
		}
		if c.MaxBodyBytes > 0 && int64(len(b)) > c.MaxBodyBytes {
			tooLarge(w, c.MaxBodyBytes)
			return
		}
		if first := firstNonSpace(b); first == '[' {
			gqlhttp.Error(w, http.StatusBadRequest, CodeBatchNotAllowed,
				"batched operations are not supported: send one operation per request as a JSON object", nil)
			return
		}
		r.Body = io.NopCloser(bytes.NewReader(b))
		r.ContentLength = int64(len(b))
		next.ServeHTTP(w, r)
	})
}

func firstNonSpace(b []byte) byte {
	for _, c := range b {
		switch c {
		case ' ', '\t', '\r', '\n':
			continue
		}
		return c
	}
	return 0
}

func tooLarge(w http.ResponseWriter, limit int64) {
	gqlhttp.Error(w, http.StatusRequestEntityTooLarge, CodeRequestTooLarge,
		fmt.Sprintf("the request body is larger than %d bytes, the limit", limit), map[string]any{"limit": limit})
}
