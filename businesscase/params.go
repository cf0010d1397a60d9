package businesscase

import (
	"bytes"
	_ "embed"
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"slices"
	"sort"
	"strings"

	"github.com/poort-nl/poort/lifeevents"
)

//go:embed defaults.json
var defaultsJSON []byte

// The eight life events, by the ids the rest of the hub uses.
const (
	Birth                   = "birth"
	StartingABusiness       = "starting-a-business"
	Renovation              = "renovation"
	Travel                  = "travel"
	BecomingUnemployed      = "becoming-unemployed"
	BecomingDependentOnCare = "becoming-dependent-on-care"
	Moving                  = "moving"
	Death                   = "death"
)

// LifeEventIDs returns the ids of the eight life events in the order the hub
// presents them: those of the life-event catalogue.
func LifeEventIDs() []string { return lifeevents.EventIDs() }

// ChannelIDs returns the ids of the contact channels in the order of the
// life-event catalogue.
func ChannelIDs() []string {
	chs := lifeevents.Channels()
	ids := make([]string, len(chs))
	for i, ch := range chs {
		ids[i] = string(ch)
	}
	return ids
}

// UnsourcedEstimate is the source of a figure for which no public source was
// found. Such a figure carries a Range, which the sensitivity analysis
// explores.
const UnsourcedEstimate = "unsourced estimate"

// Choice is the source of a figure that is a decision rather than a
// measurement: the horizon, who carries which share of a cost, the
// compensation the state pays. A choice has no range; other choices are
// tried with overrides.
const Choice = "choice"

// OverrideSource is the source given to a figure that an overrides document
// changed without naming a source of its own.
const OverrideSource = "override"

// Coupling statuses, as the coupling-gap report names them.
const (
	StatusMissing   = string(lifeevents.StatusMissing)
	StatusManual    = string(lifeevents.StatusManual)
	StatusPartial   = string(lifeevents.StatusPartial)
	StatusAutomated = string(lifeevents.StatusAutomated)
)

// Investment kinds besides couplings.
const (
	KindContent  = "content"
	KindTraining = "training"
	KindPlatform = "platform"
	KindOther    = "other"
	// KindCoupling is the kind of a Coupling in a Result's item list.
	KindCoupling = "coupling"
	// KindFloor is the kind of a FloorItem in a Result's item list.
	KindFloor = "floor"
)

// Figure is one number with where it comes from: a URL, UnsourcedEstimate,
// Choice or OverrideSource.
type Figure struct {
	Value  float64 `json:"value"`
	Source string  `json:"source"`
	Note   string  `json:"note,omitempty"`
	// Range is the plausible interval around Value: required for an
	// unsourced estimate, optional for a sourced figure whose sources
	// disagree, absent (zero) for a choice.
	Range Range `json:"range,omitzero"`
}

// Range is a low and a high value, written [low, high] in JSON; the zero
// Range is no range. On a Mix it holds factors that multiply every
// channel.
type Range struct {
	Low, High float64
}

// IsZero reports whether r is no range.
func (r Range) IsZero() bool { return r == Range{} }

// MarshalJSON writes [low, high].
func (r Range) MarshalJSON() ([]byte, error) { return json.Marshal([2]float64{r.Low, r.High}) }

// UnmarshalJSON reads [low, high]; checkShape has made sure it is a list
// of two numbers.
func (r *Range) UnmarshalJSON(b []byte) error {
	var v []float64
	if err := json.Unmarshal(b, &v); err != nil {
		return err
	}
	if len(v) != 2 {
		return fmt.Errorf("a range is [low, high], got %d numbers", len(v))
	}
	r.Low, r.High = v[0], v[1]
	return nil
}

// UnmarshalJSON accepts a full figure object or a bare number; a bare number
// is a figure whose source is OverrideSource, which keeps overrides files
// short.
func (f *Figure) UnmarshalJSON(b []byte) error {
	b = bytes.TrimSpace(b)
	if bytes.Equal(b, []byte("null")) {
		return nil
	}
	if len(b) > 0 && b[0] != '{' {
		var v float64
		if err := json.Unmarshal(b, &v); err != nil {
			return err
		}
		*f = Figure{Value: v, Source: OverrideSource}
		return nil
	}
	type plain Figure
	var p plain
	if err := json.Unmarshal(b, &p); err != nil {
		return err
	}
	*f = Figure(p)
	return nil
}

