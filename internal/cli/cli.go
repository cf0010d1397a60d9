// Package cli holds what every `poort` command does alike with its
// arguments: help on request, and a clear refusal of what it does not know.
package cli

import (
	"errors"
	"flag"
	"fmt"
	"io"
)

// Parse parses a command's flags; fs's name is the command as the user
// types it (`poort token`). Asked for help (-h, -help, --help), it prints
// usage and the flags to stdout and reports done, with no error: help is
// an answer, not a failure. An unknown flag, a bad value or an argument
// the command does not take is an error that says how to get help, and
// done. usage may be empty, for a command that only has flags.
func Parse(fs *flag.FlagSet, args []string, usage string, stdout io.Writer) (done bool, err error) {
	fs.SetOutput(io.Discard) // the error returned says it once
	fs.Usage = func() {}
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			PrintUsage(fs, usage, stdout)
			return true, nil
		}
		return true, fmt.Errorf("%s: %w; run `%s --help`", fs.Name(), err, fs.Name())
	}
	if fs.NArg() > 0 {
		return true, fmt.Errorf("%s: unexpected argument %q; run `%s --help`", fs.Name(), fs.Arg(0), fs.Name())
	}
	return false, nil
}

// PrintUsage writes usage and the flags' defaults to w.
func PrintUsage(fs *flag.FlagSet, usage string, w io.Writer) {
	if usage == "" {
		usage = "usage: " + fs.Name() + " [flags]\n\nFlags:\n"
	}
	fmt.Fprint(w, usage)
	fs.SetOutput(w)
	fs.PrintDefaults()
	fs.SetOutput(io.Discard)
}
