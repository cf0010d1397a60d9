//go:build !unix

package storetest

import (
	"context"
	"errors"
)

type cluster struct{}

func startCluster(context.Context) (*server, error) {
	return nil, errors.New("a throwaway PostgreSQL cluster needs a Unix system; set " + EnvPostgresURL)
}

func (*cluster) stop() error { return nil }