// Mix is a number per channel with one source for the whole set, such as the
// contacts a life event causes per channel. In JSON it is one flat object:
// channel ids to numbers, plus "source", "note" and "range".
type Mix struct {
	PerChannel map[string]float64
	Source     string
	Note       string
	// Range holds the factors, low and high, by which every channel's
	// number may plausibly differ; required for an unsourced estimate.
	Range Range
}

// Get returns the value for a channel, zero when absent.
func (m Mix) Get(channel string) float64 { return m.PerChannel[channel] }

// Total returns the sum over all channels.
func (m Mix) Total() float64 {
	t := 0.0
	for _, v := range m.PerChannel {
		t += v
	}
	return t
}

// MarshalJSON writes the flat form.
func (m Mix) MarshalJSON() ([]byte, error) {
	out := make(map[string]any, len(m.PerChannel)+2)
	for k, v := range m.PerChannel {
		out[k] = v
	}
	out["source"] = m.Source
	if m.Note != "" {
		out["note"] = m.Note
	}
	if !m.Range.IsZero() {
		out["range"] = m.Range
	}
	return json.Marshal(out)
}

// UnmarshalJSON reads the flat form. Channel ids are checked by Validate, so
// that an unknown one is reported with its path.
func (m *Mix) UnmarshalJSON(b []byte) error {
	var raw map[string]json.RawMessage
	if err := json.Unmarshal(b, &raw); err != nil {
		return err
	}
	out := Mix{PerChannel: make(map[string]float64, len(raw))}
	for k, v := range raw {
		var err error
		switch k {
		case "source":
			err = json.Unmarshal(v, &out.Source)
		case "note":
			err = json.Unmarshal(v, &out.Note)
		case "range":
			err = json.Unmarshal(v, &out.Range)
		default:
			var f float64
			err = json.Unmarshal(v, &f)
			out.PerChannel[k] = f
		}
		if err != nil {
			return fmt.Errorf("%s: %w", k, err)
		}
	}
	*m = out
	return nil
}

// Shares says which part of a cost is carried nationally (once for the whole
// country, recovered per inhabitant), regionally (once per region, recovered
// per inhabitant of the region) and locally (by every municipality in full).
// The three add up to 1.
type Shares struct {
	National float64 `json:"national"`
	Regional float64 `json:"regional"`
	Local    float64 `json:"local"`
	Source   string  `json:"source"`
	Note     string  `json:"note,omitempty"`
}

// Channel holds the cost of one contact over a channel.
type Channel struct {
	Name string `json:"name"`
	// FrontOffice is the cost in euro of a contact handled in the front
	// office.
	FrontOffice Figure `json:"frontOffice"`
	// BackOffice is the cost in euro added when the contact is not resolved
	// at first contact and is handed over to a back office.
	BackOffice Figure `json:"backOffice"`
}

// Resolution is a first-contact-resolution rate today and as a target, both
// between 0 and 1.
type Resolution struct {
	Today  Figure `json:"today"`
	Target Figure `json:"target"`
}

// Ramp says how the channel mix and first-contact resolution move from today
// to target: nothing changes for DelayYears, then the change is linear over
// Years.
type Ramp struct {
	DelayYears Figure `json:"delayYears"`
	Years      Figure `json:"years"`
}

// LifeEvent holds the volume and contacts of one life event.
type LifeEvent struct {
	Name string `json:"name"`
	// VolumeUnit says what NationalVolume counts.
	VolumeUnit string `json:"volumeUnit"`
	// NationalVolume is the number of events a year in the Netherlands; a
	// municipality gets its population's share of it.
	NationalVolume Figure `json:"nationalVolume"`
	// LocalVolume, when set, is a municipality's own yearly count and
	// replaces the scaled national volume. It belongs in a municipality's
	// section of an overrides document.
	LocalVolume *Figure `json:"localVolume,omitempty"`
	// Contacts is the number of contacts per event per channel today.
	Contacts Mix `json:"contacts"`
	// TargetContacts is the same in the target situation.
	TargetContacts Mix `json:"targetContacts"`
	// FirstContactResolution, when set, replaces the general rates for this
	// life event.
	FirstContactResolution *Resolution `json:"firstContactResolution,omitempty"`
	// ShiftedContacts are, by agency id, the contacts with national
	// agencies that the municipal front office takes over when it is the
	// front office for all of government.
	ShiftedContacts map[string]ContactShift `json:"shiftedContacts,omitempty"`
}

