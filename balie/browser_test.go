package balie_test

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/poort-nl/poort/cases"
	"github.com/poort-nl/poort/mocks"
	"github.com/poort-nl/poort/mocks/partners"
	"github.com/poort-nl/poort/mocks/population"
	"github.com/poort-nl/poort/server"
)

// The browser tests drive headless Chromium, from the system's packages,
// through the console as an employee would. Without Chromium they skip on
// a developer's machine and fail in CI (CI set), where .ci/run installs it.

var (
	popOnce sync.Once
	pop     *population.Population
	popErr  error
)

// testPopulation is the default population of `go run ./cmd/poort`, so
// the subjects the tests pick are those a newcomer meets.
func testPopulation(t testing.TB) *population.Population {
	t.Helper()
	popOnce.Do(func() { pop, popErr = population.Generate(population.Config{Seed: 1, Size: 1000}) })
	if popErr != nil {
		t.Fatal(popErr)
	}
	return pop
}

type testHub struct {
	*server.Hub
	url string
}

// startHub runs a whole hub over HTTP on loopback with the environment
// given (over the defaults), its dispatcher delivering to the partners.
// env may name the hub's own URL, which it is told.
func startHub(t testing.TB, env func(url string) map[string]string, o server.Options) *testHub {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	url := "http://" + l.Addr().String()
	vars := map[string]string{}
	if env != nil {
		vars = env(url)
	}
	cfg, err := server.LoadConfig(func(k string) string { return vars[k] })
	if err != nil {
		t.Fatal(err)
	}
	if vars["POORT_DATABASE_URL"] == "" {
		cfg.DatabaseURL = "sqlite::memory:"
	}
	cfg.Auth.LocalKeyFile = filepath.Join(t.TempDir(), "signing-key.json")
	cfg.Resilience.Cache.TTL = 0 // the tests fault registries between pages
	cfg.DispatchPoll = 100 * time.Millisecond
	if o.Population == nil {
		o.Population = testPopulation(t)
	}
	log := slog.New(slog.NewTextHandler(io.Discard, nil))
	if testing.Verbose() {
		log = slog.New(slog.NewTextHandler(os.Stderr, &slog.HandlerOptions{Level: slog.LevelWarn}))
	}
	h, err := server.NewHub(context.Background(), cfg, log, o)
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewUnstartedServer(h.Handler)
	srv.Listener.Close()
	srv.Listener = l
	srv.Start()
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() {
		defer close(done)
		h.Dispatcher.Run(ctx)
	}()
	t.Cleanup(func() {
		cancel()
		<-done
		srv.Close()
		h.Close()
	})
	return &testHub{Hub: h, url: url}
}

