package main

import (
	"context"
	"io"

	"github.com/poort-nl/poort/businesscase"
)

func businessCase(ctx context.Context, args []string, _ func(string) string, stdout, stderr io.Writer) error {
	return businesscase.RunCLI(ctx, args, stdout, stderr)
}
