//go:build e2e

package e2e

import (
	"errors"
	"fmt"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/playwright-community/playwright-go"

	"github.com/contoso/admincenter/models/dbtest"
)

// adminPassword is the demo admins' password in every test server.
const adminPassword = "E2e-Demo-Pass-2026"

var (
	pw      *playwright.Playwright
	browser playwright.Browser
	binary  string
	repo    string
	expect  = playwright.NewPlaywrightAssertions(5000)
)

func TestMain(m *testing.M) {
	code, err := run(m)
	if err != nil {
		fmt.Fprintln(os.Stderr, "e2e:", err)
		os.Exit(1)
	}
	os.Exit(code)
}

func run(m *testing.M) (int, error) {
	var err error
	if repo, err = filepath.Abs(".."); err != nil {
		return 0, err
	}
	tmp, err := os.MkdirTemp("", "admincenter-e2e-")
	if err != nil {
		return 0, err
	}
	defer os.RemoveAll(tmp)

	binary = filepath.Join(tmp, "admincenter")
	build := exec.Command("go", "build", "-o", binary, "./cmd/admincenter")
	build.Dir = repo
	if out, err := build.CombinedOutput(); err != nil {
		return 0, fmt.Errorf("build server: %v\n%s", err, out)
	}

	// playwright-go wants DRIVER/package/cli.js and DRIVER/node: the pinned npm
	// playwright-core and the machine's node. It never downloads anything here.
	driver := filepath.Join(tmp, "driver")
	if err := os.MkdirAll(driver, 0o755); err != nil {
		return 0, err
	}
	node, err := exec.LookPath("node")
	if err != nil {
		return 0, errors.New("node is not on PATH")
	}
	if err := os.Symlink(filepath.Join(repo, "node_modules", "playwright-core"), filepath.Join(driver, "package")); err != nil {
		return 0, err
	}
	if err := os.Symlink(node, filepath.Join(driver, "node")); err != nil {
		return 0, err
	}
	pw, err = playwright.Run(&playwright.RunOptions{DriverDirectory: driver, SkipInstallBrowsers: true, Verbose: false})
	if err != nil {
		return 0, fmt.Errorf("start playwright (run `npm ci` first): %w", err)
	}
	defer pw.Stop()
	browser, err = pw.Chromium.Launch(playwright.BrowserTypeLaunchOptions{
		ExecutablePath: playwright.String(chromiumPath()),
		Headless:       playwright.Bool(true),
		Args: []string{"--no-sandbox", "--disable-gpu", "--disable-background-networking",
			"--disable-component-update", "--disable-sync", "--no-first-run", "--disable-quic"},
	})
	if err != nil {
		return 0, fmt.Errorf("launch chromium: %w", err)
	}
	defer browser.Close()
	fmt.Fprintln(os.Stderr, "e2e: servers run on", dbtest.Describe())
	return m.Run(), nil
}

func chromiumPath() string {
	if p := os.Getenv("CHROMIUM"); p != "" {
		return p
	}
	return "/usr/bin/chromium"
}

// server is one running admin center with its own demo database (a SQLite file,
// or a PostgreSQL database when the tests run on PostgreSQL).
type server struct {
	URL string
	DB  string
	cmd *exec.Cmd
	log *os.File
}

// startServer runs the real binary on a free loopback port with a fresh demo
// database and waits for /healthz.
func startServer(t *testing.T) *server {
	t.Helper()
	srv := launch(t, dbtest.DSN(t, "e2e"))
	t.Cleanup(func() { srv.stop(t) })
	return srv
}

