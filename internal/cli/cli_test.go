package cli

import (
	"bytes"
	"flag"
	"strings"
	"testing"
)

func TestParse(t *testing.T) {
	for _, tt := range []struct {
		args     []string
		done     bool
		err, out string
	}{
		{[]string{"--n", "3"}, false, "", ""},
		{[]string{"-h"}, true, "", "usage: poort thing [flags]"},
		{[]string{"--help"}, true, "", "-n int"},
		{[]string{"exprot"}, true, "poort thing: unexpected argument \"exprot\"; run `poort thing --help`", ""},
		{[]string{"--m"}, true, "poort thing: flag provided but not defined: -m; run `poort thing --help`", ""},
		{[]string{"--n", "many"}, true, "invalid value \"many\"", ""},
	} {
		fs := flag.NewFlagSet("poort thing", flag.ContinueOnError)
		fs.Int("n", 1, "how many")
		var out bytes.Buffer
		done, err := Parse(fs, tt.args, "", &out)
		if done != tt.done || (err == nil) != (tt.err == "") || err != nil && !strings.Contains(err.Error(), tt.err) || !strings.Contains(out.String(), tt.out) {
			t.Errorf("%v: done %v, err %v, out %q", tt.args, done, err, out.String())
		}
	}
}
