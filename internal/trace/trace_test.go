package trace

import (
	"context"
	"strings"
	"testing"
)

func TestFromTraceparent(t *testing.T) {
	c := FromTraceparent("00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01")
	if c.TraceID != "4bf92f3577b34da6a3ce929d0e0e4736" || len(c.SpanID) != 16 {
		t.Fatalf("got %+v", c)
	}
	for _, bad := range []string{"", "garbage", "00-00000000000000000000000000000000-00f067aa0ba902b7-01", "01-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01", "00-4BF92F3577B34DA6A3CE929D0E0E4736-00f067aa0ba902b7-01"} {
		c := FromTraceparent(bad)
		if strings.Contains(bad, string(c.TraceID)) || len(c.TraceID) != 32 {
			t.Errorf("FromTraceparent(%q) = %+v, want a fresh trace", bad, c)
		}
	}
	ctx := With(context.Background(), c)
	if IDFrom(ctx) != c.TraceID {
		t.Fatal("IDFrom")
	}
	if got := c.Traceparent(); len(got) != 55 {
		t.Fatalf("Traceparent = %q", got)
	}
}
