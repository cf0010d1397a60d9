// Package partners is a mock of the chain partners' intake endpoints: one
// HTTP server that plays every partner, for development and tests. It
// takes a notification at
//
//	POST /partners/{partnerID}/notifications
//
// with a JSON body and an Idempotency-Key header, records it, and answers
// 202 Accepted. A redelivery (the same key again) is answered 202 as well,
// recognised as a duplicate and not recorded twice, as a real partner
// honouring the key would. GET on the same path lists what the partner
// received.
//
// Faults are injected with mocks/fault: for all partners at
// /_admin/faults, for one partner at /partners/{partnerID}/_admin/faults.
// Received and Deliveries tell tests what a partner got.
package partners

import (
	"encoding/json"
	"fmt"
	"io"
	"net"
	"net/http"
	"regexp"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/poort-nl/poort/mocks/fault"
)

// Notification is one notification a partner received, with the number of
// times it was delivered.
type Notification struct {
	PartnerID      string          `json:"partnerId"`
	IdempotencyKey string          `json:"idempotencyKey"`
	Traceparent    string          `json:"traceparent,omitempty"`
	Body           json.RawMessage `json:"body"`
	// Deliveries counts the requests that carried this key: 1, or more
	// when the sender delivered it again.
	Deliveries int       `json:"deliveries"`
	FirstAt    time.Time `json:"firstAt"`
	LastAt     time.Time `json:"lastAt"`
}

// Decode unmarshals the notification's body into v.
func (n Notification) Decode(v any) error { return json.Unmarshal(n.Body, v) }

// Server plays every chain partner's intake endpoint. It is safe for
// concurrent use.
type Server struct {
	faults *fault.Injector
	now    func() time.Time

	mu       sync.Mutex
	received map[string][]*Notification          // by partner, in order of first arrival
	byKey    map[string]map[string]*Notification // by partner, then key
	partner  map[string]*fault.Injector          // per-partner faults
}

// New returns a server without faults.
func New() *Server {
	in, _ := fault.New(fault.Config{}) // the zero Config is valid
	return &Server{
		faults: in, now: time.Now,
		received: map[string][]*Notification{}, byKey: map[string]map[string]*Notification{},
		partner: map[string]*fault.Injector{},
	}
}

// Faults returns the injector for all partners.
func (s *Server) Faults() *fault.Injector { return s.faults }

// PartnerFaults returns the injector of one partner, made on first use.
func (s *Server) PartnerFaults(partnerID string) *fault.Injector {
	s.mu.Lock()
	defer s.mu.Unlock()
	in, ok := s.partner[partnerID]
	if !ok {
		in, _ = fault.New(fault.Config{})
		s.partner[partnerID] = in
	}
	return in
}

// partnerID is the shape of the catalogue's partner ids.
var partnerID = regexp.MustCompile(`^[a-z0-9]+(-[a-z0-9]+)*$`)

// maxBody bounds a notification.
const maxBody = 1 << 20

// Handler returns the server's HTTP handler, faults included.
func (s *Server) Handler() http.Handler {
	return s.faults.Wrap(http.HandlerFunc(s.route))
}

func (s *Server) route(w http.ResponseWriter, r *http.Request) {
	rest, ok := strings.CutPrefix(r.URL.Path, "/partners/")
	if !ok {
		problem(w, http.StatusNotFound, "no such resource; use /partners/{partnerID}/notifications")
		return
	}
	id, sub, _ := strings.Cut(rest, "/")
	if !partnerID.MatchString(id) {
		problem(w, http.StatusNotFound, "not a partner id")
		return
	}
	switch "/" + sub {
	case "/notifications":
	case fault.AdminPath:
	default:
		problem(w, http.StatusNotFound, "no such resource; use /partners/{partnerID}/notifications")
		return
	}
	// The partner's own faults see the path below the partner, so that
	// its admin endpoint is /partners/{id}/_admin/faults.
	h := s.PartnerFaults(id).Wrap(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		s.notifications(w, r, id)
	}))
	http.StripPrefix("/partners/"+id, h).ServeHTTP(w, r)
}

