package gqlhttp

import "testing"

func TestNegotiate(t *testing.T) {
	tests := []struct{ accept, want string }{
		{"", mediaJSON},
		{"application/json", mediaJSON},
		{"application/graphql-response+json", mediaGraphQLResponse},
		{"application/graphql-response+json, application/json", mediaGraphQLResponse},
		{"application/json, application/graphql-response+json", mediaJSON},
		{"application/json;q=0.9, application/graphql-response+json", mediaGraphQLResponse},
		{"application/graphql-response+json;q=0, application/json;q=0.1", mediaJSON},
		{"*/*", mediaJSON},
		{"application/*", mediaJSON},
		{"text/html, */*;q=0.8", mediaJSON},
		{"text/html", mediaJSON},
		{"application/graphql-response+json;q=abc, application/json;q=0.2", mediaJSON},
		{"not a media type, application/graphql-response+json", mediaGraphQLResponse},
	}
	for _, tt := range tests {
		if got := negotiate(tt.accept); got != tt.want {
			t.Errorf("negotiate(%q) = %q, want %q", tt.accept, got, tt.want)
		}
	}
}
