package models

import (
	"context"
	"errors"
	"slices"
	"testing"
	"time"
)

func TestCreateUser(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	ctx := context.Background()
	std := f.license("O365_BUSINESS_PREMIUM")
	t.Run("a licensed person gets a mailbox and a seat, which delete frees and restore takes", func(t *testing.T) {
		f := f.on(t)
		id, pw, err := f.s.CreateUser(ctx, f.admin, NewUser{FirstName: "Jan", LastName: "Jansen", DisplayName: "Jan Jansen",
			Alias: "janj", Domain: "contoso.nl", LicenseIDs: []uint{std.ID}, JobTitle: "Adviseur", MustChange: true})
		if err != nil {
			t.Fatal(err)
		}
		if CheckPassword(pw) != nil {
			t.Fatalf("generated password %q is weak", pw)
		}
		u, _ := f.s.User(ctx, id)
		if u.Username != "janj@contoso.nl" || u.Mailbox == nil || !u.HasMailboxLicense() || u.JobTitle != "Adviseur" {
			t.Fatalf("new user = %+v", u)
		}
		if f.license("O365_BUSINESS_PREMIUM").Assigned != std.Assigned+1 {
			t.Fatal("the seat was not counted")
		}
		// A deleted person's seat is free again, and taken again on restore.
		if err := f.s.DeleteUser(ctx, f.admin, id); err != nil {
			t.Fatal(err)
		}
		if f.license("O365_BUSINESS_PREMIUM").Assigned != std.Assigned {
			t.Fatal("a deleted person's seat is still counted")
		}
		if err := f.s.RestoreUser(ctx, f.admin, id); err != nil {
			t.Fatal(err)
		}
		if f.license("O365_BUSINESS_PREMIUM").Assigned != std.Assigned+1 {
			t.Fatal("a restored person's seat is not counted")
		}
	})
	t.Run("without a mailbox license there is no mailbox", func(t *testing.T) {
		f := f.on(t)
		// Without a mailbox license there is no mailbox.
		bi := f.license("POWER_BI_STANDARD")
		id2, _, err := f.s.CreateUser(ctx, f.admin, NewUser{DisplayName: "Bea", Alias: "bea", Domain: "contoso.com", Password: TypedPassword("Bea-Pass-1"), LicenseIDs: []uint{bi.ID}})
		if err != nil {
			t.Fatal(err)
		}
		if u, _ := f.s.User(ctx, id2); u.Mailbox != nil {
			t.Fatal("a mailbox without a mailbox license")
		}
	})
	t.Run("addresses are unique across recipients whatever the case", func(t *testing.T) {
		f := f.on(t)
		// Uniqueness across every address of every recipient, whatever the case.
		for _, tc := range []struct{ alias, domain, key string }{
			{"INFO", "contoso.com", "addr.error.taken"},
			{"adele.vance", "contoso.com", "addr.error.taken"},
			{"flip", "contoso.nl", "addr.error.taken"},
			{"x", "fabrikam.com", "addr.error.domain"},
			{"a b", "contoso.com", "addr.error.alias_invalid"},
		} {
			_, _, err := f.s.CreateUser(ctx, f.admin, NewUser{DisplayName: "X", Alias: tc.alias, Domain: tc.domain, Password: TypedPassword("Good-Pass-1")})
			if got := fieldKey(err, "alias"); got != tc.key {
				t.Errorf("%s@%s: %s, want %s", tc.alias, tc.domain, got, tc.key)
			}
		}
		_, _, err := f.s.CreateUser(ctx, f.admin, NewUser{DisplayName: "X", Alias: "info", Domain: "contoso.com", Password: TypedPassword("Good-Pass-1")})
		if ve, _ := AsValidation(err); ve.Fields["alias"].Args["Owner"] != "Info" || ve.Fields["alias"].Args["Address"] != "info@contoso.com" {
			t.Fatalf("proxy message args = %v", ve.Fields["alias"].Args)
		}
		// The same alias on the other accepted domain is free.
		if _, _, err := f.s.CreateUser(ctx, f.admin, NewUser{DisplayName: "Info NL", Alias: "info", Domain: "contoso.nl", Password: TypedPassword("Good-Pass-1")}); err != nil {
			t.Fatalf("info@contoso.nl: %v", err)
		}
	})
	t.Run("names and passwords are checked", func(t *testing.T) {
		f := f.on(t)
		_, _, err := f.s.CreateUser(ctx, f.admin, NewUser{DisplayName: " ", Alias: "y", Domain: "contoso.com", Password: TypedPassword("weak")})
		if fieldKey(err, "display_name") != "user.error.display_name_required" || fieldKey(err, "password") != "pw.error.weak" && fieldKey(err, "password") != "pw.error.length" {
			t.Fatalf("bad form: %v", err)
		}
	})
	t.Run("nobody is added beyond the seats", func(t *testing.T) {
		f := f.on(t)
		// Seats: Exchange Online (Plan 1) has 5.
		p1 := f.license("EXCHANGESTANDARD")
		for i := 0; i < p1.Seats; i++ {
			if _, _, err := f.s.CreateUser(ctx, f.admin, NewUser{DisplayName: "P", Alias: "p" + string(rune('a'+i)), Domain: "contoso.com", Password: TypedPassword("Good-Pass-1"), LicenseIDs: []uint{p1.ID}}); err != nil {
				t.Fatal(err)
			}
		}
		_, _, err := f.s.CreateUser(ctx, f.admin, NewUser{DisplayName: "P", Alias: "pz", Domain: "contoso.com", Password: TypedPassword("Good-Pass-1"), LicenseIDs: []uint{p1.ID}})
		if fieldKey(err, "licenses") != "lic.error.no_seats" {
			t.Fatalf("beyond the seats: %v", err)
		}
		if _, err := f.s.UserIDByAddress(ctx, "pz@contoso.com"); !errors.Is(err, ErrNotFound) {
			t.Fatal("a refused user was half-written")
		}
	})
	t.Run("a reader adds nobody", func(t *testing.T) {
		f := f.on(t)
		reader, _ := f.s.Authenticate(ctx, "miriamg@contoso.com", testPassword)
		if _, _, err := f.s.CreateUser(ctx, reader, NewUser{DisplayName: "R", Alias: "r", Domain: "contoso.com"}); !errors.Is(err, ErrForbidden) {
			t.Fatalf("reader: %v", err)
		}
	})
}