func (s *Server) notifications(w http.ResponseWriter, r *http.Request, partner string) {
	switch r.Method {
	case http.MethodGet:
		w.Header().Set("Content-Type", "application/json")
		json.NewEncoder(w).Encode(s.Received(partner))
		return
	case http.MethodPost:
	default:
		w.Header().Set("Allow", "GET, POST")
		problem(w, http.StatusMethodNotAllowed, "use POST to deliver a notification")
		return
	}
	key := r.Header.Get("Idempotency-Key")
	if key == "" {
		problem(w, http.StatusBadRequest, "the Idempotency-Key header is required")
		return
	}
	if ct := r.Header.Get("Content-Type"); !strings.HasPrefix(ct, "application/json") {
		problem(w, http.StatusUnsupportedMediaType, "send application/json")
		return
	}
	body, err := io.ReadAll(http.MaxBytesReader(w, r.Body, maxBody))
	if err != nil {
		problem(w, http.StatusRequestEntityTooLarge, "the body is too large")
		return
	}
	if !json.Valid(body) {
		problem(w, http.StatusBadRequest, "the body is not JSON")
		return
	}
	dup := s.record(partner, key, r.Header.Get("traceparent"), body)
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(http.StatusAccepted)
	fmt.Fprintf(w, `{"status":"accepted","duplicate":%t}`, dup)
}

// record stores a delivery and reports whether the key was seen before.
func (s *Server) record(partner, key, traceparent string, body []byte) bool {
	now := s.now()
	s.mu.Lock()
	defer s.mu.Unlock()
	keys := s.byKey[partner]
	if keys == nil {
		keys = map[string]*Notification{}
		s.byKey[partner] = keys
	}
	if n, ok := keys[key]; ok {
		n.Deliveries++
		n.LastAt = now
		return true
	}
	n := &Notification{
		PartnerID: partner, IdempotencyKey: key, Traceparent: traceparent, Body: slices.Clone(body),
		Deliveries: 1, FirstAt: now, LastAt: now,
	}
	keys[key] = n
	s.received[partner] = append(s.received[partner], n)
	return false
}

// Received returns the distinct notifications the partner received, in
// order of first arrival.
func (s *Server) Received(partnerID string) []Notification {
	s.mu.Lock()
	defer s.mu.Unlock()
	out := make([]Notification, len(s.received[partnerID]))
	for i, n := range s.received[partnerID] {
		out[i] = *n
	}
	return out
}

// Partners returns the ids of the partners that received anything, sorted.
func (s *Server) Partners() []string {
	s.mu.Lock()
	defer s.mu.Unlock()
	ids := make([]string, 0, len(s.received))
	for id := range s.received {
		ids = append(ids, id)
	}
	slices.Sort(ids)
	return ids
}

// Deliveries returns how many notifications the partner took, duplicates
// included.
func (s *Server) Deliveries(partnerID string) int {
	s.mu.Lock()
	defer s.mu.Unlock()
	total := 0
	for _, n := range s.received[partnerID] {
		total += n.Deliveries
	}
	return total
}

// Reset forgets everything received; faults stay.
func (s *Server) Reset() {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.received = map[string][]*Notification{}
	s.byKey = map[string]map[string]*Notification{}
}

func problem(w http.ResponseWriter, status int, detail string) {
	w.Header().Set("Content-Type", "application/problem+json")
	w.WriteHeader(status)
	json.NewEncoder(w).Encode(map[string]any{
		"type": "about:blank", "title": http.StatusText(status), "status": status, "detail": detail,
	})
}

// Running is a Server listening on a loopback port.
type Running struct {
	*Server
	// URL is the server's root, such as http://127.0.0.1:41234; give it to
	// cases.MockDirectory.
	URL string
	srv *http.Server
}

// Start serves a new Server on addr, such as "127.0.0.1:0" for a free
// port.
func Start(addr string) (*Running, error) {
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return nil, fmt.Errorf("mock partners: %w", err)
	}
	s := New()
	srv := &http.Server{Handler: s.Handler(), ReadHeaderTimeout: 10 * time.Second}
	go srv.Serve(ln)
	return &Running{Server: s, URL: "http://" + ln.Addr().String(), srv: srv}, nil
}

// Close stops the server at once.
func (r *Running) Close() error { return r.srv.Close() }
