// Package schema embeds the GraphQL schema files, so tools and tests can
// read the contract without the executor generated from it.
package schema

import (
	"embed"
	"fmt"
	"io/fs"
	"sort"

	"github.com/vektah/gqlparser/v2"
	"github.com/vektah/gqlparser/v2/ast"
)

//go:embed *.graphqls
var files embed.FS

// federation declares the Apollo Federation directives the files use; the
// executor's generator adds them the same way.
const federation = `
directive @key(fields: String!, resolvable: Boolean = true) repeatable on OBJECT | INTERFACE
directive @link(url: String!, import: [String!]) repeatable on SCHEMA
`

// Parse parses the schema files.
func Parse() (*ast.Schema, error) {
	names, err := fs.Glob(files, "*.graphqls")
	if err != nil {
		return nil, err
	}
	sort.Strings(names)
	sources := []*ast.Source{{Name: "federation.graphqls", Input: federation, BuiltIn: true}}
	for _, n := range names {
		b, err := files.ReadFile(n)
		if err != nil {
			return nil, err
		}
		sources = append(sources, &ast.Source{Name: "schema/" + n, Input: string(b)})
	}
	s, gerr := gqlparser.LoadSchema(sources...)
	if gerr != nil {
		return nil, fmt.Errorf("schema: %w", gerr)
	}
	return s, nil
}