// ContactShift is the contacts one national agency has about a life event
// that move to the municipal front office.
type ContactShift struct {
	// NationalVolume, when set, is the yearly number of events in the
	// Netherlands that cause these contacts, where it differs from the
	// life event's volume (the WW inflow at UWV against the social
	// assistance inflow of "becoming unemployed"). It scales with the
	// population like the life event's.
	NationalVolume *Figure `json:"nationalVolume,omitempty"`
	// Contacts is the number of contacts per event, by the channel the
	// citizen uses at the municipal front office once they have moved.
	Contacts Mix `json:"contacts"`
}

// Agency is a national agency (a chain partner of the life-event
// catalogue) whose contacts may move to the municipal front office.
type Agency struct {
	Name string `json:"name"`
	// CostPerContact is what one contact costs the agency, in euro: what
	// it saves for each shifted contact the front office resolves.
	CostPerContact Figure `json:"costPerContact"`
	// NationalContacts, when known, is the agency's yearly number of
	// contacts, for comparing the shifted contacts with.
	NationalContacts *Figure `json:"nationalContacts,omitempty"`
}

// FrontOfficeForAll holds the parameters of the municipality as the front
// office for all of government.
type FrontOfficeForAll struct {
	// Resolution is the share of shifted contacts the municipal front
	// office resolves itself; the rest it hands over to the agency, which
	// then still handles them.
	Resolution   Figure       `json:"resolution"`
	Compensation Compensation `json:"compensation"`
}

// Compensation is what the state pays the municipality for the shifted
// contacts: an amount per contact, plus a share of what the agencies
// save. Both are choices.
type Compensation struct {
	PerContact          Figure `json:"perContact"`
	ShareOfAgencySaving Figure `json:"shareOfAgencySaving"`
}

// NormEffect says how one kind of service norm (by its key, such as
// "email-answer") changes contact volumes: a contact that misses the norm
// causes FollowUpContacts more contacts over FollowUpChannel, such as a
// phone call to chase an unanswered e-mail.
type NormEffect struct {
	// ComplianceToday is the share of contacts that meet the norm today;
	// the target is the norm's own, from the catalogue, when it is higher.
	ComplianceToday  Figure `json:"complianceToday"`
	FollowUpContacts Figure `json:"followUpContacts"`
	FollowUpChannel  string `json:"followUpChannel"`
}

// FloorItem is a cost every municipality carries itself in full, however
// the other costs are shared or pooled: connecting its own systems, its
// data-protection impact assessment, testing, its share of operations.
type FloorItem struct {
	ID          string `json:"id"`
	Description string `json:"description"`
	OneOff      Figure `json:"oneOff"`
	Yearly      Figure `json:"yearly"`
}

// Coupling is an ICT coupling to build or improve for a life event, such as
// a gap from the coupling-gap report.
type Coupling struct {
	ID          string `json:"id"`
	LifeEvent   string `json:"lifeEvent"`
	Description string `json:"description"`
	// Status is the coupling's state today: missing, manual or partial.
	Status string `json:"status,omitempty"`
	// Standard names the standard or facility the coupling uses.
	Standard string `json:"standard,omitempty"`
	// OneOff is the one-off cost in euro of building it once.
	OneOff Figure `json:"oneOff"`
	// Yearly is the running cost in euro a year.
	Yearly Figure `json:"yearly"`
	Shares Shares `json:"shares"`
}

// Investment is a one-off and yearly cost other than a coupling: content,
// training or the front-office platform. Per-inhabitant amounts scale with
// the municipality; fixed amounts are split by Shares.
type Investment struct {
	ID   string `json:"id"`
	Kind string `json:"kind"`
	// LifeEvent is empty for an investment that serves all life events.
	LifeEvent           string  `json:"lifeEvent,omitempty"`
	Description         string  `json:"description"`
	OneOff              Figure  `json:"oneOff"`
	Yearly              Figure  `json:"yearly"`
	OneOffPerInhabitant *Figure `json:"oneOffPerInhabitant,omitempty"`
	YearlyPerInhabitant *Figure `json:"yearlyPerInhabitant,omitempty"`
	Shares              Shares  `json:"shares"`
}

// CouplingCost is the default cost of closing a coupling gap of one status.
type CouplingCost struct {
	OneOff Figure `json:"oneOff"`
	Yearly Figure `json:"yearly"`
	Shares Shares `json:"shares"`
}

