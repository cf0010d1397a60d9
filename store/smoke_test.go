package store_test

import (
	"context"
	"testing"

	"github.com/poort-nl/poort/store/storetest"
)

func TestSmoke(t *testing.T) {
	env.Each(t, func(t *testing.T, db storetest.Named) {
		if err := db.Store.Ping(context.Background()); err != nil {
			t.Fatal(err)
		}
		t.Logf("%s ok, startup %v", db.Name, env.StartupTime())
	})
}
