package businesscase

import (
	"bytes"
	_ "embed"
	"encoding/json"
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
// found.
const UnsourcedEstimate = "unsourced estimate"

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
)

// Figure is one number with where it comes from: a URL, UnsourcedEstimate or
// OverrideSource.
type Figure struct {
	Value  float64 `json:"value"`
	Source string  `json:"source"`
	Note   string  `json:"note,omitempty"`
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
// channel ids to numbers, plus "source" and "note".
type Mix struct {
	PerChannel map[string]float64
	Source     string
	Note       string
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
	ChannelCostIndex       Figure                  `json:"channelCostIndex"`
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
	// MunicipalOverrides holds per-municipality patches keyed by name or GM
	// code: each is an overrides document (without "municipalities") that
	// may also set "population". ForMunicipality applies the matching one.
	MunicipalOverrides map[string]json.RawMessage `json:"municipalities,omitempty"`

	municipalities []Municipality
}

// LoadDefaults returns the embedded default parameters and the embedded
// list of municipalities.
func LoadDefaults() (*Parameters, error) {
	ms, err := loadMunicipalities()
	if err != nil {
		return nil, err
	}
	p, err := decodeParameters(defaultsJSON, ms)
	if err != nil {
		return nil, fmt.Errorf("embedded defaults.json: %w", err)
	}
	return p, nil
}

// DefaultsJSON returns a copy of the embedded defaults document, the shape
// an overrides document follows.
func DefaultsJSON() []byte { return bytes.Clone(defaultsJSON) }

// decodeParameters decodes and validates a complete parameters document.
func decodeParameters(doc []byte, ms []Municipality) (*Parameters, error) {
	var tree any
	if err := json.Unmarshal(doc, &tree); err != nil {
		return nil, &ParamError{Path: "(document)", Msg: "not valid JSON: " + err.Error()}
	}
	var c errs
	checkShape(&c, "", tree, parametersType)
	if err := c.err(); err != nil {
		return nil, err
	}
	p := &Parameters{municipalities: ms}
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
	}

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
	if strings.TrimSpace(f.Source) == "" {
		c.add(path+".source", `must name a source: a URL or "`+UnsourcedEstimate+`"`)
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
	if strings.TrimSpace(m.Source) == "" {
		c.add(path+".source", `must name a source: a URL or "`+UnsourcedEstimate+`"`)
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
	if strings.TrimSpace(s.Source) == "" {
		c.add(path+".source", `must name a source: a URL or "`+UnsourcedEstimate+`"`)
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
