package trace

import (
	"context"
	"runtime"
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
	// A header longer than a valid one is not read, however it starts.
	long := "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01" + strings.Repeat("-01", 20000)
	var before, after runtime.MemStats
	runtime.ReadMemStats(&before)
	c2 := FromTraceparent(long)
	runtime.ReadMemStats(&after)
	if c2.TraceID == "4bf92f3577b34da6a3ce929d0e0e4736" {
		t.Errorf("a %d-byte header was continued", len(long))
	}
	if n := after.TotalAlloc - before.TotalAlloc; n > 4<<10 {
		t.Errorf("reading a %d-byte header allocated %d bytes", len(long), n)
	}
	// The span, and so the request id, is the hub's own: a repeated
	// traceparent continues the trace but never repeats a request id.
	a, b := FromTraceparent("00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01"), FromTraceparent("00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01")
	if a.TraceID != b.TraceID || a.RequestID() == b.RequestID() || a.RequestID() == "00f067aa0ba902b7" {
		t.Errorf("request ids %q and %q of one traceparent", a.RequestID(), b.RequestID())
	}
	ctx := With(context.Background(), c)
	if IDFrom(ctx) != c.TraceID {
		t.Fatal("IDFrom")
	}
	if got := c.Traceparent(); len(got) != 55 {
		t.Fatalf("Traceparent = %q", got)
	}
}
