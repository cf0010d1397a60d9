package limits

import (
	"log/slog"
	"net/http"
	"sync"
	"testing"

	"github.com/99designs/gqlgen/graphql/handler"
	"github.com/99designs/gqlgen/graphql/handler/extension"
	"github.com/99designs/gqlgen/graphql/handler/lru"
	"github.com/99designs/gqlgen/graphql/handler/transport"
	"github.com/vektah/gqlparser/v2/ast"

	"github.com/poort-nl/poort/connectors"
	"github.com/poort-nl/poort/connectors/registrytest"
	"github.com/poort-nl/poort/graph"
	"github.com/poort-nl/poort/internal/lineage"
	"github.com/poort-nl/poort/lifeevents"
)

var lineageOnce = sync.OnceValues(func() (*lineage.Index, error) {
	return lineage.FromSchema(graph.NewExecutableSchema(graph.Config{}).Schema())
})

// graphHandler is the real executable schema behind the limits, as the
// hub serves it, over registries that fail.
func graphHandler(t testing.TB, cfg Config) http.Handler {
	t.Helper()
	ix, err := lineageOnce()
	if err != nil {
		t.Fatal(err)
	}
	cat, err := lifeevents.LoadEmbedded(lifeevents.SchemaFromAST(graph.NewExecutableSchema(graph.Config{}).Schema(), ix))
	if err != nil {
		t.Fatal(err)
	}
	// The limits are about requests, not data: every registry of the
	// schema is down.
	var names []connectors.Registry
	for _, v := range graph.NewExecutableSchema(graph.Config{}).Schema().Types["Registry"].EnumValues {
		names = append(names, connectors.Registry(v.Name))
	}
	res, err := graph.NewResolver(graph.Options{Registries: registrytest.Down(names...), Lineage: ix, Catalogue: cat})
	if err != nil {
		t.Fatal(err)
	}
	log := slog.New(slog.DiscardHandler)
	srv := handler.New(graph.NewExecutableSchema(graph.Config{Resolvers: res}))
	srv.AddTransport(transport.POST{})
	srv.Use(extension.Introspection{})
	cache := lru.New[*ast.QueryDocument](100)
	srv.SetQueryCache(cache)
	srv.Use(cfg.Extension(cache))
	srv.AroundOperations(res.AroundOperations)
	srv.SetErrorPresenter(graph.ErrorPresenter(log))
	srv.SetRecoverFunc(graph.Recover(log))
	return cfg.Body(srv)
}
