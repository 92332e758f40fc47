package models

import (
	"context"
	"errors"
	"slices"
	"testing"
)

func TestLicenseRemovalStopsForwarding(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	ctx := context.Background()
	if err := f.forward("meganb@contoso.com", "alexw@contoso.com", true); err != nil {
		t.Fatal(err)
	}
	megan := f.user("meganb@contoso.com")
	t.Run("removing the last mailbox license asks, then stops forwarding", func(t *testing.T) {
		f := f.on(t)
		cons, err := f.s.LicenseChangeConsequences(ctx, megan, nil)
		if err != nil || cons.ForwardingTo != "alexw@contoso.com" || !cons.MailboxKept {
			t.Fatalf("consequences = %+v, %v", cons, err)
		}
		if err := f.s.SetLicenses(ctx, f.admin, megan, nil, false, AnyVersion); !errors.Is(err, ErrNeedsConfirmation) {
			t.Fatalf("unconfirmed removal: %v", err)
		}
		if err := f.s.SetLicenses(ctx, f.admin, megan, nil, true, AnyVersion); err != nil {
			t.Fatal(err)
		}
		fw, _ := f.s.Forwarding(ctx, f.mailbox("meganb@contoso.com").ID)
		if fw.Active() || fw.Stopped != StoppedLicenseRemoved || fw.Address != "alexw@contoso.com" {
			t.Fatalf("forwarding after removal = %+v", fw)
		}
	})
	t.Run("the mailbox is kept and not duplicated", func(t *testing.T) {
		f := f.on(t)
		// The mailbox is kept, and giving the license back does not duplicate it.
		std := f.license("O365_BUSINESS_PREMIUM")
		if err := f.s.SetLicenses(ctx, f.admin, megan, []uint{std.ID}, false, AnyVersion); err != nil {
			t.Fatal(err)
		}
		var n int64
		f.s.db.Model(&Mailbox{}).Where("recipient_id = ?", f.recipient("meganb@contoso.com")).Count(&n)
		if n != 1 {
			t.Fatalf("mailboxes = %d", n)
		}
	})
	t.Run("a license without a mailbox needs no confirming", func(t *testing.T) {
		f := f.on(t)
		// Licensing Lynne gives her... she already has a mailbox; a Power BI license alone
		// changes nothing to confirm.
		if err := f.s.SetLicenses(ctx, f.admin, f.user("lynner@contoso.com"), []uint{f.license("POWER_BI_STANDARD").ID}, false, AnyVersion); err != nil {
			t.Fatal(err)
		}
	})
}

// A person's licences are listed by name on Active users and by SKU on Graph,
// whatever order they were assigned in.
func TestLicencesListedInOrder(t *testing.T) {
	t.Parallel()
	f, _ := licensedAdele(t)
	ctx := context.Background()
	list, err := f.s.Users(ctx, UserQuery{Search: "adelev@contoso.com"})
	if err != nil || len(list.Rows) != 1 {
		t.Fatalf("users: %+v, %v", list, err)
	}
	names := list.Rows[0].Licenses
	if len(names) < 3 || !slices.IsSorted(names) {
		t.Errorf("Active users lists %q", names)
	}
	users, _, err := f.s.GraphUsers(ctx, GraphUserQuery{Search: "adelev@contoso.com", Limit: 10})
	if err != nil || len(users) != 1 {
		t.Fatalf("graph users: %+v, %v", users, err)
	}
	if skus := users[0].SKUs; len(skus) < 3 || !slices.IsSorted(skus) {
		t.Errorf("Graph lists %q", skus)
	}
}
