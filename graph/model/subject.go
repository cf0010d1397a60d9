package model

// Subject is the data subject (betrokkene) whose registry data an object of
// the graph holds: a person by BSN, or a company by KvK number. The mapping
// that builds an object from a registry's answer sets it, so the audit log
// takes the subject from the object itself, whatever path of the query led
// to it: a list element, a federation entity, a nested operation. The zero
// value is no one: an address, a building, a vehicle looked up by its plate.
//
// Objects embed it; gqlgen.yml embeds it in the generated ones.
type Subject struct {
	kind DataSubjectType
	id   string
}

// PersonSubject is the person with the BSN; an empty BSN is no one.
func PersonSubject(bsn string) Subject {
	if bsn == "" {
		return Subject{}
	}
	return Subject{DataSubjectTypeBsn, bsn}
}

// CompanySubject is the company with the KvK number; an empty number is no
// one.
func CompanySubject(kvk string) Subject {
	if kvk == "" {
		return Subject{}
	}
	return Subject{DataSubjectTypeKVK, kvk}
}

// DataSubject returns the subject's identifier type and identifier; ok is
// false when the object is about no one.
func (s Subject) DataSubject() (kind DataSubjectType, id string, ok bool) {
	return s.kind, s.id, s.id != ""
}

// SubjectHolder is an object that knows whose registry data it holds.
// Every type embedding Subject is one.
type SubjectHolder interface {
	DataSubject() (kind DataSubjectType, id string, ok bool)
}
