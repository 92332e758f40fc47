package models

import (
	"context"
	"slices"
	"strings"
	"testing"
)

func TestMailContacts(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	ctx := context.Background()
	id, err := f.s.CreateMailContact(ctx, f.admin, MailContactForm{FirstName: "Olga", LastName: "Petrova", Company: "Northwind", Address: " Olga@Northwind.example "})
	if err != nil {
		t.Fatal(err)
	}
	d, err := f.s.MailContactDetail(ctx, id)
	if err != nil {
		t.Fatal(err)
	}
	if d.DisplayName != "Olga Petrova" || d.Address != "olga@northwind.example" || d.Company != "Northwind" {
		t.Fatalf("detail %+v", d)
	}
	// Search finds it by name and address; the list pages in name order.
	for _, q := range []string{"olga", "petrova", "olga@northwind", "northwind.example"} {
		list, err := f.s.MailContacts(ctx, MailContactQuery{Search: q})
		if err != nil {
			t.Fatal(err)
		}
		if q == "northwind.example" {
			if len(list.Rows) != 0 {
				t.Fatalf("%s: search is by the start of a word or address", q)
			}
			continue
		}
		if len(list.Rows) != 1 || list.Rows[0].ID != id {
			t.Fatalf("%s: %+v", q, list.Rows)
		}
	}
	all, _ := f.s.MailContacts(ctx, MailContactQuery{})
	var got []string
	for _, r := range all.Rows {
		got = append(got, r.DisplayName)
	}
	if !slices.Equal(got, []string{"Ben Smith", "Olga Petrova", "Yara Haddad"}) || all.Total != 3 {
		t.Fatalf("list %v", got)
	}
	// Rules.
	f.unchanged(func() {
		for _, tc := range []struct {
			form  MailContactForm
			field string
			key   string
		}{
			{MailContactForm{Address: "x@fabrikam.com"}, "display_name", "contact.error.name_required"},
			{MailContactForm{DisplayName: "X"}, "address", "contact.error.address_required"},
			{MailContactForm{DisplayName: "X", Address: "not an address"}, "address", "contact.error.address_invalid"},
			{MailContactForm{DisplayName: "X", Address: "a@fabrikam.com; b@fabrikam.com"}, "address", "contact.error.address_invalid"},
			{MailContactForm{DisplayName: "X", Address: "x@Contoso.com"}, "address", "contact.error.internal"},
			{MailContactForm{DisplayName: "X", Address: "YARA@tailspintoys.com"}, "address", "addr.error.taken"},
			{MailContactForm{DisplayName: "X", Address: "x@fabrikam.com", Company: strings.Repeat("c", MaxNameLength+1)}, "company", "user.error.too_long"},
		} {
			_, err := f.s.CreateMailContact(ctx, f.admin, tc.form)
			wantField(t, err, tc.field, tc.key)
		}
		_, err := f.s.CreateMailContact(ctx, as(RoleUserAdmin), MailContactForm{DisplayName: "X", Address: "x@fabrikam.com"})
		wantErr(t, err, ErrForbidden)
		_, err = f.s.CreateMailContact(ctx, as(RoleGlobalReader), MailContactForm{DisplayName: "X", Address: "x@fabrikam.com"})
		wantErr(t, err, ErrForbidden)
	})
	if _, err := f.s.CreateMailContact(ctx, as(RoleExchangeRecipientAdmin), MailContactForm{DisplayName: "By recipient admin", Address: "r@fabrikam.com"}); err != nil {
		t.Fatal(err)
	}
}

