package store

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"

	"github.com/google/uuid"
	"github.com/jmoiron/sqlx"
)

// Idempotency scopes. A key is unique per scope and principal, so the same
// client key may be used for different kinds of mutation, and two principals
// can never see each other's results.
const (
	scopeCreateCase     = "case.create"
	scopeCaseStatus     = "case.status"
	scopeTaskStatus     = "task.status"
	scopeCreateHandover = "handover.create"
)

// maxKeyLen bounds idempotency keys; clients send UUIDs or similar.
const maxKeyLen = 200

// idempotency is the outcome of claiming a key inside a transaction.
type idempotency struct {
	replay bool      // the key was used before with the same request
	first  uuid.UUID // the record the first request made or changed
}

// claimKey records that the mutation (scope, principal, key) with the given
// request hash is about to create or change resourceID. If the key was used
// before with the same hash, it returns replay=true and the first request's
// resource; with a different hash it returns ErrIdempotencyMismatch. An
// empty key claims nothing: the mutation is not idempotent.
//
// The record is written in the caller's transaction, so a mutation that
// fails leaves no record and the key can be used again. On PostgreSQL,
// INSERT ... ON CONFLICT DO NOTHING waits for a concurrent transaction that
// inserted the same key and then sees its outcome, so two racing requests
// with one key produce one mutation and one replay.
func (s *Store) claimKey(ctx context.Context, tx *sqlx.Tx, scope, principal, key, hash string, resourceID uuid.UUID) (idempotency, error) {
	if key == "" {
		return idempotency{}, nil
	}
	if len(key) > maxKeyLen {
		return idempotency{}, invalidf("idempotency key longer than %d bytes", maxKeyLen)
	}
	inserted, err := execOne(ctx, tx, `
		INSERT INTO idempotency_keys (scope, principal, key, request_hash, resource_id, created_at)
		VALUES (?, ?, ?, ?, ?, ?)
		ON CONFLICT (scope, principal, key) DO NOTHING`,
		scope, principal, key, hash, resourceID.String(), s.timestamp())
	if err != nil {
		return idempotency{}, fmt.Errorf("record idempotency key: %w", err)
	}
	if inserted {
		return idempotency{first: resourceID}, nil
	}
	var first struct {
		RequestHash string `db:"request_hash"`
		ResourceID  string `db:"resource_id"`
	}
	if err := get(ctx, tx, &first, `
		SELECT request_hash, resource_id FROM idempotency_keys
		WHERE scope = ? AND principal = ? AND key = ?`, scope, principal, key); err != nil {
		return idempotency{}, fmt.Errorf("read idempotency key: %w", err)
	}
	if first.RequestHash != hash {
		return idempotency{}, ErrIdempotencyMismatch
	}
	id, err := uuid.Parse(first.ResourceID)
	if err != nil {
		return idempotency{}, fmt.Errorf("idempotency record of %s holds a bad resource id: %w", scope, err)
	}
	return idempotency{replay: true, first: id}, nil
}

// fingerprint returns the request hash of an idempotent mutation: the
// caller's own when it gave one, else requestHash(req), where req is the
// request with its idempotency key and hash zeroed. Without a key there is
// nothing to compare later, so nothing is hashed.
func fingerprint(key, given string, req any) (string, error) {
	if key == "" || given != "" {
		return given, nil
	}
	return requestHash(req)
}

// requestHash fingerprints a mutation request for idempotency checks. v
// must be a struct with deterministic JSON: its idempotency key and hash
// fields zeroed by the caller.
func requestHash(v any) (string, error) {
	b, err := json.Marshal(v)
	if err != nil {
		return "", invalidf("hash request: %v", err)
	}
	sum := sha256.Sum256(b)
	return hex.EncodeToString(sum[:]), nil
}
