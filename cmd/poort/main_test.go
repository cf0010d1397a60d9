package main

import (
	"bytes"
	"context"
	"encoding/json"
	"strings"
	"testing"
)

func noEnv(string) string { return "" }

func TestRunHelpAndUnknown(t *testing.T) {
	var out, errOut bytes.Buffer
	if err := run(context.Background(), []string{"help"}, noEnv, &out, &errOut); err != nil {
		t.Fatal(err)
	}
	for _, c := range commands() {
		if !strings.Contains(out.String(), c.name) {
			t.Errorf("help does not list %s", c.name)
		}
	}
	if err := run(context.Background(), []string{"frobnicate"}, noEnv, &out, &errOut); err == nil || !strings.Contains(err.Error(), "frobnicate") {
		t.Fatalf("unknown command: %v", err)
	}
}

func TestMocksExport(t *testing.T) {
	var out, errOut bytes.Buffer
	if err := run(context.Background(), []string{"mocks", "export", "--seed", "3", "--size", "60"}, noEnv, &out, &errOut); err != nil {
		t.Fatal(err)
	}
	var pop struct {
		Seed    uint64
		Persons []struct{ BSN string }
	}
	if err := json.Unmarshal(out.Bytes(), &pop); err != nil {
		t.Fatal(err)
	}
	if pop.Seed != 3 || len(pop.Persons) < 60 || len(pop.Persons[0].BSN) != 9 {
		t.Fatalf("export = seed %d, %d persons", pop.Seed, len(pop.Persons))
	}
}

func TestServeRefusesBadConfiguration(t *testing.T) {
	env := func(k string) string {
		if k == "POORT_UPSTREAM_TIMEOUT" {
			return "later"
		}
		return ""
	}
	var out, errOut bytes.Buffer
	err := run(context.Background(), nil, env, &out, &errOut)
	if err == nil || !strings.Contains(err.Error(), "POORT_UPSTREAM_TIMEOUT") {
		t.Fatalf("serve = %v", err)
	}
}
