package model

import (
	"fmt"
	"io"
	"strconv"
	"time"

	"github.com/vektah/gqlparser/v2/gqlerror"
)

// Date is a calendar date in ISO 8601 form, "2006-01-02".
type Date string

// DateOf returns t's date.
func DateOf(t time.Time) Date { return Date(t.Format(time.DateOnly)) }

// ParseDate checks an ISO date.
func ParseDate(s string) (Date, error) {
	if _, err := time.Parse(time.DateOnly, s); err != nil {
		return "", fmt.Errorf("a date is written as YYYY-MM-DD, e.g. 2024-03-31")
	}
	return Date(s), nil
}

// DatePtr returns a pointer to the date, or nil for the empty string.
func DatePtr(s string) *Date {
	if s == "" {
		return nil
	}
	d := Date(s)
	return &d
}

// UnmarshalGQL reads a Date from a GraphQL value.
func (d *Date) UnmarshalGQL(v any) error {
	s, ok := v.(string)
	if !ok {
		return gqlerror.Errorf("a date is a string written as YYYY-MM-DD")
	}
	p, err := ParseDate(s)
	if err != nil {
		return gqlerror.Errorf("%s", err.Error())
	}
	*d = p
	return nil
}

// MarshalGQL writes the Date as a GraphQL string.
func (d Date) MarshalGQL(w io.Writer) {
	io.WriteString(w, strconv.Quote(string(d)))
}
