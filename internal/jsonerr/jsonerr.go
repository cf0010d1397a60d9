// Package jsonerr says what is wrong with a JSON document a user gave (a
// file, a flag, a variable) in the document's terms: where in it, and
// what kind of value was wanted. encoding/json's own errors name the Go
// types it decodes into, which mean nothing to the user.
package jsonerr

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"reflect"
	"strings"
)

// Explain rewrites err from decoding JSON into a message for the user;
// an error that is not about the document's form is returned without the
// "json: " prefix. nil stays nil.
func Explain(err error) error {
	var typ *json.UnmarshalTypeError
	var syntax *json.SyntaxError
	switch {
	case err == nil:
		return nil
	case errors.As(err, &typ):
		// Field holds the keys of objects decoded into structs, not those
		// of maps; the offset places the rest.
		where := typ.Field
		switch {
		case where != "":
		case typ.Offset <= 1:
			where = "the document"
		default:
			where = fmt.Sprintf("the value before byte %d", typ.Offset)
		}
		return fmt.Errorf("%s: want %s, got %s", where, kind(typ.Type), value(typ.Value))
	case errors.As(err, &syntax):
		return fmt.Errorf("not valid JSON at byte %d: %s", syntax.Offset, syntax.Error())
	case errors.Is(err, io.ErrUnexpectedEOF), errors.Is(err, io.EOF):
		return errors.New("the JSON ends too early")
	}
	return errors.New(strings.TrimPrefix(err.Error(), "json: "))
}

// Unmarshal is json.Unmarshal with its errors explained.
func Unmarshal(data []byte, v any) error {
	return Explain(json.Unmarshal(data, v))
}

// UnmarshalStrict is Unmarshal that refuses fields v does not have, so a
// misspelt key is an error rather than ignored.
func UnmarshalStrict(data []byte, v any) error {
	dec := json.NewDecoder(strings.NewReader(string(data)))
	dec.DisallowUnknownFields()
	if err := dec.Decode(v); err != nil {
		return Explain(err)
	}
	if dec.More() {
		return errors.New("more than one JSON value")
	}
	return nil
}

// kind names the JSON a Go type is decoded from.
func kind(t reflect.Type) string {
	for t != nil && t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	if t == nil {
		return "a value"
	}
	switch t.Kind() {
	case reflect.Slice, reflect.Array:
		return "a list"
	case reflect.Struct, reflect.Map:
		return "an object"
	case reflect.String:
		return "a string"
	case reflect.Bool:
		return "true or false"
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64,
		reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64:
		return "a whole number"
	case reflect.Float32, reflect.Float64:
		return "a number"
	}
	return "a value"
}

// value names the JSON value encoding/json describes ("object",
// "number 1.5", "array").
func value(v string) string {
	first, rest, _ := strings.Cut(v, " ")
	switch first {
	case "object":
		return "an object"
	case "array":
		return "a list"
	case "string":
		return "a string"
	case "bool":
		return "true or false"
	case "number":
		if rest != "" {
			return "the number " + rest
		}
		return "a number"
	}
	return v
}
