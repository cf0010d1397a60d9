// Command eventtable writes the life-event catalogue's tables (per event
// its trigger, roles and steps, and the counts of sourced and unsourced
// statements) into a Markdown document, between the lifeevents package's
// markers. go generate ./lifeevents runs it on docs/life-events.md; a test
// of the lifeevents package checks that the document is up to date.
package main

import (
	"fmt"
	"os"

	"github.com/poort-nl/poort/internal/docsplice"
	"github.com/poort-nl/poort/internal/lineage"
	"github.com/poort-nl/poort/lifeevents"
	"github.com/poort-nl/poort/schema"
)

func main() {
	if len(os.Args) != 2 {
		fmt.Fprintln(os.Stderr, "usage: eventtable DOCUMENT.md")
		os.Exit(2)
	}
	if err := run(os.Args[1]); err != nil {
		fmt.Fprintln(os.Stderr, "eventtable:", err)
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
	cat, err := lifeevents.LoadEmbedded(lifeevents.SchemaFromAST(s, ix))
	if err != nil {
		return err
	}
	return docsplice.UpdateFile(path, lifeevents.DocTablesBegin, lifeevents.DocTablesEnd, cat.DocTables())
}
