package businesscase

import (
	"bytes"
	"encoding/xml"
	"fmt"
	"io"
	"strings"
	"testing"
)

// node is a parsed SVG element.
type node struct {
	name     string
	attrs    map[string]string
	text     string
	children []*node
}

func parseSVG(t *testing.T, b []byte) *node {
	t.Helper()
	dec := xml.NewDecoder(bytes.NewReader(b))
	dec.Strict = true
	var stack []*node
	var root *node
	for {
		tok, err := dec.Token()
		if err == io.EOF {
			break
		}
		if err != nil {
			t.Fatalf("not well-formed XML: %v\n%s", err, b)
		}
		switch tk := tok.(type) {
		case xml.StartElement:
			n := &node{name: tk.Name.Local, attrs: map[string]string{}}
			for _, a := range tk.Attr {
				n.attrs[a.Name.Local] = a.Value
			}
			if len(stack) > 0 {
				p := stack[len(stack)-1]
				p.children = append(p.children, n)
			} else {
				root = n
				if tk.Name.Space != "http://www.w3.org/2000/svg" {
					t.Errorf("root namespace %q", tk.Name.Space)
				}
			}
			stack = append(stack, n)
		case xml.EndElement:
			stack = stack[:len(stack)-1]
		case xml.CharData:
			if len(stack) > 0 {
				stack[len(stack)-1].text += string(tk)
			}
		}
	}
	if root == nil || root.name != "svg" {
		t.Fatalf("root is not svg")
	}
	return root
}

func (n *node) find(id string) *node {
	if n.attrs["id"] == id {
		return n
	}
	for _, c := range n.children {
		if f := c.find(id); f != nil {
			return f
		}
	}
	return nil
}

func (n *node) count(name string) int {
	c := 0
	for _, ch := range n.children {
		if ch.name == name {
			c++
		}
	}
	return c
}

// checkAccessible checks the title and description the chart is labelled
// by.
func checkAccessible(t *testing.T, root *node, prefix string) {
	t.Helper()
	if root.attrs["role"] != "img" || root.attrs["aria-labelledby"] != prefix+"-title "+prefix+"-desc" {
		t.Errorf("svg role %q, aria-labelledby %q", root.attrs["role"], root.attrs["aria-labelledby"])
	}
	for _, id := range []string{prefix + "-title", prefix + "-desc"} {
		n := root.find(id)
		if n == nil || strings.TrimSpace(n.text) == "" {
			t.Errorf("missing or empty %s", id)
		}
	}
	if root.children[0].name != "title" || root.children[1].name != "desc" {
		t.Error("title and desc are not the first children")
	}
}

func TestCashFlowSVG(t *testing.T) {
	p := mustDefaults(t)
	for _, name := range []string{"Utrecht", "Schiermonnikoog", "'s-Gravenhage"} {
		t.Run(name, func(t *testing.T) {
			c, err := p.ForMunicipality(name)
			if err != nil {
				t.Fatal(err)
			}
			r, err := Compute(c, p.DefaultOptions())
			if err != nil {
				t.Fatal(err)
			}
			var b bytes.Buffer
			if err := CashFlowSVG(&b, r); err != nil {
				t.Fatal(err)
			}
			root := parseSVG(t, b.Bytes())
			checkAccessible(t, root, "cash-flow")
			if !strings.Contains(root.find("cash-flow-title").text, c.Municipality.Name) {
				t.Errorf("title %q lacks the municipality", root.find("cash-flow-title").text)
			}
			yearly := root.find("yearly")
			if yearly == nil || yearly.count("rect") != len(r.Total.Years) {
				t.Fatalf("yearly series missing or without %d bars", len(r.Total.Years))
			}
			for i, bar := range yearly.children {
				y := r.Total.Years[i]
				if bar.attrs["data-year"] != fmt.Sprint(y.Year) || bar.attrs["data-cents"] != fmt.Sprint(int64(y.Net)) {
					t.Errorf("bar %d: year %s cents %s, want %d %d", i, bar.attrs["data-year"], bar.attrs["data-cents"], y.Year, y.Net)
				}
			}
			cum := root.find("cumulative")
			if cum == nil || cum.count("polyline") != 1 || cum.count("circle") != len(r.Total.Years) {
				t.Fatal("cumulative series missing")
			}
			if pts := strings.Fields(cum.children[0].attrs["points"]); len(pts) != len(r.Total.Years) {
				t.Errorf("cumulative line has %d points, want %d", len(pts), len(r.Total.Years))
			}
			be := root.find("break-even")
			want := "none"
			if r.Total.BreakEvenYear != 0 {
				want = fmt.Sprint(r.Total.BreakEvenYear)
			}
			if be == nil || be.attrs["data-year"] != want {
				t.Errorf("break-even marker %v, want data-year %s", be, want)
			}
		})
	}
}

func TestScaleSVGs(t *testing.T) {
	p := mustDefaults(t)
	s, err := ScaleCheck(p, p.DefaultOptions())
	if err != nil {
		t.Fatal(err)
	}
	var b bytes.Buffer
	if err := BreakEvenBySizeSVG(&b, s); err != nil {
		t.Fatal(err)
	}
	root := parseSVG(t, b.Bytes())
	checkAccessible(t, root, "break-even-size")
	for _, series := range []string{"alone", "shared", "front-office", "compensated"} {
		g := root.find(series)
		if g == nil || g.count("rect") != len(s.Classes) {
			t.Fatalf("series %s missing or without %d bars", series, len(s.Classes))
		}
		i := 0
		for _, ch := range g.children {
			if ch.name != "rect" {
				continue
			}
			c := s.Classes[i]
			want := map[string]int{"alone": c.Alone.Count, "shared": c.Shared.Count, "front-office": c.FrontOffice.Count, "compensated": c.Compensated.Count}[series]
			if ch.attrs["data-class"] != c.Class.ID || ch.attrs["data-count"] != fmt.Sprint(want) || ch.attrs["data-of"] != fmt.Sprint(c.Municipalities) {
				t.Errorf("%s bar %d: %v, want class %s count %d of %d", series, i, ch.attrs, c.Class.ID, want, c.Municipalities)
			}
			i++
		}
	}

	b.Reset()
	if err := BreakEvenByPopulationSVG(&b, s); err != nil {
		t.Fatal(err)
	}
	root = parseSVG(t, b.Bytes())
	checkAccessible(t, root, "break-even-population")
	for _, series := range []string{"alone", "shared"} {
		if g := root.find(series); g == nil || g.count("circle") != 342 {
			t.Fatalf("series %s missing or without 342 points", series)
		}
	}
}

func TestSVGEscapesText(t *testing.T) {
	p := mustDefaults(t)
	c, err := p.ForPopulation(`<script>&"x"`, 50_000)
	if err != nil {
		t.Fatal(err)
	}
	r, err := Compute(c, p.DefaultOptions())
	if err != nil {
		t.Fatal(err)
	}
	var b bytes.Buffer
	if err := CashFlowSVG(&b, r); err != nil {
		t.Fatal(err)
	}
	root := parseSVG(t, b.Bytes())
	if !strings.Contains(root.find("cash-flow-title").text, `<script>&"x"`) || strings.Contains(b.String(), "<script>") {
		t.Error("name not escaped")
	}
}
