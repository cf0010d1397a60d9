package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"math/rand/v2"
	"time"

	"github.com/jmoiron/sqlx"
	"modernc.org/sqlite"
	sqlite3 "modernc.org/sqlite/lib"
)

// Transact runs fn in a transaction. It commits when fn returns nil and
// rolls back when fn returns an error or panics (the panic is re-raised).
// A transaction that fails on a PostgreSQL serialisation failure (40001) or
// deadlock (40P01), or on a busy SQLite database, is run again from the start,
// up to the configured number of retries, so fn must have no effects outside
// the transaction.
//
// Inside fn use only tx: a Store method called from fn would need a second
// connection, and SQLite has only one writer.
func (s *Store) Transact(ctx context.Context, fn func(*sqlx.Tx) error) (err error) {
	for attempt := 0; ; attempt++ {
		err = s.transactOnce(ctx, fn)
		if err == nil || !isRetryable(err) || attempt >= s.txRetries {
			if err != nil && isRetryable(err) {
				err = fmt.Errorf("transaction failed after %d attempts: %w", attempt+1, err)
			}
			return err
		}
		// Jittered backoff so transactions that collided do not collide again.
		d := time.Duration(1<<attempt) * 5 * time.Millisecond
		d += rand.N(d)
		select {
		case <-ctx.Done():
			return fmt.Errorf("%w (retrying after: %v)", ctx.Err(), err)
		case <-time.After(d):
		}
	}
}

func (s *Store) transactOnce(ctx context.Context, fn func(*sqlx.Tx) error) (err error) {
	tx, err := s.db.BeginTxx(ctx, nil)
	if err != nil {
		return fmt.Errorf("begin transaction: %w", err)
	}
	defer func() {
		if p := recover(); p != nil {
			tx.Rollback()
			panic(p)
		}
		if err != nil {
			tx.Rollback()
			return
		}
		if cerr := tx.Commit(); cerr != nil {
			err = fmt.Errorf("commit: %w", cerr)
		}
	}()
	return fn(tx)
}

// readTx runs fn in a read-only transaction on the read pool, so that the
// queries in fn see one consistent snapshot (on PostgreSQL at REPEATABLE
// READ; on SQLite every read transaction is a snapshot under WAL).
func (s *Store) readTx(ctx context.Context, fn func(*sqlx.Tx) error) (err error) {
	opts := &sql.TxOptions{ReadOnly: true}
	if s.dialect == Postgres {
		opts.Isolation = sql.LevelRepeatableRead
	}
	tx, err := s.ro.BeginTxx(ctx, opts)
	if err != nil {
		return fmt.Errorf("begin read transaction: %w", err)
	}
	defer tx.Rollback()
	return fn(tx)
}

// isRetryable reports whether err means the transaction lost a race and
// running it again may succeed.
func isRetryable(err error) bool {
	var st interface{ SQLState() string }
	if errors.As(err, &st) {
		switch st.SQLState() {
		case "40001", "40P01": // serialization_failure, deadlock_detected
			return true
		}
	}
	var se *sqlite.Error
	if errors.As(err, &se) {
		switch se.Code() & 0xff { // primary code; extended codes carry detail above it
		case sqlite3.SQLITE_BUSY, sqlite3.SQLITE_LOCKED:
			return true
		}
	}
	return false
}

// The helpers below take queries written with ? placeholders and rebind
// them for the connection's driver, so each query is written once for both
// dialects.

func get(ctx context.Context, q sqlx.QueryerContext, dest any, query string, args ...any) error {
	return sqlx.GetContext(ctx, q, dest, sqlx.Rebind(bindType(q), query), args...)
}

func selectAll(ctx context.Context, q sqlx.QueryerContext, dest any, query string, args ...any) error {
	return sqlx.SelectContext(ctx, q, dest, sqlx.Rebind(bindType(q), query), args...)
}

func exec(ctx context.Context, e sqlx.ExecerContext, query string, args ...any) (sql.Result, error) {
	return e.ExecContext(ctx, sqlx.Rebind(bindType(e), query), args...)
}

// execOne runs a statement that must change exactly one row and reports
// whether it did.
func execOne(ctx context.Context, e sqlx.ExecerContext, query string, args ...any) (bool, error) {
	res, err := exec(ctx, e, query, args...)
	if err != nil {
		return false, err
	}
	n, err := res.RowsAffected()
	if err != nil {
		return false, err
	}
	return n == 1, nil
}

func bindType(x any) int {
	if d, ok := x.(interface{ DriverName() string }); ok {
		return sqlx.BindType(d.DriverName())
	}
	return sqlx.QUESTION
}
