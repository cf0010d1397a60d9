// Package logscan finds personal data of the synthetic population in log
// output, for tests that hold the application log to containing none. It
// lives apart from package logging so that the logger, which production
// code imports, does not depend on the mock population.
package logscan

import (
	"bufio"
	"bytes"
	"fmt"
	"slices"
	"strings"
	"unicode"

	"github.com/poort-nl/poort/mocks/population"
)

// Finding is personal data of the synthetic population found in log
// output. It names the person by position in the population, never by the
// data found, so a test can report it without repeating it.
type Finding struct {
	// Line is the 1-based line of the log output.
	Line int
	// Kind is "BSN", "full name" or "name" (first given name and surname).
	Kind string
	// Person is the index of the person in Population.Persons.
	Person int
}

func (f Finding) String() string {
	return fmt.Sprintf("line %d: %s of person %d", f.Line, f.Kind, f.Person)
}

// ScanForPersonalData reports every BSN and name of the population's
// persons that occurs in log output: a BSN as a run of exactly nine
// digits, a name as the full name the BRP gives (given names, prefix,
// surname) or the first given name with prefix and surname, matched as
// whole words regardless of case. An end-to-end test runs it over the
// hub's application log, which must yield nothing.
func ScanForPersonalData(log []byte, pop *population.Population) []Finding {
	s := newScanner(pop)
	var out []Finding
	sc := bufio.NewScanner(bytes.NewReader(log))
	sc.Buffer(make([]byte, 0, 64<<10), 16<<20)
	line := 0
	for sc.Scan() {
		line++
		out = append(out, s.line(line, sc.Text())...)
	}
	return out
}

type nameCandidate struct {
	words  []string
	person int
	kind   string
}

type personScanner struct {
	bsns  map[string]int
	names map[string][]nameCandidate // by last word
}

func newScanner(pop *population.Population) *personScanner {
	s := &personScanner{bsns: map[string]int{}, names: map[string][]nameCandidate{}}
	add := func(words []string, person int, kind string) {
		if len(words) < 2 {
			return // a lone surname is too common a word to count
		}
		last := words[len(words)-1]
		s.names[last] = append(s.names[last], nameCandidate{words: words, person: person, kind: kind})
	}
	for i, p := range pop.Persons {
		s.bsns[p.BSN] = i
		given := words(p.GivenNames)
		tail := append(words(p.Prefix), words(p.Surname)...)
		add(append(append([]string{}, given...), tail...), i, "full name")
		if len(given) > 1 {
			add(append([]string{given[0]}, tail...), i, "name")
		}
	}
	return s
}

func (s *personScanner) line(n int, text string) []Finding {
	var out []Finding
	for _, run := range digitRuns(text) {
		if i, ok := s.bsns[run]; ok {
			out = append(out, Finding{Line: n, Kind: "BSN", Person: i})
		}
	}
	ws := words(text)
	for end, w := range ws {
		for _, c := range s.names[w] {
			start := end - len(c.words) + 1
			if start >= 0 && slices.Equal(ws[start:end+1], c.words) {
				out = append(out, Finding{Line: n, Kind: c.kind, Person: c.person})
			}
		}
	}
	return out
}

// digitRuns returns the maximal runs of exactly nine ASCII digits.
func digitRuns(s string) []string {
	var out []string
	start := -1
	for i := 0; i <= len(s); i++ {
		if i < len(s) && s[i] >= '0' && s[i] <= '9' {
			if start < 0 {
				start = i
			}
			continue
		}
		if start >= 0 && i-start == 9 {
			out = append(out, s[start:i])
		}
		start = -1
	}
	return out
}

// words splits text into lower-case words of letters, digits, hyphens
// and apostrophes, as names are written.
func words(s string) []string {
	return strings.FieldsFunc(strings.ToLower(s), func(r rune) bool {
		return !unicode.IsLetter(r) && !unicode.IsDigit(r) && r != '-' && r != '\''
	})
}
