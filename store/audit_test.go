package store_test

import (
	"context"
	"fmt"
	"reflect"
	"slices"
	"strings"
	"sync"
	"testing"

	"github.com/jmoiron/sqlx"

	"github.com/poort-nl/poort/store"
	"github.com/poort-nl/poort/store/storetest"
)

var (
	subjectA = store.DataSubject{Type: store.DataSubjectBSN, ID: bsnA}
	subjectB = store.DataSubject{Type: store.DataSubjectBSN, ID: bsnB}
)

func appendAudit(t *testing.T, s *store.Store, records ...store.AuditRecord) {
	t.Helper()
	if err := s.AppendAudit(context.Background(), records); err != nil {
		t.Fatalf("AppendAudit: %v", err)
	}
}

func verify(t *testing.T, s *store.Store) store.VerifyReport {
	t.Helper()
	rep, err := s.VerifyAudit(context.Background())
	if err != nil {
		t.Fatalf("VerifyAudit: %v", err)
	}
	return rep
}

// rawExec runs SQL directly, as an attacker with database access would.
func rawExec(ctx context.Context, s *store.Store, query string) error {
	return s.Transact(ctx, func(tx *sqlx.Tx) error {
		_, err := tx.ExecContext(ctx, query)
		return err
	})
}

func TestAuditAppendListVerify(t *testing.T) {
	env.Each(t, func(t *testing.T, db storetest.Named) {
		ctx := context.Background()
		s := db.Store
		rec := disclosure(0, subjectA)
		rec.ParentSpanID = spanID(99)
		rec.Foreign = &store.ForeignOperation{TraceID: traceID(7), OperationID: spanID(7), Entity: "https://svb.example"}
		appendAudit(t, s, rec, disclosure(1, subjectB), disclosure(2, subjectA))
		appendAudit(t, s, disclosure(3, subjectA), disclosure(4, store.DataSubject{}))

		rep := verify(t, s)
		if !rep.OK || rep.Checked != 5 || rep.HeadSeq != 5 || len(rep.HeadHash) != 64 {
			t.Fatalf("report = %+v", rep)
		}

		conn, err := s.ListAudit(ctx, subjectA, store.Page{First: ptr(2)})
		if err != nil {
			t.Fatal(err)
		}
		if conn.TotalCount != 3 || len(conn.Edges) != 2 || !conn.PageInfo.HasNextPage {
			t.Fatalf("first page = %+v", conn)
		}
		e := conn.Edges[0].Node
		if e.Seq != 1 || e.TraceID != rec.TraceID || e.SpanID != rec.SpanID || e.ParentSpanID != rec.ParentSpanID ||
			e.Registry != "BRP" || !slices.Equal(e.Fields, rec.Fields) || e.Principal != rec.Principal ||
			!e.StartTime.Equal(rec.StartTime) || !e.EndTime.Equal(rec.EndTime) || e.Status != store.AuditStatusOK ||
			e.Foreign == nil || *e.Foreign != *rec.Foreign || e.DataSubjectType != store.DataSubjectBSN ||
			e.PrevHash != strings.Repeat("0", 64) || e.ProcessingActivityID != rec.ProcessingActivityID {
			t.Errorf("entry = %+v, from %+v", e, rec)
		}
		if e.DataSubjectPseudonym == bsnA || len(e.DataSubjectPseudonym) != 64 {
			t.Errorf("pseudonym = %q", e.DataSubjectPseudonym)
		}
		next, err := s.ListAudit(ctx, subjectA, store.Page{First: ptr(2), After: conn.PageInfo.EndCursor})
		if err != nil || len(next.Edges) != 1 || next.Edges[0].Node.Seq != 4 || next.PageInfo.HasNextPage || !next.PageInfo.HasPreviousPage {
			t.Fatalf("second page = %+v, %v", next, err)
		}
		last, err := s.ListAudit(ctx, subjectA, store.Page{Last: ptr(1)})
		if err != nil || len(last.Edges) != 1 || last.Edges[0].Node.Seq != 4 || !last.PageInfo.HasPreviousPage {
			t.Fatalf("last page = %+v, %v", last, err)
		}
		_, err = s.ListAudit(ctx, subjectA, store.Page{After: "bogus"})
		wantErr(t, err, store.ErrInvalidCursor)
		if one, err := s.AuditEntry(ctx, 4); err != nil || one.Seq != 4 || one.Hash != last.Edges[0].Node.Hash {
			t.Errorf("record 4 = %+v, %v; want the one the list gave", one, err)
		}
		_, err = s.AuditEntry(ctx, 6)
		wantErr(t, err, store.ErrNotFound)

		// A KvK number with the same digits is another data subject.
		kvk, err := s.ListAudit(ctx, store.DataSubject{Type: store.DataSubjectKvK, ID: bsnA}, store.Page{})
		if err != nil || kvk.TotalCount != 0 {
			t.Errorf("KvK lookup found %d BSN records (%v)", kvk.TotalCount, err)
		}

		// No column anywhere holds the plain BSN.
		var rows []map[string]any
		err = s.Transact(ctx, func(tx *sqlx.Tx) error {
			r, err := tx.QueryxContext(ctx, "SELECT * FROM audit_log")
			if err != nil {
				return err
			}
			defer r.Close()
			for r.Next() {
				m := map[string]any{}
				if err := r.MapScan(m); err != nil {
					return err
				}
				rows = append(rows, m)
			}
			return r.Err()
		})
		if err != nil {
			t.Fatal(err)
		}
		for _, row := range rows {
			for col, v := range row {
				if s := fmt.Sprintf("%s", v); strings.Contains(s, bsnA) || strings.Contains(s, bsnB) {
					t.Errorf("column %s holds a plain BSN", col)
				}
			}
		}
	})
}

