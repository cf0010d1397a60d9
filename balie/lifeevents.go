package balie

import (
	"net/http"
	"slices"
	"strings"
	"time"
)

// lifeEventPicture is one life event as it stands for a subject, as
// PersonLifeEvents and CompanyCard ask for it.
type lifeEventPicture struct {
	Event struct {
		Kind, Name, NameNl string
		Partners           []partnerRef
	}
	// Applies is null when the hub cannot tell (data outside the
	// purposes, or a registry that failed).
	Applies        *bool
	AppliesBecause string
	Status         string
	Steps          []struct {
		Status   string
		Inputs   []string
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
	Coupling      struct {
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
	Kind, Name, Status, Because string
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
	Order                                                int
	Channels, Inputs                                     []string
	Blockers                                             []blockerView
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

func (c *Console) lifeEventsView(s *session, root, ref, back string, holder *struct{ LifeEvents []lifeEventPicture },
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
	for _, le := range holder.LifeEvents {
		lv.Events = append(lv.Events, eventFromPicture(le))
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

func eventFromPicture(le lifeEventPicture) eventView {
	ev := eventView{
		Kind: le.Event.Kind, Name: le.Event.NameNl, Status: le.Status, Because: le.AppliesBecause,
		Applies: le.Applies != nil && *le.Applies, Unknown: le.Applies == nil,
		Key: randomString(12), HandoverKey: randomString(12),
	}
	for _, st := range le.Steps {
		sv := stepOf(st.Step)
		sv.Status, sv.Inputs = st.Status, st.Inputs
		for _, b := range st.Blockers {
			sv.Blockers = append(sv.Blockers, blockerView{Kind: b.Kind, Registry: str(b.Registry), Reason: b.Reason, Closes: str(b.Closes)})
		}
		ev.Steps = append(ev.Steps, sv)
	}
	ev.Partners = partnerOptions(le.Event.Partners, ev.Steps)
	return ev
}

func stepOf(st catalogueStep) stepView {
	sv := stepView{ID: st.ID, Order: st.Order, Name: st.Name, Channels: st.Channels, Coupling: st.Coupling.Status,
		Handover: strings.Contains(st.ID, "handover")}
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
