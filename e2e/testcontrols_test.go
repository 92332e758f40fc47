//go:build e2e

package e2e

import (
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/playwright-community/playwright-go"

	"github.com/contoso/admincenter/models/dbtest"
)

// TestPlaywrightFixtureWithTestControls does what the README's Playwright fixture
// does: ask /api/test/session for a demo admin's storage state, open the admin
// center in a context made from it (no password typed), change something, and put
// the tenant back with /api/test/reset.
func TestPlaywrightFixtureWithTestControls(t *testing.T) {
	srv := launch(t, dbtest.DSN(t, "e2e"), "--test-controls")
	t.Cleanup(func() { srv.stop(t) })
	api, err := pw.Request.NewContext(playwright.APIRequestNewContextOptions{BaseURL: playwright.String(srv.URL)})
	if err != nil {
		t.Fatal(err)
	}
	defer api.Dispose()

	res, err := api.Post("/api/test/session", playwright.APIRequestContextPostOptions{Data: map[string]string{"username": "admin@contoso.com"}})
	if err != nil || res.Status() != 200 {
		t.Fatalf("session: %v %v", err, res)
	}
	state, err := res.Body()
	if err != nil {
		t.Fatal(err)
	}
	statePath := filepath.Join(t.TempDir(), "admin.json")
	if err := os.WriteFile(statePath, state, 0o600); err != nil {
		t.Fatal(err)
	}

	ctx, err := browser.NewContext(playwright.BrowserNewContextOptions{BaseURL: playwright.String(srv.URL), StorageStatePath: playwright.String(statePath)})
	if err != nil {
		t.Fatal(err)
	}
	defer ctx.Close()
	page, err := ctx.NewPage()
	if err != nil {
		t.Fatal(err)
	}
	b := &browserSession{t: t, srv: srv, ctx: ctx, page: page}
	b.goto_("/shared-mailboxes/new")
	b.must(expect.Page(page).ToHaveURL("/shared-mailboxes/new")) // signed in: no detour to /signin
	b.must(expect.Locator(page.GetByTestId("signed-in-admin")).ToContainText("MOD Administrator"))
	b.must(b.label("Name").Fill("Reset me"))
	b.must(b.role("button", "Add").Click())
	b.must(expect.Locator(page.GetByText("Reset me").First()).ToBeVisible())

	res, err = api.Post("/api/test/reset", playwright.APIRequestContextPostOptions{Data: map[string]any{}})
	if err != nil || res.Status() != 200 {
		t.Fatalf("reset: %v %v", err, res)
	}
	var took struct {
		ElapsedMS float64 `json:"elapsedMs"`
	}
	body, _ := res.Body()
	if err := json.Unmarshal(body, &took); err != nil {
		t.Fatal(err)
	}
	t.Logf("reset took %.1f ms (server side)", took.ElapsedMS)

	b.goto_("/shared-mailboxes")
	b.must(expect.Locator(page.GetByRole("link", playwright.PageGetByRoleOptions{Name: "Info"})).ToBeVisible())
	b.must(expect.Locator(page.GetByText("Reset me")).ToHaveCount(0))
	b.must(expect.Locator(page.GetByTestId("signed-in-admin")).ToContainText("MOD Administrator")) // still signed in

	// The propagation delay changes at run time.
	res, err = api.Post("/api/test/propagation-delay", playwright.APIRequestContextPostOptions{Data: map[string]any{"seconds": 60}})
	if body, _ := res.Body(); err != nil || res.Status() != 200 || !strings.Contains(string(body), `"duration":"1m0s"`) {
		t.Fatalf("delay: %v %s", err, body)
	}
}

// TestTestControlsAreRefusedUnlessAskedForOnLoopback: off by default, and a server
// asked for them on another address does not start.
func TestTestControlsAreRefusedUnlessAskedForOnLoopback(t *testing.T) {
	srv := startServer(t)
	api, err := pw.Request.NewContext(playwright.APIRequestNewContextOptions{BaseURL: playwright.String(srv.URL)})
	if err != nil {
		t.Fatal(err)
	}
	defer api.Dispose()
	for _, path := range []string{"/api/test/reset", "/api/test/session"} {
		res, err := api.Post(path, playwright.APIRequestContextPostOptions{Data: map[string]string{"username": "admin@contoso.com"}})
		if err != nil || res.Status() != 404 {
			t.Errorf("%s without --test-controls: %v %v", path, err, res.Status())
		}
	}
	out, err := exec.Command(binary, "serve", "--addr", "0.0.0.0:0", "--db", filepath.Join(t.TempDir(), "x.db"), "--demo", "--test-controls").CombinedOutput()
	if err == nil || !strings.Contains(string(out), "--test-controls needs the server to listen on loopback only") {
		t.Errorf("started on every interface: %v\n%s", err, out)
	}
}
