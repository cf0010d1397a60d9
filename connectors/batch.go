package connectors

import (
	"context"
	"maps"
	"sync"

	"golang.org/x/sync/errgroup"
)

// Batches calls call for the keys in batches of at most size keys, with at
// most limit calls running at once, and merges the maps the calls return.
// It is how a connector asks a registry for many keys: the caller checks and
// de-duplicates the keys first, and call makes one registry call (size 1
// for an API that takes one key per call). The first error cancels the
// calls still running and is returned.
func Batches[T any](ctx context.Context, keys []string, size, limit int,
	call func(ctx context.Context, batch []string) (map[string]T, error)) (map[string]T, error) {
	out := make(map[string]T, len(keys))
	var mu sync.Mutex
	g, ctx := errgroup.WithContext(ctx)
	g.SetLimit(limit)
	for start := 0; start < len(keys); start += size {
		batch := keys[start:min(start+size, len(keys))]
		g.Go(func() error {
			got, err := call(ctx, batch)
			if err != nil {
				return err
			}
			mu.Lock()
			maps.Copy(out, got)
			mu.Unlock()
			return nil
		})
	}
	if err := g.Wait(); err != nil {
		return nil, err
	}
	return out, nil
}
