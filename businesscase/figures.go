package businesscase

import (
	"strconv"
	"strings"
)

// FigureRow is one parameter with its value and source, for listing the
// parameters in a table.
type FigureRow struct {
	Path  string `json:"path"`
	Value string `json:"value"`
	// Range is the figure's range, "150000–250000", or a mix's factors,
	// "×0.75–×1.25"; empty when it has none.
	Range  string `json:"range,omitempty"`
	Source string `json:"source"`
	Note   string `json:"note,omitempty"`
}

// Figures lists every parameter with its source, in the order of
// defaults.json. A channel mix or a set of shares is one row.
func (p *Parameters) Figures() []FigureRow {
	var rows []FigureRow
	fig := func(path string, f Figure) {
		rows = append(rows, FigureRow{Path: path, Value: num(f.Value), Range: rangeText(f.Range, ""), Source: f.Source, Note: f.Note})
	}
	mixRow := func(path string, m Mix) {
		var parts []string
		for _, ch := range ChannelIDs() {
			if v := m.Get(ch); v != 0 {
				parts = append(parts, ch+" "+num(v))
			}
		}
		rows = append(rows, FigureRow{Path: path, Value: strings.Join(parts, ", "), Range: rangeText(m.Range, "×"), Source: m.Source, Note: m.Note})
	}
	sharesRow := func(path string, s Shares) {
		v := "national " + num(s.National) + ", regional " + num(s.Regional) + ", local " + num(s.Local)
		rows = append(rows, FigureRow{Path: path, Value: v, Source: s.Source, Note: s.Note})
	}
	fig("nationalPopulation", p.NationalPopulation)
	fig("regionPopulation", p.RegionPopulation)
	fig("channelCostIndex", p.ChannelCostIndex)
	fig("nationalFacilityFactor", p.NationalFacilityFactor)
	fig("discountRate", p.DiscountRate)
	fig("horizonYears", p.HorizonYears)
	fig("startYear", p.StartYear)
	fig("firstContactResolution.today", p.FirstContactResolution.Today)
	fig("firstContactResolution.target", p.FirstContactResolution.Target)
	fig("ramp.delayYears", p.Ramp.DelayYears)
	fig("ramp.years", p.Ramp.Years)
	for _, id := range ChannelIDs() {
		ch := p.Channels[id]
		fig("channels."+id+".frontOffice", ch.FrontOffice)
		fig("channels."+id+".backOffice", ch.BackOffice)
	}
	for _, id := range LifeEventIDs() {
		le := p.LifeEvents[id]
		path := "lifeEvents." + id
		fig(path+".nationalVolume", le.NationalVolume)
		if le.LocalVolume != nil {
			fig(path+".localVolume", *le.LocalVolume)
		}
		mixRow(path+".contacts", le.Contacts)
		mixRow(path+".targetContacts", le.TargetContacts)
		if r := le.FirstContactResolution; r != nil {
			fig(path+".firstContactResolution.today", r.Today)
			fig(path+".firstContactResolution.target", r.Target)
		}
		for _, agency := range sortedKeys(le.ShiftedContacts) {
			sh := le.ShiftedContacts[agency]
			if sh.NationalVolume != nil {
				fig(path+".shiftedContacts."+agency+".nationalVolume", *sh.NationalVolume)
			}
			mixRow(path+".shiftedContacts."+agency+".contacts", sh.Contacts)
		}
	}
	for _, st := range []string{StatusMissing, StatusManual, StatusPartial} {
		cc, ok := p.CouplingCostByStatus[st]
		if !ok {
			continue
		}
		path := "couplingCostByStatus." + st
		fig(path+".oneOff", cc.OneOff)
		fig(path+".yearly", cc.Yearly)
		sharesRow(path+".shares", cc.Shares)
	}
	for i, c := range p.Couplings {
		path := itemPath("couplings", i, c.ID)
		fig(path+".oneOff", c.OneOff)
		fig(path+".yearly", c.Yearly)
		sharesRow(path+".shares", c.Shares)
	}
	for i, inv := range p.Investments {
		path := itemPath("investments", i, inv.ID)
		fig(path+".oneOff", inv.OneOff)
		fig(path+".yearly", inv.Yearly)
		if inv.OneOffPerInhabitant != nil {
			fig(path+".oneOffPerInhabitant", *inv.OneOffPerInhabitant)
		}
		if inv.YearlyPerInhabitant != nil {
			fig(path+".yearlyPerInhabitant", *inv.YearlyPerInhabitant)
		}
		sharesRow(path+".shares", inv.Shares)
	}
	for i, f := range p.LocalFloor {
		path := itemPath("localFloor", i, f.ID)
		fig(path+".oneOff", f.OneOff)
		fig(path+".yearly", f.Yearly)
	}
	for _, id := range sortedKeys(p.Agencies) {
		a := p.Agencies[id]
		fig("agencies."+id+".costPerContact", a.CostPerContact)
		if a.NationalContacts != nil {
			fig("agencies."+id+".nationalContacts", *a.NationalContacts)
		}
	}
	fo := p.FrontOfficeForAll
	fig("frontOfficeForAll.resolution", fo.Resolution)
	fig("frontOfficeForAll.compensation.perContact", fo.Compensation.PerContact)
	fig("frontOfficeForAll.compensation.shareOfAgencySaving", fo.Compensation.ShareOfAgencySaving)
	for _, key := range sortedKeys(p.ServiceNorms) {
		n := p.ServiceNorms[key]
		fig("serviceNorms."+key+".complianceToday", n.ComplianceToday)
		fig("serviceNorms."+key+".followUpContacts", n.FollowUpContacts)
	}
	return rows
}

// rangeText writes a range as "low–high", each number after prefix; empty
// for no range.
func rangeText(r Range, prefix string) string {
	if r.IsZero() {
		return ""
	}
	return prefix + num(r.Low) + "–" + prefix + num(r.High)
}

func num(v float64) string { return strconv.FormatFloat(v, 'f', -1, 64) }
