package businesscase

import "math"

// The front office for all of government: contacts citizens now have with
// national agencies (SVB, UWV, the Belastingdienst, ...) move to the
// municipal front office. Handling them costs the municipality its
// front-office cost per contact; the agencies save their cost per contact
// for the share the front office resolves; the state may compensate the
// municipality per contact and with a share of what its agencies save.

// EventShift is one life event's part of the shifted contacts, a year
// once the ramp is complete.
type EventShift struct {
	Contacts     float64       `json:"contacts"`
	ExtraCost    Cents         `json:"extraCostCents"`
	AgencySaving Cents         `json:"agencySavingCents"`
	Agencies     []AgencyShift `json:"agencies"`
}

// AgencyShift is what one agency's shifted contacts come to, a year once
// the ramp is complete.
type AgencyShift struct {
	ID       string  `json:"id"`
	Name     string  `json:"name"`
	Contacts float64 `json:"contacts"`
	// Saving is what the agency saves: the shifted contacts the front
	// office resolves, at the agency's cost per contact.
	Saving Cents `json:"savingCents"`
	// NationalContacts is the agency's own yearly number of contacts when
	// known, nil otherwise.
	NationalContacts *float64 `json:"nationalContacts,omitempty"`
}

// Shift sums up, for one municipality, the contacts shifted from national
// agencies and the compensation for them.
type Shift struct {
	// Rate is the compensation counted in the Compensated flow.
	Rate Rate `json:"rate"`
	// Contacts, ExtraCost, AgencySaving and Compensation are yearly
	// figures once the ramp is complete.
	Contacts     float64       `json:"contacts"`
	ExtraCost    Cents         `json:"extraCostCents"`
	AgencySaving Cents         `json:"agencySavingCents"`
	Compensation Cents         `json:"compensationCents"`
	Agencies     []AgencyShift `json:"agencies"`
	// ContactsOverHorizon and AgencySavingOverHorizon add up the years of
	// the horizon; the municipality's extra cost and compensation over the
	// horizon are in the FrontOffice and Compensated flows.
	ContactsOverHorizon     float64 `json:"contactsOverHorizon"`
	AgencySavingOverHorizon Cents   `json:"agencySavingOverHorizonCents"`
	// BreakEvenPerContact is the compensation per shifted contact, paid
	// without any share of the agencies' saving, at which the front office
	// for all of government breaks even within the horizon: zero when it
	// does without, nil when no contacts shift and it does not.
	BreakEvenPerContact *Cents `json:"breakEvenPerContactCents"`
}

// shiftLines is one life event's shifted contacts a year at target, per
// channel in the order of ChannelIDs, and the agencies' saving; every
// year's lines follow from them by the ramp.
type shiftLines struct {
	channels []float64
	agencies []agencyLine
	saving   float64
}

type agencyLine struct {
	id               string
	contacts, saving float64
}

// shiftLinesOf works out a life event's shifted contacts for a
// municipality whose volume of the event is volume.
func (p *Parameters) shiftLinesOf(le LifeEvent, volume, pop float64) shiftLines {
	sl := shiftLines{channels: make([]float64, len(ChannelIDs()))}
	resolved := p.FrontOfficeForAll.Resolution.Value
	for _, id := range sortedKeys(le.ShiftedContacts) {
		sh := le.ShiftedContacts[id]
		v := volume
		if sh.NationalVolume != nil {
			v = p.scaled(sh.NationalVolume.Value, pop)
		}
		total := 0.0
		for i, ch := range ChannelIDs() {
			n := v * sh.Contacts.Get(ch)
			sl.channels[i] += n
			total += n
		}
		saving := total * resolved * p.Agencies[id].CostPerContact.Value
		sl.agencies = append(sl.agencies, agencyLine{id: id, contacts: total, saving: saving})
		sl.saving += saving
	}
	return sl
}

func (sl shiftLines) contacts() float64 {
	total := 0.0
	for _, n := range sl.channels {
		total += n
	}
	return total
}

// weighted is the shifted contacts in a year at progress x, each channel's
// weighted by unit. The extra cost and the compensation per contact are
// both computed through it, so that equal amounts per contact give equal
// cents.
func (sl shiftLines) weighted(x float64, unit func(channel int) float64) float64 {
	sum := 0.0
	for i, n := range sl.channels {
		sum += n * unit(i)
	}
	return x * sum
}