// Parameters are all inputs of the model. Load them with LoadDefaults and
// derive variants with Apply and WithCouplings; treat a *Parameters as
// read-only, since derived values share maps with it.
type Parameters struct {
	Version  string `json:"version"`
	Currency string `json:"currency"`
	// NationalPopulation is the population the national volumes relate to.
	NationalPopulation Figure `json:"nationalPopulation"`
	// RegionPopulation is the population of a region that carries a
	// regional share; a municipality larger than this is its own region.
	RegionPopulation Figure `json:"regionPopulation"`
	// ChannelCostIndex multiplies every channel cost, to bring figures from
	// the year they were measured to today's prices.
	ChannelCostIndex Figure `json:"channelCostIndex"`
	// NationalFacilityFactor multiplies the national share of every
	// coupling's cost: built once for the whole country, a facility costs
	// more than one municipality's build of the same coupling.
	NationalFacilityFactor Figure                  `json:"nationalFacilityFactor"`
	DiscountRate           Figure                  `json:"discountRate"`
	HorizonYears           Figure                  `json:"horizonYears"`
	StartYear              Figure                  `json:"startYear"`
	FirstContactResolution Resolution              `json:"firstContactResolution"`
	Ramp                   Ramp                    `json:"ramp"`
	Channels               map[string]Channel      `json:"channels"`
	LifeEvents             map[string]LifeEvent    `json:"lifeEvents"`
	CouplingCostByStatus   map[string]CouplingCost `json:"couplingCostByStatus"`
	Couplings              []Coupling              `json:"couplings"`
	Investments            []Investment            `json:"investments"`
	// LocalFloor lists the costs no sharing or pooling removes.
	LocalFloor        []FloorItem           `json:"localFloor"`
	Agencies          map[string]Agency     `json:"agencies"`
	FrontOfficeForAll FrontOfficeForAll     `json:"frontOfficeForAll"`
	ServiceNorms      map[string]NormEffect `json:"serviceNorms"`
	// MunicipalOverrides holds per-municipality patches keyed by name or GM
	// code: each is an overrides document (without "municipalities") that
	// may also set "population". ForMunicipality applies the matching one.
	MunicipalOverrides map[string]json.RawMessage `json:"municipalities,omitempty"`

	*reference
}

// reference is what the parameters are checked against and use besides
// their own document: the municipalities and, from the life-event
// catalogue, the chain partners and the service norms. It is shared,
// read-only, by all parameters derived from one LoadDefaults.
type reference struct {
	municipalities []Municipality
	// partners are the ids of the catalogue's chain partners.
	partners map[string]bool
	// norms are, per life event, the service norms of its citizen-facing
	// steps, one per key.
	norms map[string][]Norm
}

// Norm is a service norm a citizen-facing step of a life event publishes,
// as the business case uses it.
type Norm struct {
	// Key is the norm's kind, such as "email-answer" (see
	// lifeevents.ServiceNorm.Key).
	Key string `json:"key"`
	// Channel is the channel whose contacts the norm is about, or empty
	// for a norm on the step as a whole (counted once per event).
	Channel string `json:"channel,omitempty"`
	// Callback is true for a norm on calling back, which only the
	// contacts not resolved at first contact need.
	Callback bool `json:"callback,omitempty"`
	// Target is the share of contacts the norm promises to meet.
	Target float64 `json:"target"`
	// Steps are the steps that publish it, as "event/step", and Text says
	// it in words.
	Steps []string `json:"steps"`
	Text  string   `json:"text"`
}

// LoadDefaults returns the embedded default parameters, checked against
// the embedded list of municipalities and the life-event catalogue, whose
// service norms change contact volumes.
func LoadDefaults(cat *lifeevents.Catalogue) (*Parameters, error) {
	if cat == nil {
		return nil, errors.New("businesscase: load defaults: no life-event catalogue")
	}
	ms, err := loadMunicipalities()
	if err != nil {
		return nil, err
	}
	p, err := decodeParameters(defaultsJSON, referenceOf(ms, cat))
	if err != nil {
		return nil, fmt.Errorf("embedded defaults.json: %w", err)
	}
	return p, nil
}

