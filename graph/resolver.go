package graph

import (
	"context"
	"errors"
	"log/slog"
	"time"

	"github.com/99designs/gqlgen/graphql"
	"github.com/99designs/gqlgen/graphql/executor"
	"github.com/99designs/gqlgen/graphql/handler/lru"
	"github.com/vektah/gqlparser/v2/ast"

	"github.com/poort-nl/poort/businesscase"
	"github.com/poort-nl/poort/cases"
	"github.com/poort-nl/poort/connectors/registry"
	"github.com/poort-nl/poort/internal/lineage"
	"github.com/poort-nl/poort/internal/logging"
	"github.com/poort-nl/poort/lifeevents"
	"github.com/poort-nl/poort/policy"
	"github.com/poort-nl/poort/store"
)

// The registry interfaces the graph resolves with are declared once, in
// connectors/registry, where resilience takes them too; these aliases keep
// their graph names.
type (
	// PersonRegistry is what the graph asks of the BRP.
	PersonRegistry = registry.Persons
	// CompanyRegistry is what the graph asks of the Handelsregister.
	CompanyRegistry = registry.Companies
	// AddressRegistry is what the graph asks of the BAG.
	AddressRegistry = registry.Addresses
	// VehicleRegistry is what the graph asks of the RDW.
	VehicleRegistry = registry.Vehicles
	// EmploymentRegistry is what the graph asks of UWV.
	EmploymentRegistry = registry.Employments
)

// Registries are the connectors the graph resolves with.
type Registries struct {
	BRP PersonRegistry
	NHR CompanyRegistry
	BAG AddressRegistry
	RDW VehicleRegistry
	UWV EmploymentRegistry
}

// Options configure the resolver.
type Options struct {
	Registries Registries
	// Lineage is the schema's @source index.
	Lineage *lineage.Index
	// MunicipalityName returns a municipality's name by its four-digit
	// CBS code.
	MunicipalityName func(code string) (string, bool)
	// BatchWait is how long a loader collects keys before it calls a
	// registry. Zero means one millisecond.
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

// AuditReader lists the audit log per data subject.
type AuditReader interface {
	ListAudit(ctx context.Context, subject store.DataSubject, p store.Page) (*store.AuditConnection, error)
}

// Resolver is the root of all resolvers and the one place where the graph's
// dependencies are injected.
type Resolver struct {
	reg          Registries
	lineage      *lineage.Index
	municipality func(code string) (string, bool)
	batchWait    time.Duration
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
	if r.BRP == nil || r.NHR == nil || r.BAG == nil || r.RDW == nil || r.UWV == nil {
		return nil, errors.New("graph: a connector for every registry is needed")
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
		res.batchWait = time.Millisecond
	}
	if res.now == nil {
		res.now = time.Now
	}
	if res.municipality == nil {
		res.municipality = func(string) (string, bool) { return "", false }
	}
	res.es = NewExecutableSchema(Config{Resolvers: res})
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

// schema returns the graph's schema.
func (r *Resolver) schema() *ast.Schema { return r.es.Schema() }
