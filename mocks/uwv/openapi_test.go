package uwv

import (
	"encoding/json"
	"fmt"
	"regexp"
	"slices"
	"sort"
	"strings"
	"testing"

	"github.com/goccy/go-yaml"
)

// contract is the OpenAPI file as generic JSON, with a validator for the
// subset of JSON Schema the file uses, so the tests can hold every answer of
// the mock against the documented contract.
type contract struct {
	doc map[string]any
}

func loadContract(t testing.TB) *contract {
	t.Helper()
	j, err := yaml.YAMLToJSON(openAPIYAML)
	if err != nil {
		t.Fatalf("the OpenAPI file is not YAML: %v", err)
	}
	var doc map[string]any
	if err := json.Unmarshal(j, &doc); err != nil {
		t.Fatal(err)
	}
	return &contract{doc: doc}
}

func obj(v any) map[string]any {
	m, _ := v.(map[string]any)
	return m
}

// resolve follows a local $ref.
func (c *contract) resolve(node map[string]any) map[string]any {
	for node != nil {
		ref, ok := node["$ref"].(string)
		if !ok {
			return node
		}
		node = c.doc
		for _, part := range strings.Split(strings.TrimPrefix(ref, "#/"), "/") {
			node = obj(node[part])
		}
	}
	return nil
}

// responseSchema returns the schema of an operation's answer.
func (c *contract) responseSchema(path, method string, status int, mediaType string) (map[string]any, error) {
	op := obj(obj(obj(c.doc["paths"])[path])[strings.ToLower(method)])
	if op == nil {
		return nil, fmt.Errorf("%s %s is not in the contract", method, path)
	}
	resp := c.resolve(obj(obj(op["responses"])[fmt.Sprint(status)]))
	if resp == nil {
		return nil, fmt.Errorf("%s %s does not document status %d", method, path, status)
	}
	schema := obj(obj(obj(resp["content"])[mediaType])["schema"])
	if schema == nil {
		return nil, fmt.Errorf("%s %s %d does not document %s", method, path, status, mediaType)
	}
	return schema, nil
}

// validate returns every way v breaks the schema.
func (c *contract) validate(schema map[string]any, v any, at string) []string {
	schema = c.resolve(schema)
	var errs []string
	fail := func(format string, args ...any) { errs = append(errs, at+": "+fmt.Sprintf(format, args...)) }
	for _, sub := range asSlice(schema["allOf"]) {
		errs = append(errs, c.validate(obj(sub), v, at)...)
	}
	if enum, ok := schema["enum"].([]any); ok && !slices.Contains(enum, v) {
		fail("%v is not one of %v", v, enum)
	}
	switch schema["type"] {
	case "object":
		m, ok := v.(map[string]any)
		if !ok {
			fail("not an object")
			return errs
		}
		props := obj(schema["properties"])
		for _, r := range asSlice(schema["required"]) {
			if _, ok := m[r.(string)]; !ok {
				fail("required member %s is missing", r)
			}
		}
		keys := make([]string, 0, len(m))
		for k := range m {
			keys = append(keys, k)
		}
		sort.Strings(keys)
		for _, k := range keys {
			p, ok := props[k]
			if !ok {
				if schema["additionalProperties"] == false {
					fail("member %s is not in the contract", k)
				}
				continue
			}
			errs = append(errs, c.validate(obj(p), m[k], at+"."+k)...)
		}
	case "array":
		a, ok := v.([]any)
		if !ok {
			fail("not an array")
			return errs
		}
		if n, ok := schema["minItems"].(float64); ok && float64(len(a)) < n {
			fail("fewer than %v items", n)
		}
		if n, ok := schema["maxItems"].(float64); ok && float64(len(a)) > n {
			fail("more than %v items", n)
		}
		for i, it := range a {
			errs = append(errs, c.validate(obj(schema["items"]), it, fmt.Sprintf("%s[%d]", at, i))...)
		}
	case "string":
		s, ok := v.(string)
		if !ok {
			fail("not a string")
			return errs
		}
		if p, ok := schema["pattern"].(string); ok && !regexp.MustCompile(p).MatchString(s) {
			fail("%q does not match %s", s, p)
		}
		if n, ok := schema["maxLength"].(float64); ok && float64(len([]rune(s))) > n {
			fail("longer than %v", n)
		}
	case "integer", "number":
		f, ok := v.(float64)
		if !ok {
			fail("not a number")
			return errs
		}
		if schema["type"] == "integer" && f != float64(int64(f)) {
			fail("%v is not an integer", f)
		}
		if n, ok := schema["minimum"].(float64); ok && f < n {
			fail("%v is below %v", f, n)
		}
	}
	return errs
}

func asSlice(v any) []any {
	a, _ := v.([]any)
	return a
}

// conform fails the test when body is not what the contract documents for
// the operation and status.
func (c *contract) conform(t testing.TB, path, method string, status int, mediaType string, body []byte) {
	t.Helper()
	schema, err := c.responseSchema(strings.TrimPrefix(path, BasePath), method, status, mediaType)
	if err != nil {
		t.Fatal(err)
	}
	var v any
	if err := json.Unmarshal(body, &v); err != nil {
		t.Fatalf("answer is not JSON: %v", err)
	}
	if errs := c.validate(schema, v, "$"); len(errs) > 0 {
		if len(errs) > 10 {
			errs = errs[:10]
		}
		t.Fatalf("%s %s %d breaks the contract:\n%s", method, path, status, strings.Join(errs, "\n"))
	}
}

func TestContractValidatorCatchesDrift(t *testing.T) {
	c := loadContract(t)
	schema, err := c.responseSchema("/werknemersverzekeringen", "POST", 200, "application/json")
	if err != nil {
		t.Fatal(err)
	}
	bad := `{"ClientSuwi":[{"Burgerservicenr":"12","WerkloosheidClient":[],"AanvraagUitkering":[],"Uitkeringsverhouding":[{"SzWet":{"CdSzWet":"WW"},"Extra":1}]}]}`
	var v any
	if err := json.Unmarshal([]byte(bad), &v); err != nil {
		t.Fatal(err)
	}
	errs := strings.Join(c.validate(schema, v, "$"), "\n")
	for _, want := range []string{"NietsGevonden is missing", `"12" does not match`, "DatBUitkeringsverhouding is missing", "member Extra is not in the contract"} {
		if !strings.Contains(errs, want) {
			t.Errorf("validator missed %q in:\n%s", want, errs)
		}
	}
}
