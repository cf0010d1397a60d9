package lifeevents

import (
	"fmt"
	"slices"
	"strconv"
	"strings"
)

// FrontOffice is the actor id of the municipal front office (the KCC:
// desk, phone, website, chat). Every other actor is a chain partner's id.
const FrontOffice = "front-office"

// SubjectKind is what a life event is about: a person, a company or an
// address. It names the graph type the event's needs start from.
type SubjectKind string

// The subject kinds.
const (
	SubjectPerson  SubjectKind = "PERSON"
	SubjectCompany SubjectKind = "COMPANY"
	SubjectAddress SubjectKind = "ADDRESS"
)

// TypeName returns the GraphQL type the subject's needs are relative to,
// or "" for an unknown kind.
func (k SubjectKind) TypeName() string {
	switch k {
	case SubjectPerson:
		return "Person"
	case SubjectCompany:
		return "Company"
	case SubjectAddress:
		return "Address"
	}
	return ""
}

// Channel is a way a citizen or business reaches an organisation.
type Channel string

// The channels.
const (
	ChannelDesk  Channel = "desk"
	ChannelPhone Channel = "phone"
	ChannelWeb   Channel = "web"
	ChannelPost  Channel = "post"
	ChannelEmail Channel = "email"
	ChannelChat  Channel = "chat"
	ChannelApp   Channel = "app"
)

// Channels lists every channel in a stable order.
func Channels() []Channel {
	return []Channel{ChannelDesk, ChannelPhone, ChannelWeb, ChannelPost, ChannelEmail, ChannelChat, ChannelApp}
}

// Status says how far the coupling that carries a step's data is
// automated.
type Status string

// The coupling statuses, from best to worst.
const (
	// StatusAutomated: the data flows system to system without anyone
	// re-keying or asking for it.
	StatusAutomated Status = "automated"
	// StatusPartial: part of the data flows automatically; the rest is
	// asked for or re-keyed.
	StatusPartial Status = "partial"
	// StatusManual: the data flows by hand: a phone call, a form, a
	// colleague re-keying it.
	StatusManual Status = "manual"
	// StatusMissing: the data does not flow at all; the citizen carries it
	// from one organisation to the next, or the step is not taken.
	StatusMissing Status = "missing"
)

// Statuses lists every status from best to worst.
func Statuses() []Status {
	return []Status{StatusAutomated, StatusPartial, StatusManual, StatusMissing}
}

// PartnerKind says whether a chain partner meets citizens itself (front
// office), only works behind another organisation (back office), or both.
type PartnerKind string

// The partner kinds.
const (
	KindFrontOffice PartnerKind = "front-office"
	KindBackOffice  PartnerKind = "back-office"
	KindBoth        PartnerKind = "both"
)

// Name is a name in Dutch and English.
type Name struct {
	NL string `json:"nl"`
	EN string `json:"en"`
}

// Provenance says where a catalogue entry's facts come from: source URLs,
// or an explicit admission that none was found.
type Provenance struct {
	Sources   []string `json:"sources,omitempty"`
	Unsourced bool     `json:"unsourced,omitempty"`
}

// Catalogue is the validated life-event catalogue. It is read-only once
// loaded and safe for concurrent use; callers must not modify what its
// methods return.
type Catalogue struct {
	// EventList holds the events in the order of EventIDs.
	EventList []*Event `json:"events"`
	// PartnerList holds the chain partners in file order.
	PartnerList []*Partner `json:"partners"`
	// StandardList holds the coupling standards in file order.
	StandardList []*Standard `json:"standards"`

	events    map[string]*Event
	partners  map[string]*Partner
	standards map[string]*Standard
	// registries are the registries in the schema's order, which reports
	// list them in.
	registries []string
}

// Event is one life event.
type Event struct {
	// ID is one of EventIDs, e.g. "starting-a-business".
	ID   string `json:"id"`
	Name Name   `json:"name"`
	// Subject is the kind of the event's anchor: whom or what the event is
	// about (the child of a birth, the deceased, the company, the
	// address). Needs, conditions and triggers are graph field paths
	// relative to its type.
	Subject SubjectKind `json:"subject"`
	// Trigger is what starts the event: in words, and the registry facts
	// with a date that show it happening to an anchor.
	Trigger Trigger `json:"trigger"`
	// Roles are the parts persons, companies and addresses play in the
	// event; the first anchor role is the anchor's own.
	Roles []*Role `json:"roles"`
	Provenance
	// Steps are in the order they are taken.
	Steps []*Step `json:"steps"`

	file string
	line int
}

