package balie

import (
	"net/http"
	"regexp"
	"strings"
)

// caseAnswer is Case's answer.
type caseAnswer struct {
	Case *struct {
		ID, SubjectKind, SubjectID, Channel, Status, CreatedBy, CreatedAt, UpdatedAt string
		LifeEvent                                                                    struct {
			Kind, NameNl string
			Partners     []partnerRef
			Steps        []struct {
				ID    string
				Order int
				Name  string
			}
		}
		Tasks    []caseTask
		Messages connection[struct {
			ID, Status, NextAttemptAt string
			Attempts                  int
			LastError                 *string
			Partner                   *partnerRef
		}]
		Handovers connection[struct {
			ID, Status, Reason, CreatedAt string
			Notes                         *string
			ToPartner                     *partnerRef
		}]
		Timeline connection[struct{ At, Kind, Actor, Summary string }]
	}
}

type caseTask struct {
	ID, Kind, Status, UpdatedAt string
	Reason, Note                *string
	Step                        *struct {
		ID    string
		Order int
		Name  string
	}
	Partner *partnerRef
}

type casePage struct {
	ID, Event, SubjectKind, SubjectID, SubjectLink, Channel, CreatedBy, Created, Updated, Status string
	Final                                                                                        bool
	Tasks                                                                                        []struct{ Step, Partner, Kind, Status, Reason, Note string }
	Messages                                                                                     []struct {
		Partner, Status, LastError string
		Attempts                   int
	}
	Handovers []struct{ ID, Partner, Reason, Notes, Status string }
	Timeline  []struct{ At, Summary, Actor string }
	// Form is the case's life event for the handover form.
	Form     eventView
	Channels []string
}

// caseIDPattern is the form of the global ids the graph gives cases
// (base64url); the graph itself decides whether one names a case.
var caseIDPattern = regexp.MustCompile(`^[A-Za-z0-9_-]{1,200}$`)

// casePage shows a case as it progresses. With the fragment header it
// answers only the part that changes, for the page's script to refresh.
func (c *Console) casePage(w http.ResponseWriter, r *http.Request, s *session) {
	id := r.PathValue("id")
	if !caseIDPattern.MatchString(id) {
		c.renderError(w, r, s, http.StatusNotFound, "Onbekende zaak", "Dit is geen zaaknummer van de hub.")
		return
	}
	var out caseAnswer
	res, err := c.execute(r.Context(), s, "Case", map[string]any{"id": id}, &out)
	if err != nil || out.Case == nil {
		c.operationFailed(w, r, s, "Zaak niet te tonen", res, err)
		return
	}
	k := out.Case
	cp := casePage{ID: k.ID, Event: k.LifeEvent.NameNl, SubjectKind: k.SubjectKind, SubjectID: k.SubjectID, Channel: k.Channel,
		CreatedBy: k.CreatedBy, Created: dateTimeNL(k.CreatedAt), Updated: dateTimeNL(k.UpdatedAt), Status: k.Status, Channels: channels}
	cp.SubjectLink = c.subjectLink(s, k.SubjectKind, k.SubjectID)
	cp.Final = true
	for _, t := range k.Tasks {
		row := struct{ Step, Partner, Kind, Status, Reason, Note string }{Kind: t.Kind, Status: t.Status, Reason: str(t.Reason), Note: str(t.Note)}
		if t.Step != nil {
			row.Step = t.Step.Name
		}
		if t.Partner != nil {
			row.Partner = t.Partner.NameNl
		}
		cp.Tasks = append(cp.Tasks, row)
	}
	for _, m := range k.Messages.nodes() {
		row := struct {
			Partner, Status, LastError string
			Attempts                   int
		}{Status: m.Status, LastError: str(m.LastError), Attempts: m.Attempts}
		if m.Partner != nil {
			row.Partner = m.Partner.NameNl
		}
		if m.Status == "PENDING" {
			cp.Final = false
		}
		cp.Messages = append(cp.Messages, row)
	}
	for _, h := range k.Handovers.nodes() {
		row := struct{ ID, Partner, Reason, Notes, Status string }{ID: h.ID, Reason: h.Reason, Notes: str(h.Notes), Status: h.Status}
		if h.ToPartner != nil {
			row.Partner = h.ToPartner.NameNl
		}
		cp.Handovers = append(cp.Handovers, row)
	}
	for _, e := range k.Timeline.nodes() {
		cp.Timeline = append(cp.Timeline, struct{ At, Summary, Actor string }{dateTimeNL(e.At), e.Summary, e.Actor})
	}
	cp.Form = eventView{Kind: k.LifeEvent.Kind, ID: k.LifeEvent.Kind, Name: k.LifeEvent.NameNl, HandoverKey: randomString(12)}
	for _, st := range k.LifeEvent.Steps {
		cp.Form.Steps = append(cp.Form.Steps, stepView{ID: st.ID, Order: st.Order, Name: st.Name, Handover: strings.Contains(st.ID, "handover")})
	}
	cp.Form.Partners = casePartners(k.LifeEvent.Partners, k.Tasks)
	p := page{Title: "Zaak " + cp.Event, Nav: "zoeken", Data: cp}
	switch q := r.URL.Query(); {
	case q.Has("gestart"):
		p.Flash = "De zaak is geopend; elke ketenpartner krijgt bericht."
	case q.Has("overgedragen"):
		p.Flash = "De warme overdracht is gemaakt."
	}
	c.render(w, r, s, http.StatusOK, "case", p)
}

