package graph

// gqlgen reads gqlgen.yml, whose paths are relative to the module root.
//go:generate sh -c "cd .. && go tool gqlgen generate"
