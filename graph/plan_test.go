package graph_test

import (
	"context"
	"slices"
	"testing"

	"github.com/poort-nl/poort/connectors/brp"
	"github.com/poort-nl/poort/connectors/registrytest"
)

// TestSelectionWithoutRegistryFieldsAsksTheLeast: a list that is a
// resource's whole answer, selected without any field of its own
// (travelDocuments { __typename }), asks the registry for the first field
// its records declare, a field the API takes, never for the resource's
// name; selected with fields, it asks for those.
func TestSelectionWithoutRegistryFieldsAsksTheLeast(t *testing.T) {
	const bsn = "999993653"
	for _, tt := range []struct {
		selection string
		want      []string
	}{
		{"__typename", []string{"reisdocumentnummer"}},
		{"... on TravelDocument { __typename }", []string{"reisdocumentnummer"}},
		{"valid", []string{"datumEindeGeldigheid", "inhoudingOfVermissing"}},
		{"number kind { code }", []string{"reisdocumentnummer", "soort"}},
	} {
		t.Run(tt.selection, func(t *testing.T) {
			var asked []string
			b := &registrytest.BRP{
				PersonsByBSNFunc: func(_ context.Context, bsns, _ []string) (map[string]*brp.Person, error) {
					return map[string]*brp.Person{bsn: {BSN: bsn}}, nil
				},
				TravelDocumentsFunc: func(_ context.Context, _ string, fields []string) ([]brp.TravelDocument, error) {
					asked = slices.Clone(fields)
					return []brp.TravelDocument{{Number: "NXC2R8PK1"}}, nil
				},
			}
			c := newClient(t, b, &registrytest.NHR{}, &registrytest.BAG{}, &registrytest.RDW{}, &registrytest.UWV{})
			var got struct {
				Person struct{ TravelDocuments []map[string]any }
			}
			if err := c.Post(`{ person(bsn: "`+bsn+`") { travelDocuments { `+tt.selection+` } } }`, &got); err != nil {
				t.Fatal(err)
			}
			slices.Sort(asked)
			if !slices.Equal(asked, tt.want) || len(got.Person.TravelDocuments) != 1 {
				t.Errorf("asked %v, want %v; got %+v", asked, tt.want, got.Person)
			}
			for _, f := range asked {
				if !slices.Contains(brp.TravelDocumentPaths(), f) {
					t.Errorf("asked %q, which the Reisdocumenten API does not take", f)
				}
			}
		})
	}
}