func TestDisplayNameDefaultsToFirstAndLastName(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	ctx := context.Background()
	id, _, err := f.s.CreateUser(ctx, f.admin, NewUser{FirstName: " Jan ", LastName: "Jansen", Alias: "jan", Domain: "contoso.com"})
	if err != nil {
		t.Fatal(err)
	}
	if u, _ := f.s.User(ctx, id); u.DisplayName != "Jan Jansen" || u.FirstName != "Jan" {
		t.Fatalf("display name = %q", u.DisplayName)
	}
	if got := (NewUser{FirstName: "Jan", DisplayName: " J. Jansen "}).Normalized().DisplayName; got != "J. Jansen" {
		t.Fatalf("a typed display name is kept: %q", got)
	}
}

func TestBlockDeleteRestore(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	ctx := context.Background()
	f.forward("diegos@contoso.com", "info@contoso.com", false)
	diego := f.user("diegos@contoso.com")
	var pw string // reset by helpdesk, then no longer signs in once deleted
	t.Run("blocking stops forwarding once confirmed", func(t *testing.T) {
		f := f.on(t)
		if err := f.s.SetSignInBlocked(ctx, f.admin, diego, true, false); !errors.Is(err, ErrNeedsConfirmation) {
			t.Fatalf("block without confirming: %v", err)
		}
		if err := f.s.SetSignInBlocked(ctx, f.admin, diego, true, true); err != nil {
			t.Fatal(err)
		}
		fw, _ := f.s.Forwarding(ctx, f.mailbox("diegos@contoso.com").ID)
		if fw.Stopped != StoppedBlocked {
			t.Fatalf("forwarding after block = %+v", fw)
		}
		list := mustUsers(t, f.s, UserQuery{Filter: FilterBlocked})
		if len(list.Rows) != 1 || list.Rows[0].DisplayName != "Diego Siciliani" {
			t.Fatalf("blocked filter = %v", names(list.Rows))
		}
		if err := f.s.SetSignInBlocked(ctx, f.admin, diego, false, false); err != nil {
			t.Fatal(err)
		}
	})
	t.Run("helpdesk acts on people without roles only", func(t *testing.T) {
		f := f.on(t)
		// Helpdesk may block people without roles, not admins.
		helpdesk, _ := f.s.Authenticate(ctx, "leeg@contoso.com", testPassword)
		if err := f.s.SetSignInBlocked(ctx, helpdesk, f.user("alexw@contoso.com"), true, true); err != nil {
			t.Fatalf("helpdesk blocks a user: %v", err)
		}
		if err := f.s.SetSignInBlocked(ctx, helpdesk, f.user("pattif@contoso.com"), true, true); !errors.Is(err, ErrForbidden) {
			t.Fatalf("helpdesk blocks an admin: %v", err)
		}
		if _, err := f.s.ResetPassword(ctx, helpdesk, f.user("pattif@contoso.com"), PasswordChoice{}, false); !errors.Is(err, ErrForbidden) {
			t.Fatalf("helpdesk resets an admin: %v", err)
		}
		var err error
		pw, err = f.s.ResetPassword(ctx, helpdesk, f.user("adelev@contoso.com"), PasswordChoice{}, true)
		if err != nil || CheckPassword(pw) != nil {
			t.Fatalf("helpdesk resets a user: %q %v", pw, err)
		}
		if err := f.s.DeleteUser(ctx, helpdesk, diego); !errors.Is(err, ErrForbidden) {
			t.Fatalf("helpdesk deletes: %v", err)
		}
	})
	t.Run("the last Global administrator stays", func(t *testing.T) {
		f := f.on(t)
		// The last Global administrator can't be blocked, deleted or lose the role.
		admin := f.user("admin@contoso.com")
		if err := f.s.SetSignInBlocked(ctx, f.admin, admin, true, true); fieldKey(err, "") != "roles.error.last_global_block" {
			t.Fatalf("block last global admin: %v", err)
		}
		if err := f.s.SetRoles(ctx, f.admin, admin, []Role{RoleGlobalReader}, AnyVersion); fieldKey(err, "roles") != "roles.error.last_global" {
			t.Fatalf("demote last global admin: %v", err)
		}
		if err := f.s.DeleteUser(ctx, f.admin, admin); fieldKey(err, "") != "user.error.delete_self" {
			t.Fatalf("delete self: %v", err)
		}
		// With a second Global administrator, the first may lose the role.
		if err := f.s.SetRoles(ctx, f.admin, f.user("pattif@contoso.com"), []Role{RoleGlobalAdmin, RoleExchangeAdmin}, AnyVersion); err != nil {
			t.Fatal(err)
		}
		patti, _ := f.s.Authenticate(ctx, "pattif@contoso.com", testPassword)
		if !slices.Contains(patti.Roles, RoleGlobalAdmin) {
			t.Fatalf("patti's roles = %v", patti.Roles)
		}
		if err := f.s.SetRoles(ctx, patti, admin, []Role{RoleGlobalReader}, AnyVersion); err != nil {
			t.Fatalf("demote with another global admin: %v", err)
		}
		if err := f.s.SetRoles(ctx, patti, admin, []Role{"overlord"}, AnyVersion); fieldKey(err, "roles") != "roles.error.unknown" {
			t.Fatalf("unknown role: %v", err)
		}
		// The fixture's admin, now a Global reader, can't act as a Global
		// administrator any more, however old their sign-in.
		if err := f.s.SetRoles(ctx, f.admin, admin, []Role{RoleGlobalAdmin}, AnyVersion); !errors.Is(err, ErrForbidden) {
			t.Fatalf("a demoted admin's earlier sign-in still changes roles: %v", err)
		}
		if err := f.s.SetRoles(ctx, patti, admin, []Role{RoleGlobalAdmin}, AnyVersion); err != nil {
			t.Fatal(err)
		}
	})
	t.Run("delete keeps mailbox and permissions for restore", func(t *testing.T) {
		f := f.on(t)
		// Delete and restore.
		cons, err := f.s.PersonConsequences(ctx, f.user("adelev@contoso.com"), true)
		if err != nil || len(cons.HeldOnOthers) != 2 || !cons.MailboxKept {
			t.Fatalf("delete consequences = %+v %v", cons, err)
		}
		adele := f.user("adelev@contoso.com")
		if err := f.s.DeleteUser(ctx, f.admin, adele); err != nil {
			t.Fatal(err)
		}
		if _, err := f.s.User(ctx, adele); !errors.Is(err, ErrNotFound) {
			t.Fatal("a deleted user is still listed")
		}
		if _, err := f.s.Authenticate(ctx, "adelev@contoso.com", pw); !errors.Is(err, ErrInvalidCredentials) {
			t.Fatalf("a deleted user signs in: %v", err)
		}
		if total, _, _ := f.s.CountUsers(ctx); total != 17 {
			t.Fatalf("users after delete = %d", total)
		}
		deleted, _ := f.s.DeletedUsers(ctx)
		if len(deleted) != 1 || deleted[0].Username != "adelev@contoso.com" {
			t.Fatalf("deleted users = %+v", deleted)
		}
		// Her address stays reserved while she can be restored.
		if _, fe, _ := f.s.AddressAvailable(ctx, "adelev", "contoso.com"); fe == nil || fe.Key != "addr.error.taken" {
			t.Fatal("a deleted user's address was freed")
		}
		if err := f.s.RestoreUser(ctx, f.admin, adele); err != nil {
			t.Fatal(err)
		}
		u, err := f.s.User(ctx, adele)
		if err != nil || u.Mailbox == nil {
			t.Fatalf("restored: %+v %v", u, err)
		}
		if acc, _ := f.s.AccessibleMailboxes(ctx, u.RecipientID); len(acc) != 2 {
			t.Fatal("permissions were not kept")
		}
	})
}