// Trigger is what starts an event.
type Trigger struct {
	// Description says it in words.
	Description string `json:"description"`
	// On are the dated facts that show the event happening to an anchor;
	// the first that matches decides.
	On []TriggerFact `json:"on"`
}

// TriggerFact is a registry fact with a date that starts an event when
// the date lies within a window around today.
type TriggerFact struct {
	// Fact is the path of a Date field from the anchor, e.g.
	// "birth.date.date"; a path through lists gives several dates.
	Fact string `json:"fact"`
	// Back and Ahead are the window in days before and after today.
	Back  int `json:"back"`
	Ahead int `json:"ahead,omitempty"`
	// Says names the fact for people: "born on 2026-01-03".
	Says string `json:"says"`
	// When, if set, must hold as well; Unless, if set, must not.
	When   *Expr `json:"when,omitempty"`
	Unless *Expr `json:"unless,omitempty"`
	need   Need
	line   int
}

// Role is a part played in an event: the child, a parent, the deceased's
// partner, the company's founder.
type Role struct {
	// ID is unique within the event, e.g. "parent".
	ID   string `json:"id"`
	Name Name   `json:"name"`
	// Holder is the kind of subject that holds the role.
	Holder SubjectKind `json:"holder"`
	// Anchor marks the anchor's own role: the holder is the anchor.
	Anchor bool `json:"anchor,omitempty"`
	// Via is the path from the holder to the anchors whose event it takes
	// part in, e.g. "children" for a parent; empty for the anchor's role
	// and for a reported role.
	Via *Need `json:"via,omitempty"`
	// Reported marks a role no registry shows: the holder is named when a
	// case is opened (the declarant of a birth not yet registered).
	Reported bool `json:"reported,omitempty"`
	// When, if set, must hold of the anchor (of the holder, for a reported
	// role) for the holder to have the role, e.g. "age < 18".
	When        *Expr  `json:"when,omitempty"`
	Description string `json:"description"`
}

// Role returns the event's role with the id.
func (e *Event) Role(id string) (*Role, bool) {
	for _, r := range e.Roles {
		if r.ID == id {
			return r, true
		}
	}
	return nil, false
}

// AnchorRole returns the anchor's own role.
func (e *Event) AnchorRole() *Role {
	for _, r := range e.Roles {
		if r.Anchor {
			return r
		}
	}
	return nil
}

// Rule is a condition over registry facts that decides whether a step
// applies, or whether it has been done.
type Rule struct {
	// When is the expression over the anchor's facts.
	When *Expr `json:"when"`
	// Says is what the outcome means for people: why the step does not
	// apply (a step's condition), or what shows it done (its done rule).
	Says string `json:"says"`
}

// Delivery says how a step's partner learns of the event.
type Delivery string

// The deliveries.
const (
	// DeliveryProvision: a registry tells the partner, such as BRP
	// spontaneous provision to its users; the hub sends nothing.
	DeliveryProvision Delivery = "provision"
	// DeliveryHub: the hub notifies the partner when the event is
	// started, under the legal basis the step records.
	DeliveryHub Delivery = "hub"
	// DeliveryCitizen: the citizen or business goes to the partner
	// themselves.
	DeliveryCitizen Delivery = "citizen"
	// DeliveryFrontOffice: the front office takes the step itself; no
	// partner has to learn of it.
	DeliveryFrontOffice Delivery = "front-office"
)

// Deliveries lists every delivery.
func Deliveries() []Delivery {
	return []Delivery{DeliveryProvision, DeliveryHub, DeliveryCitizen, DeliveryFrontOffice}
}

// Learns is how a step's partner learns of the event.
type Learns struct {
	By Delivery `json:"by"`
	// Standard is the provision's standard, for DeliveryProvision.
	Standard string `json:"standard,omitempty"`
	// LegalBasis is what allows the hub to tell the partner, for
	// DeliveryHub; without it the step is tracked, not sent.
	LegalBasis *LegalBasis `json:"legalBasis,omitempty"`
}

// LegalBasis is the law that allows passing a subject's data to a
// partner.
type LegalBasis struct {
	Text string `json:"text"`
	Provenance
}

