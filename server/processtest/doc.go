// Package processtest runs the poort binary as real processes and checks
// the guarantees of cases and the outbox that only a process can show: that
// nothing acknowledged is lost when the hub is killed with SIGKILL in the
// middle of a burst of mutations, that nothing is half written or
// duplicated, that the outbox drains after the restart, and that two
// replicas on one PostgreSQL database lose no update and deliver every
// notification once.
//
// The tests build the binary once per test binary (go build ./cmd/poort
// from the module root) and talk to it over HTTP only, as a front office
// would: GraphQL mutations and queries with a token from the local issuer,
// and the chain partners' intake played by a mock partner server in the
// test process, which outlives the hub it receives from. PostgreSQL comes
// from store/storetest. docs/cases.md describes the guarantees and how
// these tests check them.
package processtest
