// Package envconfig reads configuration from environment variables. A
// Reader collects an error for every bad variable, so that a
// configuration reports all its mistakes at once instead of one per start.
//
// Values are trimmed of surrounding space; an empty value means the
// default. A bad value is reported as NAME="value": want ..., and the
// default is used in its place.
package envconfig

import (
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"
)

// Reader reads variables through Getenv (os.Getenv in the hub, a map in
// tests) and collects the errors of the bad ones.
type Reader struct {
	// Getenv returns the value of a variable, empty when it is not set.
	Getenv func(string) string
	// DurationExample ends the error of a bad duration, as in "want a
	// duration such as 5s or 800ms".
	DurationExample string

	errs []error
}

// Add records an error that reading a single variable cannot find, such as
// two variables that contradict each other. A nil error is ignored.
func (r *Reader) Add(err error) {
	if err != nil {
		r.errs = append(r.errs, err)
	}
}

// Err returns every error recorded so far, joined, or nil.
func (r *Reader) Err() error { return errors.Join(r.errs...) }

// String returns the trimmed value of name, or def when it is empty.
func (r *Reader) String(name, def string) string {
	if v := strings.TrimSpace(r.Getenv(name)); v != "" {
		return v
	}
	return def
}

// Value reads name with parse, which returns the parsed value and whether
// it is acceptable. An unacceptable value is recorded as
// NAME="value": want <want>, and def returned.
func Value[T any](r *Reader, name string, def T, want string, parse func(string) (T, bool)) T {
	v := r.String(name, "")
	if v == "" {
		return def
	}
	x, ok := parse(v)
	if !ok {
		r.Add(fmt.Errorf("%s=%q: want %s", name, v, want))
		return def
	}
	return x
}

// Duration reads a duration that is not negative.
func (r *Reader) Duration(name string, def time.Duration) time.Duration {
	return Value(r, name, def, "a duration such as "+r.DurationExample, durationFrom(0))
}

// DurationAtLeast reads a duration of at least least.
func (r *Reader) DurationAtLeast(name string, def, least time.Duration) time.Duration {
	want := fmt.Sprintf("a duration of at least %v, such as %s", least, r.DurationExample)
	return Value(r, name, def, want, durationFrom(least))
}

func durationFrom(least time.Duration) func(string) (time.Duration, bool) {
	return func(v string) (time.Duration, bool) {
		d, err := time.ParseDuration(v)
		return d, err == nil && d >= least
	}
}

// Int reads a whole number from lo to hi.
func (r *Reader) Int(name string, def, lo, hi int) int {
	return Value(r, name, def, fmt.Sprintf("a whole number from %d to %d", lo, hi), func(v string) (int, bool) {
		n, err := strconv.Atoi(v)
		return n, err == nil && n >= lo && n <= hi
	})
}

// Bool reads true or false, in any form strconv.ParseBool accepts.
func (r *Reader) Bool(name string, def bool) bool {
	return Value(r, name, def, "true or false", func(v string) (bool, bool) {
		b, err := strconv.ParseBool(v)
		return b, err == nil
	})
}

// OneOf reads one of the allowed values, exactly as written.
func (r *Reader) OneOf(name, def string, allowed ...string) string {
	want := "one of " + strings.Join(allowed, ", ")
	return Value(r, name, def, want, func(v string) (string, bool) {
		for _, a := range allowed {
			if v == a {
				return v, true
			}
		}
		return v, false
	})
}
