package store

import (
	"context"
	"database/sql"
	"fmt"
	"log/slog"
	"runtime"
	"strings"
	"sync"
	"time"

	"github.com/google/uuid"
	"github.com/jmoiron/sqlx"
	_ "github.com/lib/pq"  // registers the "postgres" driver
	_ "modernc.org/sqlite" // registers the "sqlite" driver
)

// Dialect names the SQL database behind a Store.
type Dialect string

// The dialects a Store can speak.
const (
	Postgres Dialect = "postgres"
	SQLite   Dialect = "sqlite"
)

// Store is the hub's durable state: cases, tasks, the outbox, handovers,
// case timelines and the audit log. It is safe for concurrent use, and any
// number of Stores (in one process or in several hub replicas) may share one
// PostgreSQL database.
type Store struct {
	// db runs every transaction and write. For SQLite it has exactly one
	// connection: SQLite allows one writer at a time, and funnelling all
	// writers through one connection makes them queue in Go instead of
	// failing with SQLITE_BUSY.
	db *sqlx.DB
	// ro serves reads outside transactions. For an SQLite file it is a
	// separate read-only pool, so reads run beside the writer under WAL;
	// otherwise it is db itself.
	ro *sqlx.DB

	dialect      Dialect
	now          func() time.Time
	pseudonymKey []byte
	txRetries    int
	migrateUpTo  int64 // 0: every migration; see export_test.go
	log          *slog.Logger

	// auditMu guards auditStmts, AppendAudit's statements on SQLite,
	// prepared at its first call (see auditStatements).
	auditMu    sync.Mutex
	auditStmts *auditStatements
}

// Option configures a Store at Open.
type Option func(*config)

type config struct {
	log          *slog.Logger
	now          func() time.Time
	pseudonymKey []byte
	txRetries    int
	maxConns     int
	migrateUpTo  int64
	sqliteSync   SQLiteSync
}

// SQLiteSync is when an SQLite file's commits reach the disk (SQLite's
// synchronous setting, under WAL).
type SQLiteSync string

// The SQLite synchronous settings a Store takes.
const (
	// SQLiteSyncNormal, the default, syncs the write-ahead log at each
	// checkpoint, not at each commit: a commit survives the process
	// crashing or being killed, but power loss or an operating-system
	// crash may lose the last commits (never corrupt the database).
	SQLiteSyncNormal SQLiteSync = "NORMAL"
	// SQLiteSyncFull syncs the write-ahead log at every commit, so a
	// commit that returned survives power loss too.
	SQLiteSyncFull SQLiteSync = "FULL"
)

// ParseSQLiteSync reads a synchronous setting, in any case.
func ParseSQLiteSync(s string) (SQLiteSync, error) {
	switch v := SQLiteSync(strings.ToUpper(strings.TrimSpace(s))); v {
	case SQLiteSyncNormal, SQLiteSyncFull:
		return v, nil
	}
	return "", invalidf("SQLite synchronous %q: want NORMAL or FULL", s)
}

// WithSQLiteSync sets when an SQLite file's commits reach the disk; the
// default is SQLiteSyncNormal. It has no effect on PostgreSQL or on an
// SQLite database in memory.
func WithSQLiteSync(s SQLiteSync) Option {
	return func(c *config) { c.sqliteSync = s }
}

// WithLogger logs each migration applied at Open; the default logs
// nothing.
func WithLogger(log *slog.Logger) Option {
	return func(c *config) { c.log = log }
}

// WithClock sets the clock used for created, updated and recorded times.
// Tests use it to control time; the default is time.Now.
func WithClock(now func() time.Time) Option {
	return func(c *config) { c.now = now }
}

// WithPseudonymKey sets the secret key for pseudonymising data subject
// identifiers in the audit log (HMAC-SHA256). It must be at least 16 bytes
// and must stay the same for the life of the audit log: the auditor finds a
// data subject's records by pseudonymising the BSN again with this key.
// Without it AppendAudit and ListAudit fail with ErrNoPseudonymKey.
func WithPseudonymKey(key []byte) Option {
	return func(c *config) { c.pseudonymKey = append([]byte(nil), key...) }
}

// WithTxRetries sets how many times Transact retries a transaction that
// failed on a serialisation failure or deadlock. The default is 5.
func WithTxRetries(n int) Option {
	return func(c *config) { c.txRetries = n }
}

