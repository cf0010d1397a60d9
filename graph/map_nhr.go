package graph

import (
	"context"

	"go.opentelemetry.io/otel/attribute"
	"go.opentelemetry.io/otel/trace"

	"github.com/poort-nl/poort/connectors/nhr"
	"github.com/poort-nl/poort/graph/model"
	"github.com/poort-nl/poort/internal/batchload"
	"github.com/poort-nl/poort/internal/telemetry"
)

// This file reads the Handelsregister beyond its registration's look-ups,
// and maps its shapes to graph types.

// employerKvK finds the KvK number of an employer as UWV names it (RSIN,
// name, address) through the Handelsregister's search, once per employer
// per operation; "" when it finds none. Each search is a span ("load NHR
// employers"), as a registry's look-up batch is, so a trace shows which
// loader asked.
func (r *Resolver) employerKvK(ctx context.Context, e model.EmployerRef) (string, error) {
	// The search takes one employer per call: each is asked at once.
	l := loaderOf(r.req(ctx), "employers", func(ctx context.Context, refs []model.EmployerRef) ([]string, []error) {
		ctx, span := telemetry.TracerFrom(ctx).Start(ctx, "load NHR employers", trace.WithAttributes(
			attribute.String("poort.registry", string(nhr.Registry)), attribute.Int("poort.lookup.keys", len(refs))))
		defer span.End()
		h, err := nhr.From(r.reg)
		if err != nil {
			return nil, []error{err}
		}
		kvk, err := nhr.FindKvKNumber(ctx, h.Search, nhr.Registrant(refs[0]))
		return []string{kvk}, []error{err}
	}, batchload.Options{Capacity: 1})
	return l.Load(ctx, e)
}

// activities maps the SBI activities of a company's registration or
// branch, about that company.
func activities(kvk string, as []nhr.Activity) []*model.Activity {
	out := make([]*model.Activity, 0, len(as))
	for _, a := range as {
		main := a.Main
		out = append(out, &model.Activity{Subject: model.CompanySubject(kvk), Code: a.Code, Description: str(a.Description), Main: &main})
	}
	return out
}

func company(c *nhr.Company) *model.Company {
	m := &model.Company{
		KvKNumber: c.KvKNumber, Rsin: str(c.RSIN), Name: str(c.Name), TradeNames: c.TradeNames,
		LegalForm: str(c.LegalForm), LegalFormDetail: str(c.LegalFormDetail), Activities: activities(c.KvKNumber, c.Activities),
		RegistrationDate: model.DatePtr(c.RegistrationDate), StartDate: model.DatePtr(c.StartDate),
		EndDate: model.DatePtr(c.EndDate), Employees: c.Employees,
	}
	if c.MainBranch != nil {
		m.MainBranch = branch(c.KvKNumber, c.MainBranch)
	}
	return m
}

// branch maps a branch of the company with the KvK number, which the
// branch's own profile may leave out where a registration embeds it.
func branch(kvk string, b *nhr.Branch) *model.Branch {
	if b.KvKNumber != "" {
		kvk = b.KvKNumber
	}
	main, commercial := b.Main, b.Commercial
	names := b.TradeNames
	if len(names) == 0 && b.FirstTradeName != "" {
		names = []string{b.FirstTradeName}
	}
	m := &model.Branch{
		Subject: model.CompanySubject(kvk), BranchNumber: b.Number, KvKNumber: str(b.KvKNumber), TradeNames: names, Main: &main,
		Commercial: &commercial, FullTime: b.FullTime, PartTime: b.PartTime,
		Activities: activities(kvk, b.Activities), RegistrationDate: model.DatePtr(b.RegistrationDate),
	}
	for _, a := range b.Addresses {
		if a.Kind == nhr.VisitingAddress || m.VisitingAddress == nil {
			m.VisitingAddress = str(a.FullAddress)
			m.Refs.AddressID = a.AddressID
		}
	}
	return m
}

// companyRole maps a functionary's role in the company with the KvK
// number. It is about the person; a functionary without a BSN (a legal
// entity) leaves it about the company.
func companyRole(kvk, bsn, role, since string) *model.CompanyRole {
	about := model.PersonSubject(bsn)
	if bsn == "" {
		about = model.CompanySubject(kvk)
	}
	return &model.CompanyRole{
		Subject: about, Role: str(role), Since: model.DatePtr(since),
		Refs: model.CompanyRoleRefs{KvKNumber: kvk, BSN: bsn},
	}
}