func TestEditingAContactMovesForwardsWithIt(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	ctx := context.Background()
	ben := f.contact("ben.smith@fabrikam.com")
	if err := f.forward("nestorw@contoso.com", "ben.smith@fabrikam.com", true); err != nil {
		t.Fatal(err)
	}
	d, _ := f.s.MailContactDetail(ctx, ben)
	if len(d.ForwardedFrom) != 1 || d.ForwardedFrom[0].Name != "Nestor Wilke" {
		t.Fatalf("forwarders %+v", d.ForwardedFrom)
	}
	form := d.Form()
	form.Address, form.Company = "ben@fabrikam.example", "Fabrikam Ltd"
	if err := f.s.UpdateMailContact(ctx, f.admin, ben, form); err != nil {
		t.Fatal(err)
	}
	fw, _ := f.s.Forwarding(ctx, f.mailbox("nestorw@contoso.com").ID)
	if fw.Address != "ben@fabrikam.example" {
		t.Fatalf("forward now goes to %s", fw.Address)
	}
	page, _ := f.s.AuditEvents(ctx, AuditQuery{Action: "forwarding.set", Target: "Nestor"})
	if len(page.Events) == 0 || !strings.Contains(page.Events[0].After, "ben@fabrikam.example") {
		t.Fatalf("the moved forward isn't in Nestor's audit log: %+v", page.Events)
	}
	// The old address is free; the form it came from is stale now.
	if _, err := f.s.CreateMailContact(ctx, f.admin, MailContactForm{DisplayName: "Old Ben", Address: "ben.smith@fabrikam.com"}); err != nil {
		t.Fatal(err)
	}
	wantErr(t, f.s.UpdateMailContact(ctx, f.admin, ben, form), ErrStale)
	// Keeping its own address is not a conflict; taking another's is.
	d, _ = f.s.MailContactDetail(ctx, ben)
	form = d.Form()
	form.DisplayName = "Benjamin Smith"
	if err := f.s.UpdateMailContact(ctx, f.admin, ben, form); err != nil {
		t.Fatal(err)
	}
	d, _ = f.s.MailContactDetail(ctx, ben)
	form = d.Form()
	form.Address = "yara@tailspintoys.com"
	f.unchanged(func() { wantField(t, f.s.UpdateMailContact(ctx, f.admin, ben, form), "address", "addr.error.taken") })
}

func TestContactsCanNeverHoldPermissions(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	ctx := context.Background()
	for _, right := range Rights {
		f.unchanged(func() {
			_, err := f.grant("info@contoso.com", right, "ben.smith@fabrikam.com")
			wantKey(t, err, "perm.error.contact")
			_, err = f.grant("meganb@contoso.com", right, "yara@tailspintoys.com")
			wantKey(t, err, "perm.error.contact")
		})
	}
	f.unchanged(func() {
		_, err := f.s.AddMembers(ctx, f.admin, f.mailbox("info@contoso.com").ID, []uint{f.recipient("ben.smith@fabrikam.com")})
		wantKey(t, err, "perm.error.contact")
	})
	// The pickers don't offer contacts.
	for _, right := range Rights {
		cs, err := f.s.TrusteeCandidates(ctx, f.mailbox("info@contoso.com").ID, right, "ben")
		if err != nil || len(cs) != 0 {
			t.Fatalf("%s candidates: %v %v", right, candidateNames(cs), err)
		}
	}
}

func TestDeletingAContactSaysSoFirst(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	ctx := context.Background()
	yara := f.contact("yara@tailspintoys.com")
	sales := f.group("Sales Team")
	if _, err := f.s.AddGroupMembers(ctx, f.admin, sales, []uint{f.recipient("yara@tailspintoys.com")}); err != nil {
		t.Fatal(err)
	}
	links, err := f.s.MailContactDeleteConsequences(ctx, yara)
	if err != nil || len(links.MemberOf) != 1 || links.MemberOf[0].DisplayName != "Sales Team" {
		t.Fatalf("links %+v %v", links, err)
	}
	f.unchanged(func() { wantErr(t, f.s.DeleteMailContact(ctx, f.admin, yara, false), ErrNeedsConfirmation) })
	wantErr(t, f.s.DeleteMailContact(ctx, as(RoleHelpdeskAdmin), yara, true), ErrForbidden)
	if err := f.s.DeleteMailContact(ctx, f.admin, yara, true); err != nil {
		t.Fatal(err)
	}
	d, _ := f.s.GroupDetail(ctx, sales)
	if slices.Contains(candidateNames(d.Members), "Yara Haddad") {
		t.Fatal("still a member")
	}
	if _, err := f.s.RecipientByAddress(ctx, "yara@tailspintoys.com"); err != ErrNotFound {
		t.Fatalf("address still taken: %v", err)
	}
	// Without links a contact goes at once.
	if err := f.s.DeleteMailContact(ctx, f.admin, f.contact("ben.smith@fabrikam.com"), false); err != nil {
		t.Fatal(err)
	}
}
