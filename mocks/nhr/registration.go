package nhr

import "github.com/poort-nl/poort/mocks"

// Registration describes the mock to the hub: the KvK APIs below /api, as
// on api.kvk.nl, and the functionarissen contract of our own, which the
// KvK APIs lack, below /api/v1 (the connector's FUNCTIONARIES_URL).
func Registration() mocks.Registration {
	return mocks.Registration{
		Registry: "NHR", BasePath: "/api", New: New,
		Settings:   map[string]string{"FUNCTIONARIES_URL": "/api/v1"},
		RequireKey: RequireKey,
	}
}