// extraCost is what handling the year's shifted contacts costs the front
// office.
func (sl shiftLines) extraCost(x float64, unit []float64) Cents {
	return toCents(sl.weighted(x, func(i int) float64 { return unit[i] }))
}

// compensation is what the state pays for the year's shifted contacts.
func (sl shiftLines) compensation(x float64, r Rate) Cents {
	perContact := func(int) float64 { return r.PerContact }
	return toCents(sl.weighted(x, perContact) + r.ShareOfAgencySaving*x*sl.saving)
}

// unitCosts is the front-office cost of one contact per channel.
func (p *Parameters) unitCosts() []float64 {
	out := make([]float64, len(ChannelIDs()))
	for i, ch := range ChannelIDs() {
		out[i] = p.ChannelCostIndex.Value * p.Channels[ch].FrontOffice.Value
	}
	return out
}

func (p *Parameters) agencyShifts(lines []agencyLine) []AgencyShift {
	out := []AgencyShift{}
	for _, l := range lines {
		i := -1
		for j := range out {
			if out[j].ID == l.id {
				i = j
			}
		}
		if i < 0 {
			a := p.Agencies[l.id]
			as := AgencyShift{ID: l.id, Name: a.Name}
			if a.NationalContacts != nil {
				v := a.NationalContacts.Value
				as.NationalContacts = &v
			}
			out = append(out, as)
			i = len(out) - 1
		}
		out[i].Contacts += l.contacts
		out[i].Saving += toCents(l.saving)
	}
	return out
}

func (sl shiftLines) summary(p *Parameters) EventShift {
	return EventShift{
		Contacts:     sl.contacts(),
		ExtraCost:    sl.extraCost(1, p.unitCosts()),
		AgencySaving: toCents(sl.saving),
		Agencies:     p.agencyShifts(sl.agencies),
	}
}

// frontOffice adds the FrontOffice and Compensated flows and the Shift
// summary to a result whose Total is complete.
func (p *Parameters) frontOffice(r *Result, shifts []shiftLines, opts Options) {
	rate := p.rate(opts)
	unit := p.unitCosts()
	r.FrontOffice, r.Compensated = copyFlow(r.Total), copyFlow(r.Total)
	s := Shift{Rate: rate}
	var lines []agencyLine
	for _, sl := range shifts {
		s.Contacts += sl.contacts()
		s.ExtraCost += sl.extraCost(1, unit)
		s.AgencySaving += toCents(sl.saving)
		s.Compensation += sl.compensation(1, rate)
		lines = append(lines, sl.agencies...)
	}
	s.Agencies = p.agencyShifts(lines)
	progress := make([]float64, len(r.Years))
	for t := range r.Years {
		x := p.progress(t + 1)
		progress[t] = x
		for _, sl := range shifts {
			extra := sl.extraCost(x, unit)
			r.FrontOffice.Years[t].ExtraCost += extra
			r.Compensated.Years[t].ExtraCost += extra
			r.Compensated.Years[t].Compensation += sl.compensation(x, rate)
			s.ContactsOverHorizon += x * sl.contacts()
			s.AgencySavingOverHorizon += toCents(x * sl.saving)
		}
	}
	finish(&r.FrontOffice, opts)
	finish(&r.Compensated, opts)
	s.BreakEvenPerContact = breakEvenPerContact(r.FrontOffice.Balance, shifts, progress)
	r.Shift = s
}

func copyFlow(f Flow) Flow {
	f.Years = append([]YearFlow(nil), f.Years...)
	return f
}

// breakEvenPerContact finds the least compensation per contact, in whole
// cents, that lifts a balance to zero or above, computing the compensation
// exactly as the Compensated flow does.
func breakEvenPerContact(balance Cents, shifts []shiftLines, progress []float64) *Cents {
	var zero Cents
	if balance >= 0 {
		return &zero
	}
	contacts := 0.0
	for _, x := range progress {
		for _, sl := range shifts {
			contacts += x * sl.contacts()
		}
	}
	if contacts == 0 {
		return nil
	}
	paid := func(c Cents) Cents {
		var total Cents
		r := Rate{PerContact: c.Euros()}
		for _, x := range progress {
			for _, sl := range shifts {
				total += sl.compensation(x, r)
			}
		}
		return total
	}
	c := Cents(math.Ceil(float64(-balance) / contacts))
	for paid(c) < -balance {
		c++
	}
	for c > 0 && paid(c-1) >= -balance {
		c--
	}
	return &c
}
