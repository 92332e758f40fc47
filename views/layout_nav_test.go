package views

import (
	"bytes"
	"context"
	"regexp"
	"strings"
	"testing"

	"github.com/contoso/admincenter/models"
	"github.com/contoso/admincenter/views/i18n"
	"github.com/contoso/admincenter/views/page"
)

// The side navigation is written from the bytes of an earlier rendering of the
// same language and state: whatever was rendered before, each page gets its own
// current entry, its language and the audit log only for those who may read it.
func TestSideNavIsThePagesOwn(t *testing.T) {
	auditor := &models.Admin{UserID: 1, Roles: []models.Role{models.RoleGlobalAdmin}}
	helpdesk := &models.Admin{UserID: 2, Roles: []models.Role{models.RoleHelpdeskAdmin}}
	if !auditor.Can(models.ActionReadAuditLog) || helpdesk.Can(models.ActionReadAuditLog) {
		t.Fatal("the roles no longer differ on the audit log")
	}
	current := regexp.MustCompile(`<a href="([^"]*)" aria-current="page"`)
	cases := []struct{ path, current string }{
		{"/", "/"},
		{"/users", "/users"},
		{"/users/12/mail", "/users"},
		{"/users/deleted", "/users/deleted"},
		{"/users/deleted/3", "/users/deleted"},
		{"/usersx", ""},
		{"/contacts/4", "/contacts"},
		{"/groups", "/groups"},
		{"/shared-mailboxes/7", "/shared-mailboxes"},
		{"/reports/mailbox-access", "/reports/mailbox-access"},
		{"/reports/forwarding", "/reports/forwarding"},
		{"/reports/access-history", "/reports/access-history"},
		{"/jobs/9", "/jobs"},
		{"/settings/forwarding", "/settings/forwarding"},
		{"/settings/apps/1", "/settings/apps"},
		{"/audit", "/audit"},
		{"/powershell", "/powershell"},
		{"/exchange", ""},
		{"/preferences", ""},
	}
	for round := 0; round < 2; round++ { // the second round from the kept bytes
		for _, lang := range []string{"en", "nl"} {
			for _, admin := range []*models.Admin{auditor, helpdesk, nil} {
				for _, c := range cases {
					ctx := page.With(i18n.WithLang(context.Background(), lang), page.Info{Admin: admin, Path: c.path})
					var buf bytes.Buffer
					if err := sideNav().Render(ctx, &buf); err != nil {
						t.Fatal(err)
					}
					html := buf.String()
					var got []string
					for _, m := range current.FindAllStringSubmatch(html, -1) {
						got = append(got, m[1])
					}
					want := c.current
					if want == AuditURL && !admin.Can(models.ActionReadAuditLog) {
						want = "" // not listed
					}
					if (want == "" && len(got) != 0) || (want != "" && (len(got) != 1 || got[0] != want)) {
						t.Errorf("%s %s: current entries %v, want %q", lang, c.path, got, want)
					}
					if label := i18n.T(ctx, "nav.active_users"); !strings.Contains(html, ">"+label+"</a>") {
						t.Errorf("%s %s: no %q in the navigation", lang, c.path, label)
					}
					if hasAudit := strings.Contains(html, `href="/audit"`); hasAudit != admin.Can(models.ActionReadAuditLog) {
						t.Errorf("%s %s: audit log listed %v for %+v", lang, c.path, hasAudit, admin)
					}
					if want := renderNavMarkup(t, ctx); html != want {
						t.Errorf("%s %s: written navigation differs from its rendering", lang, c.path)
					}
				}
			}
		}
	}
}

func renderNavMarkup(t *testing.T, ctx context.Context) string {
	t.Helper()
	var buf bytes.Buffer
	if err := sideNavMarkup(navStateOf(ctx)).Render(ctx, &buf); err != nil {
		t.Fatal(err)
	}
	return buf.String()
}
