package graph

import (
	"github.com/poort-nl/poort/connectors/uwv"
	"github.com/poort-nl/poort/graph/model"
)

// This file maps UWV shapes to graph types.

func uwvCode(c uwv.Code) *model.CodeValue {
	if c.Code == "" {
		return nil
	}
	return &model.CodeValue{Code: str(c.Code), Description: str(c.Description)}
}

// employment maps an income relation of the employee with the BSN.
func employment(bsn string, e uwv.Employment, today model.Date) *model.Employment {
	current := e.End == "" || string(today) <= e.End
	m := &model.Employment{
		Subject: model.PersonSubject(bsn), EmployerName: str(e.EmployerName), PayrollTaxNumber: str(e.PayrollTaxNumber),
		Start: model.DatePtr(e.Start), End: model.DatePtr(e.End), Current: &current,
		IncomeKind: uwvCode(e.IncomeKind), Relation: uwvCode(e.Relation), ContractType: uwvCode(e.ContractType),
		HoursPerWeek: e.HoursPerWeek,
	}
	ref := model.EmployerRef{RSIN: e.EmployerRSIN, Name: e.EmployerName}
	if a := e.EmployerAddress; a != nil {
		ref.Postcode, ref.HouseNumber = a.Postcode, a.HouseNumber
	}
	m.Refs.Employer = ref
	return m
}

// benefit maps a benefit of the person with the BSN.
func benefit(bsn string, b uwv.Benefit) *model.Benefit {
	return &model.Benefit{
		Subject: model.PersonSubject(bsn), Law: str(b.Law), FirstDayOfUnemployment: model.DatePtr(b.FirstDayUnemployed), Start: model.DatePtr(b.Start),
		End: model.DatePtr(b.End), MaximumEnd: model.DatePtr(b.MaxEnd), HoursLost: b.HoursLost, Reason: str(b.Reason),
	}
}