// WithMaxConns caps the PostgreSQL connection pool of this Store. The
// default is 16. It has no effect on SQLite, which uses one writer.
func WithMaxConns(n int) Option {
	return func(c *config) { c.maxConns = n }
}

// Open connects to the database named by dsn, applies pending migrations
// and returns a ready Store.
//
// Accepted forms:
//
//	postgres://user:password@host:5432/dbname?sslmode=disable   PostgreSQL (lib/pq); postgresql:// too
//	sqlite:/var/lib/poort/poort.db                              SQLite file (modernc.org/sqlite)
//	file:/var/lib/poort/poort.db                                the same
//	sqlite::memory:                                             SQLite in memory, gone at Close
//
// SQLite is opened with WAL, synchronous NORMAL unless WithSQLiteSync says
// FULL, a busy timeout, foreign keys on and a single writer connection.
// Migrations on PostgreSQL run under a session advisory lock, so hub
// replicas starting together against one database apply them exactly
// once.
func Open(ctx context.Context, dsn string, opts ...Option) (_ *Store, err error) {
	// The DSN is left out of the error context: it may carry a password.
	defer wrap(&err, "store.Open")

	cfg := config{now: time.Now, txRetries: 5, maxConns: 16, sqliteSync: SQLiteSyncNormal}
	for _, o := range opts {
		o(&cfg)
	}
	if _, err := ParseSQLiteSync(string(cfg.sqliteSync)); err != nil {
		return nil, err
	}
	if cfg.pseudonymKey != nil && len(cfg.pseudonymKey) < 16 {
		return nil, invalidf("pseudonym key must be at least 16 bytes")
	}
	if cfg.txRetries < 0 || cfg.maxConns < 1 {
		return nil, invalidf("tx retries must be >= 0 and max conns >= 1")
	}

	s := &Store{now: cfg.now, pseudonymKey: cfg.pseudonymKey, txRetries: cfg.txRetries, migrateUpTo: cfg.migrateUpTo, log: cfg.log}
	switch {
	case strings.HasPrefix(dsn, "postgres://"), strings.HasPrefix(dsn, "postgresql://"):
		err = s.openPostgres(ctx, dsn, cfg)
	case strings.HasPrefix(dsn, "sqlite:"):
		err = s.openSQLite(ctx, strings.TrimPrefix(dsn, "sqlite:"), cfg.sqliteSync)
	case strings.HasPrefix(dsn, "file:"):
		err = s.openSQLite(ctx, strings.TrimPrefix(dsn, "file:"), cfg.sqliteSync)
	default:
		scheme, _, _ := strings.Cut(dsn, ":")
		return nil, invalidf("unsupported database URL scheme %q: want postgres://, sqlite: or file:", scheme)
	}
	if err != nil {
		return nil, err
	}
	if err := s.migrate(ctx); err != nil {
		s.Close()
		return nil, err
	}
	return s, nil
}

func (s *Store) openPostgres(ctx context.Context, dsn string, cfg config) error {
	db, err := sqlx.Open("postgres", dsn)
	if err != nil {
		return err
	}
	db.SetMaxOpenConns(cfg.maxConns)
	db.SetMaxIdleConns(cfg.maxConns)
	db.SetConnMaxIdleTime(5 * time.Minute)
	if err := db.PingContext(ctx); err != nil {
		db.Close()
		return fmt.Errorf("connect to postgres: %w", err)
	}
	s.db, s.ro, s.dialect = db, db, Postgres
	return nil
}

// sqliteParams are the driver settings every SQLite connection gets.
//   - busy_timeout: another process on the same file (a second hub, the
//     audit verify command) makes us wait instead of failing at once.
//   - foreign_keys: off by default in SQLite.
//   - _time_integer_format, _inttotime: times are stored as integer
//     microseconds since the epoch, which sort correctly and match
//     PostgreSQL's precision; TIMESTAMP columns scan back into time.Time.
const sqliteParams = "_pragma=busy_timeout(10000)&_pragma=foreign_keys(1)" +
	"&_time_integer_format=unix_micro&_inttotime=1"

