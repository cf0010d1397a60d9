package businesscase

import (
	"encoding/json"
	"errors"
	"fmt"
	"reflect"
	"strings"

	"github.com/poort-nl/poort/internal/jsonerr"
)

// Apply returns new parameters with an overrides document merged over p.
//
// The document has the shape of defaults.json, every part optional. Objects
// merge key by key; any other value replaces what was there; null removes a
// key. The lists "couplings" and "investments" merge by "id": an item with a
// known id is merged into that item, an item with a new id is added, and
// {"id": "...", "remove": true} removes one. A figure may be given as a bare
// number. An object that carries a source and is changed without a new
// "source" gets the source "override" and loses its note, so a report
// never credits a public source with a number it did not publish; a changed
// value loses its range unless the change gives one.
//
// The optional "municipalities" object holds sections keyed by municipality
// name or GM code, each an overrides document of its own that may also set
// "population"; ForMunicipality applies it. All of it is validated here; the
// error is ValidationErrors naming each bad parameter.
func (p *Parameters) Apply(overrides []byte) (*Parameters, error) {
	var patch any
	if err := json.Unmarshal(overrides, &patch); err != nil {
		return nil, &ParamError{Path: "(overrides)", Msg: jsonerr.Explain(err).Error()}
	}
	if _, ok := patch.(map[string]any); !ok {
		return nil, &ParamError{Path: "(overrides)", Msg: "must be a JSON object"}
	}
	q, err := p.applyPatch(patch)
	if err != nil {
		return nil, err
	}
	var c errs
	seen := map[string]string{}
	for _, key := range sortedKeys(q.MunicipalOverrides) {
		path := "municipalities." + key
		m, err := q.lookup(key)
		if err != nil {
			c.list = append(c.list, prefixErrors(path, err)...)
			continue
		}
		if prev, dup := seen[m.Code]; dup {
			c.add(path, fmt.Sprintf("%s (%s) already has a section at municipalities.%s", m.Name, m.Code, prev))
			continue
		}
		seen[m.Code] = key
		if _, err := q.withSection(m, q.MunicipalOverrides[key]); err != nil {
			c.list = append(c.list, prefixErrors(path, err)...)
		}
	}
	if err := c.err(); err != nil {
		return nil, err
	}
	return q, nil
}

// applyPatch merges a decoded patch over p and decodes and validates the
// result. Going through JSON gives a deep copy, so p is never changed.
func (p *Parameters) applyPatch(patch any) (*Parameters, error) {
	doc, err := json.Marshal(p)
	if err != nil {
		return nil, fmt.Errorf("encode parameters: %w", err)
	}
	var base any
	if err := json.Unmarshal(doc, &base); err != nil {
		return nil, fmt.Errorf("decode parameters: %w", err)
	}
	merged, err := mergePatch("", base, patch)
	if err != nil {
		return nil, err
	}
	doc, err = json.Marshal(merged)
	if err != nil {
		return nil, fmt.Errorf("encode merged parameters: %w", err)
	}
	return decodeParameters(doc, p.reference)
}

// withSection applies one municipality's section and returns the
// parameters and population that hold for it.
func (p *Parameters) withSection(m Municipality, raw json.RawMessage) (*Case, error) {
	var section map[string]any
	if err := json.Unmarshal(raw, &section); err != nil || section == nil {
		return nil, &ParamError{Path: "(section)", Msg: "must be a JSON object"}
	}
	if pop, ok := section["population"]; ok {
		delete(section, "population")
		v, isNum := pop.(float64)
		switch {
		case !isNum:
			return nil, &ParamError{Path: "population", Msg: "must be a number"}
		case v <= 0 || v != float64(int(v)):
			return nil, &ParamError{Path: "population", Msg: "must be a whole number greater than zero"}
		}
		m.Population = int(v)
	}
	if _, ok := section["municipalities"]; ok {
		return nil, &ParamError{Path: "municipalities", Msg: "a municipality's section cannot hold other municipalities"}
	}
	base := *p
	base.MunicipalOverrides = nil
	q := &base
	if len(section) > 0 {
		var err error
		if q, err = base.applyPatch(section); err != nil {
			return nil, err
		}
	}
	return &Case{Municipality: m, Params: q}, nil
}

// prefixErrors puts path in front of the path of every parameter error in
// err, so errors in a municipality's section name where they are.
func prefixErrors(path string, err error) ValidationErrors {
	var list ValidationErrors
	var one *ParamError
	switch {
	case errors.As(err, &list):
	case errors.As(err, &one):
		list = ValidationErrors{one}
	default:
		return ValidationErrors{{Path: path, Msg: err.Error()}}
	}
	out := make(ValidationErrors, 0, len(list))
	for _, e := range list {
		sub := e.Path
		switch {
		case strings.HasPrefix(sub, "("):
			sub = ""
		case sub != "":
			sub = "." + sub
		}
		out = append(out, &ParamError{Path: path + sub, Msg: e.Msg, Err: e.Err})
	}
	return out
}

