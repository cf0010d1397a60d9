package population

// shiftDates moves every date of the population by days.
func (p *Population) shiftDates(days int) {
	if days == 0 {
		return
	}
	sh := func(d *Date) {
		if *d != "" {
			*d = addDays(*d, days)
		}
	}
	for i := range p.Persons {
		pe := &p.Persons[i]
		for _, d := range []*Date{&pe.BirthDate, &pe.DeathDate, &pe.AddressSince, &pe.RegisteredSince} {
			sh(d)
		}
		if pe.Partner != nil {
			sh(&pe.Partner.Since)
			sh(&pe.Partner.Ended)
		}
	}
	for i := range p.Buildings {
		sh(&p.Buildings[i].StatusSince)
	}
	for i := range p.Companies {
		c := &p.Companies[i]
		for _, d := range []*Date{&c.RegistrationDate, &c.StartDate, &c.EndDate} {
			sh(d)
		}
		for j := range c.Branches {
			sh(&c.Branches[j].RegistrationDate)
		}
		for j := range c.Functionaries {
			sh(&c.Functionaries[j].Since)
		}
	}
	for i := range p.Vehicles {
		v := &p.Vehicles[i]
		for _, d := range []*Date{&v.FirstAdmission, &v.FirstRegistrationNL, &v.RegisteredSince, &v.APKExpiry} {
			sh(d)
		}
	}
	for i := range p.DrivingLicences {
		l := &p.DrivingLicences[i]
		sh(&l.IssueDate)
		sh(&l.ExpiryDate)
		for j := range l.Categories {
			sh(&l.Categories[j].IssueDate)
			sh(&l.Categories[j].ExpiryDate)
		}
	}
	for i := range p.TravelDocuments {
		sh(&p.TravelDocuments[i].IssueDate)
		sh(&p.TravelDocuments[i].ExpiryDate)
		sh(&p.TravelDocuments[i].WithdrawnOn)
	}
	for i := range p.Employments {
		sh(&p.Employments[i].Start)
		sh(&p.Employments[i].End)
	}
	for i := range p.Benefits {
		b := &p.Benefits[i]
		for _, d := range []*Date{&b.FirstDayUnemployed, &b.ApplicationDate, &b.Start, &b.End, &b.MaxEnd} {
			sh(d)
		}
	}
	p.shiftRealEstate(sh)
}