// TestAuditAppendsABigBatch appends more records at once than one INSERT
// statement takes: they are written in order, in one unbroken chain.
func TestAuditAppendsABigBatch(t *testing.T) {
	env.Each(t, func(t *testing.T, db storetest.Named) {
		const n = 1201
		recs := make([]store.AuditRecord, n)
		for i := range recs {
			recs[i] = disclosure(i, subjectA)
		}
		appendAudit(t, db.Store, disclosure(n, subjectB))
		appendAudit(t, db.Store, recs...)
		if rep := verify(t, db.Store); !rep.OK || rep.Checked != n+1 {
			t.Fatalf("report = %+v (broken: %+v)", rep, rep.FirstBroken)
		}
		conn, err := db.Store.ListAudit(context.Background(), subjectA, store.Page{Last: ptr(1)})
		if err != nil || conn.TotalCount != n || conn.Edges[0].Node.Seq != n+1 || conn.Edges[0].Node.SpanID != recs[n-1].SpanID {
			t.Fatalf("the batch's last record = %+v, %v", conn, err)
		}
	})
}

func TestAuditIsAppendOnly(t *testing.T) {
	// The repository offers no way to change or remove a record: it
	// appends, lists, reads one and verifies.
	typ := reflect.TypeFor[*store.Store]()
	for i := range typ.NumMethod() {
		name := typ.Method(i).Name
		if strings.Contains(name, "Audit") && !slices.Contains([]string{"AppendAudit", "ListAudit", "AuditEntry", "VerifyAudit"}, name) {
			t.Errorf("Store has audit method %s; the audit log allows append, list, read and verify only", name)
		}
	}

	env.Each(t, func(t *testing.T, db storetest.Named) {
		ctx := context.Background()
		s := db.Store
		appendAudit(t, s, disclosure(0, subjectA), disclosure(1, subjectA), disclosure(2, subjectB))

		for _, q := range []string{
			"UPDATE audit_log SET registry = 'RDW' WHERE seq = 2",
			"DELETE FROM audit_log WHERE seq = 3",
			"DELETE FROM audit_chain_head",
		} {
			err := rawExec(ctx, s, q)
			if err == nil || !strings.Contains(err.Error(), "append-only") {
				t.Errorf("%s: got %v, want the trigger to refuse it", q, err)
			}
		}
		if db.Name == "postgres" {
			if err := rawExec(ctx, s, "TRUNCATE audit_log"); err == nil || !strings.Contains(err.Error(), "append-only") {
				t.Errorf("TRUNCATE: got %v, want the trigger to refuse it", err)
			}
		}
		if rep := verify(t, s); !rep.OK || rep.Checked != 3 {
			t.Fatalf("after refused changes: %+v", rep)
		}
	})
}

// dropGuards removes the append-only triggers, as an attacker with full
// database access could, so the hash chain is all that is left.
func dropGuards(t *testing.T, db storetest.Named) {
	t.Helper()
	q := "DROP TRIGGER audit_log_no_update; DROP TRIGGER audit_log_no_delete"
	if db.Name == "postgres" {
		q = "DROP TRIGGER audit_log_no_update ON audit_log"
	}
	for stmt := range strings.SplitSeq(q, "; ") {
		if err := rawExec(context.Background(), db.Store, stmt); err != nil {
			t.Fatalf("%s: %v", stmt, err)
		}
	}
}

