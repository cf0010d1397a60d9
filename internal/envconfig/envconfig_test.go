package envconfig

import (
	"errors"
	"strconv"
	"testing"
	"time"
)

func reader(m map[string]string) *Reader {
	return &Reader{Getenv: func(k string) string { return m[k] }, DurationExample: "5s or 800ms"}
}

func TestDefaultsWhenUnsetOrBlank(t *testing.T) {
	r := reader(map[string]string{"BLANK": "  "})
	if got := r.String("BLANK", "d"); got != "d" {
		t.Errorf("String = %q, want the default", got)
	}
	if got := r.Duration("UNSET", time.Second); got != time.Second {
		t.Errorf("Duration = %v, want the default", got)
	}
	if got := r.Int("BLANK", 7, 0, 10); got != 7 {
		t.Errorf("Int = %d, want the default", got)
	}
	if got := r.Bool("UNSET", true); !got {
		t.Error("Bool = false, want the default")
	}
	if got := r.OneOf("UNSET", "text", "text", "json"); got != "text" {
		t.Errorf("OneOf = %q, want the default", got)
	}
	if err := r.Err(); err != nil {
		t.Fatal(err)
	}
}

func TestValues(t *testing.T) {
	r := reader(map[string]string{
		"S": " x ", "D": "800ms", "DL": "2s", "I": "10", "B": "false", "O": "json",
	})
	if got := r.String("S", ""); got != "x" {
		t.Errorf("String = %q, want it trimmed", got)
	}
	if got := r.Duration("D", 0); got != 800*time.Millisecond {
		t.Errorf("Duration = %v", got)
	}
	if got := r.DurationAtLeast("DL", 0, time.Second); got != 2*time.Second {
		t.Errorf("DurationAtLeast = %v", got)
	}
	if got := r.Int("I", 0, 0, 10); got != 10 {
		t.Errorf("Int = %d", got)
	}
	if got := r.Bool("B", true); got {
		t.Error("Bool = true")
	}
	if got := r.OneOf("O", "text", "text", "json"); got != "json" {
		t.Errorf("OneOf = %q", got)
	}
	if err := r.Err(); err != nil {
		t.Fatal(err)
	}
}

func TestEveryBadValueIsReported(t *testing.T) {
	r := reader(map[string]string{
		"D": "soon", "N": "-1s", "DL": "5ms", "I": "11", "B": "maybe", "O": "xml", "F": "fast",
	})
	r.Duration("D", time.Second)
	r.Duration("N", time.Second)
	r.DurationAtLeast("DL", time.Second, 10*time.Millisecond)
	if got := r.Int("I", 3, 0, 10); got != 3 {
		t.Errorf("a bad Int gave %d, want the default", got)
	}
	r.Bool("B", false)
	r.OneOf("O", "text", "text", "json")
	Value(r, "F", 1.0, "requests per second", func(v string) (float64, bool) {
		f, err := strconv.ParseFloat(v, 64)
		return f, err == nil
	})
	r.Add(nil)
	r.Add(errors.New("A and B contradict"))
	want := `D="soon": want a duration such as 5s or 800ms
N="-1s": want a duration such as 5s or 800ms
DL="5ms": want a duration of at least 10ms, such as 5s or 800ms
I="11": want a whole number from 0 to 10
B="maybe": want true or false
O="xml": want one of text, json
F="fast": want requests per second
A and B contradict`
	if err := r.Err(); err == nil || err.Error() != want {
		t.Errorf("err =\n%v\nwant\n%s", err, want)
	}
}
