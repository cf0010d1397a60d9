package openapitest

import (
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
)

// recorder is a testing.TB that keeps the errors a Checker reports.
type recorder struct {
	testing.TB
	errs []string
}

func (r *recorder) Errorf(format string, args ...any) {
	r.errs = append(r.errs, fmt.Sprintf(format, args...))
}

// TestCheckerHoldsAnswersToTheStrictDocument: the concrete type a
// discriminator picks is checked, properties nobody declared are refused,
// and a described string stays a string.
func TestCheckerHoldsAnswersToTheStrictDocument(t *testing.T) {
	for _, tt := range []struct {
		name, body, want string
	}{
		{"a full date", `{"date":{"type":"Full","date":"2020-01-31"},"expires":"20300101"}`, ""},
		{"a year", `{"date":{"type":"Year","year":2020}}`, ""},
		{"a full date without its date", `{"date":{"type":"Full"}}`, `property "date" is missing`},
		{"a year with a month", `{"date":{"type":"Year","year":2020,"month":3}}`, `property "month" is unsupported`},
		{"an unknown type", `{"date":{"type":"Month"}}`, "discriminator"},
		{"an undeclared property", `{"dates":[]}`, `property "dates" is unsupported`},
		{"a described string", `{"expires":"2030"}`, "regular expression"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				w.Header().Set("Content-Type", "application/json")
				w.Write([]byte(tt.body))
			}))
			defer srv.Close()
			doc, err := Load("testdata/polymorphic.yaml", srv.URL)
			if err != nil {
				t.Fatal(err)
			}
			rec := &recorder{TB: t}
			c := NewChecker(rec, nil, doc)
			resp, err := (&http.Client{Transport: c}).Get(srv.URL + "/dates")
			if err != nil {
				t.Fatal(err)
			}
			resp.Body.Close()
			got := strings.Join(rec.errs, "\n")
			switch {
			case tt.want == "" && got != "":
				t.Errorf("refused: %s", got)
			case tt.want != "" && !strings.Contains(got, tt.want):
				t.Errorf("errors %q, want one with %q", got, tt.want)
			}
			if ops := c.Operations(); len(ops["dates"]) != 1 {
				t.Errorf("operations %v", ops)
			}
		})
	}
}

// TestUnroutedCallsFail: a call no document has is an error, unless its
// path is marked unchecked.
func TestUnroutedCallsFail(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {}))
	defer srv.Close()
	doc, err := Load("testdata/polymorphic.yaml", srv.URL)
	if err != nil {
		t.Fatal(err)
	}
	rec := &recorder{TB: t}
	client := &http.Client{Transport: NewChecker(rec, nil, doc).Unchecked("/open/")}
	for _, path := range []string{"/elsewhere", "/open/data"} {
		resp, err := client.Get(srv.URL + path)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
	}
	if len(rec.errs) != 1 || !strings.Contains(rec.errs[0], "/elsewhere") {
		t.Errorf("errors %q, want one for /elsewhere", rec.errs)
	}
}

// TestExceptionsFailWhenStale: an exception for a fault the document no
// longer has stops the load.
func TestExceptionsFailWhenStale(t *testing.T) {
	for name, adjust := range map[string]func() error{
		"DropPattern": func() error {
			_, err := Load("testdata/polymorphic.yaml", "http://x", DropPattern("FullDate", "date"))
			return err
		},
		"DropFormat": func() error {
			_, err := Load("testdata/polymorphic.yaml", "http://x", DropFormat("YearDate", "year"))
			return err
		},
		"AddProperty": func() error {
			_, err := Load("testdata/polymorphic.yaml", "http://x", AddProperty("Answer", "date", Component("Day", false)))
			return err
		},
		"RenameRequired": func() error {
			_, err := Load("testdata/polymorphic.yaml", "http://x", RenameRequired("AbstractDate", "kind", "type"))
			return err
		},
	} {
		if adjust() == nil {
			t.Errorf("%s: a stale exception was accepted", name)
		}
	}
}
