package models

import (
	"context"
	"errors"
	"slices"
	"testing"
)

func TestUpdateMailboxGeneral(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	ctx := context.Background()

	t.Run("a person's mailbox changes the person's names, as Manage contact information does", func(t *testing.T) {
		f := f.on(t)
		mb := f.mailbox("alexw@contoso.com")
		g, err := f.s.MailboxGeneralOf(ctx, mb.ID)
		if err != nil || !g.Person || g.FirstName != "Alex" {
			t.Fatalf("general = %+v %v", g, err)
		}
		g.DisplayName, g.JobTitle = "Alex W. Wilber", "Lead"
		if err := f.s.UpdateMailboxGeneral(ctx, f.admin, mb.ID, *g); err != nil {
			t.Fatal(err)
		}
		u, err := f.s.User(ctx, f.user("alexw@contoso.com"))
		if err != nil || u.DisplayName != "Alex W. Wilber" || u.JobTitle != "Lead" {
			t.Fatalf("user = %+v %v", u, err)
		}
		if err := f.s.UpdateMailboxGeneral(ctx, f.admin, mb.ID, *g); !errors.Is(err, ErrStale) {
			t.Fatalf("a form based on the old version: %v", err)
		}
	})
	t.Run("a shared mailbox is renamed; an empty name is refused on display_name", func(t *testing.T) {
		f := f.on(t)
		mb := f.mailbox("info@contoso.com")
		g, err := f.s.MailboxGeneralOf(ctx, mb.ID)
		if err != nil || g.Person {
			t.Fatalf("general = %+v %v", g, err)
		}
		g.DisplayName = " "
		wantField(t, f.s.UpdateMailboxGeneral(ctx, f.admin, mb.ID, *g), "display_name", "shared.error.name_required")
		g.DisplayName = "Information desk"
		if err := f.s.UpdateMailboxGeneral(ctx, f.admin, mb.ID, *g); err != nil {
			t.Fatal(err)
		}
		if got := f.mailbox("info@contoso.com"); got.DisplayName != "Information desk" {
			t.Fatalf("name = %q", got.DisplayName)
		}
	})
	t.Run("roles: a reader and an Exchange admin can't rename a person", func(t *testing.T) {
		f := f.on(t)
		mb := f.mailbox("meganb@contoso.com")
		g, err := f.s.MailboxGeneralOf(ctx, mb.ID)
		if err != nil {
			t.Fatal(err)
		}
		g.DisplayName = "Someone else"
		for _, r := range []Role{RoleGlobalReader, RoleExchangeAdmin} {
			if err := f.s.UpdateMailboxGeneral(ctx, as(r), mb.ID, *g); !errors.Is(err, ErrForbidden) {
				t.Fatalf("%s: %v", r, err)
			}
			if CanEditMailboxIdentity(as(r), MailboxUser) {
				t.Fatalf("%s may edit a person's mailbox identity", r)
			}
		}
	})
}

func TestSetMailboxAddresses(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	ctx := context.Background()

	t.Run("add, make primary and remove in one save", func(t *testing.T) {
		f := f.on(t)
		mb := f.mailbox("info@contoso.com")
		addr, fe, err := f.s.CheckNewMailboxAddress(ctx, mb.ID, "helpdesk", "contoso.com")
		if err != nil || fe != nil || addr != "helpdesk@contoso.com" {
			t.Fatalf("check = %q %v %v", addr, fe, err)
		}
		changed, err := f.s.SetMailboxAddresses(ctx, f.admin, mb.ID, MailboxAddresses{Primary: "helpdesk@contoso.com", Addresses: []string{"helpdesk@contoso.com"}})
		if err != nil || !changed {
			t.Fatalf("save = %v %v", changed, err)
		}
		got, err := f.s.MailboxAddressesOf(ctx, mb.ID)
		if err != nil || got.Primary != "helpdesk@contoso.com" || !slices.Equal(got.Addresses, []string{"helpdesk@contoso.com"}) {
			t.Fatalf("addresses = %+v %v", got, err)
		}
		if _, err := f.s.RecipientByAddress(ctx, "info@contoso.com"); !errors.Is(err, ErrNotFound) {
			t.Fatalf("the removed address still leads to a recipient: %v", err)
		}
	})
	t.Run("another recipient's address is the proxy-address conflict, and nothing changes", func(t *testing.T) {
		f := f.on(t)
		mb := f.mailbox("meganb@contoso.com")
		if _, fe, err := f.s.CheckNewMailboxAddress(ctx, mb.ID, "alexw", "contoso.com"); err != nil || fe == nil || fe.Key != "addr.error.taken" {
			t.Fatalf("check = %v %v", fe, err)
		}
		f.unchanged(func() {
			_, err := f.s.SetMailboxAddresses(ctx, f.admin, mb.ID, MailboxAddresses{Primary: "meganb@contoso.com",
				Addresses: []string{"meganb@contoso.com", "megan2@contoso.com", "alexw@contoso.com"}})
			wantField(t, err, "alias", "addr.error.taken")
		})
	})
	t.Run("the primary address can't be left out", func(t *testing.T) {
		f := f.on(t)
		mb := f.mailbox("meganb@contoso.com")
		_, err := f.s.SetMailboxAddresses(ctx, f.admin, mb.ID, MailboxAddresses{Primary: "meganb@contoso.com", Addresses: []string{"x@contoso.com"}})
		wantField(t, err, "alias", "addr.error.remove_primary")
	})
	t.Run("roles: a reader changes nothing", func(t *testing.T) {
		f := f.on(t)
		mb := f.mailbox("meganb@contoso.com")
		_, err := f.s.SetMailboxAddresses(ctx, as(RoleGlobalReader), mb.ID, MailboxAddresses{Primary: "meganb@contoso.com",
			Addresses: []string{"meganb@contoso.com", "megan.b@contoso.com"}})
		if !errors.Is(err, ErrForbidden) {
			t.Fatalf("reader: %v", err)
		}
	})
}
