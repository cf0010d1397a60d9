package auth

import "errors"

// The reasons a token is refused. Verify wraps them with a detail that
// never contains the token; match them with errors.Is. Every one of them
// means HTTP 401, except ErrKeysUnavailable, which is the identity
// provider's fault rather than the caller's.
var (
	ErrNoToken         = errors.New("no bearer token: send Authorization: Bearer <token>")
	ErrMalformed       = errors.New("malformed token")
	ErrAlgorithm       = errors.New("token signature algorithm not accepted")
	ErrUnknownKey      = errors.New("token signed with an unknown key")
	ErrSignature       = errors.New("token signature does not verify")
	ErrExpired         = errors.New("token expired")
	ErrNotYetValid     = errors.New("token not yet valid")
	ErrIssuer          = errors.New("token from another issuer")
	ErrAudience        = errors.New("token for another audience")
	ErrClaims          = errors.New("token claims incomplete or invalid")
	ErrKeysUnavailable = errors.New("signing keys unavailable")
)
