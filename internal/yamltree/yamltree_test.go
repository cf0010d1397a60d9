package yamltree

import (
	"strconv"
	"strings"
	"testing"
)

func TestParse(t *testing.T) {
	n, probs := Parse("f.yaml", []byte("a: 1\nb:\n  - x\n  - y\nc:\n  d: |\n    text\n"))
	if len(probs) != 0 {
		t.Fatal(probs)
	}
	if n.Get("a").Value != "1" || n.Get("a").Line != 1 {
		t.Fatalf("a = %+v", n.Get("a"))
	}
	if b := n.Get("b"); b.Kind != Seq || len(b.Items) != 2 || b.Items[1].Line != 4 {
		t.Fatalf("b = %+v", b)
	}
	if d := n.Get("c").Get("d"); d.Kind != Scalar || !strings.HasPrefix(d.Value, "text") {
		t.Fatalf("c.d = %+v", d)
	}
	if n.Get("missing") != nil || (&Node{Kind: Seq}).Get("a") != nil {
		t.Fatal("Get found what is not there")
	}
}

func TestParseEmpty(t *testing.T) {
	if n, probs := Parse("f.yaml", []byte("# nothing\n")); n != nil || probs != nil {
		t.Fatalf("Parse(empty) = %+v, %v", n, probs)
	}
}

func TestParseProblems(t *testing.T) {
	tests := map[string]string{
		"x: [":                         "1: invalid YAML",
		"a: 1\n---\nb: 2\n":            "3: more than one YAML document",
		"a: &x 1\nb: *x\n":             "anchors and aliases are not supported",
		"a: 1\na: 2\n":                 `2: invalid YAML: mapping key "a" already defined`,
		"? [a, b]\n: 1\n":              "2: invalid YAML",
		strings.Repeat("- ", 20) + "x": "nested too deeply",
	}
	for src, want := range tests {
		_, probs := Parse("f.yaml", []byte(src))
		var got []string
		for _, p := range probs {
			got = append(got, strings.TrimSpace(strings.Join([]string{strconv.Itoa(p.Line), p.Message}, ": ")))
		}
		if !strings.Contains(strings.Join(got, "\n"), want) {
			t.Errorf("Parse(%q) problems %v, want %q", src, got, want)
		}
	}
}
