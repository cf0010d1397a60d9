package balie

import "net/http"

type workPage struct {
	Problems  []string
	Handovers []struct {
		ID, Partner, SubjectKind, SubjectID, SubjectLink, Reason, Notes, Created, CaseID string
	}
	Parked []struct {
		Partner, LastError, CaseID string
		Attempts                   int
	}
}

// myWork shows the employee's open warm handovers and the notifications
// that wait for an operator.
func (c *Console) myWork(w http.ResponseWriter, r *http.Request, s *session) {
	var out struct {
		Handovers connection[struct {
			ID, SubjectKind, SubjectID, Reason, CreatedAt string
			CaseID, Notes                                 *string
			ToPartner                                     *partnerRef
		}]
		ParkedMessages connection[struct {
			ID                string
			CaseID, LastError *string
			Attempts          int
			Partner           *partnerRef
		}]
	}
	res, err := c.execute(r.Context(), s, "MyWork", nil, &out)
	if err != nil || res.refused() {
		c.renderRefusal(w, r, s, res, err)
		return
	}
	var wp workPage
	for _, e := range res.Errors {
		wp.Problems = append(wp.Problems, e.Message+" ("+e.code()+")")
	}
	for _, h := range out.Handovers.nodes() {
		row := struct {
			ID, Partner, SubjectKind, SubjectID, SubjectLink, Reason, Notes, Created, CaseID string
		}{ID: h.ID, SubjectKind: h.SubjectKind, SubjectID: h.SubjectID, Reason: h.Reason, Notes: str(h.Notes),
			Created: dateTimeNL(h.CreatedAt), CaseID: str(h.CaseID)}
		if h.ToPartner != nil {
			row.Partner = h.ToPartner.NameNl
		}
		row.SubjectLink = c.subjectLink(s, h.SubjectKind, h.SubjectID)
		wp.Handovers = append(wp.Handovers, row)
	}
	for _, m := range out.ParkedMessages.nodes() {
		row := struct {
			Partner, LastError, CaseID string
			Attempts                   int
		}{LastError: str(m.LastError), CaseID: str(m.CaseID), Attempts: m.Attempts}
		if m.Partner != nil {
			row.Partner = m.Partner.NameNl
		}
		wp.Parked = append(wp.Parked, row)
	}
	p := page{Title: "Mijn werk", Nav: "werk", Data: wp}
	if r.URL.Query().Has("overgedragen") {
		p.Flash = "De warme overdracht is gemaakt."
	}
	c.render(w, r, s, http.StatusOK, "work", p)
}
