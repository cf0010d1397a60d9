package lifeevents

import (
	"errors"
	"fmt"

	"github.com/goccy/go-yaml"
	"github.com/goccy/go-yaml/ast"
	"github.com/goccy/go-yaml/parser"
)

// The catalogue is decoded from the YAML syntax tree rather than with
// reflection, so that every value keeps the line it was written on and
// every problem can be reported as "file:line: what is wrong".

type nodeKind int

const (
	nullNode nodeKind = iota
	scalarNode
	mapNode
	seqNode
)

func (k nodeKind) String() string {
	switch k {
	case scalarNode:
		return "a scalar"
	case mapNode:
		return "a mapping"
	case seqNode:
		return "a list"
	}
	return "empty"
}

// node is a YAML value with its position.
type node struct {
	kind  nodeKind
	line  int
	value string  // scalarNode
	keys  []*node // mapNode: scalar keys, in file order
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

// parseYAML parses one YAML document into a node tree. Syntax errors and
// constructs the catalogue has no use for (aliases, several documents)
// become problems at their line.
func parseYAML(file string, src []byte, p *problems) *node {
	f, err := parser.ParseBytes(src, 0)
	if err != nil {
		var ye yaml.Error
		if errors.As(err, &ye) && ye.GetToken() != nil {
			p.add(file, ye.GetToken().Position.Line, "invalid YAML: %s", ye.GetMessage())
		} else {
			p.add(file, 1, "invalid YAML: %v", err)
		}
		return nil
	}
	var docs []*ast.DocumentNode
	for _, d := range f.Docs {
		if d != nil && d.Body != nil {
			docs = append(docs, d)
		}
	}
	switch len(docs) {
	case 0:
		p.add(file, 1, "empty file")
		return nil
	case 1:
	default:
		p.add(file, lineOf(docs[1].Body), "more than one YAML document")
		return nil
	}
	return convert(file, docs[0].Body, p)
}

func lineOf(n ast.Node) int {
	if n == nil || n.GetToken() == nil {
		return 1
	}
	return n.GetToken().Position.Line
}

func convert(file string, n ast.Node, p *problems) *node {
	switch v := n.(type) {
	case nil:
		return &node{kind: nullNode}
	case *ast.NullNode:
		return &node{kind: nullNode, line: lineOf(v)}
	case *ast.StringNode:
		return &node{kind: scalarNode, line: lineOf(v), value: v.Value}
	case *ast.LiteralNode:
		return &node{kind: scalarNode, line: lineOf(v), value: v.Value.Value}
	case *ast.IntegerNode, *ast.FloatNode, *ast.BoolNode, *ast.InfinityNode, *ast.NanNode:
		return &node{kind: scalarNode, line: lineOf(v), value: v.GetToken().Value}
	case *ast.TagNode:
		return convert(file, v.Value, p)
	case *ast.AnchorNode:
		return convert(file, v.Value, p)
	case *ast.AliasNode:
		p.add(file, lineOf(v), "aliases are not supported; write the value out")
		return &node{kind: nullNode, line: lineOf(v)}
	case *ast.MappingNode:
		out := &node{kind: mapNode, line: lineOf(v)}
		for _, mv := range v.Values {
			addPair(file, out, mv, p)
		}
		if len(v.Values) > 0 {
			out.line = lineOf(v.Values[0].Key)
		}
		return out
	case *ast.MappingValueNode:
		out := &node{kind: mapNode, line: lineOf(v.Key)}
		addPair(file, out, v, p)
		return out
	case *ast.SequenceNode:
		out := &node{kind: seqNode, line: lineOf(v)}
		for _, it := range v.Values {
			out.items = append(out.items, convert(file, it, p))
		}
		return out
	}
	p.add(file, lineOf(n), "unsupported YAML node %s", n.Type())
	return &node{kind: nullNode, line: lineOf(n)}
}

func addPair(file string, m *node, mv *ast.MappingValueNode, p *problems) {
	k := convert(file, mv.Key, p)
	if mv.Key.IsMergeKey() || k.kind != scalarNode {
		p.add(file, k.line, "mapping keys must be plain names")
		return
	}
	if prev := m.get(k.value); prev != nil {
		p.add(file, k.line, "key %q given twice (first on line %d)", k.value, prevKeyLine(m, k.value))
		return
	}
	v := convert(file, mv.Value, p)
	if v.line == 0 {
		v.line = k.line
	}
	m.keys = append(m.keys, k)
	m.vals = append(m.vals, v)
}

func prevKeyLine(m *node, key string) int {
	for _, k := range m.keys {
		if k.value == key {
			return k.line
		}
	}
	return 0
}

// problems collects what is wrong with a catalogue.
type problems struct {
	list []Problem
}

func (p *problems) add(file string, line int, format string, args ...any) {
	p.list = append(p.list, Problem{File: file, Line: line, Message: fmt.Sprintf(format, args...)})
}
