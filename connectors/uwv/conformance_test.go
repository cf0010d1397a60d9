package uwv_test

import (
	"bytes"
	"encoding/xml"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"

	xsdvalidate "github.com/terminalstatic/go-xsd-validate"

	"github.com/poort-nl/poort/connectors"
	"github.com/poort-nl/poort/connectors/uwv"
	"github.com/poort-nl/poort/internal/openapitest"
	mocksuwv "github.com/poort-nl/poort/mocks/uwv"
)

// The published Suwinet schemas (mocks/uwv/spec/README.md has their source
// and version): the SOAP 1.1 envelope, and per service the body of a
// request (BodyAction.xsd) and of an answer (BodyReaction.xsd).
const (
	specDir     = "../../mocks/uwv/spec/"
	envelopeXSD = specDir + "soap-1.1/envelope.xsd"
)

var serviceXSDs = map[string]string{
	"UWVDossierInkomstenGSD-v0200":               specDir + "UWVDossierInkomstenGSD-v0200-b02/Diensten/UWVDossierInkomstenGSD/v0200-b02/",
	"UWVDossierWerknemersverzekeringenGSD-v0200": specDir + "UWVDossierWerknemersverzekeringenGSD-v0200-b01/Diensten/UWVDossierWerknemersverzekeringenGSD/v0200-b01/",
}

// TestConformance drives every method of the connector against the mock
// and validates every SOAP request it sends against the envelope schema
// and its service's BodyAction.xsd, and every answer that is no fault
// against its service's BodyReaction.xsd. UWV publishes no OpenAPI
// document: Suwinet's contract is these XSDs.
func TestConformance(t *testing.T) {
	if err := xsdvalidate.Init(); err != nil {
		t.Fatal(err)
	}
	defer xsdvalidate.Cleanup()
	schemas := map[string]*xsdvalidate.XsdHandler{}
	load := func(name, file string) {
		h, err := xsdvalidate.NewXsdHandlerUrl(file, xsdvalidate.ParsErrDefault)
		if err != nil {
			t.Fatalf("schema %s: %v", file, err)
		}
		t.Cleanup(h.Free)
		schemas[name] = h
	}
	load("envelope", envelopeXSD)
	for service, dir := range serviceXSDs {
		load(service+" action", dir+"BodyAction.xsd")
		load(service+" reaction", dir+"BodyReaction.xsd")
	}

	pop := generate(t, 300)
	srv := httptest.NewServer(mocksuwv.New(pop))
	t.Cleanup(srv.Close)
	v := &soapValidator{t: t, schemas: schemas, next: http.DefaultTransport, seen: map[string]int{}}
	c, err := uwv.New(connectors.Config{BaseURL: srv.URL + mocksuwv.BasePath, Transport: v})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { c.Close() })
	ctx := t.Context()

	var bsns []string
	for i := range pop.Persons {
		bsns = append(bsns, pop.Persons[i].BSN)
	}
	jobLoss := pop.Scenarios.JobLoss
	if _, ok := pop.Person(jobLoss); !ok {
		t.Fatalf("no person %q of the job-loss scenario", jobLoss)
	}
	openapitest.Drive(t, c, map[string]func(t *testing.T){
		"Check": func(t *testing.T) {
			if err := c.Check(ctx); err != nil {
				t.Fatal(err)
			}
		},
		"Employments": func(t *testing.T) {
			got, err := c.Employments(ctx, bsns)
			if err != nil || len(got[jobLoss]) == 0 {
				t.Fatalf("Employments = %d persons, the job loser's %v, %v", len(got), got[jobLoss], err)
			}
		},
		"Benefits": func(t *testing.T) {
			got, err := c.Benefits(ctx, bsns)
			if err != nil || len(got[jobLoss]) == 0 {
				t.Fatalf("Benefits = %d persons, the job loser's %v, %v", len(got), got[jobLoss], err)
			}
		},
	}, "Registry", "Close")
	for service := range serviceXSDs {
		if v.seen[service] < len(bsns) {
			t.Errorf("%d requests to %s validated, want one per person (%d)", v.seen[service], service, len(bsns))
		}
	}
}

