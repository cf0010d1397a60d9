package docsplice

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestSplice(t *testing.T) {
	tests := []struct {
		name, doc, want string
		wantErr         bool
	}{
		{"replaces the section", "a\n<!-- b -->\nold\n<!-- e -->\nz", "a\n<!-- b -->\n\nnew\n<!-- e -->\nz", false},
		{"fills an empty section", "<!-- b --><!-- e -->", "<!-- b -->\n\nnew\n<!-- e -->", false},
		{"no markers", "a\nz", "", true},
		{"markers out of order", "<!-- e -->\n<!-- b -->", "", true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := Splice(tt.doc, "<!-- b -->", "<!-- e -->", "new")
			if (err != nil) != tt.wantErr || got != tt.want {
				t.Fatalf("Splice = %q, %v; want %q, error %v", got, err, tt.want, tt.wantErr)
			}
		})
	}
}

func TestUpdateFile(t *testing.T) {
	path := filepath.Join(t.TempDir(), "doc.md")
	if err := os.WriteFile(path, []byte("<!-- b -->\nold\n<!-- e -->\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := UpdateFile(path, "<!-- b -->", "<!-- e -->", "new"); err != nil {
		t.Fatal(err)
	}
	b, _ := os.ReadFile(path)
	if string(b) != "<!-- b -->\n\nnew\n<!-- e -->\n" {
		t.Fatalf("file = %q", b)
	}
	if err := UpdateFile(path, "<!-- x -->", "<!-- y -->", "new"); err == nil || !strings.Contains(err.Error(), path) {
		t.Fatalf("err = %v, want the path named", err)
	}
}
