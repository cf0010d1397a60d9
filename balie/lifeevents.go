package balie

import (
	"fmt"
	"net/http"
	"slices"
	"strings"
	"time"
)

// lifeEventPicture is one life event as it stands for a subject in one
// role, as PersonLifeEvents and CompanyCard ask for it.
type lifeEventPicture struct {
	Event struct {
		Kind, Name, NameNl string
		Partners           []partnerRef
	}
	Role  *struct{ ID, NameNl string }
	About *struct {
		Kind   string
		Person *struct {
			BSN  string
			Name *struct{ FullName *string }
		}
		Company *struct {
			KvKNumber string
			Name      *string
		}
		Address *struct {
			ID                         string
			Street, HouseLetter, Place *string
			Addition                   *string
			HouseNumber                *int
		}
	}
	// Applies is null when the hub cannot tell (data outside the
	// purposes, or a registry that failed).
	Applies        *bool
	AppliesBecause string
	Since          *string
	Status         string
	StatusBecause  string
	Notifies       []partnerRef
	Steps          []struct {
		Status, Because, Coupling string
		Inputs                    []string
		Task                      *struct {
			Kind     string
			Notifies bool
			Reason   *string
			Partner  *struct{ NameNl string }
		}
		Step     catalogueStep
		Blockers []struct {
			Kind, Reason                     string
			Closes, Registry, Standard, Need *string
		}
	}
}

type partnerRef struct{ ID, NameNl string }

type catalogueStep struct {
	ID            string
	Order         int
	Name          string
	CitizenFacing bool
	Channels      []string
	Actor         *struct{ NameNl string }
	Partner       *partnerRef
	Learns        *struct {
		By         string
		Standard   *struct{ Name string }
		LegalBasis *struct{ Text string }
	}
	Coupling struct {
		Status, Description string
		Closes              *string
		Standard            *struct{ ID, Name string }
	}
}

// caseEdges are a subject's open cases.
type caseEdges struct {
	Edges []struct {
		Node struct {
			ID, Status, CreatedAt string
			LifeEvent             struct{ Kind, NameNl string }
		}
	}
}

type lifeEventsAnswer struct {
	Person *struct{ LifeEvents []lifeEventPicture }
	Cases  *caseEdges
}

// lifeEventsView is the life-event part of a card.
type lifeEventsView struct {
	Session   *session
	Ref       string // the subject, sealed
	Back      string // the card's path
	Error     string
	OpenCases []openCase
	Events    []eventView
	Channels  []string
}

type openCase struct{ ID, Event, Status, Created string }

type eventView struct {
	Kind, Name, Status, Because, StatusBecause string
	// ID is unique on the card: a subject may play several roles in one
	// event.
	ID string
	// Role is the subject's role; About names the anchor the event
	// happens to when that is someone else, AboutLink its card.
	Role, About, AboutLink, Since string
	// StartRef is the sealed reference the event is started for: its
	// anchor, or the subject itself; empty when the console cannot start
	// it (an address anchor).
	StartRef string
	// Notifies are the partners starting the event would notify.
	Notifies []string
	// Applies: the event happens now; Unknown: the hub cannot tell.
	Applies, Unknown bool
	// Key and HandoverKey are fresh idempotency keys: a form sent twice
	// starts one case and makes one handover.
	Key, HandoverKey string
	Steps            []stepView
	Partners         []partnerOption
}

type stepView struct {
	ID, Name, Status, Partner, Actor, Coupling, Standard string
	// Because says why the step has its status; State is how its coupling
	// stands now; Learns how its partner learns of the event; Task what
	// starting the event would do for it.
	Because, State, Learns, Task string
	Order                        int
	Channels, Inputs             []string
	Blockers                     []blockerView
	// Handover marks the step a warm handover is most likely about.
	Handover bool
}

type blockerView struct{ Kind, Registry, Reason, Closes string }

type partnerOption struct {
	ID, Name  string
	Suggested bool
}

// channels are the contact channels, in the order the forms offer them.
var channels = []string{"DESK", "PHONE", "CHAT", "EMAIL", "WEB", "POST", "APP"}

