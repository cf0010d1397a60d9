package main

import (
	"context"
	"io"

	"github.com/poort-nl/poort/audit"
	"github.com/poort-nl/poort/auth"
)

func token(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) error {
	return auth.RunTokenCLI(ctx, args, getenv, stdout, stderr)
}

func auditCommand(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) error {
	return audit.RunAuditCLI(ctx, args, getenv, stdout, stderr)
}
