package limits

import (
	"context"
	"errors"
	"log/slog"
	"net/http"
	"sync"
	"testing"

	"github.com/99designs/gqlgen/graphql/handler"
	"github.com/99designs/gqlgen/graphql/handler/extension"
	"github.com/99designs/gqlgen/graphql/handler/lru"
	"github.com/99designs/gqlgen/graphql/handler/transport"
	"github.com/vektah/gqlparser/v2/ast"

	"github.com/poort-nl/poort/connectors/bag"
	"github.com/poort-nl/poort/connectors/brp"
	"github.com/poort-nl/poort/connectors/nhr"
	"github.com/poort-nl/poort/connectors/rdw"
	"github.com/poort-nl/poort/connectors/uwv"
	"github.com/poort-nl/poort/graph"
	"github.com/poort-nl/poort/internal/lineage"
	"github.com/poort-nl/poort/lifeevents"
)

// errRegistry is every registry at once, failing every call: the limits
// are about requests, not data.
type errRegistry struct{}

var errDown = errors.New("registry unavailable in this test")

func (errRegistry) PersonsByBSN(context.Context, []string, []string) (map[string]*brp.Person, error) {
	return nil, errDown
}
func (errRegistry) SearchByNameAndBirthDate(context.Context, string, string, ...brp.SearchOption) ([]*brp.Person, error) {
	return nil, errDown
}
func (errRegistry) SearchByObject(context.Context, string, ...brp.SearchOption) ([]*brp.Person, error) {
	return nil, errDown
}
func (errRegistry) TravelDocuments(context.Context, string, []string) ([]brp.TravelDocument, error) {
	return nil, errDown
}
func (errRegistry) Addresses(context.Context, []string, bool) (map[string]*bag.Address, error) {
	return nil, errDown
}
func (errRegistry) AddressesByPostcode(context.Context, string, int, string, string) ([]bag.Address, error) {
	return nil, errDown
}
func (errRegistry) Company(context.Context, string) (*nhr.Company, error) { return nil, errDown }
func (errRegistry) Branches(context.Context, string) ([]nhr.BranchSummary, error) {
	return nil, errDown
}
func (errRegistry) Branch(context.Context, string) (*nhr.Branch, error) { return nil, errDown }
func (errRegistry) Search(context.Context, nhr.SearchQuery) (*nhr.SearchPage, error) {
	return nil, errDown
}
func (errRegistry) Functionaries(context.Context, string) ([]nhr.Functionary, error) {
	return nil, errDown
}
func (errRegistry) RolesOfPerson(context.Context, string) ([]nhr.Role, error) { return nil, errDown }
func (errRegistry) VehiclesByPlate(context.Context, []string, ...rdw.VehicleOption) (map[string]*rdw.Vehicle, error) {
	return nil, errDown
}
func (errRegistry) HoldingsByBSN(context.Context, []string) (map[string][]rdw.Holding, error) {
	return nil, errDown
}
func (errRegistry) HoldingsByKvK(context.Context, []string) (map[string][]rdw.Holding, error) {
	return nil, errDown
}
func (errRegistry) DrivingLicences(context.Context, []string) (map[string][]rdw.DrivingLicence, error) {
	return nil, errDown
}
func (errRegistry) Employments(context.Context, []string) (map[string][]uwv.Employment, error) {
	return nil, errDown
}
func (errRegistry) Benefits(context.Context, []string) (map[string][]uwv.Benefit, error) {
	return nil, errDown
}

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
	r := errRegistry{}
	res, err := graph.NewResolver(graph.Options{
		Registries: graph.Registries{BRP: r, NHR: r, BAG: r, RDW: r, UWV: r}, Lineage: ix, Catalogue: cat,
	})
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