func (c *Console) lifeEventsView(s *session, root, id, ref, back string, holder *struct{ LifeEvents []lifeEventPicture },
	cs *caseEdges, res *result, err error) *lifeEventsView {
	lv := &lifeEventsView{Session: s, Ref: ref, Back: back, Channels: channels}
	switch {
	case err != nil:
		c.log.Error("console: life events", "err", err)
		lv.Error = "De levensgebeurtenissen konden niet worden opgehaald."
		return lv
	case res.refused() && len(res.Errors) > 0:
		lv.Error = "De hub weigerde de levensgebeurtenissen: " + res.Errors[0].Message + " (" + res.Errors[0].code() + ")"
		return lv
	}
	if e, ok := res.at(root + ".lifeEvents"); ok {
		lv.Error = "Levensgebeurtenissen niet beschikbaar: " + e.Message + " (" + e.code() + ")"
	}
	if cs != nil {
		for _, e := range cs.Edges {
			lv.OpenCases = append(lv.OpenCases, openCase{ID: e.Node.ID, Event: e.Node.LifeEvent.NameNl, Status: e.Node.Status, Created: dateTimeNL(e.Node.CreatedAt)})
		}
	}
	if holder == nil {
		return lv
	}
	for i, le := range holder.LifeEvents {
		ev := eventFromPicture(le)
		ev.ID = fmt.Sprintf("%s-%d", le.Event.Kind, i)
		ev.StartRef = ref
		if le.About != nil {
			c.aboutAnchor(s, &ev, le, id)
		}
		lv.Events = append(lv.Events, ev)
	}
	// What happens now comes first.
	slices.SortStableFunc(lv.Events, func(a, b eventView) int {
		switch {
		case a.Applies == b.Applies:
			return 0
		case a.Applies:
			return -1
		}
		return 1
	})
	return lv
}

// aboutAnchor names the anchor the event happens to when that is not the
// card's own subject, links its card, and starts the event for it: from a
// parent's card, the birth is the child's, one click away.
func (c *Console) aboutAnchor(s *session, ev *eventView, le lifeEventPicture, holder string) {
	a := le.About
	switch {
	case a.Person != nil && a.Person.BSN != holder:
		ev.About = a.Person.BSN
		if a.Person.Name != nil && a.Person.Name.FullName != nil {
			ev.About = *a.Person.Name.FullName
		}
		ev.AboutLink, ev.StartRef = c.subjectLink(s, "PERSON", a.Person.BSN), c.sealRef(s, "persoon", a.Person.BSN, "")
	case a.Company != nil && a.Company.KvKNumber != holder:
		ev.About = a.Company.KvKNumber
		if a.Company.Name != nil {
			ev.About = *a.Company.Name
		}
		ev.AboutLink, ev.StartRef = c.subjectLink(s, "COMPANY", a.Company.KvKNumber), c.sealRef(s, "bedrijf", a.Company.KvKNumber, "")
	case a.Address != nil:
		// The console has no address card: a renovation is started at
		// the Omgevingsloket, and shown here for the resident.
		ev.About = joinNonEmpty(" ", str(a.Address.Street), num(a.Address.HouseNumber), str(a.Address.HouseLetter),
			str(a.Address.Addition), str(a.Address.Place))
		ev.StartRef = ""
	}
}

// dateNL writes an ISO date the Dutch way.
func dateNL(s string) string {
	t, err := time.Parse(time.DateOnly, s)
	if err != nil {
		return s
	}
	return t.Format("02-01-2006")
}

func eventFromPicture(le lifeEventPicture) eventView {
	ev := eventView{
		Kind: le.Event.Kind, Name: le.Event.NameNl, Status: le.Status, Because: le.AppliesBecause, StatusBecause: le.StatusBecause,
		Applies: le.Applies != nil && *le.Applies, Unknown: le.Applies == nil,
		Key: randomString(12), HandoverKey: randomString(12),
	}
	if le.Role != nil {
		ev.Role = le.Role.NameNl
	}
	if le.Since != nil {
		ev.Since = dateNL(*le.Since)
	}
	for _, p := range le.Notifies {
		ev.Notifies = append(ev.Notifies, p.NameNl)
	}
	for _, st := range le.Steps {
		sv := stepOf(st.Step)
		sv.Status, sv.Inputs, sv.Because, sv.State = st.Status, st.Inputs, st.Because, st.Coupling
		if t := st.Task; t != nil {
			sv.Task = taskText(t.Kind, t.Notifies, str(t.Reason))
		}
		for _, b := range st.Blockers {
			sv.Blockers = append(sv.Blockers, blockerView{Kind: b.Kind, Registry: str(b.Registry), Reason: b.Reason, Closes: str(b.Closes)})
		}
		ev.Steps = append(ev.Steps, sv)
	}
	ev.Partners = partnerOptions(le.Event.Partners, ev.Steps)
	return ev
}

// taskText says in Dutch what starting the event does for a step.
func taskText(kind string, notifies bool, reason string) string {
	switch {
	case notifies:
		return "krijgt bericht van de hub"
	case kind == "MANUAL":
		return "handmatige taak: " + reason
	}
	return "gevolgd, geen bericht: " + reason
}

