package lifeevents

import (
	"fmt"

	"github.com/poort-nl/poort/yamltree"
)

// The catalogue is decoded with package yamltree, so every value keeps its
// line and every problem can be reported as "file:line: what is wrong".

const (
	nullNode   = yamltree.Null
	scalarNode = yamltree.Scalar
	mapNode    = yamltree.Map
	seqNode    = yamltree.Seq
)

// node is a YAML value with its line.
type node = yamltree.Node

// parseYAML parses one YAML document of file into a node tree, its
// problems going to p.
func parseYAML(file string, src []byte, p *problems) *node {
	t, probs := yamltree.Parse(src)
	for _, pr := range probs {
		p.add(file, pr.Line, "%s", pr.Message)
	}
	if t == nil && len(probs) == 0 {
		p.add(file, 1, "empty file")
	}
	return t
}

// problems collects what is wrong.
type problems struct{ list []Problem }

func (p *problems) add(file string, line int, format string, args ...any) {
	p.list = append(p.list, Problem{File: file, Line: line, Message: fmt.Sprintf(format, args...)})
}
