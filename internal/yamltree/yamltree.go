// Package yamltree parses YAML into a small tree of mappings, lists and
// scalars in which every value keeps the line it was written on, so data
// files (the life-event catalogue, the access policy) can report every
// problem as "file:line: what is wrong".
//
// It decodes the syntax tree rather than with reflection, and refuses
// what such data files have no use for: anchors and aliases, several
// documents, keys that are not plain names, a key given twice, and
// nesting deeper than MaxDepth.
package yamltree

import (
	"errors"
	"fmt"
	"slices"
	"strings"

	"github.com/goccy/go-yaml"
	"github.com/goccy/go-yaml/ast"
	"github.com/goccy/go-yaml/parser"
)

// Kind is what a node holds.
type Kind int

// The kinds of node.
const (
	Null Kind = iota
	Scalar
	Map
	Seq
)

func (k Kind) String() string {
	switch k {
	case Scalar:
		return "a scalar"
	case Map:
		return "a mapping"
	case Seq:
		return "a list"
	}
	return "empty"
}

// Node is a YAML value with its line.
type Node struct {
	Kind  Kind
	Line  int
	Value string  // Scalar
	Keys  []*Node // Map: scalar keys, in file order
	Vals  []*Node // Map: the values of Keys
	Items []*Node // Seq
}

// Get returns the value of a mapping key, or nil.
func (n *Node) Get(key string) *Node {
	if n == nil || n.Kind != Map {
		return nil
	}
	for i, k := range n.Keys {
		if k.Value == key {
			return n.Vals[i]
		}
	}
	return nil
}

// Problem is something wrong with a data file, at a line. Line is zero for
// a problem with the file as a whole.
type Problem struct {
	File    string
	Line    int
	Message string
}

// String returns "file:line: message", or "file: message" for line zero.
func (p Problem) String() string {
	if p.Line == 0 {
		return p.File + ": " + p.Message
	}
	return fmt.Sprintf("%s:%d: %s", p.File, p.Line, p.Message)
}

// Problems collects what is wrong with one or more files, so a decoder
// can report everything at once.
type Problems []Problem

// Add records a problem at a line of file.
func (ps *Problems) Add(file string, line int, format string, args ...any) {
	*ps = append(*ps, Problem{File: file, Line: line, Message: fmt.Sprintf(format, args...)})
}

// Sort orders the problems by file and line, keeping the order in which
// problems on one line were found.
func (ps Problems) Sort() {
	slices.SortStableFunc(ps, func(a, b Problem) int {
		if c := strings.Compare(a.File, b.File); c != 0 {
			return c
		}
		return a.Line - b.Line
	})
}

// MaxDepth bounds the nesting followed; data files need a few levels, and
// deeper input is hostile or broken.
const MaxDepth = 16

// Parse parses one YAML document of file; file is only the name problems
// carry. The tree is nil when the input is not YAML or holds several
// documents, with problems saying so, and when it holds no document at all,
// without problems: callers say what an empty file means for them.
func Parse(file string, src []byte) (*Node, Problems) {
	c := &converter{file: file}
	f, err := parser.ParseBytes(src, 0)
	if err != nil {
		var ye yaml.Error
		if errors.As(err, &ye) && ye.GetToken() != nil {
			c.add(ye.GetToken().Position.Line, "invalid YAML: %s", ye.GetMessage())
		} else {
			c.add(1, "invalid YAML")
		}
		return nil, c.problems
	}
	var docs []*ast.DocumentNode
	for _, d := range f.Docs {
		if d != nil && d.Body != nil {
			docs = append(docs, d)
		}
	}
	switch len(docs) {
	case 0:
		return nil, nil
	case 1:
	default:
		c.add(lineOf(docs[1].Body), "more than one YAML document")
		return nil, c.problems
	}
	return c.convert(docs[0].Body, 0), c.problems
}

type converter struct {
	file     string
	problems Problems
}

func (c *converter) add(line int, format string, args ...any) {
	c.problems.Add(c.file, line, format, args...)
}

func lineOf(n ast.Node) int {
	if n == nil || n.GetToken() == nil {
		return 1
	}
	return n.GetToken().Position.Line
}

func (c *converter) convert(n ast.Node, depth int) *Node {
	if depth > MaxDepth {
		c.add(lineOf(n), "nested too deeply")
		return &Node{Kind: Null, Line: lineOf(n)}
	}
	switch v := n.(type) {
	case nil:
		return &Node{Kind: Null}
	case *ast.NullNode:
		return &Node{Kind: Null, Line: lineOf(v)}
	case *ast.StringNode:
		return &Node{Kind: Scalar, Line: lineOf(v), Value: v.Value}
	case *ast.LiteralNode:
		return &Node{Kind: Scalar, Line: lineOf(v), Value: v.Value.Value}
	case *ast.IntegerNode, *ast.FloatNode, *ast.BoolNode, *ast.InfinityNode, *ast.NanNode:
		return &Node{Kind: Scalar, Line: lineOf(v), Value: v.GetToken().Value}
	case *ast.TagNode:
		return c.convert(v.Value, depth+1)
	case *ast.AnchorNode, *ast.AliasNode:
		c.add(lineOf(v), "anchors and aliases are not supported; write the value out")
		return &Node{Kind: Null, Line: lineOf(v)}
	case *ast.MappingNode:
		out := &Node{Kind: Map, Line: lineOf(v)}
		for _, mv := range v.Values {
			c.addPair(out, mv, depth)
		}
		if len(v.Values) > 0 {
			out.Line = lineOf(v.Values[0].Key)
		}
		return out
	case *ast.MappingValueNode:
		out := &Node{Kind: Map, Line: lineOf(v.Key)}
		c.addPair(out, v, depth)
		return out
	case *ast.SequenceNode:
		out := &Node{Kind: Seq, Line: lineOf(v)}
		for _, it := range v.Values {
			out.Items = append(out.Items, c.convert(it, depth+1))
		}
		return out
	}
	c.add(lineOf(n), "unsupported YAML node %s", n.Type())
	return &Node{Kind: Null, Line: lineOf(n)}
}

func (c *converter) addPair(m *Node, mv *ast.MappingValueNode, depth int) {
	k := c.convert(mv.Key, depth+1)
	if mv.Key.IsMergeKey() || k.Kind != Scalar {
		c.add(k.Line, "mapping keys must be plain names")
		return
	}
	for i, prev := range m.Keys {
		if prev.Value == k.Value {
			c.add(k.Line, "key %q given twice (first on line %d)", k.Value, m.Keys[i].Line)
			return
		}
	}
	v := c.convert(mv.Value, depth+1)
	if v.Line == 0 {
		v.Line = k.Line
	}
	m.Keys = append(m.Keys, k)
	m.Vals = append(m.Vals, v)
}