func (s *Store) openSQLite(ctx context.Context, path string, sync SQLiteSync) error {
	path, query, _ := strings.Cut(path, "?")
	if query != "" {
		query = "&" + query
	}
	s.dialect = SQLite
	if path == "" || path == ":memory:" {
		// Every connection to :memory: is its own database, so the one
		// connection must never be closed or replaced while the Store lives.
		db, err := sqlx.Open("sqlite", "file::memory:?"+sqliteParams+"&_txlock=immediate"+query)
		if err != nil {
			return err
		}
		db.SetMaxOpenConns(1)
		db.SetMaxIdleConns(1)
		db.SetConnMaxLifetime(0)
		db.SetConnMaxIdleTime(0)
		if err := db.PingContext(ctx); err != nil {
			db.Close()
			return fmt.Errorf("open sqlite: %w", err)
		}
		s.db, s.ro = db, db
		return nil
	}

	name := "file:" + escapeSQLitePath(path)
	// BEGIN IMMEDIATE takes the write lock at the start of a transaction, so
	// a transaction that reads and then writes can never deadlock against a
	// writer in another process.
	w, err := sqlx.Open("sqlite", name+"?"+sqliteParams+"&_pragma=journal_mode(WAL)&_pragma=synchronous("+string(sync)+")&_txlock=immediate"+query)
	if err != nil {
		return err
	}
	w.SetMaxOpenConns(1)
	w.SetMaxIdleConns(1)
	w.SetConnMaxLifetime(0)
	if err := w.PingContext(ctx); err != nil {
		w.Close()
		return fmt.Errorf("open sqlite: %w", err)
	}
	r, err := sqlx.Open("sqlite", name+"?"+sqliteParams+"&_pragma=query_only(1)"+query)
	if err != nil {
		w.Close()
		return err
	}
	n := max(4, runtime.GOMAXPROCS(0))
	r.SetMaxOpenConns(n)
	r.SetMaxIdleConns(n)
	s.db, s.ro = w, r
	return nil
}

// escapeSQLitePath escapes the characters that have a meaning in an SQLite
// URI filename, so that any file name can be used.
func escapeSQLitePath(p string) string {
	return strings.NewReplacer("%", "%25", "?", "%3f", "#", "%23").Replace(p)
}

// Close closes the database connections.
func (s *Store) Close() error {
	s.auditMu.Lock()
	if s.auditStmts != nil {
		s.auditStmts.close()
		s.auditStmts = nil
	}
	s.auditMu.Unlock()
	err := s.db.Close()
	if s.ro != s.db {
		if rerr := s.ro.Close(); err == nil {
			err = rerr
		}
	}
	return err
}

// Ping checks that the database answers, for health checks.
func (s *Store) Ping(ctx context.Context) error {
	if err := s.db.PingContext(ctx); err != nil {
		return fmt.Errorf("store.Ping: %w", err)
	}
	return nil
}

// Pools returns the Store's connection pools by role, for the hub's
// metrics: "writer" runs transactions and writes; "reader" serves reads
// outside transactions where it is a pool of its own (an SQLite file).
func (s *Store) Pools() map[string]*sql.DB {
	pools := map[string]*sql.DB{"writer": s.db.DB}
	if s.ro != s.db {
		pools["reader"] = s.ro.DB
	}
	return pools
}

// Dialect reports which database the Store runs on.
func (s *Store) Dialect() Dialect { return s.dialect }

// timestamp returns the store clock's current time at the precision both
// databases keep (microseconds, UTC), so a value read back equals the value
// written.
func (s *Store) timestamp() time.Time { return dbTime(s.now()) }

// dbTime truncates t to what the databases store.
func dbTime(t time.Time) time.Time { return t.UTC().Truncate(time.Microsecond) }

// forUpdate is the row-locking clause of a SELECT on PostgreSQL. SQLite has
// none and needs none: its writers are serialised by the single writer
// connection and BEGIN IMMEDIATE.
func (s *Store) forUpdate() string {
	if s.dialect == Postgres {
		return " FOR UPDATE"
	}
	return ""
}

// newID returns a new record ID: a version 7 UUID, which sorts by creation
// time (and, within this process, by creation order), so records created
// together in one transaction list in the order they were made, and
// PostgreSQL's indexes grow at one end.
func newID() uuid.UUID { return uuid.Must(uuid.NewV7()) }
