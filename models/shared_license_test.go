package models

import (
	"context"
	"errors"
	"testing"
)

func TestAssignSharedLicense(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	ctx := context.Background()
	info := f.mailbox("info@contoso.com")
	plan2, plan1 := f.license("EXCHANGEENTERPRISE"), f.license("EXCHANGESTANDARD")
	// Info has grown past 50 GB: it can't send until it has a license.
	if err := f.s.db.Model(&Mailbox{}).Where("id = ?", info.ID).Update("storage_used_bytes", 51*GB).Error; err != nil {
		t.Fatal(err)
	}
	d, err := f.s.SharedMailboxDetail(ctx, info.ID)
	if err != nil {
		t.Fatal(err)
	}
	if !d.NeedsLicense() || d.Storage() != StorageSendBlocked || d.OwnerUserID != 0 {
		t.Fatalf("before: needs %v, state %s, account %d", d.NeedsLicense(), d.Storage(), d.OwnerUserID)
	}
	choices, err := f.s.SharedMailboxLicenses(ctx)
	if err != nil || len(choices) != 1 || choices[0].SKU != "EXCHANGEENTERPRISE" {
		t.Fatalf("choices %+v %v", choices, err)
	}

	t.Run("a Helpdesk administrator may not", func(t *testing.T) {
		f := f.on(t)
		helpdesk, err := f.s.Authenticate(ctx, "leeg@contoso.com", testPassword)
		if err != nil {
			t.Fatal(err)
		}
		if err := f.s.AssignSharedLicense(ctx, helpdesk, info.ID, plan2.ID); !errors.Is(err, ErrForbidden) {
			t.Fatalf("helpdesk: %v", err)
		}
	})
	t.Run("a plan without a 100 GB mailbox is refused, and nothing is written", func(t *testing.T) {
		f := f.on(t)
		before, _ := f.s.Fingerprint(ctx)
		err := f.s.AssignSharedLicense(ctx, f.admin, info.ID, plan1.ID)
		var ve *ValidationError
		if !errors.As(err, &ve) || ve.Fields["license"].Key != "addr14.error.license_small" {
			t.Fatalf("plan 1: %v", err)
		}
		if after, _ := f.s.Fingerprint(ctx); after != before {
			t.Error("a refused license wrote something")
		}
	})
	t.Run("Plan 2: a blocked account with the license, and 100 GB", func(t *testing.T) {
		f := f.on(t)
		if err := f.s.AssignSharedLicense(ctx, f.admin, info.ID, plan2.ID); err != nil {
			t.Fatal(err)
		}
		d, err := f.s.SharedMailboxDetail(ctx, info.ID)
		if err != nil {
			t.Fatal(err)
		}
		if d.OwnerUserID == 0 || !d.OwnerLicensed || d.QuotaBytes != LargeMailboxQuota || d.Storage() != StorageOK {
			t.Fatalf("after: account %d licensed %v quota %d state %s", d.OwnerUserID, d.OwnerLicensed, d.QuotaBytes, d.Storage())
		}
		u, err := f.s.User(ctx, d.OwnerUserID)
		if err != nil {
			t.Fatal(err)
		}
		if !u.SignInBlocked || u.Username != "info@contoso.com" {
			t.Fatalf("account: blocked %v, username %q", u.SignInBlocked, u.Username)
		}
		if _, err := f.s.Authenticate(ctx, "info@contoso.com", ""); err == nil {
			t.Fatal("the shared mailbox's account signed in")
		}
		if got := f.license("EXCHANGEENTERPRISE").Assigned; got != plan2.Assigned+1 {
			t.Fatalf("Plan 2 seats in use %d, want %d", got, plan2.Assigned+1)
		}
		// Still a shared mailbox: the list and Exchange say so.
		if mb := f.mailbox("info@contoso.com"); mb.Type != MailboxShared {
			t.Fatalf("type %s", mb.Type)
		}
		// Again: it has the license already.
		err = f.s.AssignSharedLicense(ctx, f.admin, info.ID, plan2.ID)
		var ve *ValidationError
		if !errors.As(err, &ve) || ve.Fields["license"].Key != "addr14.error.license_has" {
			t.Fatalf("again: %v", err)
		}
	})
	t.Run("no free seat", func(t *testing.T) {
		f := f.on(t)
		id, err := f.s.CreateSharedMailbox(ctx, f.admin, "Archief", "archief", "contoso.com")
		if err != nil {
			t.Fatal(err)
		}
		id2, err := f.s.CreateSharedMailbox(ctx, f.admin, "Archief twee", "archief2", "contoso.com")
		if err != nil {
			t.Fatal(err)
		}
		if err := f.s.AssignSharedLicense(ctx, f.admin, id, plan2.ID); err != nil {
			t.Fatal(err)
		}
		// Both seats are taken now (Info and Archief).
		before, _ := f.s.Fingerprint(ctx)
		err = f.s.AssignSharedLicense(ctx, f.admin, id2, plan2.ID)
		var ve *ValidationError
		if !errors.As(err, &ve) {
			t.Fatalf("no seat: %v", err)
		}
		if after, _ := f.s.Fingerprint(ctx); after != before {
			t.Error("a refused license left an account or a seat behind")
		}
	})
}
