//go:build e2e

package e2e

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strings"

	"github.com/playwright-community/playwright-go"
)

// Page helpers that read like the admin center's own steps. Labels are passed in so
// the same steps run in English and in Dutch.

// labels are the interface words a test needs, per language.
type labels struct {
	Email, Password, SignIn                string
	Users, ActiveUsers, Search, Filter     string
	MailTab, AccountTab, Close             string
	Next, Previous, RowsPerPage            string
	Unlicensed                             string
	Permissions, ReadManage, SendAs, OnBeh string
}

var english = labels{
	Email: "Email address", Password: "Password", SignIn: "Sign in",
	Users: "Users", ActiveUsers: "Active users", Search: "Search active users list", Filter: "Filter",
	MailTab: "Mail", AccountTab: "Account", Close: "Close",
	Next: "Next page", Previous: "Previous page", RowsPerPage: "Rows per page",
	Unlicensed:  "Unlicensed users",
	Permissions: "Mailbox permissions", ReadManage: "Read and manage", SendAs: "Send as", OnBeh: "Send on behalf",
}

var dutch = labels{
	Email: "E-mailadres", Password: "Wachtwoord", SignIn: "Aanmelden",
	Users: "Gebruikers", ActiveUsers: "Actieve gebruikers", Search: "Lijst met actieve gebruikers doorzoeken", Filter: "Filter",
	MailTab: "E-mail", AccountTab: "Account", Close: "Sluiten",
	Next: "Volgende pagina", Previous: "Vorige pagina", RowsPerPage: "Rijen per pagina",
	Unlicensed:  "Gebruikers zonder licentie",
	Permissions: "Postvakmachtigingen", ReadManage: "Lezen en beheren", SendAs: "Verzenden als", OnBeh: "Verzenden namens",
}

func exact(name string) playwright.PageGetByRoleOptions {
	return playwright.PageGetByRoleOptions{Name: name, Exact: playwright.Bool(true)}
}

func (b *browserSession) role(role playwright.AriaRole, name string) playwright.Locator {
	return b.page.GetByRole(role, exact(name))
}

func (b *browserSession) label(text string) playwright.Locator {
	return b.page.GetByLabel(text, playwright.PageGetByLabelOptions{Exact: playwright.Bool(true)})
}

// signIn fills in the start page and signs in.
func (b *browserSession) signIn(l labels, email, password string) {
	b.t.Helper()
	b.goto_("/signin")
	b.must(b.label(l.Email).Fill(email))
	b.must(b.label(l.Password).Fill(password))
	b.must(b.role("button", l.SignIn).Click())
}

// signInAdmin signs in as the demo tenant's Global administrator and waits for home.
func (b *browserSession) signInAdmin(l labels) {
	b.t.Helper()
	b.signIn(l, "admin@contoso.com", adminPassword)
	b.must(expect.Page(b.page).ToHaveURL("/"))
}

// openActiveUsers follows Users > Active users in the left navigation.
func (b *browserSession) openActiveUsers(l labels) {
	b.t.Helper()
	nav := b.page.GetByRole("navigation").Filter(playwright.LocatorFilterOptions{Has: b.page.GetByRole("link", playwright.PageGetByRoleOptions{Name: l.ActiveUsers})}).First()
	b.must(nav.GetByRole("link", playwright.LocatorGetByRoleOptions{Name: l.ActiveUsers, Exact: playwright.Bool(true)}).Click())
	b.must(expect.Locator(b.role("heading", l.ActiveUsers)).ToBeVisible())
}

// openUser selects a person's name to open their properties pane.
func (b *browserSession) openUser(name string) playwright.Locator {
	b.t.Helper()
	b.must(b.page.GetByRole("table").GetByRole("link", playwright.LocatorGetByRoleOptions{Name: name, Exact: playwright.Bool(true)}).Click())
	dialog := b.role("dialog", name)
	b.must(expect.Locator(dialog).ToBeVisible())
	return dialog
}

// userRows is the display-name links of the Active users table.
func (b *browserSession) userRows() playwright.Locator {
	return b.page.GetByRole("table").Locator("tbody").GetByRole("link")
}

func urlPattern(pattern string) *regexp.Regexp { return regexp.MustCompile(pattern) }

// axeViolation is one rule axe-core found broken.
type axeViolation struct {
	ID     string `json:"id"`
	Impact string `json:"impact"`
	Help   string `json:"help"`
	Nodes  []struct {
		Target []any `json:"target"`
	} `json:"nodes"`
}

// checkA11y runs axe-core on the page as it is now and fails on serious or critical
// violations.
func (b *browserSession) checkA11y(what string) {
	b.t.Helper()
	src, err := os.ReadFile(filepath.Join(repo, "node_modules", "axe-core", "axe.min.js"))
	b.must(err)
	// Evaluate runs outside the page's Content-Security-Policy, so the page keeps its
	// strict policy while being checked.
	_, err = b.page.Evaluate(string(src) + "\n;true")
	b.must(err)
	res, err := b.page.Evaluate(`async () => {
		const r = await axe.run(document, { resultTypes: ["violations"] });
		return JSON.stringify(r.violations);
	}`)
	b.must(err)
	var vs []axeViolation
	b.must(json.Unmarshal([]byte(res.(string)), &vs))
	var bad []string
	for _, v := range vs {
		if v.Impact == "serious" || v.Impact == "critical" {
			var targets []string
			for _, n := range v.Nodes {
				targets = append(targets, fmt.Sprint(n.Target))
			}
			bad = append(bad, fmt.Sprintf("%s (%s): %s at %s", v.ID, v.Impact, v.Help, strings.Join(targets, ", ")))
		}
	}
	if len(bad) > 0 {
		b.t.Errorf("axe-core on %s:\n  %s", what, strings.Join(bad, "\n  "))
	}
}

// paneReady waits until htmx has processed the panel now in the pane, so typing
// into it triggers its requests.
func (b *browserSession) paneReady() {
	b.t.Helper()
	// A locator, not a page function: Playwright's polling of a function can hit the
	// page's no-eval Content-Security-Policy while htmx swaps the pane.
	b.must(expect.Locator(b.page.Locator("[data-pane]").First()).ToHaveAttribute("data-ready", "true"))
}