// learnsText says in Dutch how a step's partner learns of the event.
func learnsText(st catalogueStep) string {
	l := st.Learns
	if l == nil {
		return ""
	}
	out := dutchOr(l.By)
	if l.Standard != nil {
		out += " (" + l.Standard.Name + ")"
	}
	if l.LegalBasis != nil {
		out += "; grondslag: " + l.LegalBasis.Text
	}
	return out
}

func stepOf(st catalogueStep) stepView {
	sv := stepView{ID: st.ID, Order: st.Order, Name: st.Name, Channels: st.Channels, Coupling: st.Coupling.Status,
		Handover: strings.Contains(st.ID, "handover"), Learns: learnsText(st)}
	if st.Partner != nil {
		sv.Partner = st.Partner.NameNl
	}
	if st.Actor != nil && st.Actor.NameNl != sv.Partner {
		sv.Actor = st.Actor.NameNl
	}
	if st.Coupling.Standard != nil {
		sv.Standard = st.Coupling.Standard.Name
	}
	return sv
}

// partnerOptions offers an event's partners for a handover, suggesting
// the partner of the step that is a handover.
func partnerOptions(ps []partnerRef, steps []stepView) []partnerOption {
	suggested := ""
	for _, st := range steps {
		if st.Handover {
			suggested = st.Partner
			break
		}
	}
	out := make([]partnerOption, 0, len(ps))
	for _, p := range ps {
		out = append(out, partnerOption{ID: p.ID, Name: p.NameNl, Suggested: p.NameNl == suggested})
	}
	return out
}

// subjectKinds maps the kinds of the console's references to the graph's
// subject kinds.
var subjectKinds = map[string]string{"persoon": "PERSON", "bedrijf": "COMPANY"}

// startLifeEvent opens a case for the subject's life event and shows it.
func (c *Console) startLifeEvent(w http.ResponseWriter, r *http.Request, s *session) {
	rf, kind, ok := c.subjectOf(s, r.PostFormValue("onderwerp"))
	if !ok {
		c.renderError(w, r, s, http.StatusBadRequest, "Onbekende verwijzing", "Dit formulier hoort niet bij je sessie. Zoek opnieuw.")
		return
	}
	var out struct {
		StartLifeEvent *struct {
			Replayed bool
			Case     struct{ ID string }
		}
	}
	input := map[string]any{
		"kind": r.PostFormValue("gebeurtenis"), "subjectKind": kind, "subjectId": rf.ID,
		"channel": r.PostFormValue("kanaal"), "idempotencyKey": r.PostFormValue("sleutel"),
	}
	// Without a reason the hub first asks the registries whether the
	// event applies; with one it starts the case and keeps the reason.
	if why := strings.TrimSpace(r.PostFormValue("toelichting")); why != "" {
		input["overrideReason"] = why
	}
	res, err := c.execute(r.Context(), s, "StartLifeEvent", map[string]any{"input": input}, &out)
	if err != nil || out.StartLifeEvent == nil {
		c.operationFailed(w, r, s, "Starten lukte niet", res, err)
		return
	}
	http.Redirect(w, r, "/balie/zaak/"+out.StartLifeEvent.Case.ID+"?gestart=1", http.StatusSeeOther)
}

// subjectLink is the link to a subject's card, given the graph's subject
// kind; empty for a kind without a card.
func (c *Console) subjectLink(s *session, subjectKind, id string) string {
	for kind, sk := range subjectKinds {
		if sk == subjectKind {
			return "/balie/" + kind + "/" + c.sealRef(s, kind, id, "")
		}
	}
	return ""
}

// subjectOf opens a sealed subject reference of either kind.
func (c *Console) subjectOf(s *session, sealed string) (ref, string, bool) {
	for k, kind := range subjectKinds {
		if rf, ok := c.openRef(s, k, sealed); ok {
			return rf, kind, true
		}
	}
	return ref{}, "", false
}

// operationFailed shows why a mutation did not go through, in the graph's
// own words.
func (c *Console) operationFailed(w http.ResponseWriter, r *http.Request, s *session, title string, res *result, err error) {
	if err != nil || res == nil || len(res.Errors) == 0 {
		c.renderRefusal(w, r, s, res, err)
		return
	}
	e := res.Errors[0]
	status := http.StatusUnprocessableEntity
	if res.status >= 400 {
		status = res.status
	}
	c.render(w, r, s, status, "error", page{Title: title, Data: errorPage{Message: e.Message, Code: e.code()}})
}

// dateTimeNL writes an RFC 3339 time as Dutch local date and time.
func dateTimeNL(s string) string {
	t, err := time.Parse(time.RFC3339Nano, s)
	if err != nil {
		return s
	}
	return t.Local().Format("02-01-2006 15:04")
}