// casePartners offers the event's partners for a handover, suggesting the
// partner of a handover step.
func casePartners(ps []partnerRef, tasks []caseTask) []partnerOption {
	var steps []stepView
	for _, t := range tasks {
		if t.Step != nil && t.Partner != nil {
			steps = append(steps, stepView{Partner: t.Partner.NameNl, Handover: strings.Contains(t.Step.ID, "handover")})
		}
	}
	return partnerOptions(ps, steps)
}

// handOver makes a warm handover, of a case or of a subject without one.
func (c *Console) handOver(w http.ResponseWriter, r *http.Request, s *session) {
	f := func(name string) string { return strings.TrimSpace(r.PostFormValue(name)) }
	in := map[string]any{
		"toPartner": f("partner"), "reason": f("reden"), "channel": f("kanaal"), "idempotencyKey": f("sleutel"),
	}
	if v := f("notities"); v != "" {
		in["notes"] = v
	}
	if v := f("stap"); v != "" {
		in["step"] = v
	}
	if v := f("gebeurtenis"); v != "" {
		in["lifeEvent"] = v
	}
	caseID := f("zaak")
	switch {
	case caseID != "":
		in["caseId"] = caseID
	default:
		rf, kind, ok := c.subjectOf(s, f("onderwerp"))
		if !ok {
			c.renderError(w, r, s, http.StatusBadRequest, "Onbekende verwijzing", "Dit formulier hoort niet bij je sessie. Zoek opnieuw.")
			return
		}
		in["subjectKind"], in["subjectId"] = kind, rf.ID
	}
	var out struct {
		HandOver *struct {
			Handover struct {
				ID     string
				CaseID *string
			}
		}
	}
	res, err := c.execute(r.Context(), s, "HandOver", map[string]any{"input": in}, &out)
	if err != nil || out.HandOver == nil {
		c.operationFailed(w, r, s, "Overdragen lukte niet", res, err)
		return
	}
	if id := out.HandOver.Handover.CaseID; id != nil {
		http.Redirect(w, r, "/balie/zaak/"+*id+"?overgedragen=1#overdracht-"+out.HandOver.Handover.ID, http.StatusSeeOther)
		return
	}
	http.Redirect(w, r, "/balie/werk?overgedragen=1#overdracht-"+out.HandOver.Handover.ID, http.StatusSeeOther)
}
