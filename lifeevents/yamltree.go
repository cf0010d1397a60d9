package lifeevents

import (
	"fmt"

	"github.com/poort-nl/poort/yamltree"
)

// The catalogue is decoded with package yamltree, so every value keeps its
// line and every problem can be reported as "file:line: what is wrong".

type nodeKind = yamltree.Kind

const (
	nullNode   = yamltree.Null
	scalarNode = yamltree.Scalar
	mapNode    = yamltree.Map
	seqNode    = yamltree.Seq
)

// node is a YAML value with its line, in the field names this package's
// decoder reads.
type node struct {
	kind  nodeKind
	line  int
	value string  // scalarNode
	keys  []*node // mapNode, in file order
	vals  []*node // mapNode: the values of keys
	items []*node // seqNode
}

// get returns the value of a mapping key, or nil.
func (n *node) get(key string) *node {
	if n == nil || n.kind != mapNode {
		return nil
	}
	for i, k := range n.keys {
		if k.value == key {
			return n.vals[i]
		}
	}
	return nil
}

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
	return fromTree(t)
}

func fromTree(t *yamltree.Node) *node {
	if t == nil {
		return nil
	}
	n := &node{kind: t.Kind, line: t.Line, value: t.Value}
	for i := range t.Keys {
		n.keys = append(n.keys, fromTree(t.Keys[i]))
		n.vals = append(n.vals, fromTree(t.Vals[i]))
	}
	for _, it := range t.Items {
		n.items = append(n.items, fromTree(it))
	}
	return n
}

// problems collects what is wrong.
type problems struct{ list []Problem }

func (p *problems) add(file string, line int, format string, args ...any) {
	p.list = append(p.list, Problem{File: file, Line: line, Message: fmt.Sprintf(format, args...)})
}
