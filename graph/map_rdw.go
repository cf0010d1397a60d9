package graph

import (
	"github.com/poort-nl/poort/connectors/rdw"
	"github.com/poort-nl/poort/graph/model"
)

// This file maps RDW shapes to graph types.

// vehicle maps RDW open data of a vehicle. Looked up by its plate it is
// about no one; as a holder's vehicle it is about the holder (see vehicleHolder).
func vehicle(holder model.Subject, v *rdw.Vehicle) *model.Vehicle {
	return &model.Vehicle{
		Subject: holder, LicencePlate: v.Plate, Kind: str(v.Kind), Make: str(v.Make), TradeName: str(v.TradeName),
		Colour: str(v.Colour), Body: str(v.Body), Seats: v.Seats, FirstAdmission: model.DatePtr(v.FirstAdmission),
		RegisteredSince: model.DatePtr(v.RegisteredSince), ApkExpiry: model.DatePtr(v.APKExpiry),
		Insured: v.Insured, CatalogPrice: v.CatalogPrice, Fuels: v.Fuels,
	}
}

// drivingLicence maps a driving licence of the person with the BSN.
func drivingLicence(bsn string, l rdw.DrivingLicence, today model.Date) *model.DrivingLicence {
	valid := l.ExpiryDate != "" && string(today) <= l.ExpiryDate &&
		l.Status != rdw.LicenceWithdrawn && l.Status != rdw.LicenceInvalidated
	m := &model.DrivingLicence{
		Subject: model.PersonSubject(bsn), Number: l.Number, Issued: model.DatePtr(l.IssueDate), Expires: model.DatePtr(l.ExpiryDate),
		Status: registryEnum(licenceStatuses, l.Status), Valid: &valid,
	}
	for _, c := range l.Categories {
		m.Categories = append(m.Categories, &model.LicenceCategory{Code: c.Code, Issued: model.DatePtr(c.IssueDate), Expires: model.DatePtr(c.ExpiryDate)})
	}
	return m
}

// vehicleHolder is whom a held vehicle is about: the person or organisation
// liable for it.
func vehicleHolder(h rdw.Holding) model.Subject {
	if h.HolderBSN != "" {
		return model.PersonSubject(h.HolderBSN)
	}
	return model.CompanySubject(h.HolderKvK)
}
