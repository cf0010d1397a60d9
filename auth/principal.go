// Package auth authenticates the callers of the hub: it verifies bearer
// JWTs (signature, issuer, audience, expiry) and maps their claims to a
// Principal that travels in the request's context.
//
// Keys come from a JWKS URL (an OIDC provider), from configured key files,
// or, for the embedded default, from a local issuer whose signing key is
// kept in a file so that tokens survive a restart. Only asymmetric
// signature algorithms are accepted: a token with "alg": "none" or an HMAC
// algorithm is refused before any key is looked at.
package auth

import "context"

// Principal is who calls the hub: an employee of an organisation acting
// in a role for one or more purposes, or a citizen (after DigiD) looking
// at their own data.
type Principal struct {
	// Subject identifies the employee or client (the token's sub).
	Subject string
	// Organisation is the OIN of the organisation the subject works for.
	Organisation string
	// Role is the role the subject acts in, such as kcc-medewerker.
	Role string
	// Purposes are the purposes (doelbinding) the token grants.
	Purposes []string
	// CitizenBSN is set for a citizen principal: the BSN the citizen
	// authenticated with.
	CitizenBSN string
	// TokenID is the token's jti, when it has one.
	TokenID string
}

// IsCitizen reports whether the principal is a citizen rather than an
// employee.
func (p Principal) IsCitizen() bool { return p.CitizenBSN != "" }

// Key identifies the principal for rate limiting and similar per-caller
// bookkeeping. It holds no personal data: a citizen is keyed by the
// token's subject, never by the BSN.
func (p Principal) Key() string { return p.Organisation + "/" + p.Subject }

type ctxKey struct{}

// With returns ctx carrying the principal.
func With(ctx context.Context, p Principal) context.Context {
	return context.WithValue(ctx, ctxKey{}, p)
}

// From returns the principal of ctx; ok is false when the request was not
// authenticated.
func From(ctx context.Context) (p Principal, ok bool) {
	p, ok = ctx.Value(ctxKey{}).(Principal)
	return p, ok
}
