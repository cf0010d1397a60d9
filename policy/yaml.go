package policy

import (
	"errors"
	"fmt"

	"github.com/goccy/go-yaml"
	"github.com/goccy/go-yaml/ast"
	"github.com/goccy/go-yaml/parser"
)

// The policy is decoded from the YAML syntax tree rather than with
// reflection, so every value keeps its line and every problem can be
// reported as "file:line: what is wrong".

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

// node is a YAML value with its line.
type node struct {
	kind  nodeKind
	line  int
	value string  // scalarNode
	keys  []*node // mapNode, in file order
	vals  []*node // mapNode
	items []*node // seqNode
}

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

// maxDepth bounds the nesting the converter follows; the policy needs
// four levels, and deeper input is hostile or broken.
const maxDepth = 16

func parseYAML(file string, src []byte, p *problems) *node {
	f, err := parser.ParseBytes(src, 0)
	if err != nil {
		var ye yaml.Error
		if errors.As(err, &ye) && ye.GetToken() != nil {
			p.add(file, ye.GetToken().Position.Line, "invalid YAML: %s", ye.GetMessage())
		} else {
			p.add(file, 1, "invalid YAML")
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
		p.add(file, 1, "empty policy")
		return nil
	case 1:
	default:
		p.add(file, lineOf(docs[1].Body), "more than one YAML document")
		return nil
	}
	return convert(file, docs[0].Body, p, 0)
}

func lineOf(n ast.Node) int {
	if n == nil || n.GetToken() == nil {
		return 1
	}
	return n.GetToken().Position.Line
}

func convert(file string, n ast.Node, p *problems, depth int) *node {
	if depth > maxDepth {
		p.add(file, lineOf(n), "nested too deeply")
		return &node{kind: nullNode, line: lineOf(n)}
	}
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
		return convert(file, v.Value, p, depth+1)
	case *ast.AnchorNode, *ast.AliasNode:
		p.add(file, lineOf(v), "anchors and aliases are not supported; write the value out")
		return &node{kind: nullNode, line: lineOf(v)}
	case *ast.MappingNode:
		out := &node{kind: mapNode, line: lineOf(v)}
		for _, mv := range v.Values {
			addPair(file, out, mv, p, depth)
		}
		if len(v.Values) > 0 {
			out.line = lineOf(v.Values[0].Key)
		}
		return out
	case *ast.MappingValueNode:
		out := &node{kind: mapNode, line: lineOf(v.Key)}
		addPair(file, out, v, p, depth)
		return out
	case *ast.SequenceNode:
		out := &node{kind: seqNode, line: lineOf(v)}
		for _, it := range v.Values {
			out.items = append(out.items, convert(file, it, p, depth+1))
		}
		return out
	}
	p.add(file, lineOf(n), "unsupported YAML node %s", n.Type())
	return &node{kind: nullNode, line: lineOf(n)}
}

func addPair(file string, m *node, mv *ast.MappingValueNode, p *problems, depth int) {
	k := convert(file, mv.Key, p, depth+1)
	if mv.Key.IsMergeKey() || k.kind != scalarNode {
		p.add(file, k.line, "mapping keys must be plain names")
		return
	}
	if m.get(k.value) != nil {
		p.add(file, k.line, "key %q given twice", k.value)
		return
	}
	v := convert(file, mv.Value, p, depth+1)
	if v.line == 0 {
		v.line = k.line
	}
	m.keys = append(m.keys, k)
	m.vals = append(m.vals, v)
}

// Problem is one thing wrong with a policy file, at a line.
type Problem struct {
	File    string
	Line    int
	Message string
}

// String returns "file:line: message".
func (p Problem) String() string { return fmt.Sprintf("%s:%d: %s", p.File, p.Line, p.Message) }

type problems struct{ list []Problem }

func (p *problems) add(file string, line int, format string, args ...any) {
	p.list = append(p.list, Problem{File: file, Line: line, Message: fmt.Sprintf(format, args...)})
}
