package store_test

import (
	"os"
	"testing"

	"github.com/poort-nl/poort/store/storetest"
)

// env provides a fresh store per test on SQLite and on PostgreSQL.
var env = storetest.New()

func TestMain(m *testing.M) { os.Exit(env.Main(m)) }