func referenceOf(ms []Municipality, cat *lifeevents.Catalogue) *reference {
	ref := &reference{municipalities: ms, partners: map[string]bool{}, norms: map[string][]Norm{}}
	for _, pa := range cat.Partners() {
		ref.partners[pa.ID] = true
	}
	for _, e := range cat.Events() {
		for _, s := range e.Steps {
			if !s.CitizenFacing() {
				continue
			}
			for _, n := range s.ServiceNorms {
				where := e.ID + "/" + s.ID
				i := slices.IndexFunc(ref.norms[e.ID], func(m Norm) bool { return m.Key == n.Key() })
				if i < 0 {
					ref.norms[e.ID] = append(ref.norms[e.ID], Norm{Key: n.Key(), Channel: string(n.Channel), Callback: n.Measure == lifeevents.MeasureCallback,
						Target: n.Target, Steps: []string{where}, Text: n.String()})
					continue
				}
				m := &ref.norms[e.ID][i]
				m.Steps = append(m.Steps, where)
				if n.Target > m.Target {
					m.Target, m.Text = n.Target, n.String()
				}
			}
		}
	}
	return ref
}

// Norms returns the service norms of the life event's citizen-facing
// steps that the business case counts, one per key.
func (p *Parameters) Norms(lifeEvent string) []Norm { return p.norms[lifeEvent] }

// DefaultsJSON returns a copy of the embedded defaults document, the shape
// an overrides document follows.
func DefaultsJSON() []byte { return bytes.Clone(defaultsJSON) }

// decodeParameters decodes and validates a complete parameters document.
func decodeParameters(doc []byte, ref *reference) (*Parameters, error) {
	var tree any
	if err := json.Unmarshal(doc, &tree); err != nil {
		return nil, &ParamError{Path: "(document)", Msg: "not valid JSON: " + err.Error()}
	}
	var c errs
	checkShape(&c, "", tree, parametersType)
	if err := c.err(); err != nil {
		return nil, err
	}
	if ref == nil {
		ref = &reference{}
	}
	p := &Parameters{reference: ref}
	if err := json.Unmarshal(doc, p); err != nil {
		return nil, &ParamError{Path: "(document)", Msg: err.Error()}
	}
	if err := p.Validate(); err != nil {
		return nil, err
	}
	return p, nil
}

// Validate checks every parameter and returns ValidationErrors naming each
// bad one, or nil. The municipalities' sections are checked by Apply, which
// needs the municipality list to resolve their keys.
func (p *Parameters) Validate() error {
	var c errs
	p.validate(&c)
	return c.err()
}