// production completes a configuration with an identity provider into
// one outside development mode: the registries at URLs (the mocks, run by
// the test), the partners' intake (the mock, likewise) and a pseudonym
// key.
func production(t testing.TB, vars map[string]string) map[string]string {
	t.Helper()
	set, err := mocks.Start(testPopulation(t), server.MockRegistrations(server.Registries()), mocks.Options{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { set.Close() })
	intake, err := partners.Start("127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { intake.Close() })
	dir, err := json.Marshal(cases.MockDirectory(intake.URL))
	if err != nil {
		t.Fatal(err)
	}
	out := map[string]string{"POORT_PSEUDONYM_KEY": strings.Repeat("ab", 32), "POORT_PARTNER_DIRECTORY": string(dir)}
	for _, r := range set.Registries() {
		out["POORT_"+r+"_URL"] = set.BaseURL(r)
	}
	for k, v := range vars {
		out[k] = v
	}
	return out
}

// chromiumPath finds the system's Chromium.
func chromiumPath(t *testing.T) string {
	t.Helper()
	for _, name := range []string{"chromium", "chromium-browser"} {
		if p, err := exec.LookPath(name); err == nil {
			return p
		}
	}
	if os.Getenv("CI") != "" {
		t.Fatal("Chromium is not installed; CI needs it for the console's browser tests (apt-get install -y chromium)")
	}
	t.Skip("Chromium is not installed (apt-get install -y chromium); the console's browser tests need it")
	return ""
}

// newBrowser starts a fresh headless Chromium that reaches nothing but
// loopback, and returns a tab's context.
func newBrowser(t *testing.T, extra ...chromedp.ExecAllocatorOption) context.Context {
	t.Helper()
	opts := append([]chromedp.ExecAllocatorOption{
		chromedp.ExecPath(chromiumPath(t)),
		chromedp.Headless,
		chromedp.NoSandbox,
		chromedp.DisableGPU,
		chromedp.Flag("disable-quic", true),
		chromedp.NoFirstRun,
		chromedp.NoDefaultBrowserCheck,
		chromedp.Flag("disable-background-networking", true),
		chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-sync", true),
		chromedp.Flag("disable-default-apps", true),
		chromedp.Flag("disable-extensions", true),
		chromedp.Flag("lang", "nl-NL"),
		chromedp.UserDataDir(t.TempDir()),
		chromedp.WindowSize(1280, 1000),
	}, extra...)
	actx, cancelAlloc := chromedp.NewExecAllocator(context.Background(), opts...)
	ctx, cancelTab := chromedp.NewContext(actx)
	t.Cleanup(func() {
		cancelTab()
		cancelAlloc()
	})
	if err := chromedp.Do(ctx); err != nil {
		t.Fatalf("start Chromium: %v", err)
	}
	return ctx
}

// run runs browser actions with a deadline, failing the test with what
// the page shows when they do not complete.
func run(t *testing.T, ctx context.Context, what string, actions ...chromedp.Action[chromedp.Void]) {
	t.Helper()
	cctx, cancel := context.WithTimeout(ctx, 20*time.Second)
	defer cancel()
	if err := chromedp.Do(cctx, actions...); err != nil {
		failPage(t, ctx, what, err)
	}
}

// get runs one browser action that reads something.
func get[T any](t *testing.T, ctx context.Context, what string, action chromedp.Action[T]) T {
	t.Helper()
	cctx, cancel := context.WithTimeout(ctx, 20*time.Second)
	defer cancel()
	v, err := chromedp.Run(cctx, action)
	if err != nil {
		failPage(t, ctx, what, err)
	}
	return v
}

func failPage(t *testing.T, ctx context.Context, what string, err error) {
	t.Helper()
	sctx, cancel := context.WithTimeout(ctx, 3*time.Second)
	defer cancel()
	url, _ := chromedp.Run(sctx, chromedp.Location())
	body, _ := chromedp.Run(sctx, chromedp.Text(chromedp.CSS("main")))
	shot(t, ctx, "failed-"+strings.ReplaceAll(what, " ", "-"))
	t.Fatalf("%s: %v\nat %s the page says:\n%s", what, err, url, truncate(body, 3000))
}

func truncate(s string, n int) string {
	if len(s) <= n {
		return s
	}
	return s[:n] + "…"
}

// screenshotDir is where the tests write their screenshots:
// POORT_SCREENSHOTS, or a folder in the temporary directory.
func screenshotDir(t *testing.T) string {
	dir := os.Getenv("POORT_SCREENSHOTS")
	if dir == "" {
		dir = filepath.Join(os.TempDir(), "poort-balie-screenshots")
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	return dir
}

// shot writes a screenshot of what the window shows.
func shot(t *testing.T, ctx context.Context, name string) {
	t.Helper()
	sctx, cancel := context.WithTimeout(ctx, 10*time.Second)
	defer cancel()
	png, err := chromedp.Run(sctx, chromedp.CaptureScreenshot())
	if err != nil {
		t.Logf("screenshot %s: %v", name, err)
		return
	}
	p := filepath.Join(screenshotDir(t), name+".png")
	if err := os.WriteFile(p, png, 0o644); err != nil {
		t.Fatal(err)
	}
	t.Logf("screenshot: %s", p)
}

// text reads the text of the first element matching a CSS selector.
func text(t *testing.T, ctx context.Context, sel string) string {
	t.Helper()
	return get(t, ctx, "read "+sel, chromedp.Text(chromedp.CSS(sel)))
}

func fmtBirth(d population.Date) string {
	y, m, day := d.Parts()
	return fmt.Sprintf("%04d-%02d-%02d", y, m, day)
}
