package models

import (
	"context"
	"errors"
	"testing"
)

func TestConvertBothWays(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	ctx := context.Background()
	t.Run("an unlicensed mailbox is not converted", func(t *testing.T) {
		f := f.on(t)
		if err := f.s.ConvertToShared(ctx, f.admin, f.user("lynner@contoso.com"), ConvertOptions{}); fieldKey(err, "") != "convert.error.no_license" {
			t.Fatalf("unlicensed: %v", err)
		}
	})
	t.Run("converting keeps permissions, blocks and frees the license; back needs one", func(t *testing.T) {
		f := f.on(t)
		f.grant("johannal@contoso.com", RightFullAccess, "alexw@contoso.com")
		johanna := f.user("johannal@contoso.com")
		if err := f.s.ConvertToShared(ctx, f.admin, johanna, ConvertOptions{BlockSignIn: true, RemoveLicense: true}); err != nil {
			t.Fatal(err)
		}
		u, _ := f.s.User(ctx, johanna)
		if u.Mailbox.Type != MailboxShared || !u.SignInBlocked || u.HasMailboxLicense() {
			t.Fatalf("after converting: type=%s blocked=%v licensed=%v", u.Mailbox.Type, u.SignInBlocked, u.HasMailboxLicense())
		}
		if holders := f.holders("johannal@contoso.com", RightFullAccess); len(holders) != 1 {
			t.Fatal("permissions were not kept")
		}
		list, _ := f.s.SharedMailboxes(ctx, SharedMailboxQuery{Search: "johanna"})
		if len(list.Rows) != 1 {
			t.Fatal("the converted mailbox is not listed as shared")
		}
		if err := f.s.ConvertToRegular(ctx, f.admin, u.Mailbox.ID); fieldKey(err, "") != "convert.error.no_license_back" {
			t.Fatalf("back without a license: %v", err)
		}
		if err := f.s.SetLicenses(ctx, f.admin, johanna, []uint{f.license("O365_BUSINESS_PREMIUM").ID}, true, AnyVersion); err != nil {
			t.Fatal(err)
		}
		if err := f.s.ConvertToRegular(ctx, f.admin, u.Mailbox.ID); err != nil {
			t.Fatal(err)
		}
		if u, _ := f.s.User(ctx, johanna); u.Mailbox.Type != MailboxUser {
			t.Fatal("not converted back")
		}
	})
	t.Run("over 50 GB the license stays", func(t *testing.T) {
		f := f.on(t)
		// Over 50 GB the license must stay.
		f.s.db.Model(&Mailbox{}).Where("id = ?", f.mailbox("pattif@contoso.com").ID).Update("storage_used_bytes", 60*GB)
		if err := f.s.ConvertToShared(ctx, f.admin, f.user("pattif@contoso.com"), ConvertOptions{RemoveLicense: true}); fieldKey(err, "remove_license") != "convert.error.over_quota" {
			t.Fatalf("over quota: %v", err)
		}
		if err := f.s.DeleteSharedMailbox(ctx, f.admin, f.mailbox("johannal@contoso.com").ID); !errors.Is(err, ErrNotFound) {
			t.Fatalf("a user mailbox is not a shared one: %v", err)
		}
	})
}
