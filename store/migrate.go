package store

import (
	"context"
	"database/sql"
	"embed"
	"fmt"
	"io/fs"
	"log/slog"

	"github.com/pressly/goose/v3"
	"github.com/pressly/goose/v3/lock"
)

// migrations holds the numbered schema migrations, one folder per dialect.
// The SQL differs where the databases do (types, triggers, identity
// columns); the two folders must always describe the same tables, columns
// and constraints, and gain a new file with the same number together.
//
//go:embed migrations/postgres/*.sql migrations/sqlite/*.sql
var migrations embed.FS

// migrationLockID is the PostgreSQL advisory lock key held while migrating.
// Any fixed number works as long as nothing else in the database uses it.
const migrationLockID int64 = 0x706f6f7274 // "poort"

// migrate applies every pending migration. Migrations only go forward; there
// are no down migrations, because the audit log must never be dropped.
func (s *Store) migrate(ctx context.Context) (err error) {
	defer wrap(&err, "migrate")
	dir, dialect := "migrations/sqlite", goose.DialectSQLite3
	opts := []goose.ProviderOption{goose.WithDisableGlobalRegistry(true)}
	if s.log != nil {
		// Through the hub's log: in JSON mode every line is JSON.
		opts = append(opts, goose.WithSlog(slog.New(statementsAtDebug{s.log.Handler()})), goose.WithVerbose(true))
	}
	if s.dialect == Postgres {
		dir, dialect = "migrations/postgres", goose.DialectPostgres
		opts = append(opts, goose.WithSessionLocker(advisoryLocker{id: migrationLockID}))
	}
	fsys, err := fs.Sub(migrations, dir)
	if err != nil {
		return err
	}
	p, err := goose.NewProvider(dialect, s.db.DB, fsys, opts...)
	if err != nil {
		return err
	}
	if s.migrateUpTo > 0 {
		_, err = p.UpTo(ctx, s.migrateUpTo)
	} else {
		_, err = p.Up(ctx)
	}
	if err != nil || s.dialect != SQLite {
		return err
	}
	return s.checkForeignKeys(ctx)
}

// statementsAtDebug logs goose's line per SQL statement at debug level:
// an operator wants each migration applied, not each statement in it.
type statementsAtDebug struct{ slog.Handler }

func (h statementsAtDebug) Handle(ctx context.Context, r slog.Record) error {
	if r.Message == "executing statement" {
		if r.Level = slog.LevelDebug; !h.Enabled(ctx, r.Level) {
			return nil
		}
	}
	return h.Handler.Handle(ctx, r)
}

// checkForeignKeys fails when any row of an SQLite database references a
// row that does not exist. A migration that rebuilds a table runs with
// foreign keys off, as SQLite requires, so this is where a broken
// reference would show.
func (s *Store) checkForeignKeys(ctx context.Context) error {
	rows, err := s.db.QueryContext(ctx, "PRAGMA foreign_key_check")
	if err != nil {
		return err
	}
	defer rows.Close()
	if rows.Next() {
		var table string
		var rowid sql.NullInt64
		var parent string
		var fkid int
		if err := rows.Scan(&table, &rowid, &parent, &fkid); err != nil {
			return err
		}
		return fmt.Errorf("foreign key check: a row of %s references a missing row of %s", table, parent)
	}
	return rows.Err()
}

// advisoryLocker serialises migrations across processes with a PostgreSQL
// session advisory lock. Unlike goose's own session locker, which polls
// pg_try_advisory_lock every few seconds, it blocks in pg_advisory_lock, so
// replicas that start together wait only as long as the migration takes.
// The lock is tied to the connection: if the process dies, PostgreSQL
// releases it.
type advisoryLocker struct{ id int64 }

func (l advisoryLocker) SessionLock(ctx context.Context, conn *sql.Conn) error {
	if _, err := conn.ExecContext(ctx, "SELECT pg_advisory_lock($1)", l.id); err != nil {
		return fmt.Errorf("take migration lock: %w", err)
	}
	return nil
}

func (l advisoryLocker) SessionUnlock(ctx context.Context, conn *sql.Conn) error {
	var ok bool
	if err := conn.QueryRowContext(ctx, "SELECT pg_advisory_unlock($1)", l.id).Scan(&ok); err != nil {
		return fmt.Errorf("release migration lock: %w", err)
	}
	if !ok {
		return fmt.Errorf("release migration lock: lock %d was not held", l.id)
	}
	return nil
}

var _ lock.SessionLocker = advisoryLocker{}