// WithCouplings returns parameters whose couplings are replaced by cs, such
// as the couplings made from the hub's live coupling-gap report with
// CouplingsFromGaps.
func (p *Parameters) WithCouplings(cs []Coupling) (*Parameters, error) {
	q := *p
	q.Couplings = append([]Coupling(nil), cs...)
	if err := q.Validate(); err != nil {
		return nil, err
	}
	return &q, nil
}

// Gap is one entry of the coupling-gap report: a needed data flow that is
// not automated.
type Gap struct {
	ID          string
	LifeEvent   string
	Description string
	// Status is missing, manual or partial; automated gaps cost nothing to
	// close and are skipped.
	Status   string
	Standard string
}

// CouplingsFromGaps turns coupling gaps into couplings, costed by the
// default cost of their status (couplingCostByStatus).
func (p *Parameters) CouplingsFromGaps(gaps []Gap) ([]Coupling, error) {
	var c errs
	var out []Coupling
	for i, g := range gaps {
		path := fmt.Sprintf("gaps[%d]", i)
		if g.ID == "" {
			c.add(path+".id", "must not be empty")
		}
		if !isLifeEvent(g.LifeEvent) {
			c.addErr(path+".lifeEvent", fmt.Sprintf("unknown life event %q", g.LifeEvent), ErrUnknownLifeEvent)
		}
		if g.Status == StatusAutomated {
			continue
		}
		cost, ok := p.CouplingCostByStatus[g.Status]
		if !ok {
			c.add(path+".status", fmt.Sprintf("no cost known for status %q, want missing, manual or partial", g.Status))
			continue
		}
		out = append(out, Coupling{
			ID: g.ID, LifeEvent: g.LifeEvent, Description: g.Description, Status: g.Status, Standard: g.Standard,
			OneOff: cost.OneOff, Yearly: cost.Yearly, Shares: cost.Shares,
		})
	}
	if err := c.err(); err != nil {
		return nil, err
	}
	return out, nil
}

// mergePatch merges patch over base as described at Apply.
func mergePatch(path string, base, patch any) (any, error) {
	switch pv := patch.(type) {
	case map[string]any:
		bm, ok := base.(map[string]any)
		if !ok {
			return pv, nil
		}
		out := make(map[string]any, len(bm)+len(pv))
		for k, v := range bm {
			out[k] = v
		}
		changed := false
		for k, v := range pv {
			if k != "source" && k != "note" && k != "range" {
				changed = true
			}
			if v == nil {
				delete(out, k)
				continue
			}
			m, err := mergePatch(join(path, k), bm[k], v)
			if err != nil {
				return nil, err
			}
			out[k] = m
		}
		if _, sourced := bm["source"]; sourced && changed {
			if _, given := pv["source"]; !given {
				out["source"] = OverrideSource
				if _, given := pv["note"]; !given {
					delete(out, "note")
				}
			}
			if _, given := pv["range"]; !given {
				delete(out, "range")
			}
		}
		return out, nil
	case []any:
		bl, ok := base.([]any)
		if !ok || !idList(bl) {
			return pv, nil
		}
		return mergeList(path, bl, pv)
	default:
		return patch, nil
	}
}

// idList reports whether every element is an object with a string id.
func idList(l []any) bool {
	for _, e := range l {
		m, ok := e.(map[string]any)
		if !ok {
			return false
		}
		if _, ok := m["id"].(string); !ok {
			return false
		}
	}
	return true
}

func mergeList(path string, base, patch []any) ([]any, error) {
	out := append([]any(nil), base...)
	index := func(id string) int {
		for i, e := range out {
			if e.(map[string]any)["id"] == id {
				return i
			}
		}
		return -1
	}
	for i, e := range patch {
		m, ok := e.(map[string]any)
		id, hasID := m["id"].(string)
		if !ok || !hasID || id == "" {
			return nil, &ParamError{Path: fmt.Sprintf("%s[%d].id", path, i), Msg: "a list item in an overrides document needs an id"}
		}
		at := index(id)
		if rm, ok := m["remove"]; ok {
			if rm != true || len(m) != 2 {
				return nil, &ParamError{Path: path + "[" + id + "].remove", Msg: `must be true and stand alone with the id`}
			}
			if at < 0 {
				return nil, &ParamError{Path: path + "[" + id + "]", Msg: "cannot remove: no item has this id"}
			}
			out = append(out[:at], out[at+1:]...)
			continue
		}
		if at < 0 {
			out = append(out, m)
			continue
		}
		merged, err := mergePatch(path+"["+id+"]", out[at], m)
		if err != nil {
			return nil, err
		}
		out[at] = merged
	}
	return out, nil
}

