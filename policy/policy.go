// Package policy decides which fields a principal may see, like a BRP
// autorisatiebesluit: a policy file maps roles to the purposes
// (doelbinding) they may act under, and each purpose to the registry data,
// by lineage (registry, API resource and source path), it may see.
//
// The policy is data, validated at start-up against the schema's lineage,
// and compiled into bit sets so a decision per selected field costs a map
// look-up and an AND. Fields without lineage hold no registry data and are
// always allowed.
package policy

import (
	_ "embed" // the default policy
	"fmt"
	"math/bits"
	"os"
	"slices"
	"sort"
	"strings"

	"github.com/poort-nl/poort/auth"
	"github.com/poort-nl/poort/internal/lineage"
	"github.com/poort-nl/poort/internal/yamltree"
)

//go:embed default.yaml
var defaultYAML []byte

// DefaultFile is the name problems with the embedded policy are reported
// under.
const DefaultFile = "policy/default.yaml"

// Purpose is a purpose (doelbinding) and the registry data it may see.
type Purpose struct {
	Name        string
	Description string
	// LifeEvent is the life event the purpose serves, if any.
	LifeEvent string
	// ProcessingActivity is the URI of the processing activity
	// (verwerkingsactiviteit) in the register, which the audit log
	// records.
	ProcessingActivity string
	// Sources are the source patterns as written in the file.
	Sources []string
	// Fields are the schema fields the purpose may see, in lineage order.
	Fields []lineage.Field
}

// Role is a role principals act in.
type Role struct {
	Name        string
	Description string
	// Purposes are the purposes the role may act under.
	Purposes []string
	// Implicit roles hold all their purposes whether or not the token
	// names them (a citizen's portal token names none).
	Implicit bool
	// Citizen roles are for citizens; only they may carry a BSN, and a
	// token with a BSN must have one.
	Citizen bool
	// AuditLog roles may read the audit log.
	AuditLog bool
	// CaseWork are life events whose cases the role may open, read and
	// change without holding the event's purpose, such as a front office
	// that starts a case whose data it may not see. Holding the purpose of
	// an event grants its case work as well.
	CaseWork []string
	// Team is the chain partner (its catalogue id) or the front office
	// ("front-office") whose staff hold the role: handovers to that
	// partner are theirs to read and acknowledge, and handovers they make
	// are sent from it.
	Team string
}

// Policy is a validated, compiled policy. It is safe for concurrent use.
type Policy struct {
	file     string
	purposes []*Purpose // index = bit
	byName   map[string]int
	roles    map[string]*compiledRole
	fields   map[fieldKey]compiledField
	sources  map[sourceKey]bitset
	ix       *lineage.Index
}

type fieldKey struct{ typ, field string }

type sourceKey struct{ registry, endpoint, path string }

type compiledField struct {
	src lineage.Source
	// allowed are the purposes that may see the field or, for a
	// structure, one of its parts; whole those that may see all of it.
	allowed, whole bitset
}

type compiledRole struct {
	Role
	mask bitset
}

// Load loads the policy file at path, or the embedded default when path is
// empty, and validates it against the lineage.
func Load(path string, ix *lineage.Index) (*Policy, error) {
	if path == "" {
		return LoadDefault(ix)
	}
	src, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("policy: %w", err)
	}
	return Parse(path, src, ix)
}

// LoadDefault loads the embedded default policy.
func LoadDefault(ix *lineage.Index) (*Policy, error) {
	return Parse(DefaultFile, DefaultSource(), ix)
}

// DefaultSource returns the text of the embedded default policy, for a
// tool that gives a hub a policy file of its own made from it.
func DefaultSource() []byte { return slices.Clone(defaultYAML) }

// Problem is one thing wrong with a policy file, at a line; String reads
// "file:line: message".
type Problem = yamltree.Problem

// ValidationError lists everything wrong with a policy file.
type ValidationError struct {
	Problems []Problem
}

// Error lists the problems, one per line.
func (e *ValidationError) Error() string {
	lines := make([]string, len(e.Problems))
	for i, p := range e.Problems {
		lines[i] = p.String()
	}
	return fmt.Sprintf("invalid policy (%d problems):\n%s", len(e.Problems), strings.Join(lines, "\n"))
}

// File is the file the policy was loaded from.
func (pol *Policy) File() string { return pol.file }

// Purposes returns the purposes in file order.
func (pol *Policy) Purposes() []Purpose {
	out := make([]Purpose, len(pol.purposes))
	for i, p := range pol.purposes {
		out[i] = *p
	}
	return out
}

// Purpose returns a purpose by name.
func (pol *Policy) Purpose(name string) (Purpose, bool) {
	i, ok := pol.byName[name]
	if !ok {
		return Purpose{}, false
	}
	return *pol.purposes[i], true
}

// Roles returns the roles ordered by name.
func (pol *Policy) Roles() []Role {
	out := make([]Role, 0, len(pol.roles))
	for _, r := range pol.roles {
		out = append(out, r.Role)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Name < out[j].Name })
	return out
}

// ProcessingActivity returns the URI of a purpose's processing activity,
// or "" for an unknown purpose.
func (pol *Policy) ProcessingActivity(purpose string) string {
	if i, ok := pol.byName[purpose]; ok {
		return pol.purposes[i].ProcessingActivity
	}
	return ""
}

// LifeEventPurpose returns the first purpose serving a life event, or
// false when no purpose of the policy does.
func (pol *Policy) LifeEventPurpose(event string) (string, bool) {
	for _, p := range pol.purposes {
		if p.LifeEvent == event {
			return p.Name, true
		}
	}
	return "", false
}

// MayReadAuditLog reports whether the principal's role may read the audit
// log. A citizen never may.
func (pol *Policy) MayReadAuditLog(p auth.Principal) bool {
	r, ok := pol.roles[p.Role]
	return ok && r.AuditLog && !r.Citizen && !p.IsCitizen()
}

// bitset is a set of purpose indexes.
type bitset []uint64

func newBitset(n int) bitset { return make(bitset, (n+63)/64) }

func (b bitset) set(i int) { b[i/64] |= 1 << (i % 64) }

func (b bitset) or(o bitset) {
	for w := range b {
		b[w] |= o[w]
	}
}

func (b bitset) has(i int) bool { return i/64 < len(b) && b[i/64]&(1<<(i%64)) != 0 }

// first returns the lowest index in both sets, or -1.
func (b bitset) first(o bitset) int {
	for w := 0; w < len(b) && w < len(o); w++ {
		if x := b[w] & o[w]; x != 0 {
			return w*64 + bits.TrailingZeros64(x)
		}
	}
	return -1
}