// launch starts the binary on the database (seeding the demo tenant when it is
// empty), with any extra serve flags, and waits until it is healthy. The caller
// stops or kills it.
func launch(t *testing.T, db string, extra ...string) *server {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := ln.Addr().String()
	ln.Close()
	cmd := exec.Command(binary, append([]string{"serve", "--addr", addr, "--db", db, "--demo"}, extra...)...)
	cmd.Env = append(os.Environ(), "ADMINCENTER_ADMIN_PASSWORD="+adminPassword)
	logFile, err := os.CreateTemp(t.TempDir(), "server-*.log")
	if err != nil {
		t.Fatal(err)
	}
	cmd.Stdout, cmd.Stderr = logFile, logFile
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	srv := &server{URL: "http://" + addr, DB: db, cmd: cmd, log: logFile}
	deadline := time.Now().Add(15 * time.Second)
	for {
		res, err := http.Get(srv.URL + "/healthz")
		if err == nil {
			res.Body.Close()
			if res.StatusCode == http.StatusOK {
				return srv
			}
		}
		if time.Now().After(deadline) {
			srv.stop(t)
			t.Fatalf("server did not become healthy: %v", err)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// stop ends the server gracefully (SIGTERM) and shows its log when the test failed.
func (s *server) stop(t *testing.T) {
	if s.cmd.ProcessState == nil {
		_ = s.cmd.Process.Signal(syscall.SIGTERM)
		_ = s.cmd.Wait()
	}
	s.log.Close()
	if t.Failed() {
		if b, err := os.ReadFile(s.log.Name()); err == nil {
			t.Logf("server log:\n%s", lastLines(string(b), 40))
		}
	}
}

func lastLines(s string, n int) string {
	lines := strings.Split(s, "\n")
	if len(lines) > n {
		lines = lines[len(lines)-n:]
	}
	return strings.Join(lines, "\n")
}

// browserSession is one person at one browser: a fresh context on a server.
type browserSession struct {
	t    *testing.T
	srv  *server
	ctx  playwright.BrowserContext
	page playwright.Page
	mu   sync.Mutex
	// problems are script errors, console errors and Content-Security-Policy
	// violations seen.
	problems []string
	// expected are console errors this test provokes on purpose (allowConsole).
	expected []*regexp.Regexp
}

// cspWatcher turns every securitypolicyviolation event into a console error, so
// a violation fails the test whatever (if anything) the browser itself logs.
const cspWatcher = `document.addEventListener("securitypolicyviolation", function (e) {
	console.error("CSP violation: " + e.violatedDirective + " blocked " + e.blockedURI + " at " + e.sourceFile + ":" + e.lineNumber);
});`

// allowConsole tells the harness that console errors matching pattern are
// expected in this test, e.g. the browser's "Failed to load resource: ... 422"
// line for a request the test makes fail on purpose. Everything else still fails.
func (b *browserSession) allowConsole(pattern string) {
	b.mu.Lock()
	b.expected = append(b.expected, regexp.MustCompile(pattern))
	b.mu.Unlock()
}

// watch records every console error, CSP violation and script error on page
// as a problem the test fails on, unless allowConsole expected it.
func (b *browserSession) watch(page playwright.Page) {
	page.OnConsole(func(m playwright.ConsoleMessage) {
		text := m.Text()
		if m.Type() != "error" && !strings.Contains(text, "Content Security Policy") && !strings.Contains(text, "Refused to") {
			return
		}
		b.mu.Lock()
		defer b.mu.Unlock()
		if !strings.HasPrefix(text, "CSP violation") {
			for _, re := range b.expected {
				if re.MatchString(text) {
					return
				}
			}
		}
		b.problems = append(b.problems, "console "+m.Type()+": "+text)
	})
	page.OnPageError(func(err error) {
		b.mu.Lock()
		b.problems = append(b.problems, "script error: "+err.Error())
		b.mu.Unlock()
	})
}

// newBrowser opens a fresh context in the given locale ("en-US", "nl-NL") on srv,
// at 1440x900. Any console error, Content-Security-Policy violation or script
// error on its page fails the test, except what the test expects (allowConsole).
// When the test fails, a screenshot and a trace are kept in e2e/artifacts.
func newBrowser(t *testing.T, srv *server, locale string) *browserSession {
	t.Helper()
	ctx, err := browser.NewContext(playwright.BrowserNewContextOptions{
		BaseURL:  playwright.String(srv.URL),
		Locale:   playwright.String(locale),
		Viewport: &playwright.Size{Width: 1440, Height: 900},
	})
	if err != nil {
		t.Fatal(err)
	}
	if err := ctx.AddInitScript(playwright.Script{Content: playwright.String(cspWatcher)}); err != nil {
		t.Fatal(err)
	}
	if err := ctx.Tracing().Start(playwright.TracingStartOptions{Screenshots: playwright.Bool(true), Snapshots: playwright.Bool(true)}); err != nil {
		t.Fatal(err)
	}
	page, err := ctx.NewPage()
	if err != nil {
		t.Fatal(err)
	}
	b := &browserSession{t: t, srv: srv, ctx: ctx, page: page}
	b.watch(page)
	t.Cleanup(func() {
		b.mu.Lock()
		for _, p := range b.problems {
			t.Errorf("browser: %s", p)
		}
		b.mu.Unlock()
		name := regexp.MustCompile(`[^A-Za-z0-9_-]+`).ReplaceAllString(t.Name(), "_")
		dir := filepath.Join(repo, "e2e", "artifacts")
		if t.Failed() {
			_ = os.MkdirAll(dir, 0o755)
			_, _ = page.Screenshot(playwright.PageScreenshotOptions{Path: playwright.String(filepath.Join(dir, name+".png")), FullPage: playwright.Bool(true)})
			_ = ctx.Tracing().Stop(filepath.Join(dir, name+"-trace.zip"))
			t.Logf("screenshot and trace in %s", dir)
		} else {
			_ = ctx.Tracing().Stop()
		}
		_ = ctx.Close()
	})
	return b
}

// must fails the test on an error from a Playwright call.
func (b *browserSession) must(err error) {
	b.t.Helper()
	if err != nil {
		b.t.Fatal(err)
	}
}

func (b *browserSession) goto_(path string) {
	b.t.Helper()
	_, err := b.page.Goto(path)
	b.must(err)
}

// screenshot writes a full-page PNG for a person to look at (e2e/artifacts/shots).
func (b *browserSession) screenshot(name string) {
	b.t.Helper()
	if os.Getenv("E2E_SHOTS") == "" {
		return
	}
	dir := filepath.Join(repo, "e2e", "artifacts", "shots")
	_ = os.MkdirAll(dir, 0o755)
	_, err := b.page.Screenshot(playwright.PageScreenshotOptions{Path: playwright.String(filepath.Join(dir, name+".png"))})
	b.must(err)
}