func TestAuditVerifyFindsTampering(t *testing.T) {
	cases := []struct {
		name    string
		tamper  string
		seq     int64
		because string
	}{
		{"altered field", "UPDATE audit_log SET purpose = 'curiosity' WHERE seq = 3", 3, "altered"},
		{"altered disclosed fields", `UPDATE audit_log SET fields_disclosed = '["naam.geslachtsnaam"]' WHERE seq = 2`, 2, "altered"},
		{"removed record", "DELETE FROM audit_log WHERE seq = 2", 2, "missing"},
		{"removed tail", "DELETE FROM audit_log WHERE seq = 4", 4, "removed"},
		{"relinked record", "UPDATE audit_log SET prev_hash = hash WHERE seq = 3", 3, "prev_hash"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			env.Each(t, func(t *testing.T, db storetest.Named) {
				s := db.Store
				for i := range 4 {
					appendAudit(t, s, disclosure(i, subjectA))
				}
				dropGuards(t, db)
				if err := rawExec(context.Background(), s, tc.tamper); err != nil {
					t.Fatal(err)
				}
				rep := verify(t, s)
				if rep.OK || rep.FirstBroken == nil || rep.FirstBroken.Seq != tc.seq || !strings.Contains(rep.FirstBroken.Reason, tc.because) {
					t.Fatalf("report = %+v, broken = %+v; want seq %d broken because %q", rep, rep.FirstBroken, tc.seq, tc.because)
				}
			})
		})
	}
}

// TestConcurrentAuditAppends has appenders on two replicas write at once;
// the result must be one unbroken chain with every record in it.
func TestConcurrentAuditAppends(t *testing.T) {
	env.Each(t, func(t *testing.T, db storetest.Named) {
		ctx := context.Background()
		a, b := db.Store, replica(t, db)
		const goroutines, batches = 6, 8
		var wg sync.WaitGroup
		for g := range goroutines {
			wg.Add(1)
			go func() {
				defer wg.Done()
				s := a
				if g%2 == 1 {
					s = b
				}
				for i := range batches {
					n := g*batches + i
					if err := s.AppendAudit(ctx, []store.AuditRecord{disclosure(2*n, subjectA), disclosure(2*n+1, subjectB)}); err != nil {
						t.Error(err)
						return
					}
				}
			}()
		}
		wg.Wait()
		rep := verify(t, a)
		if want := int64(goroutines * batches * 2); !rep.OK || rep.Checked != want || rep.HeadSeq != want {
			t.Fatalf("report = %+v (broken: %+v), want an unbroken chain of %d", rep, rep.FirstBroken, want)
		}
	})
}

func TestAuditFailsClosed(t *testing.T) {
	env.Each(t, func(t *testing.T, db storetest.Named) {
		ctx := context.Background()
		noKey, err := store.Open(ctx, db.DSN)
		if err != nil {
			t.Fatal(err)
		}
		defer noKey.Close()
		wantErr(t, noKey.AppendAudit(ctx, []store.AuditRecord{disclosure(0, subjectA)}), store.ErrNoPseudonymKey)
		_, err = noKey.ListAudit(ctx, subjectA, store.Page{})
		wantErr(t, err, store.ErrNoPseudonymKey)

		bad := []func(*store.AuditRecord){
			func(r *store.AuditRecord) { r.TraceID = "abc" },
			func(r *store.AuditRecord) { r.SpanID = strings.Repeat("0", 16) },
			func(r *store.AuditRecord) { r.TraceID = strings.ToUpper(traceID(12)) },
			func(r *store.AuditRecord) { r.Purpose = "" },
			func(r *store.AuditRecord) { r.ProcessingActivityID = "" },
			func(r *store.AuditRecord) { r.Principal.Subject = "" },
			func(r *store.AuditRecord) { r.EndTime = r.StartTime.Add(-1) },
			func(r *store.AuditRecord) { r.DataSubject.Type = "PASSPORT" },
			func(r *store.AuditRecord) { r.Status = 3 },
		}
		for i, mutate := range bad {
			r := disclosure(1, subjectA)
			mutate(&r)
			// The good record in the same batch must not be written either.
			err := db.Store.AppendAudit(ctx, []store.AuditRecord{disclosure(0, subjectA), r})
			if !errsIs(err, store.ErrInvalidArgument) {
				t.Errorf("bad record %d: got %v, want ErrInvalidArgument", i, err)
			}
			if err != nil && strings.Contains(err.Error(), bsnA) {
				t.Errorf("bad record %d: error names the BSN: %v", i, err)
			}
		}
		if rep := verify(t, db.Store); rep.Checked != 0 || !rep.OK {
			t.Fatalf("rejected batches left records: %+v", rep)
		}
	})
}
