// Package graph is the GraphQL layer of the hub: the executor and models
// gqlgen generates from the schema in schema/ (generated.go, federation.go,
// model/models_gen.go), and the resolvers that fill them.
//
// Resolvers follow the schema: one <name>.resolvers.go per schema file,
// short and delegating. resolver.go is the one place where the graph's
// dependencies are injected (Options): the open registries, the lineage of
// the schema's @source declarations, the life-event catalogue, the policy,
// the audit log reader and the case service.
//
// Registry data is loaded per operation through the look-ups each
// registry's registration declares (connectors.Lookup): request.go keeps
// one loader per look-up, which batches keys and asks each key once, and
// load.go prefetches, for a person or a company, the look-ups its selected
// fields come from, so they run beside the BRP or the Handelsregister. The
// operation's plan (plan.go) collects the source paths it selects per
// registry resource, from which the look-ups build their field lists. The
// map_<registry>.go files map each registry's shapes to graph types.
//
// The graph knows each registry through its connector package's types and
// API only; it never speaks HTTP to a registry and knows nothing of the
// mocks. access.go applies the policy to every field and records what is
// disclosed; errors.go turns registry failures into partial results with
// extensions.code.
package graph
