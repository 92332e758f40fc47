package views

import (
	"context"
	"fmt"
	"io"
	"testing"
	"time"

	"github.com/contoso/admincenter/models"
	"github.com/contoso/admincenter/views/i18n"
	"github.com/contoso/admincenter/views/page"
)

// BenchmarkUsersPage renders the Active users page of 50 people from memory (what
// `make bench` calls the baseline page, without HTTP): the cost of the templates.
func BenchmarkUsersPage(b *testing.B) {
	for _, lang := range []string{"en", "nl"} {
		b.Run(lang, func(b *testing.B) {
			ctx, v := benchUsersPage(lang)
			b.ReportAllocs()
			for b.Loop() {
				if err := UsersPage(v).Render(ctx, io.Discard); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

func benchUsersPage(lang string) (context.Context, UsersPageView) {
	admin := &models.Admin{UserID: 1, DisplayName: "MOD Administrator", Username: "admin@contoso.com",
		Roles: []models.Role{models.RoleGlobalAdmin}}
	ctx := page.With(i18n.WithLang(context.Background(), lang), page.Info{Admin: admin, OrgName: "Contoso",
		CSRFToken: "csrf-token-of-the-session", Path: UsersURL, URL: UsersURL, RequestID: "req-1"})
	list := &models.UserList{PageInfo: models.PageInfo{Total: 100000, First: 1, Next: "bench"}}
	for i := 0; i < 50; i++ {
		list.Rows = append(list.Rows, models.UserRow{ID: uint(i + 1), DisplayName: fmt.Sprintf("Baseline Person %02d", i),
			Username: fmt.Sprintf("baseline%02d@contoso.com", i), Licenses: []string{"Microsoft 365 Business Standard"}})
	}
	v := UsersPageView{Params: UsersParams{Filter: models.FilterAll, Size: 50}, List: list,
		Role: models.RoleGlobalAdmin, CanAdd: true, CanBulk: true,
		Licenses: []models.LicenseUsage{{ID: 1, Name: "Microsoft 365 Business Standard"}}}
	return ctx, v
}

// BenchmarkAccessReportPage renders a first page of Reports > Mailbox access (25
// rows, each in the table and again in the phone list) from memory.
func BenchmarkAccessReportPage(b *testing.B) {
	for _, lang := range []string{"en", "nl"} {
		b.Run(lang, func(b *testing.B) {
			ctx, _ := benchUsersPage(lang)
			now := time.Date(2026, 12, 1, 8, 0, 0, 0, time.UTC)
			rep := &models.AccessReport{First: 1, Total: 25, Uncounted: true, Next: "bench", Now: now}
			rights := []models.Right{models.RightFullAccess, models.RightSendAs, models.RightSendOnBehalf}
			for i := 0; i < 25; i++ {
				r := models.AccessReportRow{PermissionID: uint(i + 1), MailboxID: uint(i/5 + 1), MailboxName: fmt.Sprintf("Room %d", i/5),
					MailboxAddress: fmt.Sprintf("room%d@contoso.com", i/5), MailboxType: models.MailboxShared, Right: rights[i%3],
					HolderID: uint(100 + i), HolderName: fmt.Sprintf("Person %02d", i), HolderAddress: fmt.Sprintf("person%02d@contoso.com", i),
					HolderKind: models.KindUser, AutoMapping: i%2 == 0, GrantedBy: "MOD Administrator", GrantedAt: now.Add(-time.Hour),
					EffectiveAt: now.Add(-time.Hour)}
				if i%4 == 1 {
					r.ViaID, r.ViaName = 7, "Marketing SG"
				}
				rep.Rows = append(rep.Rows, r)
			}
			v := AccessReportView{Params: AccessReportParams{Size: 25}, Report: rep}
			b.ReportAllocs()
			for b.Loop() {
				if err := AccessReportPage(v).Render(ctx, io.Discard); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