// Step is one step of a life event.
type Step struct {
	// ID is unique within the event.
	ID   string `json:"id"`
	Name Name   `json:"name"`
	// Actor is FrontOffice or the id of the chain partner whose back office
	// takes the step.
	Actor string `json:"actor"`
	// Channels are the channels the step can take.
	Channels []Channel `json:"channels"`
	// Partner is the id of the chain partner involved.
	Partner string `json:"partner"`
	// Needs are the registry data the step's work reads through the hub,
	// as graph field paths; a registry they trace to that is down makes
	// the step a live gap.
	Needs []Need `json:"needs,omitempty"`
	// Condition, if set, decides whether the step applies to the anchor.
	Condition *Rule `json:"condition,omitempty"`
	// Done, if set, shows from registry facts that the step happened.
	Done *Rule `json:"done,omitempty"`
	// Learns is how the step's partner learns of the event.
	Learns Learns `json:"learns"`
	// Inputs are what the citizen or business must supply, in words.
	Inputs []string `json:"inputs,omitempty"`
	// DependsOn lists ids of earlier steps of the same event.
	DependsOn []string `json:"dependsOn,omitempty"`
	// Coupling is how the step's data travels between the systems.
	Coupling Coupling `json:"coupling"`
	// ServiceNorms are the published service norms (servicenormen) the
	// step's actor holds itself to, such as an e-mail answered within two
	// working days.
	ServiceNorms []ServiceNorm `json:"serviceNorms,omitempty"`
	// Note explains a choice the fields cannot.
	Note string `json:"note,omitempty"`

	line int
	// registryOrder is the catalogue's order of the registries.
	registryOrder []string
}

// NormMeasure is what a service norm promises.
type NormMeasure string

// The measures of a service norm.
const (
	// MeasureAnswer: a written question (e-mail, chat, letter) answered.
	MeasureAnswer NormMeasure = "answer"
	// MeasurePickUp: a phone call picked up.
	MeasurePickUp NormMeasure = "pick-up"
	// MeasureCallback: a promised call back made.
	MeasureCallback NormMeasure = "callback"
	// MeasureWait: the waiting time at the desk.
	MeasureWait NormMeasure = "wait"
	// MeasureDecision: a decision or outcome communicated, counted from
	// the request.
	MeasureDecision NormMeasure = "decision"
)

// NormMeasures lists every measure.
func NormMeasures() []NormMeasure {
	return []NormMeasure{MeasureAnswer, MeasurePickUp, MeasureCallback, MeasureWait, MeasureDecision}
}

// NormUnit is the unit of a service norm's time.
type NormUnit string

// The units of a service norm.
const (
	UnitSeconds     NormUnit = "seconds"
	UnitMinutes     NormUnit = "minutes"
	UnitHours       NormUnit = "hours"
	UnitWorkingDays NormUnit = "working-days"
	UnitDays        NormUnit = "days"
	UnitWeeks       NormUnit = "weeks"
)

// NormUnits lists every unit, shortest first.
func NormUnits() []NormUnit {
	return []NormUnit{UnitSeconds, UnitMinutes, UnitHours, UnitWorkingDays, UnitDays, UnitWeeks}
}

// ServiceNorm is one published service norm of a step: Target of the
// contacts (or requests) get Measure within Within Unit, such as "every
// e-mail answered within 2 working days".
type ServiceNorm struct {
	// Channel is the channel the norm is about; empty for a norm on the
	// step as a whole, such as the time to a decision.
	Channel Channel     `json:"channel,omitempty"`
	Measure NormMeasure `json:"measure"`
	Within  float64     `json:"within"`
	Unit    NormUnit    `json:"unit"`
	// Target is the share of contacts the norm promises to meet, above 0
	// and at most 1.
	Target float64 `json:"target"`
	Provenance
}

// Key names the kind of norm independently of its time: the channel and
// the measure ("email-answer", "phone-pick-up"), or the measure alone for
// a norm without a channel ("decision").
func (n ServiceNorm) Key() string {
	if n.Channel == "" {
		return string(n.Measure)
	}
	return string(n.Channel) + "-" + string(n.Measure)
}

// String says the norm in words: "email answer within 2 working days
// (100 %)".
func (n ServiceNorm) String() string {
	what := string(n.Measure)
	if n.Channel != "" {
		what = string(n.Channel) + " " + what
	}
	unit := strings.ReplaceAll(string(n.Unit), "-", " ")
	if n.Within == 1 {
		unit = strings.TrimSuffix(unit, "s")
	}
	return fmt.Sprintf("%s within %s %s (%s %%)", what, strconv.FormatFloat(n.Within, 'f', -1, 64), unit,
		strconv.FormatFloat(n.Target*100, 'f', -1, 64))
}

// CitizenFacing reports whether the municipal front office takes the step
// with the citizen or business in front of it, so a gap is felt at once.
func (s *Step) CitizenFacing() bool { return s.Actor == FrontOffice }

