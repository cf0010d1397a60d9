package processtest

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"testing"

	"github.com/poort-nl/poort/cases"
	"github.com/poort-nl/poort/internal/lineage"
	"github.com/poort-nl/poort/lifeevents"
	"github.com/poort-nl/poort/mocks/population"
	"github.com/poort-nl/poort/schema"
	"github.com/poort-nl/poort/store"
)

// eventSpec is one life event as the tests start it: for a subject of the
// mock population that the event applies to, over a channel its first
// step takes, with the tasks and notifications the catalogue plans.
type eventSpec struct {
	ID          string // the catalogue's id, e.g. "birth"
	Kind        string // the GraphQL enum, e.g. "BIRTH"
	SubjectKind string
	SubjectID   string
	Channel     string // the GraphQL enum, e.g. "DESK"
	// Tasks are the planned tasks as "step/partner/kind", sorted.
	Tasks []string
	// Notifications is the number of partners with automated tasks: one
	// notification each.
	Notifications int
	// Manual is the step of a manual task, "" when the event has none.
	Manual string
}

// startInput is the startLifeEvent input for the event with the key. It
// overrides the registries' check: these tests are about what the store
// and the outbox guarantee, and their principal, the front office, may
// start some events (unemployment, care) whose data it may not see.
func (s eventSpec) startInput(key string) map[string]any {
	return map[string]any{
		"kind": s.Kind, "subjectKind": s.SubjectKind, "subjectId": s.SubjectID, "channel": s.Channel,
		"idempotencyKey": key, "overrideReason": "started by a test of the store's guarantees",
	}
}

// scenarioSubjects names, per life event, the population's subject it
// applies to.
func scenarioSubjects(s population.Scenarios) map[string]string {
	return map[string]string{
		"birth":                      s.RecentBirth,
		"starting-a-business":        s.NewCompany,
		"renovation":                 s.Renovation,
		"travel":                     s.Traveller,
		"becoming-unemployed":        s.JobLoss,
		"becoming-dependent-on-care": s.CareDependent,
		"moving":                     s.Mover,
		"death":                      s.Deceased,
	}
}

// eventSpecs plans every life event with the catalogue the binary embeds
// and the case service's own rule (cases.Service.Plan), and picks its
// subject from the population the registries of the tests hold (seed 1,
// as `poort mocks export` would write it).
func eventSpecs(t testing.TB) map[string]eventSpec {
	t.Helper()
	s, err := schema.Parse()
	if err != nil {
		t.Fatal(err)
	}
	ix, err := lineage.FromSchema(s)
	if err != nil {
		t.Fatal(err)
	}
	cat, err := lifeevents.LoadEmbedded(lifeevents.SchemaFromAST(s, ix))
	if err != nil {
		t.Fatal(err)
	}
	pop := testPopulation(t)
	// Plan reads only the catalogue; the service insists on a store.
	st, err := store.Open(context.Background(), "sqlite::memory:", store.WithPseudonymKey([]byte("plan only, nothing is written")))
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	svc, err := cases.NewService(st, cat, nil)
	if err != nil {
		t.Fatal(err)
	}
	subjects := scenarioSubjects(pop.Scenarios)
	specs := map[string]eventSpec{}
	for _, ev := range cat.Events() {
		plan, err := svc.Plan(ev.ID)
		if err != nil {
			t.Fatal(err)
		}
		spec := eventSpec{
			ID: ev.ID, Kind: lifeevents.EnumName(ev.ID), SubjectKind: string(ev.Subject), SubjectID: subjects[ev.ID],
			Channel: strings.ToUpper(string(ev.Steps[0].Channels[0])),
		}
		if spec.SubjectID == "" {
			t.Fatalf("no scenario subject for life event %q", ev.ID)
		}
		notified := map[string]bool{}
		for _, p := range plan {
			spec.Tasks = append(spec.Tasks, taskKey(p.Step.ID, p.Partner, string(p.Kind)))
			if p.Kind == lifeevents.TaskNotify {
				notified[p.Partner] = true
			} else if spec.Manual == "" {
				spec.Manual = p.Step.ID
			}
		}
		slices.Sort(spec.Tasks)
		spec.Notifications = len(notified)
		specs[spec.Kind] = spec
	}
	return specs
}

func taskKey(step, partner, kind string) string {
	return fmt.Sprintf("%s/%s/%s", step, partner, strings.ToLower(kind))
}

// taskKeys returns a case's tasks as "step/partner/kind", sorted.
func taskKeys(tasks []taskView) []string {
	out := make([]string, len(tasks))
	for i, t := range tasks {
		out[i] = taskKey(t.Step.ID, t.Partner.ID, t.Kind)
	}
	slices.Sort(out)
	return out
}
