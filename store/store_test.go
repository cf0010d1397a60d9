package store_test

import (
	"context"
	"errors"
	"path/filepath"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/jmoiron/sqlx"

	"github.com/poort-nl/poort/store"
	"github.com/poort-nl/poort/store/storetest"
)

func TestOpen(t *testing.T) {
	ctx := context.Background()
	t.Run("unknown scheme", func(t *testing.T) {
		_, err := store.Open(ctx, "mysql://root:secret@db/poort")
		wantErr(t, err, store.ErrInvalidArgument)
		if contains(err.Error(), "secret") {
			t.Errorf("error shows the password: %v", err)
		}
	})
	t.Run("short pseudonym key", func(t *testing.T) {
		_, err := store.Open(ctx, "sqlite::memory:", store.WithPseudonymKey([]byte("short")))
		wantErr(t, err, store.ErrInvalidArgument)
	})
	t.Run("memory", func(t *testing.T) {
		s, err := store.Open(ctx, "sqlite::memory:", store.WithPseudonymKey([]byte(storetest.PseudonymKey)))
		if err != nil {
			t.Fatal(err)
		}
		defer s.Close()
		if s.Dialect() != store.SQLite {
			t.Errorf("dialect = %q", s.Dialect())
		}
		// One connection serves reads and writes; it must survive idle time
		// and keep the data.
		res := createCase(t, s, birthCase(person(bsnA), ""))
		if _, err := s.Case(ctx, res.Case.ID); err != nil {
			t.Fatal(err)
		}
		appendAudit(t, s, disclosure(0, subjectA))
		if rep := verify(t, s); !rep.OK || rep.Checked != 1 {
			t.Fatalf("report = %+v", rep)
		}
	})
	t.Run("file form and reopen", func(t *testing.T) {
		path := filepath.Join(t.TempDir(), "poort.db")
		s, err := store.Open(ctx, "file:"+path)
		if err != nil {
			t.Fatal(err)
		}
		id := createCase(t, s, birthCase(person(bsnA), "")).Case.ID
		s.Close()
		// Reopening applies no migration twice and keeps the data.
		s, err = store.Open(ctx, "sqlite:"+path)
		if err != nil {
			t.Fatal(err)
		}
		defer s.Close()
		if _, err := s.Case(ctx, id); err != nil {
			t.Fatalf("case lost on reopen: %v", err)
		}
	})
	t.Run("synchronous", func(t *testing.T) {
		// The writer's setting, as SQLite reports it: 1 NORMAL, 2 FULL.
		for name, c := range map[string]struct {
			opts []store.Option
			want int
		}{
			"default": {nil, 1},
			"NORMAL":  {[]store.Option{store.WithSQLiteSync(store.SQLiteSyncNormal)}, 1},
			"FULL":    {[]store.Option{store.WithSQLiteSync(store.SQLiteSyncFull)}, 2},
		} {
			s, err := store.Open(ctx, "sqlite:"+filepath.Join(t.TempDir(), "poort.db"), c.opts...)
			if err != nil {
				t.Fatal(err)
			}
			var got int
			err = s.Transact(ctx, func(tx *sqlx.Tx) error { return tx.GetContext(ctx, &got, "PRAGMA synchronous") })
			s.Close()
			if err != nil || got != c.want {
				t.Errorf("%s: synchronous = %d (%v), want %d", name, got, err, c.want)
			}
		}
		_, err := store.Open(ctx, "sqlite::memory:", store.WithSQLiteSync("OFF"))
		wantErr(t, err, store.ErrInvalidArgument)
		if v, err := store.ParseSQLiteSync(" full "); err != nil || v != store.SQLiteSyncFull {
			t.Errorf("ParseSQLiteSync(full) = %q, %v", v, err)
		}
	})
	env.Each(t, func(t *testing.T, db storetest.Named) {
		if err := db.Store.Ping(ctx); err != nil {
			t.Fatal(err)
		}
		want := store.SQLite
		if db.Name == "postgres" {
			want = store.Postgres
		}
		if db.Store.Dialect() != want {
			t.Errorf("dialect = %q, want %q", db.Store.Dialect(), want)
		}
	})
}

// sqlState is an error carrying a PostgreSQL SQLSTATE, like lib/pq's.
type sqlState string

func (e sqlState) Error() string    { return "simulated failure " + string(e) }
func (e sqlState) SQLState() string { return string(e) }

