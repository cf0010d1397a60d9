package processtest

import (
	"bytes"
	"context"
	"encoding/json"
	"os"
	"os/exec"
	"regexp"
	"strings"
	"testing"

	"github.com/poort-nl/poort/mocks/population"
)

// TestReadmeExamples follows the README as a new user does: start the hub
// as `go run ./cmd/poort` does (development mode, no settings), mint the
// token the README shows from another working directory, and send every
// example with it, the curl command's included. Each must answer without
// an error, the registry examples with data in every part, and the
// mutation must open a case.
func TestReadmeExamples(t *testing.T) {
	b, err := os.ReadFile("../../README.md")
	if err != nil {
		t.Fatal(err)
	}
	readme := string(b)
	mint := regexp.MustCompile(`TOKEN=\$\(go run \./cmd/poort (token [^)]*)\)`).FindStringSubmatch(readme)
	if mint == nil {
		t.Fatal("the README shows no `TOKEN=$(go run ./cmd/poort token ...)` command")
	}
	curl := regexp.MustCompile(`(?s)curl .*?-d '([^']*)'`).FindStringSubmatch(readme)
	if curl == nil {
		t.Fatal("the README shows no curl command with -d '...'")
	}
	blocks := regexp.MustCompile("(?s)```graphql\n(.*?)```").FindAllStringSubmatch(readme, -1)
	if len(blocks) < 4 {
		t.Fatalf("the README has %d example queries, want at least 4", len(blocks))
	}

	state := t.TempDir()
	hub := newHub(t, "readme hub", map[string]string{"POORT_STATE_DIR": state, "POORT_ADMIN_LISTEN": "off"})
	hub.start()

	// The token command, run elsewhere: it finds the hub's key in the
	// state directory, not in the working directory.
	cmd := exec.Command(poortBinary.get(t), strings.Fields(mint[1])...)
	cmd.Dir = t.TempDir()
	cmd.Env = append(os.Environ(), "POORT_STATE_DIR="+state)
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	if err := cmd.Run(); err != nil || stderr.Len() > 0 {
		t.Fatalf("poort %s: %v\n%s", mint[1], err, stderr.String())
	}
	c := newClient(hub.URL, strings.TrimSpace(stdout.String()))
	ctx := context.Background()

	var body struct{ Query string }
	if err := json.Unmarshal([]byte(curl[1]), &body); err != nil {
		t.Fatalf("the curl command's body: %v", err)
	}
	if r := c.do(ctx, body.Query, nil); !r.acknowledged() || strings.Contains(string(r.Data), "null") {
		t.Errorf("the curl command: %s", r)
	}

	pop := testPopulation(t)
	for i, b := range blocks {
		r := c.do(ctx, b[1], nil)
		if !r.acknowledged() {
			t.Errorf("example %d: %s", i+1, r)
			continue
		}
		// The first three examples show registry data: none of it empty.
		if i < 3 && (strings.Contains(string(r.Data), "[]") || strings.Contains(string(r.Data), ":null}}")) {
			t.Errorf("example %d returns empty parts: %s", i+1, r.Data)
		}
		if strings.Contains(b[1], "lifeEvent(") {
			checkReadmeLifeEvent(t, b[1], r.Data, pop.Scenarios)
		}
		if !strings.Contains(b[1], "startLifeEvent") {
			continue
		}
		if !strings.Contains(b[1], `subjectId: "`+pop.Scenarios.JobLoss+`"`) {
			t.Errorf("the startLifeEvent example is not about the person who lost their job (%s)", pop.Scenarios.JobLoss)
		}
		var started struct {
			StartLifeEvent struct {
				Case struct {
					ID    string
					Tasks []struct{ Kind string }
				}
			}
		}
		r.decode(t, &started)
		if started.StartLifeEvent.Case.ID == "" || len(started.StartLifeEvent.Case.Tasks) == 0 {
			t.Errorf("startLifeEvent opened no case with tasks: %s", r.Data)
		}
	}
}

// checkReadmeLifeEvent holds the README's life-event example to what its
// text says: the person on WW and the person whose job ended without WW
// are the population's, and see the same event differently: UWV's
// decision done for the first; the hand-over to UWV blocked and work and
// income notified for the second only.
func checkReadmeLifeEvent(t *testing.T, query string, data json.RawMessage, s population.Scenarios) {
	t.Helper()
	for alias, bsn := range map[string]string{"onWW": s.JobLoss, "noWW": s.JobEnded} {
		if !strings.Contains(query, alias+`: person(bsn: "`+bsn+`")`) {
			t.Errorf("the README's %s is not the population's %s", alias, bsn)
		}
	}
	var got map[string]struct {
		LifeEvent *struct {
			Status string
			Steps  []struct {
				Step   struct{ Name string }
				Status string
			}
			Notifies []struct{ Name string }
		}
	}
	if err := json.Unmarshal(data, &got); err != nil {
		t.Fatalf("life-event example: %v", err)
	}
	statusOf := func(alias, step string) string {
		if le := got[alias].LifeEvent; le != nil {
			for _, st := range le.Steps {
				if strings.HasPrefix(st.Step.Name, step) {
					return st.Status
				}
			}
		}
		return ""
	}
	for _, c := range []struct{ alias, step, want string }{
		{"onWW", "UWV decides", "DONE"}, {"onWW", "Hand over to UWV", "NOT_APPLICABLE"}, {"onWW", "Apply for social assistance", "NOT_APPLICABLE"},
		{"noWW", "Hand over to UWV", "BLOCKED"}, {"noWW", "Apply for social assistance", "NEEDS_INPUT"},
	} {
		if got := statusOf(c.alias, c.step); got != c.want {
			t.Errorf("the README's %s: %q is %s, want %s", c.alias, c.step, got, c.want)
		}
	}
	if on, no := got["onWW"].LifeEvent, got["noWW"].LifeEvent; on == nil || no == nil || len(on.Notifies) != 0 || len(no.Notifies) != 1 {
		t.Errorf("the README's example notifies %+v and %+v, want no one and work and income", on, no)
	}
}
