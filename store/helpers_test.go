package store_test

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/poort-nl/poort/store"
	"github.com/poort-nl/poort/store/storetest"
)

// Synthetic identifiers from the test range; no real person is named.
const (
	bsnA = "999990019"
	bsnB = "999990020"
	kvkA = "90000001"
)

func person(bsn string) store.Subject { return store.Subject{Kind: store.SubjectPerson, ID: bsn} }

// birthCase is a request to open a birth case with three tasks (one
// manual) and a notification per automated partner.
func birthCase(subject store.Subject, key string) store.NewCase {
	return store.NewCase{
		LifeEventID: "birth",
		Subject:     subject,
		Channel:     "desk",
		CreatedBy:   "kcc-employee-1",
		Tasks: []store.NewTask{
			{StepID: "register-birth", PartnerID: "brp", Kind: store.TaskAutomated},
			{StepID: "child-benefit", PartnerID: "svb", Kind: store.TaskAutomated},
			{StepID: "health-insurance", PartnerID: "insurer", Kind: store.TaskManual, Reason: "no coupling with health insurers"},
		},
		Messages: []store.NewOutboxMessage{
			{PartnerID: "brp", Endpoint: "https://brp.example/notify", Payload: json.RawMessage(`{"event":"birth"}`), StepIDs: []string{"register-birth"}},
			{PartnerID: "svb", Endpoint: "https://svb.example/notify", Payload: json.RawMessage(`{"event":"birth"}`), StepIDs: []string{"child-benefit"}},
		},
		IdempotencyKey: key,
	}
}

func createCase(t *testing.T, s *store.Store, nc store.NewCase) *store.CaseResult {
	t.Helper()
	res, err := s.CreateCase(context.Background(), nc)
	if err != nil {
		t.Fatalf("CreateCase: %v", err)
	}
	return res
}

// replica opens a second Store on the same database, as a second hub
// replica would.
func replica(t *testing.T, db storetest.Named) *store.Store {
	t.Helper()
	s, err := store.Open(context.Background(), db.DSN, store.WithPseudonymKey([]byte(storetest.PseudonymKey)))
	if err != nil {
		t.Fatalf("open replica: %v", err)
	}
	t.Cleanup(func() { s.Close() })
	return s
}

func wantErr(t *testing.T, err, target error) {
	t.Helper()
	if !errors.Is(err, target) {
		t.Fatalf("got error %v, want one matching %v", err, target)
	}
}

func ptr[T any](v T) *T { return &v }

// wholeList is a page as large as a page gets: the whole of the short lists
// the tests make.
var wholeList = store.Page{First: ptr(store.MaxPageSize)}

// nodes returns the items of a page of a list, or the error reading it.
func nodes[T any](c *store.Connection[T], err error) ([]T, error) {
	if err != nil {
		return nil, err
	}
	out := make([]T, len(c.Edges))
	for i, e := range c.Edges {
		out[i] = e.Node
	}
	return out, nil
}

// traceID and spanID make valid, distinct W3C IDs.
func traceID(n int) string { return fmt.Sprintf("%032x", n+1) }
func spanID(n int) string  { return fmt.Sprintf("%016x", n+1) }

func disclosure(n int, subject store.DataSubject) store.AuditRecord {
	start := time.Date(2025, 3, 1, 10, 0, 0, 0, time.UTC).Add(time.Duration(n) * time.Second)
	return store.AuditRecord{
		TraceID:              traceID(n),
		SpanID:               spanID(n),
		Name:                 "brp.personen.raadplegen",
		Status:               store.AuditStatusOK,
		StartTime:            start,
		EndTime:              start.Add(42 * time.Millisecond),
		ProcessingActivityID: "https://register.example/verwerkingsactiviteiten/kcc-geboorte-v1",
		DataSubject:          subject,
		Registry:             "BRP",
		Fields:               []string{"naam.geslachtsnaam", "geboorte.datum"},
		Purpose:              "afhandelen geboorteaangifte",
		Principal:            store.Principal{Subject: "kcc-employee-1", OrganisationOIN: "00000001001234567000", Role: "kcc-medewerker"},
	}
}

func eventKinds(events []store.TimelineEvent) []store.EventKind {
	kinds := make([]store.EventKind, len(events))
	for i, e := range events {
		kinds[i] = e.Kind
	}
	return kinds
}

func contains(s, sub string) bool { return strings.Contains(s, sub) }

func errsIs(err, target error) bool { return errors.Is(err, target) }