func TestTransact(t *testing.T) {
	env.Each(t, func(t *testing.T, db storetest.Named) {
		ctx := context.Background()
		s := db.Store
		count := func() int {
			var n int
			if err := s.Transact(ctx, func(tx *sqlx.Tx) error {
				return tx.GetContext(ctx, &n, "SELECT COUNT(*) FROM idempotency_keys")
			}); err != nil {
				t.Fatal(err)
			}
			return n
		}
		insert := func(tx *sqlx.Tx, key string) error {
			_, err := tx.ExecContext(ctx, tx.Rebind(`INSERT INTO idempotency_keys
				(scope, principal, key, request_hash, resource_id, created_at) VALUES ('test', 'p', ?, 'h', 'r', ?)`),
				key, time.Now().UTC())
			return err
		}

		t.Run("rolls back on error", func(t *testing.T) {
			boom := errors.New("boom")
			err := s.Transact(ctx, func(tx *sqlx.Tx) error {
				if err := insert(tx, "rolled-back"); err != nil {
					return err
				}
				return boom
			})
			if !errors.Is(err, boom) || count() != 0 {
				t.Fatalf("err = %v, rows = %d", err, count())
			}
		})
		t.Run("rolls back on panic", func(t *testing.T) {
			func() {
				defer func() {
					if recover() == nil {
						t.Error("panic not re-raised")
					}
				}()
				s.Transact(ctx, func(tx *sqlx.Tx) error {
					insert(tx, "panicked")
					panic("boom")
				})
			}()
			if count() != 0 {
				t.Fatal("a panicking transaction was committed")
			}
			// The connection is usable afterwards.
			if err := s.Transact(ctx, func(tx *sqlx.Tx) error { return insert(tx, "after-panic") }); err != nil {
				t.Fatal(err)
			}
		})
		t.Run("retries serialisation failures", func(t *testing.T) {
			var calls atomic.Int32
			err := s.Transact(ctx, func(tx *sqlx.Tx) error {
				if err := insert(tx, "retried"); err != nil {
					return err
				}
				if calls.Add(1) < 3 {
					return sqlState("40001")
				}
				return nil
			})
			if err != nil || calls.Load() != 3 {
				t.Fatalf("err = %v after %d calls", err, calls.Load())
			}
		})
		t.Run("gives up after the retries", func(t *testing.T) {
			var calls atomic.Int32
			err := s.Transact(ctx, func(*sqlx.Tx) error {
				calls.Add(1)
				return sqlState("40P01")
			})
			if err == nil || calls.Load() != 6 {
				t.Fatalf("err = %v after %d calls, want failure after 6", err, calls.Load())
			}
		})
		t.Run("does not retry other errors", func(t *testing.T) {
			var calls atomic.Int32
			s.Transact(ctx, func(*sqlx.Tx) error {
				calls.Add(1)
				return sqlState("23505")
			})
			if calls.Load() != 1 {
				t.Fatalf("%d calls, want 1", calls.Load())
			}
		})
	})
}

// TestConcurrentMigrations starts several hub replicas at once against one
// fresh PostgreSQL database: all must come up, and each migration must have
// been applied exactly once.
func TestConcurrentMigrations(t *testing.T) {
	dsn := env.PostgresDSN(t)
	ctx := context.Background()
	const replicas = 6
	stores := make([]*store.Store, replicas)
	errs := make([]error, replicas)
	var wg sync.WaitGroup
	for i := range replicas {
		wg.Add(1)
		go func() {
			defer wg.Done()
			stores[i], errs[i] = store.Open(ctx, dsn)
		}()
	}
	wg.Wait()
	for i, err := range errs {
		if err != nil {
			t.Fatalf("replica %d: %v", i, err)
		}
		defer stores[i].Close()
	}
	var applied []struct {
		Version int64 `db:"version_id"`
		Times   int   `db:"times"`
	}
	err := stores[0].Transact(ctx, func(tx *sqlx.Tx) error {
		return tx.SelectContext(ctx, &applied, `SELECT version_id, COUNT(*) AS times
			FROM goose_db_version WHERE version_id > 0 GROUP BY version_id ORDER BY version_id`)
	})
	if err != nil {
		t.Fatal(err)
	}
	if len(applied) == 0 {
		t.Fatal("no migrations recorded")
	}
	for _, a := range applied {
		if a.Times != 1 {
			t.Errorf("migration %d applied %d times", a.Version, a.Times)
		}
	}
	// Every replica works against the shared schema.
	for _, s := range stores {
		createCase(t, s, birthCase(person(bsnA), ""))
	}
	conn, err := stores[replicas-1].ListCases(ctx, store.CaseFilter{}, store.Page{})
	if err != nil || conn.TotalCount != replicas {
		t.Fatalf("cases = %v, %v", conn, err)
	}
}

func TestHarness(t *testing.T) {
	ctx := context.Background()
	dbs := env.Open(t)
	if len(dbs) == 1 && !storetest.Required() {
		t.Log("PostgreSQL unavailable; only SQLite checked")
	} else if len(dbs) != 2 || dbs[0].Name != "sqlite" || dbs[1].Name != "postgres" {
		t.Fatalf("Open gave %d stores: %+v", len(dbs), dbs)
	}
	for _, db := range dbs {
		if err := db.Store.Ping(ctx); err != nil {
			t.Errorf("%s: %v", db.Name, err)
		}
	}
	// Stores from one Env never share a database.
	a, b := env.SQLite(t), env.SQLite(t)
	createCase(t, a.Store, birthCase(person(bsnA), ""))
	if conn, _ := b.Store.ListCases(ctx, store.CaseFilter{}, store.Page{}); conn.TotalCount != 0 {
		t.Error("two SQLite test stores share data")
	}
	p, q := env.Postgres(t), env.Postgres(t)
	createCase(t, p.Store, birthCase(person(bsnA), ""))
	if conn, _ := q.Store.ListCases(ctx, store.CaseFilter{}, store.Page{}); conn.TotalCount != 0 {
		t.Error("two PostgreSQL test stores share data")
	}
	if p.DSN == q.DSN {
		t.Error("two PostgreSQL test stores got one DSN")
	}
}
