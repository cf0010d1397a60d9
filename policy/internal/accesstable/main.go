// Command accesstable writes what every purpose and role of the default
// policy reaches through the schema into a Markdown document, between the
// policy package's access table markers. go generate ./policy runs it on
// docs/security.md; a test of the policy package checks that the document
// is up to date.
package main

import (
	"fmt"
	"os"

	"github.com/poort-nl/poort/internal/docsplice"
	"github.com/poort-nl/poort/internal/lineage"
	"github.com/poort-nl/poort/policy"
	"github.com/poort-nl/poort/schema"
)

func main() {
	if len(os.Args) != 2 {
		fmt.Fprintln(os.Stderr, "usage: accesstable DOCUMENT.md")
		os.Exit(2)
	}
	if err := run(os.Args[1]); err != nil {
		fmt.Fprintln(os.Stderr, "accesstable:", err)
		os.Exit(1)
	}
}

func run(path string) error {
	s, err := schema.Parse()
	if err != nil {
		return err
	}
	ix, err := lineage.FromSchema(s)
	if err != nil {
		return err
	}
	pol, err := policy.LoadDefault(ix)
	if err != nil {
		return err
	}
	return docsplice.UpdateFile(path, policy.AccessTableBegin, policy.AccessTableEnd, pol.AccessTable(s))
}
