// Package balie is the hub's web console for front-office staff, served
// under /balie/: find a person, company or address, see the whole picture
// grouped by subject with the source of every value, see and start the
// life events that follow, hand a contact over warmly to a chain partner,
// and, for architects, the coupling map with a municipality's business
// case beside it. It speaks Dutch to its users; the graph keeps its English
// names.
//
// The console is a backend-for-frontend. Employees sign in with OpenID
// Connect on the server (authorization code with PKCE), or, in development
// mode only, by choosing a role and purposes from the policy. The browser
// holds an encrypted session cookie, never a token. Every page runs named
// GraphQL operations (operations/*.graphql) in-process through the hub's
// own GraphQL handler chain as the signed-in principal, so purpose binding,
// limits, the rate limit and the audit log apply exactly as for API
// clients. Pages are rendered on the server with NL Design System
// components and tokens bundled into the binary (assets/, built from web/),
// so the console works offline.
package balie
