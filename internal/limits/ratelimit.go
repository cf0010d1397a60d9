package limits

import (
	"container/list"
	"fmt"
	"log/slog"
	"math"
	"net"
	"net/http"
	"strconv"
	"sync"
	"time"

	"golang.org/x/time/rate"

	"github.com/poort-nl/poort/auth"
	"github.com/poort-nl/poort/internal/gqlhttp"
)

// RateLimiter limits the request rate per principal with a token bucket
// each, remembering at most RateKeys principals: the one seen least
// recently is forgotten first, so memory stays bounded whatever the
// number of callers. It is safe for concurrent use.
type RateLimiter struct {
	limit rate.Limit
	burst int
	max   int
	now   func() time.Time
	log   *slog.Logger

	mu      sync.Mutex
	entries map[string]*list.Element
	lru     *list.List // front: most recently seen
}

type bucket struct {
	key string
	lim *rate.Limiter
}

// NewRateLimiter returns the configuration's rate limiter, or nil when
// Rate is zero (no limit); a nil limiter's Middleware passes everything.
// Each refused request is logged to log (nil discards them).
func (c Config) NewRateLimiter(log *slog.Logger) *RateLimiter {
	if c.Rate <= 0 {
		return nil
	}
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	return &RateLimiter{
		limit: rate.Limit(c.Rate), burst: max(c.Burst, 1), max: max(c.RateKeys, 1), now: time.Now, log: log,
		entries: map[string]*list.Element{}, lru: list.New(),
	}
}

// Allow takes one request from the key's bucket. When the bucket is empty
// it returns false and how long until a request would be allowed.
func (l *RateLimiter) Allow(key string) (bool, time.Duration) {
	now := l.now()
	l.mu.Lock()
	lim := l.bucket(key)
	r := lim.ReserveN(now, 1)
	l.mu.Unlock()
	if !r.OK() {
		return false, time.Hour
	}
	if d := r.DelayFrom(now); d > 0 {
		r.CancelAt(now)
		return false, d
	}
	return true, 0
}

// bucket returns the key's limiter, making it the most recent; the caller
// holds l.mu.
func (l *RateLimiter) bucket(key string) *rate.Limiter {
	if e, ok := l.entries[key]; ok {
		l.lru.MoveToFront(e)
		return e.Value.(*bucket).lim
	}
	if l.lru.Len() >= l.max {
		oldest := l.lru.Back()
		l.lru.Remove(oldest)
		delete(l.entries, oldest.Value.(*bucket).key)
	}
	b := &bucket{key: key, lim: rate.NewLimiter(l.limit, l.burst)}
	l.entries[key] = l.lru.PushFront(b)
	return b.lim
}

// Len reports how many principals are tracked.
func (l *RateLimiter) Len() int {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.lru.Len()
}

// Middleware refuses a principal's request beyond its rate with HTTP 429,
// a Retry-After header and a GraphQL error RATE_LIMITED. Put it after
// authentication: the principal (auth.From) is the key; a request without
// one is keyed by its remote address.
func (l *RateLimiter) Middleware(next http.Handler) http.Handler {
	if l == nil {
		return next
	}
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		key := "addr:" + remoteHost(r)
		p, authenticated := auth.From(r.Context())
		if authenticated {
			key = "principal:" + p.Key()
		}
		ok, wait := l.Allow(key)
		if ok {
			next.ServeHTTP(w, r)
			return
		}
		secs := int(math.Ceil(wait.Seconds()))
		if secs < 1 {
			secs = 1
		}
		// Who is named by role only: the principal's subject and address
		// identify a person.
		l.log.InfoContext(r.Context(), "rate limited",
			"reason", fmt.Sprintf("more than %g requests per second (bursts of %d)", float64(l.limit), l.burst),
			"role", p.Role, "by_address", !authenticated, "retry_after_s", secs)
		w.Header().Set("Retry-After", strconv.Itoa(secs))
		gqlhttp.Error(w, http.StatusTooManyRequests, CodeRateLimited,
			fmt.Sprintf("more than %g requests per second (bursts of %d); retry after %d s", float64(l.limit), l.burst, secs),
			map[string]any{"retryAfterSeconds": secs})
	})
}

func remoteHost(r *http.Request) string {
	h, _, err := net.SplitHostPort(r.RemoteAddr)
	if err != nil {
		return r.RemoteAddr
	}
	return h
}