func TestPurgeAfterThirtyDaysFreesTheAddresses(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	ctx := context.Background()
	std := f.license("O365_BUSINESS_PREMIUM")
	id, _, err := f.s.CreateUser(ctx, f.admin, NewUser{FirstName: "Jan", LastName: "Jansen", DisplayName: "Jan Jansen",
		Alias: "janj", Domain: "contoso.nl", LicenseIDs: []uint{std.ID}, Password: TypedPassword("Purge-Pass-1234")})
	if err != nil {
		t.Fatal(err)
	}
	jan := f.recipient("janj@contoso.nl")
	megan := f.mailbox("meganb@contoso.com")
	if _, err := f.s.GrantPermissions(ctx, f.admin, GrantRequest{MailboxID: megan.ID, Right: RightSendAs, TrusteeIDs: []uint{jan}}); err != nil {
		t.Fatal(err)
	}
	janBox := f.mailbox("janj@contoso.nl")
	if _, err := f.s.GrantPermissions(ctx, f.admin, GrantRequest{MailboxID: janBox.ID, Right: RightFullAccess,
		TrusteeIDs: []uint{f.recipient("alexw@contoso.com")}}); err != nil {
		t.Fatal(err)
	}
	if err := f.s.DeleteUser(ctx, f.admin, id); err != nil {
		t.Fatal(err)
	}
	t.Run("nothing is purged before thirty days, once after", func(t *testing.T) {
		f := f.on(t)
		deleted := f.s.Now()
		f.s.Now = func() time.Time { return deleted.Add(29 * 24 * time.Hour) }
		if n, err := f.s.PurgeDeletedUsers(ctx); err != nil || n != 0 {
			t.Fatalf("purge after 29 days: %d %v", n, err)
		}
		f.s.Now = func() time.Time { return deleted.Add(31 * 24 * time.Hour) }
		if n, err := f.s.PurgeDeletedUsers(ctx); err != nil || n != 1 {
			t.Fatalf("purge after 31 days: %d %v", n, err)
		}
		if n, err := f.s.PurgeDeletedUsers(ctx); err != nil || n != 0 {
			t.Fatalf("second purge: %d %v", n, err)
		}
	})
	t.Run("permissions both ways go", func(t *testing.T) {
		f := f.on(t)
		f.termsConsistent()
		if acc, err := f.s.MailboxAccess(ctx, megan.ID); err != nil || len(acc.Holders[RightSendAs]) != 0 {
			t.Fatalf("Megan's Send as holders after the purge: %+v %v", acc, err)
		}
		if acc, err := f.s.AccessibleMailboxes(ctx, f.recipient("alexw@contoso.com")); err != nil {
			t.Fatal(err)
		} else {
			for _, a := range acc {
				if a.MailboxID == janBox.ID {
					t.Fatal("Alex still has access to the purged mailbox")
				}
			}
		}
	})
	t.Run("the address is free and the history kept", func(t *testing.T) {
		f := f.on(t)
		if err := f.s.RestoreUser(ctx, f.admin, id); !errors.Is(err, ErrNotFound) {
			t.Fatalf("restore after the purge: %v", err)
		}
		// The address is free again, and the seat was already.
		if _, _, err := f.s.CreateUser(ctx, f.admin, NewUser{FirstName: "Jan", LastName: "de Jong", DisplayName: "Jan de Jong",
			Alias: "janj", Domain: "contoso.nl", LicenseIDs: []uint{std.ID}, Password: TypedPassword("Purge-Pass-1234")}); err != nil {
			t.Fatalf("the purged address is not free: %v", err)
		}
		if f.license("O365_BUSINESS_PREMIUM").Assigned != std.Assigned+1 {
			t.Fatal("seats after purge and a new person")
		}
		page, err := f.s.AuditEvents(ctx, AuditQuery{Action: "user.purge"})
		if err != nil || len(page.Events) != 1 || page.Events[0].Target != "janj@contoso.nl" {
			t.Fatalf("audit of the purge: %+v %v", page, err)
		}
	})
}
