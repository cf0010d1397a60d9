package main

import (
	"context"
	"io"

	"github.com/poort-nl/poort/internal/bench"
)

func benchCommand(ctx context.Context, args []string, _ func(string) string, stdout, stderr io.Writer) error {
	return bench.Run(ctx, args, stdout, stderr)
}

func soak(ctx context.Context, args []string, _ func(string) string, stdout, stderr io.Writer) error {
	return bench.RunSoak(ctx, args, stdout, stderr)
}