func (p *Parameters) validate(c *errs) {
	if p.Currency != "EUR" {
		c.add("currency", "must be EUR: every amount is in euro")
	}
	figure(c, "nationalPopulation", p.NationalPopulation, positive, whole)
	figure(c, "regionPopulation", p.RegionPopulation, positive, whole)
	figure(c, "channelCostIndex", p.ChannelCostIndex, nonNegative)
	figure(c, "nationalFacilityFactor", p.NationalFacilityFactor, nonNegative)
	figure(c, "discountRate", p.DiscountRate)
	if msg := checkDiscountRate(p.DiscountRate.Value); msg != "" {
		c.add("discountRate", msg)
	}
	figure(c, "horizonYears", p.HorizonYears, whole)
	if msg := checkHorizon(p.HorizonYears.Value); msg != "" {
		c.add("horizonYears", msg)
	}
	figure(c, "startYear", p.StartYear, whole)
	if msg := checkStartYear(p.StartYear.Value); msg != "" {
		c.add("startYear", msg)
	}
	resolution(c, "firstContactResolution", p.FirstContactResolution)
	figure(c, "ramp.delayYears", p.Ramp.DelayYears, nonNegative)
	figure(c, "ramp.years", p.Ramp.Years, nonNegative)

	for _, id := range sortedKeys(p.Channels) {
		if !slices.Contains(ChannelIDs(), id) {
			c.add("channels."+id, "unknown channel, want one of "+strings.Join(ChannelIDs(), ", "))
		}
	}
	for _, id := range ChannelIDs() {
		ch, ok := p.Channels[id]
		if !ok {
			c.add("channels."+id, "missing")
			continue
		}
		figure(c, "channels."+id+".frontOffice", ch.FrontOffice, nonNegative)
		figure(c, "channels."+id+".backOffice", ch.BackOffice, nonNegative)
	}

	for _, id := range sortedKeys(p.LifeEvents) {
		if !isLifeEvent(id) {
			c.addErr("lifeEvents."+id, "unknown life event, want one of "+strings.Join(LifeEventIDs(), ", "), ErrUnknownLifeEvent)
		}
	}
	for _, id := range LifeEventIDs() {
		le, ok := p.LifeEvents[id]
		path := "lifeEvents." + id
		if !ok {
			c.add(path, "missing")
			continue
		}
		figure(c, path+".nationalVolume", le.NationalVolume, nonNegative)
		if le.LocalVolume != nil {
			figure(c, path+".localVolume", *le.LocalVolume, nonNegative)
		}
		mix(c, path+".contacts", le.Contacts)
		mix(c, path+".targetContacts", le.TargetContacts)
		if le.FirstContactResolution != nil {
			resolution(c, path+".firstContactResolution", *le.FirstContactResolution)
		}
		for _, agency := range sortedKeys(le.ShiftedContacts) {
			sh := le.ShiftedContacts[agency]
			spath := path + ".shiftedContacts." + agency
			if _, ok := p.Agencies[agency]; !ok {
				c.add(spath, "unknown agency, want one of "+strings.Join(sortedKeys(p.Agencies), ", "))
			}
			if sh.NationalVolume != nil {
				figure(c, spath+".nationalVolume", *sh.NationalVolume, nonNegative)
			}
			mix(c, spath+".contacts", sh.Contacts)
		}
	}
	p.validateFrontOffice(c)
	p.validateNorms(c)

	for _, st := range sortedKeys(p.CouplingCostByStatus) {
		cc := p.CouplingCostByStatus[st]
		path := "couplingCostByStatus." + st
		if st != StatusMissing && st != StatusManual && st != StatusPartial {
			c.add(path, "unknown status, want missing, manual or partial")
			continue
		}
		figure(c, path+".oneOff", cc.OneOff, nonNegative)
		figure(c, path+".yearly", cc.Yearly, nonNegative)
		shares(c, path+".shares", cc.Shares)
	}

	seen := map[string]string{}
	for i, cp := range p.Couplings {
		path := itemPath("couplings", i, cp.ID)
		itemID(c, path, cp.ID, seen)
		switch {
		case cp.LifeEvent == "":
			c.add(path+".lifeEvent", "must not be empty")
		case !isLifeEvent(cp.LifeEvent):
			c.addErr(path+".lifeEvent", fmt.Sprintf("unknown life event %q", cp.LifeEvent), ErrUnknownLifeEvent)
		}
		switch cp.Status {
		case "", StatusMissing, StatusManual, StatusPartial, StatusAutomated:
		default:
			c.add(path+".status", fmt.Sprintf("unknown status %q, want missing, manual, partial or automated", cp.Status))
		}
		figure(c, path+".oneOff", cp.OneOff, nonNegative)
		figure(c, path+".yearly", cp.Yearly, nonNegative)
		shares(c, path+".shares", cp.Shares)
	}
	for i, inv := range p.Investments {
		path := itemPath("investments", i, inv.ID)
		itemID(c, path, inv.ID, seen)
		switch inv.Kind {
		case KindContent, KindTraining, KindPlatform, KindOther:
		default:
			c.add(path+".kind", fmt.Sprintf("unknown kind %q, want content, training, platform or other", inv.Kind))
		}
		if inv.LifeEvent != "" && !isLifeEvent(inv.LifeEvent) {
			c.addErr(path+".lifeEvent", fmt.Sprintf("unknown life event %q", inv.LifeEvent), ErrUnknownLifeEvent)
		}
		figure(c, path+".oneOff", inv.OneOff, nonNegative)
		figure(c, path+".yearly", inv.Yearly, nonNegative)
		if inv.OneOffPerInhabitant != nil {
			figure(c, path+".oneOffPerInhabitant", *inv.OneOffPerInhabitant, nonNegative)
		}
		if inv.YearlyPerInhabitant != nil {
			figure(c, path+".yearlyPerInhabitant", *inv.YearlyPerInhabitant, nonNegative)
		}
		shares(c, path+".shares", inv.Shares)
	}
	for i, f := range p.LocalFloor {
		path := itemPath("localFloor", i, f.ID)
		itemID(c, path, f.ID, seen)
		if strings.TrimSpace(f.Description) == "" {
			c.add(path+".description", "must not be empty")
		}
		figure(c, path+".oneOff", f.OneOff, nonNegative)
		figure(c, path+".yearly", f.Yearly, nonNegative)
	}
}

