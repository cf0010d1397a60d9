// Package resilience keeps the hub up and quick when registries are slow or
// down: a Guard for the connectors (a circuit breaker and a bulkhead per
// registry, and a deadline per call split from the request's), a
// short-lived Cache with single-flight for open data (BAG, RDW vehicle
// technical data), Metrics for Prometheus, and LoadConfig to read all of it
// from the environment.
//
// The hub wires it in through server.Options: Guard and Observer go to
// every connector, the Cache wraps the registries the graph resolves with.
// docs/resilience.md describes the rules and the configuration.
package resilience