// Registries returns the registries the step's needs trace to, in the
// order of the schema's Registry enum.
func (s *Step) Registries() []string {
	var out []string
	for _, n := range s.Needs {
		for _, r := range n.Registries {
			if !slices.Contains(out, r) {
				out = append(out, r)
			}
		}
	}
	sortRegistries(s.registryOrder, out)
	return out
}

// Coupling is the data flow that carries a step's data.
type Coupling struct {
	// Standard is the id of the standard that carries the data, or would
	// carry it when the status is missing. It may be empty only for a
	// missing coupling for which no standard exists.
	Standard string `json:"standard,omitempty"`
	Status   Status `json:"status"`
	// Description says what flows today.
	Description string `json:"description"`
	// Closes says what would close the gap; empty when automated.
	Closes string `json:"closes,omitempty"`
	Provenance
}

// Need is one datum a step needs: a graph field path relative to the
// event's subject type, traced through the schema to its registries.
type Need struct {
	// Path is the field path as written in the catalogue, e.g.
	// "employments.employer.name".
	Path string `json:"path"`
	// Hops are the fields along the path, one per segment.
	Hops []Hop `json:"hops"`
	// Registries are the distinct registries of the hops that have
	// lineage, in path order.
	Registries []string `json:"registries"`
}

// Hop is one field of a need's path and its lineage.
type Hop struct {
	Type      string `json:"type"`
	Field     string `json:"field"`
	FieldType string `json:"fieldType"`
	// Registry, Endpoint and SourcePath are the field's @source; Registry
	// is empty for a field without one.
	Registry   string `json:"registry,omitempty"`
	Endpoint   string `json:"endpoint,omitempty"`
	SourcePath string `json:"sourcePath,omitempty"`
}

// Partner is a chain partner: an organisation a municipal front office
// meets in a life event.
type Partner struct {
	ID   string      `json:"id"`
	Name Name        `json:"name"`
	Kind PartnerKind `json:"kind"`
	// Channels are the channels the partner offers citizens and
	// businesses.
	Channels    []Channel `json:"channels"`
	Description string    `json:"description,omitempty"`
	Provenance
}

// Standard is a coupling standard or national facility.
type Standard struct {
	ID          string `json:"id"`
	Name        string `json:"name"`
	Description string `json:"description"`
	Provenance
}

// Events returns the events in the order of EventIDs.
func (c *Catalogue) Events() []*Event { return c.EventList }

// Event returns the event with the id.
func (c *Catalogue) Event(id string) (*Event, bool) {
	e, ok := c.events[id]
	return e, ok
}

// Partners returns the chain partners.
func (c *Catalogue) Partners() []*Partner { return c.PartnerList }

// Partner returns the chain partner with the id.
func (c *Catalogue) Partner(id string) (*Partner, bool) {
	p, ok := c.partners[id]
	return p, ok
}

// Standards returns the coupling standards.
func (c *Catalogue) Standards() []*Standard { return c.StandardList }

// Standard returns the standard with the id.
func (c *Catalogue) Standard(id string) (*Standard, bool) {
	s, ok := c.standards[id]
	return s, ok
}

// Step returns the step of the event with the id.
func (e *Event) Step(id string) (*Step, bool) {
	for _, s := range e.Steps {
		if s.ID == id {
			return s, true
		}
	}
	return nil, false
}

// EventIDs returns the ids of the eight life events in catalogue order.
func EventIDs() []string {
	return []string{
		"birth", "starting-a-business", "renovation", "travel",
		"becoming-unemployed", "becoming-dependent-on-care", "moving", "death",
	}
}

// EnumName returns the GraphQL enum value of an event id, e.g.
// STARTING_A_BUSINESS for "starting-a-business".
func EnumName(id string) string {
	return strings.ToUpper(strings.ReplaceAll(id, "-", "_"))
}

// EventIDFromEnum returns the event id of a GraphQL enum value, and false
// when the value names none of the eight events.
func EventIDFromEnum(enum string) (string, bool) {
	id := strings.ToLower(strings.ReplaceAll(enum, "_", "-"))
	return id, slices.Contains(EventIDs(), id)
}

// sortRegistries orders registries as known lists them, so reports list
// them alike; unknown registries sort after them by name.
func sortRegistries(known, rs []string) {
	rank := func(r string) int {
		if i := slices.Index(known, r); i >= 0 {
			return i
		}
		return len(known)
	}
	slices.SortFunc(rs, func(a, b string) int {
		if d := rank(a) - rank(b); d != 0 {
			return d
		}
		return strings.Compare(a, b)
	})
}