// soapValidator validates the SOAP messages that pass through it.
type soapValidator struct {
	t       *testing.T
	schemas map[string]*xsdvalidate.XsdHandler
	next    http.RoundTripper

	mu   sync.Mutex
	seen map[string]int
}

func (v *soapValidator) RoundTrip(req *http.Request) (*http.Response, error) {
	if req.Method != http.MethodPost {
		return v.next.RoundTrip(req)
	}
	service := req.URL.Path[strings.LastIndex(req.URL.Path, "/")+1:]
	body, err := io.ReadAll(req.Body)
	if err != nil {
		return nil, err
	}
	req.Body = io.NopCloser(bytes.NewReader(body))
	v.validate(service+" request", "envelope", body)
	v.validate(service+" request body", service+" action", v.bodyChild(service, body))
	resp, err := v.next.RoundTrip(req)
	if err != nil {
		return nil, err
	}
	answer, err := io.ReadAll(resp.Body)
	resp.Body.Close()
	if err != nil {
		return nil, err
	}
	resp.Body = io.NopCloser(bytes.NewReader(answer))
	v.validate(service+" answer", "envelope", answer)
	if child := v.bodyChild(service, answer); !bytes.Contains(child[:min(len(child), 64)], []byte("Fault")) {
		v.validate(service+" answer body", service+" reaction", child)
	}
	v.mu.Lock()
	v.seen[service]++
	v.mu.Unlock()
	return resp, nil
}

func (v *soapValidator) validate(what, schema string, doc []byte) {
	h := v.schemas[schema]
	if h == nil {
		v.t.Errorf("%s: no schema %q", what, schema)
		return
	}
	if err := h.ValidateMem(doc, xsdvalidate.ValidErrDefault); err != nil {
		v.t.Errorf("%s breaks %s: %v\n%s", what, schema, err, doc)
	}
}

// bodyChild returns the first element inside the envelope's Body, with the
// namespace declarations of the envelope it needs.
func (v *soapValidator) bodyChild(service string, doc []byte) []byte {
	dec := xml.NewDecoder(bytes.NewReader(doc))
	depth, inBody, start := 0, false, int64(-1)
	var prefixes []xml.Attr
	for {
		off := dec.InputOffset()
		tok, err := dec.RawToken()
		if errors.Is(err, io.EOF) || err != nil {
			v.t.Errorf("%s: no element in the SOAP Body: %v\n%s", service, err, doc)
			return nil
		}
		switch tok := tok.(type) {
		case xml.StartElement:
			depth++
			for _, a := range tok.Attr {
				if a.Name.Space == "xmlns" || a.Name.Local == "xmlns" {
					prefixes = append(prefixes, a)
				}
			}
			switch {
			case depth == 2 && tok.Name.Local == "Body":
				inBody = true
			case inBody && depth == 3 && start < 0:
				start = off
			}
		case xml.EndElement:
			if inBody && depth == 3 && start >= 0 {
				return withPrefixes(doc[start:dec.InputOffset()], prefixes)
			}
			depth--
		}
	}
}

// withPrefixes declares on an element cut from a document the namespace
// prefixes its ancestors declared, so it stands as a document of its own.
func withPrefixes(el []byte, prefixes []xml.Attr) []byte {
	end := bytes.IndexAny(el, " />")
	var decl strings.Builder
	for _, a := range prefixes {
		name := "xmlns"
		if a.Name.Space == "xmlns" {
			name += ":" + a.Name.Local
		}
		if bytes.Contains(el[:bytes.IndexByte(el, '>')], []byte(name+"=")) {
			continue
		}
		decl.WriteString(" " + name + `="` + a.Value + `"`)
	}
	return append(append(append([]byte{}, el[:end]...), decl.String()...), el[end:]...)
}