// validateFrontOffice checks the agencies, the compensation, and that no
// agency loses more contacts than it has.
func (p *Parameters) validateFrontOffice(c *errs) {
	shifted := map[string]float64{}
	for _, id := range LifeEventIDs() {
		le := p.LifeEvents[id]
		for agency, sh := range le.ShiftedContacts {
			v := le.NationalVolume.Value
			if sh.NationalVolume != nil {
				v = sh.NationalVolume.Value
			}
			shifted[agency] += v * sh.Contacts.Total()
		}
	}
	for _, id := range sortedKeys(p.Agencies) {
		a := p.Agencies[id]
		path := "agencies." + id
		if p.partners != nil && !p.partners[id] {
			c.add(path, "unknown agency: an agency is a chain partner of the life-event catalogue")
		}
		if strings.TrimSpace(a.Name) == "" {
			c.add(path+".name", "must not be empty")
		}
		figure(c, path+".costPerContact", a.CostPerContact, nonNegative)
		if a.NationalContacts != nil {
			figure(c, path+".nationalContacts", *a.NationalContacts, nonNegative)
			if n := a.NationalContacts.Value; shifted[id] > n {
				c.add(path+".nationalContacts", fmt.Sprintf("the life events shift %s contacts a year from %s, more than its %s", num(math.Round(shifted[id])), a.Name, num(n)))
			}
		}
	}
	fo := p.FrontOfficeForAll
	figure(c, "frontOfficeForAll.resolution", fo.Resolution, fraction)
	figure(c, "frontOfficeForAll.compensation.perContact", fo.Compensation.PerContact, nonNegative)
	figure(c, "frontOfficeForAll.compensation.shareOfAgencySaving", fo.Compensation.ShareOfAgencySaving, nonNegative)
}

// validateNorms checks the effects of the service norms, and that every
// norm the catalogue publishes on a citizen-facing step has one.
func (p *Parameters) validateNorms(c *errs) {
	for _, key := range sortedKeys(p.ServiceNorms) {
		n := p.ServiceNorms[key]
		path := "serviceNorms." + key
		figure(c, path+".complianceToday", n.ComplianceToday, fraction)
		figure(c, path+".followUpContacts", n.FollowUpContacts, nonNegative)
		if !slices.Contains(ChannelIDs(), n.FollowUpChannel) {
			c.add(path+".followUpChannel", fmt.Sprintf("unknown channel %q, want one of %s", n.FollowUpChannel, strings.Join(ChannelIDs(), ", ")))
		}
	}
	if p.reference == nil {
		return
	}
	missing := map[string][]string{}
	for _, id := range LifeEventIDs() {
		for _, n := range p.norms[id] {
			if _, ok := p.ServiceNorms[n.Key]; !ok {
				missing[n.Key] = append(missing[n.Key], n.Steps...)
			}
		}
	}
	for _, key := range sortedKeys(missing) {
		c.add("serviceNorms."+key, "missing: the catalogue's steps "+strings.Join(missing[key], ", ")+" publish a "+key+" norm")
	}
}

// itemPath names a list item by its id when it has one, which stays
// meaningful after overrides add or remove items.
func itemPath(list string, i int, id string) string {
	if id == "" {
		return fmt.Sprintf("%s[%d]", list, i)
	}
	return list + "[" + id + "]"
}

func itemID(c *errs, path, id string, seen map[string]string) {
	if id == "" {
		c.add(path+".id", "must not be empty")
		return
	}
	if prev, dup := seen[id]; dup {
		c.add(path+".id", "duplicate id, also used at "+prev)
		return
	}
	seen[id] = path
}

func isLifeEvent(id string) bool { return slices.Contains(LifeEventIDs(), id) }

// A rule returns a message when v breaks it.
type rule func(v float64) string

func nonNegative(v float64) string {
	if v < 0 {
		return "must not be negative"
	}
	return ""
}

func positive(v float64) string {
	if v <= 0 {
		return "must be greater than zero"
	}
	return ""
}

func whole(v float64) string {
	if v != math.Trunc(v) {
		return "must be a whole number"
	}
	return ""
}

func fraction(v float64) string {
	switch {
	case v < 0:
		return "must not be negative"
	case v > 1:
		return "must not exceed 1 (100 %)"
	}
	return ""
}

