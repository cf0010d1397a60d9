// Package docsplice keeps a generated section of a Markdown document, the
// text between two marker lines, in step with what generates it: the
// policy's access table in docs/security.md, the life-event tables in
// docs/life-events.md.
package docsplice

import (
	"fmt"
	"os"
	"strings"
)

// Splice returns doc with the text between the markers begin and end
// replaced by content.
func Splice(doc, begin, end, content string) (string, error) {
	b := strings.Index(doc, begin)
	e := strings.Index(doc, end)
	if b < 0 || e < b {
		return "", fmt.Errorf("the document has no markers %q and %q, or they are out of order", begin, end)
	}
	return doc[:b+len(begin)] + "\n\n" + content + "\n" + doc[e:], nil
}

// UpdateFile splices content into the document at path, writing it only
// when the section changed.
func UpdateFile(path, begin, end, content string) error {
	doc, err := os.ReadFile(path)
	if err != nil {
		return err
	}
	out, err := Splice(string(doc), begin, end, content)
	if err != nil {
		return fmt.Errorf("%s: %w", path, err)
	}
	if out == string(doc) {
		return nil
	}
	return os.WriteFile(path, []byte(out), 0o644)
}
