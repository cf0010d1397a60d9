package main

import (
	"bytes"
	"context"
	"encoding/json"
	"strings"
	"testing"
)

func TestBenchRefusesBadFlags(t *testing.T) {
	for _, args := range [][]string{
		{"-concurrency", "0"},
		{"-concurrency", "1,many"},
		{"-queries", "everything"},
		{"-ways", "critical"},
		{"-ways", "hub,fastest"},
		{"-hub", "elsewhere"},
		{"-hub", "http://127.0.0.1:1"}, // no token
		{"-size"},
		{"extra"},
	} {
		var out, errOut bytes.Buffer
		if err := run(context.Background(), append([]string{"bench"}, args...), noEnv, &out, &errOut); err == nil {
			t.Errorf("bench %v: no error", args)
		}
	}
	for _, args := range [][]string{{"-clients", "0"}, {"-duration", "soon"}, {"extra"}} {
		var out, errOut bytes.Buffer
		if err := run(context.Background(), append([]string{"soak"}, args...), noEnv, &out, &errOut); err == nil {
			t.Errorf("soak %v: no error", args)
		}
	}
}

// TestBenchFlags runs a tiny bench in this process: the flags reach the
// run, as its report repeats them.
func TestBenchFlags(t *testing.T) {
	var out, errOut bytes.Buffer
	err := run(context.Background(), []string{"bench", "-hub", "in-process", "-size", "200", "-latency", "0", "-jitter", "0",
		"-concurrency", "2", "-count", "3", "-queries", "address", "-ways", "hub,critical", "-subjects", "2", "-verify", "1",
		"-warmup", "0", "-json", "-"}, noEnv, &out, &errOut)
	if err != nil {
		t.Fatalf("%v\n%s", err, errOut.String())
	}
	var r struct {
		Settings struct {
			Hub         string
			Concurrency []int
			Queries     []string
			Ways        []string
			Count       int
		}
		Levels []struct{ Queries []struct{ Query string } }
	}
	if err := json.Unmarshal(out.Bytes(), &r); err != nil {
		t.Fatal(err)
	}
	s := r.Settings
	if s.Hub != "in-process" || len(s.Concurrency) != 1 || s.Concurrency[0] != 2 || s.Count != 3 ||
		strings.Join(s.Queries, ",") != "address" || strings.Join(s.Ways, ",") != "hub,critical" {
		t.Errorf("settings %+v", s)
	}
	if len(r.Levels) != 1 || len(r.Levels[0].Queries) != 1 || r.Levels[0].Queries[0].Query != "address" {
		t.Errorf("levels %+v", r.Levels)
	}
}
