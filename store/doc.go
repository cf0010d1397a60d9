// Package store is the hub's durable state: cases with their tasks, the
// transactional outbox of partner notifications, warm handovers, case
// timelines, idempotency records and the audit log of personal-data
// disclosures. All SQL of the hub lives here.
//
// One Store runs on PostgreSQL (lib/pq), for production and for several hub
// replicas sharing one database, or on an embedded SQLite file
// (modernc.org/sqlite, pure Go), the default that needs no server. The
// behaviour is the same on both, and the same tests run on both.
//
// # Guarantees
//
//   - Atomic changes. Every mutation is one transaction: a case is opened
//     together with its tasks, its outbox messages and its timeline event,
//     or not at all.
//   - Idempotency. Mutations take an optional idempotency key, unique per
//     kind of mutation and principal. The same key with the same request
//     returns the first result (marked as replayed) and changes nothing;
//     the same key with a different request fails with
//     ErrIdempotencyMismatch. Racing requests with one key yield one change.
//   - Optimistic locking. Records that change carry a version. An update
//     names the version it was based on; if the record has moved on, it
//     fails with a *ConflictError (ErrConflict) that says the expected and
//     the actual version. Of concurrent updates based on one version,
//     across any number of replicas, exactly one succeeds.
//   - Outbox delivery at least once. Messages are claimed with a lease by
//     any number of dispatchers, retried with backoff, and parked (never
//     dropped) when they keep failing. Partners drop duplicates by the
//     message's idempotency key. A message records every task it stands
//     for, and marking it delivered moves those still open to sent in the
//     same transaction.
//   - An append-only, tamper-evident audit log (see AuditLog).
//
// # Errors
//
// Errors match the sentinels ErrNotFound, ErrConflict,
// ErrIdempotencyMismatch, ErrInvalidTransition, ErrInvalidArgument
// (ErrInvalidCursor) and ErrNoPseudonymKey with errors.Is; the concrete
// types ConflictError, LeaseLostError and TransitionError give details with
// errors.As. Error messages never contain personal data, so they may be
// logged.
//
// # Tests
//
// Package storetest opens a fresh store on each database for every test,
// starting a throwaway PostgreSQL cluster when needed. See docs/store.md.
package store