// figure checks a figure's value against the rules and that it names a
// source. The value's path is the figure's own path, which is how users
// think of it ("lifeEvents.birth.nationalVolume"), not ".value".
func figure(c *errs, path string, f Figure, rules ...rule) {
	if math.IsNaN(f.Value) || math.IsInf(f.Value, 0) {
		c.add(path, "must be a finite number")
		return
	}
	for _, r := range rules {
		if msg := r(f.Value); msg != "" {
			c.add(path, msg)
			return
		}
	}
	source(c, path, f.Source)
	switch {
	case f.Range.IsZero() && f.Source == UnsourcedEstimate:
		c.add(path+".range", "an unsourced estimate needs a range [low, high]")
	case f.Range.IsZero():
	case f.Source == Choice:
		c.add(path+".range", "a choice has no range; try other choices with overrides")
	case !finite(f.Range.Low) || !finite(f.Range.High):
		c.add(path+".range", "must be finite numbers")
	case f.Range.Low > f.Value || f.Value > f.Range.High:
		c.add(path+".range", fmt.Sprintf("[%s, %s] must hold the value %s", num(f.Range.Low), num(f.Range.High), num(f.Value)))
	default:
		for _, r := range rules {
			if msg := r(f.Range.Low); msg != "" {
				c.add(path+".range", "low end "+msg)
				return
			}
			if msg := r(f.Range.High); msg != "" {
				c.add(path+".range", "high end "+msg)
				return
			}
		}
	}
}

func finite(v float64) bool { return !math.IsNaN(v) && !math.IsInf(v, 0) }

func source(c *errs, path, src string) {
	if strings.TrimSpace(src) == "" {
		c.add(path+".source", `must name a source: a URL, "`+UnsourcedEstimate+`" or "`+Choice+`"`)
	}
}

func resolution(c *errs, path string, r Resolution) {
	figure(c, path+".today", r.Today, fraction)
	figure(c, path+".target", r.Target, fraction)
}

func mix(c *errs, path string, m Mix) {
	for _, ch := range sortedKeys(m.PerChannel) {
		v := m.PerChannel[ch]
		switch {
		case !slices.Contains(ChannelIDs(), ch):
			c.add(path+"."+ch, "unknown channel, want one of "+strings.Join(ChannelIDs(), ", "))
		case math.IsNaN(v) || math.IsInf(v, 0):
			c.add(path+"."+ch, "must be a finite number")
		case v < 0:
			c.add(path+"."+ch, "must not be negative")
		}
	}
	source(c, path, m.Source)
	switch r := m.Range; {
	case r.IsZero() && m.Source == UnsourcedEstimate:
		c.add(path+".range", "an unsourced estimate needs a range [low, high] of factors, such as [0.75, 1.25]")
	case r.IsZero():
	case !finite(r.Low) || !finite(r.High):
		c.add(path+".range", "must be finite numbers")
	case r.Low < 0 || r.Low > 1 || r.High < 1:
		c.add(path+".range", fmt.Sprintf("[%s, %s] must be factors with low between 0 and 1 and high at least 1", num(r.Low), num(r.High)))
	}
}

// shareTolerance absorbs binary rounding in shares such as 0.1+0.2+0.7.
const shareTolerance = 1e-9

func shares(c *errs, path string, s Shares) {
	bad := false
	for _, f := range []struct {
		name string
		v    float64
	}{{"national", s.National}, {"regional", s.Regional}, {"local", s.Local}} {
		if math.IsNaN(f.v) {
			c.add(path+"."+f.name, "must be a finite number")
			bad = true
		} else if msg := fraction(f.v); msg != "" {
			c.add(path+"."+f.name, msg)
			bad = true
		}
	}
	if !bad {
		if sum := s.National + s.Regional + s.Local; math.Abs(sum-1) > shareTolerance {
			c.add(path, fmt.Sprintf("national, regional and local must add up to 1 (100 %%), got %g", sum))
		}
	}
	switch s.Source {
	case UnsourcedEstimate:
		c.add(path+".source", `shares say who carries a cost, a choice: give "`+Choice+`" or a URL`)
	default:
		source(c, path, s.Source)
	}
}

func checkDiscountRate(r float64) string {
	switch {
	case math.IsNaN(r) || math.IsInf(r, 0):
		return "must be a finite number"
	case r <= -1:
		return "must be greater than -1 (-100 %)"
	case r > 1:
		return "must not exceed 1 (100 %)"
	}
	return ""
}

// maxHorizon bounds the horizon; beyond a few decades the parameters mean
// nothing and the charts become unreadable.
const maxHorizon = 50

func checkHorizon(h float64) string {
	if h < 1 || h > maxHorizon {
		return fmt.Sprintf("must be between 1 and %d years", maxHorizon)
	}
	return ""
}

func checkStartYear(y float64) string {
	if y < 2000 || y > 2100 {
		return "must be between 2000 and 2100"
	}
	return ""
}

func sortedKeys[V any](m map[string]V) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}
