package graph

// Helpers of the map_<registry>.go files, which map each registry's shapes
// to graph types.

// str returns nil for the empty string: a value the registry left out.
func str(s string) *string {
	if s == "" {
		return nil
	}
	return &s
}

// intPtr returns nil for zero: a number the registry left out.
func intPtr(n int) *int {
	if n == 0 {
		return nil
	}
	return &n
}
