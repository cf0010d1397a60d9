package graph

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"strings"
	"time"

	"github.com/99designs/gqlgen/graphql"
	"github.com/99designs/gqlgen/graphql/executor"
	"github.com/99designs/gqlgen/graphql/handler/lru"
	"github.com/vektah/gqlparser/v2/ast"

	"github.com/poort-nl/poort/businesscase"
	"github.com/poort-nl/poort/cases"
	"github.com/poort-nl/poort/connectors"
	"github.com/poort-nl/poort/internal/lineage"
	"github.com/poort-nl/poort/internal/logging"
	"github.com/poort-nl/poort/lifeevents"
	"github.com/poort-nl/poort/policy"
	"github.com/poort-nl/poort/store"
)

// Options configure the resolver.
type Options struct {
	// Registries are the open registries the graph resolves with: one for
	// every value of the schema's Registry enum, each with the look-ups its
	// registration declares (possibly wrapped in a cache).
	Registries connectors.Registries
	// Lineage is the schema's @source index.
	Lineage *lineage.Index
	// MunicipalityName returns a municipality's name by its four-digit
	// CBS code.
	MunicipalityName func(code string) (string, bool)
	// BatchWait is the longest a loader's batch waits for resolvers that
	// could still add keys to it; it goes as soon as none is running
	// (internal/batchload). Zero means ten milliseconds.
	BatchWait time.Duration
	// Now returns the current time; nil means time.Now.
	Now func() time.Time
	// Catalogue is the life-event catalogue.
	Catalogue *lifeevents.Catalogue
	// Health returns the registries' health over the recent window, for
	// the coupling-gap report and the step statuses; nil means all healthy.
	Health func() []lifeevents.RegistryHealth
	// Thresholds judge that health; zero means lifeevents.DefaultThresholds.
	Thresholds lifeevents.Thresholds
	// Logger receives internal errors; nil discards them.
	Logger *slog.Logger
	// BusinessCase holds the business-case model's default parameters.
	BusinessCase *businesscase.Parameters
	// Policy decides who may see which field; nil lets everyone see
	// everything and records no disclosures (for tests of the graph alone).
	Policy *policy.Policy
	// AuditLog answers the auditor's questions.
	AuditLog AuditReader
	// Cases opens cases for life events and makes warm handovers.
	Cases *cases.Service
}

// AuditReader lists the audit log per data subject, and reads one record
// by its position in the chain (ErrNotFound when there is none).
type AuditReader interface {
	ListAudit(ctx context.Context, subject store.DataSubject, p store.Page) (*store.AuditConnection, error)
	AuditEntry(ctx context.Context, seq int64) (*store.AuditEntry, error)
}

// Resolver is the root of all resolvers and the one place where the graph's
// dependencies are injected.
type Resolver struct {
	reg          connectors.Registries
	lineage      *lineage.Index
	municipality func(code string) (string, bool)
	batchWait    time.Duration
	// implementors are the type names each object type's fields are
	// collected by (implementorsOf).
	implementors map[string][]string
	now          func() time.Time
	catalogue    *catalogueView
	health       func() []lifeevents.RegistryHealth
	thresholds   lifeevents.Thresholds
	log          *slog.Logger
	businessCase *businesscase.Parameters
	policy       *policy.Policy
	auditLog     AuditReader
	cases        *cases.Service
	// exec runs operations from within resolvers, e.g. to resolve the data
	// a life event needs.
	exec *executor.Executor
	es   graphql.ExecutableSchema
}

// NewResolver builds the root resolver.
func NewResolver(o Options) (*Resolver, error) {
	r := o.Registries
	if err := checkRegistries(r); err != nil {
		return nil, err
	}
	if o.Lineage == nil {
		return nil, errors.New("graph: no lineage index")
	}
	if o.Catalogue == nil {
		return nil, errors.New("graph: no life-event catalogue")
	}
	res := &Resolver{
		reg: r, lineage: o.Lineage, municipality: o.MunicipalityName, batchWait: o.BatchWait, now: o.Now,
		catalogue: newCatalogueView(o.Catalogue), health: o.Health, thresholds: o.Thresholds, log: o.Logger,
		businessCase: o.BusinessCase, policy: o.Policy, auditLog: o.AuditLog, cases: o.Cases,
	}
	if res.log == nil {
		res.log = logging.Discard()
	}
	if res.batchWait <= 0 {
		res.batchWait = 10 * time.Millisecond
	}
	if res.now == nil {
		res.now = time.Now
	}
	if res.municipality == nil {
		res.municipality = func(string) (string, bool) { return "", false }
	}
	res.es = NewExecutableSchema(Config{Resolvers: res})
	res.implementors = implementorsOf(res.es.Schema())
	res.exec = executor.New(res.es)
	// The nested operations are a handful of fixed texts (one per life
	// event, one per subject kind): parse and validate each once.
	res.exec.SetQueryCache(lru.New[*ast.QueryDocument](32))
	res.exec.AroundOperations(res.AroundOperations)
	res.exec.AroundFields(res.AroundFields)
	res.exec.SetErrorPresenter(ErrorPresenter(res.log))
	res.exec.SetRecoverFunc(Recover(res.log))
	return res, nil
}

// checkRegistries makes sure every registry of the schema's Registry enum
// has a connector to resolve with.
func checkRegistries(rs connectors.Registries) error {
	var missing []string
	for _, v := range NewExecutableSchema(Config{}).Schema().Types["Registry"].EnumValues {
		if o, ok := rs[connectors.Registry(v.Name)]; !ok || o.Connector == nil {
			missing = append(missing, v.Name)
		}
	}
	if len(missing) > 0 {
		return fmt.Errorf("graph: no connector for registry %s of the schema", strings.Join(missing, ", "))
	}
	return nil
}

// schema returns the graph's schema.
func (r *Resolver) schema() *ast.Schema { return r.es.Schema() }