func join(path, key string) string {
	if path == "" {
		return key
	}
	return path + "." + key
}

var (
	parametersType = reflect.TypeFor[Parameters]()
	figureType     = reflect.TypeFor[Figure]()
	mixType        = reflect.TypeFor[Mix]()
	rangeType      = reflect.TypeFor[Range]()
	rawType        = reflect.TypeFor[json.RawMessage]()
)

// checkShape walks a decoded JSON document along the Go type it will be
// decoded into and reports unknown keys and values of the wrong JSON type
// with their path; encoding/json would name neither.
func checkShape(c *errs, path string, v any, t reflect.Type) {
	if v == nil {
		return
	}
	switch {
	case t == rawType:
		return
	case t == rangeType:
		l, ok := v.([]any)
		ok = ok && len(l) == 2
		if ok {
			_, lowOK := l[0].(float64)
			_, highOK := l[1].(float64)
			ok = lowOK && highOK
		}
		if !ok {
			c.add(path, "must be a list of two numbers, [low, high]")
		}
		return
	case t == figureType:
		if _, ok := v.(float64); ok {
			return
		}
		m, ok := v.(map[string]any)
		if !ok {
			c.add(path, "must be a number or an object with value and source")
			return
		}
		for k, x := range m {
			switch k {
			case "value":
				if _, ok := x.(float64); !ok {
					c.add(join(path, k), "must be a number")
				}
			case "source", "note":
				if _, ok := x.(string); !ok && x != nil {
					c.add(join(path, k), "must be a string")
				}
			case "range":
				checkShape(c, join(path, k), x, rangeType)
			default:
				c.add(join(path, k), "unknown parameter, a figure has value, source, note and range")
			}
		}
		return
	case t == mixType:
		m, ok := v.(map[string]any)
		if !ok {
			c.add(path, "must be an object of channel ids to numbers, with source and note")
			return
		}
		for k, x := range m {
			switch k {
			case "source", "note":
				if _, ok := x.(string); !ok {
					c.add(join(path, k), "must be a string")
				}
			case "range":
				checkShape(c, join(path, k), x, rangeType)
			default:
				if _, ok := x.(float64); !ok {
					c.add(join(path, k), "must be a number")
				}
			}
		}
		return
	}
	switch t.Kind() {
	case reflect.Pointer:
		checkShape(c, path, v, t.Elem())
	case reflect.Struct:
		m, ok := v.(map[string]any)
		if !ok {
			c.add(path, "must be an object")
			return
		}
		fields := jsonFields(t)
		for _, k := range sortedKeys(m) {
			ft, ok := fields[k]
			if !ok {
				c.add(join(path, k), "unknown parameter")
				continue
			}
			checkShape(c, join(path, k), m[k], ft)
		}
	case reflect.Map:
		m, ok := v.(map[string]any)
		if !ok {
			c.add(path, "must be an object")
			return
		}
		for _, k := range sortedKeys(m) {
			checkShape(c, join(path, k), m[k], t.Elem())
		}
	case reflect.Slice:
		l, ok := v.([]any)
		if !ok {
			c.add(path, "must be a list")
			return
		}
		for i, e := range l {
			var id string
			if m, ok := e.(map[string]any); ok {
				id, _ = m["id"].(string)
			}
			checkShape(c, itemPath(path, i, id), e, t.Elem())
		}
	case reflect.String:
		if _, ok := v.(string); !ok {
			c.add(path, "must be a string")
		}
	case reflect.Float64, reflect.Float32, reflect.Int, reflect.Int64:
		if _, ok := v.(float64); !ok {
			c.add(path, "must be a number")
		}
	case reflect.Bool:
		if _, ok := v.(bool); !ok {
			c.add(path, "must be true or false")
		}
	}
}

// jsonFields maps the JSON names of a struct's exported fields to their
// types.
func jsonFields(t reflect.Type) map[string]reflect.Type {
	out := make(map[string]reflect.Type, t.NumField())
	for i := 0; i < t.NumField(); i++ {
		f := t.Field(i)
		if !f.IsExported() {
			continue
		}
		name, _, _ := strings.Cut(f.Tag.Get("json"), ",")
		if name == "-" {
			continue
		}
		if name == "" {
			name = f.Name
		}
		out[name] = f.Type
	}
	return out
}
