package graph_test

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/99designs/gqlgen/client"
	"github.com/99designs/gqlgen/graphql/handler"
	"github.com/99designs/gqlgen/graphql/handler/transport"

	"github.com/poort-nl/poort/connectors"
	"github.com/poort-nl/poort/connectors/brk"
	"github.com/poort-nl/poort/connectors/brp"
	"github.com/poort-nl/poort/connectors/nhr"
	"github.com/poort-nl/poort/connectors/rdw"
	"github.com/poort-nl/poort/connectors/registrytest"
	"github.com/poort-nl/poort/connectors/uwv"
	"github.com/poort-nl/poort/graph"
	"github.com/poort-nl/poort/internal/lineage"
	"github.com/poort-nl/poort/lifeevents"
)

// newClient serves the graph over the registries given, with no policy.
func newClient(t *testing.T, fakes ...registrytest.Fake) *client.Client {
	t.Helper()
	s := graph.NewExecutableSchema(graph.Config{}).Schema()
	ix, err := lineage.FromSchema(s)
	if err != nil {
		t.Fatal(err)
	}
	cat, err := lifeevents.LoadEmbedded(lifeevents.SchemaFromAST(s, ix))
	if err != nil {
		t.Fatal(err)
	}
	// The registries of the schema the test gives no fake of are down.
	rs := registrytest.Registries(fakes...)
	for _, v := range s.Types["Registry"].EnumValues {
		if name := connectors.Registry(v.Name); rs[name].Connector == nil {
			rs[name] = registrytest.Down(name)[name]
		}
	}
	res, err := graph.NewResolver(graph.Options{Registries: rs, Lineage: ix, Catalogue: cat})
	if err != nil {
		t.Fatal(err)
	}
	srv := handler.New(graph.NewExecutableSchema(graph.Config{Resolvers: res}))
	srv.AddTransport(transport.POST{})
	srv.AroundOperations(res.AroundOperations)
	return client.New(srv)
}

// TestPrefetchBesideTheBRP: the look-ups a person's selected fields come
// from start while the BRP is still being asked for the person, as the
// registrations declare them by BSN, so a person with vehicles, income,
// roles and real estate costs the slowest registry, not the sum.
func TestPrefetchBesideTheBRP(t *testing.T) {
	const bsn = "999993653"
	asked := map[string]chan struct{}{"RDW": make(chan struct{}), "UWV": make(chan struct{}), "NHR": make(chan struct{}), "BRK": make(chan struct{})}
	// The BRP answers only once every other registry was asked.
	b := &registrytest.BRP{PersonsByBSNFunc: func(ctx context.Context, bsns, _ []string) (map[string]*brp.Person, error) {
		for reg, ch := range asked {
			select {
			case <-ch:
			case <-time.After(5 * time.Second):
				return nil, errors.New(reg + " was not asked while the BRP was")
			}
		}
		return map[string]*brp.Person{bsn: {BSN: bsn}}, nil
	}}
	r := &registrytest.RDW{HoldingsByBSNFunc: func(context.Context, []string) (map[string][]rdw.Holding, error) {
		close(asked["RDW"])
		return nil, nil
	}}
	u := &registrytest.UWV{EmploymentsFunc: func(context.Context, []string) (map[string][]uwv.Employment, error) {
		close(asked["UWV"])
		return nil, nil
	}}
	n := &registrytest.NHR{RolesOfPersonFunc: func(context.Context, string) ([]nhr.Role, error) {
		close(asked["NHR"])
		return []nhr.Role{{KvKNumber: "69599084", Role: "Eigenaar"}}, nil
	}}
	k := &registrytest.BRK{HoldingsOfFunc: func(context.Context, string) ([]brk.Holding, error) {
		close(asked["BRK"])
		return []brk.Holding{{Parcel: brk.Parcel{ID: "59020170670000"}, Right: brk.Right{Kind: "eigenaar", Share: brk.Share{Numerator: 1, Denominator: 1}, Holder: brk.Holder{ID: bsn, Kind: brk.HolderPerson}}}}, nil
	}}
	c := newClient(t, b, n, &registrytest.BAG{}, r, u, k)
	var got struct {
		Person struct {
			BSN         string
			Vehicles    []struct{ LicencePlate string }
			Employments []struct{ Start string }
			Companies   []struct{ Role string }
			RealEstate  []struct{ Share string }
		}
	}
	err := c.Post(`{ person(bsn: "`+bsn+`") { bsn vehicles { licencePlate } employments { start } companies { role } realEstate { share } } }`, &got)
	if err != nil {
		t.Fatal(err)
	}
	if got.Person.BSN != bsn || len(got.Person.Companies) != 1 || len(got.Person.RealEstate) != 1 || got.Person.RealEstate[0].Share != "1/1" {
		t.Fatalf("person = %+v", got.Person)
	}
}

// TestRegistryDownNullsItsFields: a zero fake is a registry that is down;
// only the fields it owns carry its error.
func TestRegistryDownNullsItsFields(t *testing.T) {
	const bsn = "999993653"
	b := &registrytest.BRP{PersonsByBSNFunc: func(context.Context, []string, []string) (map[string]*brp.Person, error) {
		return map[string]*brp.Person{bsn: {BSN: bsn, Name: &brp.Name{FullName: "J. Jansen"}}}, nil
	}}
	c := newClient(t, b, &registrytest.NHR{}, &registrytest.BAG{}, &registrytest.RDW{}, &registrytest.UWV{})
	var got struct {
		Person struct {
			Name     struct{ FullName string }
			Vehicles []struct{ LicencePlate string }
		}
	}
	err := c.Post(`{ person(bsn: "`+bsn+`") { name { fullName } vehicles { licencePlate } } }`, &got)
	if err == nil {
		t.Fatal("no error for the RDW being down")
	}
	if got.Person.Name.FullName != "J. Jansen" || got.Person.Vehicles != nil {
		t.Fatalf("person = %+v, want the BRP's name and no vehicles", got.Person)
	}
}
