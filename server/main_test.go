package server_test

import (
	"os"
	"testing"

	"github.com/poort-nl/poort/store/storetest"
)

// env provides stores on SQLite and PostgreSQL for the tests whose
// behaviour depends on the database.
var stores = storetest.New()

func TestMain(m *testing.M) { os.Exit(stores.Main(m)) }
