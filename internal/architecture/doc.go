// Package architecture holds the tests that the packages keep the rules
// docs/architecture.md states: which may import which, where SQL lives,
// and that the document names every package there is. It has no code of
// its own.
package architecture
