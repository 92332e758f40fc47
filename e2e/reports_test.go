//go:build e2e

package e2e

import (
	"testing"

	"github.com/playwright-community/playwright-go"
)

// reportLabels are the Reports area's words in one language.
type reportLabels struct {
	Access, Forwarding, History, Mailbox, Apply, HistoryMailbox, Show, HistoryHeading, Nobody string
	GrantMailbox, GrantRight, RightSendOnBehalf, Start, JobHeading, Progress, Changed, Jobs   string
	Nav                                                                                       string
}

var reportsEN = reportLabels{
	Access: "Mailbox access", Forwarding: "Forwarding", History: "Access history", Mailbox: "Mailbox", Apply: "Apply filters",
	HistoryMailbox: "Mailbox email address", Show: "Show access", HistoryHeading: "Access to Info at the end of",
	Nobody:       "Nobody held a permission on this mailbox that day.",
	GrantMailbox: "Mailbox email address", GrantRight: "Permission to give", RightSendOnBehalf: "Send on behalf",
	Start: "Start bulk job", JobHeading: "Give Send on behalf on Megan Bowen", Progress: "100% done", Changed: "1 person changed.",
	Jobs: "Bulk jobs", Nav: "Main",
}

var reportsNL = reportLabels{
	Access: "Postvaktoegang", Forwarding: "Doorsturen", History: "Toegangsgeschiedenis", Mailbox: "Postvak", Apply: "Filters toepassen",
	HistoryMailbox: "E-mailadres van het postvak", Show: "Toegang tonen", HistoryHeading: "Toegang tot Info aan het eind van",
	Nobody:       "Niemand had die dag een machtiging op dit postvak.",
	GrantMailbox: "E-mailadres van het postvak", GrantRight: "Te geven machtiging", RightSendOnBehalf: "Verzenden namens",
	Start: "Bulktaak starten", JobHeading: "Verzenden namens geven op Megan Bowen", Progress: "100% klaar", Changed: "1 persoon gewijzigd.",
	Jobs: "Bulktaken", Nav: "Hoofdmenu",
}

// reportsFlow opens the three reports from the navigation, filters Mailbox access,
// asks Access history about a day, and starts a bulk grant from the report whose
// progress bar reaches 100%; axe scans every page.
func reportsFlow(t *testing.T, locale string, l labels, r reportLabels, shot string) {
	srv := startServer(t)
	b := newBrowser(t, srv, locale)
	b.signInAdmin(l)
	nav := b.page.GetByRole("navigation", playwright.PageGetByRoleOptions{Name: r.Nav})
	b.must(nav.GetByRole("link", playwright.LocatorGetByRoleOptions{Name: r.Access, Exact: playwright.Bool(true)}).Click())
	b.must(expect.Locator(b.role("heading", r.Access)).ToBeVisible())
	b.must(b.page.GetByRole("textbox", playwright.PageGetByRoleOptions{Name: r.Mailbox, Exact: playwright.Bool(true)}).Fill("info"))
	b.must(b.role("button", r.Apply).Click())
	b.must(expect.Locator(b.page.GetByRole("row").Filter(playwright.LocatorFilterOptions{HasText: "Adele Vance"})).ToHaveCount(2))
	b.checkA11y(r.Access)
	b.shots("reports-access-" + shot)

	b.must(nav.GetByRole("link", playwright.LocatorGetByRoleOptions{Name: r.Forwarding, Exact: playwright.Bool(true)}).Click())
	b.must(expect.Locator(b.role("heading", r.Forwarding)).ToBeVisible())
	b.checkA11y(r.Forwarding)
	b.shots("reports-forwarding-" + shot)

	b.must(nav.GetByRole("link", playwright.LocatorGetByRoleOptions{Name: r.History, Exact: playwright.Bool(true)}).Click())
	b.must(b.label(r.HistoryMailbox).Fill("info@contoso.com"))
	b.must(b.role("button", r.Show).Click())
	b.must(expect.Locator(b.page.GetByRole("heading", playwright.PageGetByRoleOptions{Name: r.HistoryHeading})).ToBeVisible())
	b.must(expect.Locator(b.page.GetByText(r.Nobody)).ToBeVisible())
	b.checkA11y(r.History)

	// A bulk grant: everyone in the report filtered to Info gets Send on behalf on Megan's mailbox.
	b.must(nav.GetByRole("link", playwright.LocatorGetByRoleOptions{Name: r.Access, Exact: playwright.Bool(true)}).Click())
	b.must(b.page.GetByRole("textbox", playwright.PageGetByRoleOptions{Name: r.Mailbox, Exact: playwright.Bool(true)}).Fill("info"))
	b.must(b.role("button", r.Apply).Click())
	b.must(b.label(r.GrantMailbox).Fill("meganb@contoso.com"))
	_, err := b.label(r.GrantRight).SelectOption(playwright.SelectOptionValues{Labels: &[]string{r.RightSendOnBehalf}})
	b.must(err)
	b.must(b.role("button", r.Start).Click())
	b.must(expect.Locator(b.role("heading", r.JobHeading)).ToBeVisible())
	b.must(expect.Locator(b.page.Locator("progress")).ToHaveAttribute("value", "100"))
	b.must(expect.Locator(b.page.GetByText(r.Progress)).ToBeVisible())
	b.must(expect.Locator(b.page.GetByRole("status").Filter(playwright.LocatorFilterOptions{HasText: r.Changed})).ToBeVisible())
	b.checkA11y(r.JobHeading)
	b.shots("reports-job-" + shot)

	// The job is found again in the list.
	b.must(nav.GetByRole("link", playwright.LocatorGetByRoleOptions{Name: r.Jobs, Exact: playwright.Bool(true)}).Click())
	b.must(b.role("link", r.JobHeading).Click())
	b.must(expect.Locator(b.role("heading", r.JobHeading)).ToBeVisible())
}

func TestReportsEnglish(t *testing.T) { reportsFlow(t, "en-US", english, reportsEN, "en") }

func TestReportsDutch(t *testing.T) { reportsFlow(t, "nl-NL", dutch, reportsNL, "nl") }
