package models

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"testing"

	"github.com/contoso/admincenter/models/dbtest"
)

// TestRightsOnFollowsEntra checks RightsOn against Entra's tables, written out here
// role by role: who may block, reset the password of, edit and delete (and
// restore) whom. Licenses and roles do not depend on the person.
func TestRightsOnFollowsEntra(t *testing.T) {
	t.Parallel()
	none := []Role(nil)
	targets := map[string][]Role{
		"no admin role": none, "Global admin": {RoleGlobalAdmin}, "Exchange admin": {RoleExchangeAdmin},
		"Exchange recipient admin": {RoleExchangeRecipientAdmin}, "User admin": {RoleUserAdmin},
		"Helpdesk admin": {RoleHelpdeskAdmin}, "Global reader": {RoleGlobalReader},
		"Helpdesk and User admin": {RoleUserAdmin, RoleHelpdeskAdmin}, "Helpdesk admin and Global reader": {RoleHelpdeskAdmin, RoleGlobalReader},
	}
	// For each actor role: the targets on whose account it may act, and what it may do.
	table := []struct {
		actor                      Role
		reaches                    []string
		block, reset, edit, delete bool
		licenses, roles            bool
	}{
		{RoleGlobalAdmin, []string{"no admin role", "Global admin", "Exchange admin", "Exchange recipient admin", "User admin", "Helpdesk admin",
			"Global reader", "Helpdesk and User admin", "Helpdesk admin and Global reader"}, true, true, true, true, true, true},
		{RoleUserAdmin, []string{"no admin role", "User admin", "Helpdesk admin", "Helpdesk and User admin"}, true, true, true, true, true, false},
		{RoleHelpdeskAdmin, []string{"no admin role", "Helpdesk admin"}, true, true, false, false, false, false},
		{RoleExchangeAdmin, nil, false, false, false, false, false, false},
		{RoleExchangeRecipientAdmin, nil, false, false, false, false, false, false},
		{RoleGlobalReader, nil, false, false, false, false, false, false},
	}
	for _, row := range table {
		actor := &Admin{Roles: []Role{row.actor}}
		for name, roles := range targets {
			in := slices.Contains(row.reaches, name)
			want := PersonRights{Block: row.block && in, Reset: row.reset && in, Edit: row.edit && in, Delete: row.delete && in,
				Licenses: row.licenses, Roles: row.roles, Protected: (row.block || row.reset || row.edit) && !in}
			if got := RightsOn(actor, roles); got != want {
				t.Errorf("%s on %s: %+v, want %+v", row.actor, name, got, want)
			}
		}
	}
	// Several roles: each action by a role that both allows it and reaches.
	both := &Admin{Roles: []Role{RoleUserAdmin, RoleExchangeAdmin}}
	if r := RightsOn(both, []Role{RoleExchangeAdmin}); r.Reset || r.Edit || !r.Protected {
		t.Errorf("User and Exchange admin on an Exchange admin: %+v", r)
	}
	if r := RightsOn(both, []Role{RoleUserAdmin}); !r.Reset || !r.Edit {
		t.Errorf("User and Exchange admin on a User admin: %+v", r)
	}
	if r := RightsOn(nil, nil); r != (PersonRights{}) {
		t.Errorf("no one: %+v", r)
	}
}

// TestRestoreNeedsTheRightsToDelete: a User administrator restores a deleted person
// without admin roles or a deleted User administrator, but not a deleted Global
// administrator or Exchange administrator; a Global administrator restores anyone.
func TestRestoreNeedsTheRightsToDelete(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	ctx := context.Background()
	isaiah := f.user("isaiahl@contoso.com")
	if err := f.s.SetRoles(ctx, f.admin, isaiah, []Role{RoleUserAdmin}, AnyVersion); err != nil {
		t.Fatal(err)
	}
	userAdmin := &Admin{UserID: isaiah, Username: "isaiahl@contoso.com", Roles: []Role{RoleUserAdmin}}
	people := map[string][]Role{"nestorw@contoso.com": {RoleGlobalAdmin}, "pattif@contoso.com": nil, "lidiah@contoso.com": {RoleUserAdmin}, "alexw@contoso.com": nil}
	ids := map[string]uint{}
	for addr, roles := range people {
		ids[addr] = f.user(addr)
		if roles != nil {
			if err := f.s.SetRoles(ctx, f.admin, ids[addr], roles, AnyVersion); err != nil {
				t.Fatal(err)
			}
		}
		if err := f.s.DeleteUser(ctx, f.admin, ids[addr]); err != nil {
			t.Fatal(err)
		}
	}
	deleted, err := f.s.DeletedUsers(ctx)
	if err != nil {
		t.Fatal(err)
	}
	for _, d := range deleted {
		if d.Username == "nestorw@contoso.com" && !slices.Equal(d.Roles, []Role{RoleGlobalAdmin}) {
			t.Fatalf("deleted Global administrator's roles: %v", d.Roles)
		}
	}
	for addr, want := range map[string]error{"nestorw@contoso.com": ErrForbidden, "pattif@contoso.com": ErrForbidden,
		"lidiah@contoso.com": nil, "alexw@contoso.com": nil} {
		before, _ := f.s.Fingerprint(ctx)
		err := f.s.RestoreUser(ctx, userAdmin, ids[addr])
		if !errors.Is(err, want) {
			t.Errorf("User administrator restores %s: %v, want %v", addr, err, want)
		}
		if after, _ := f.s.Fingerprint(ctx); want != nil && after != before {
			t.Errorf("a refused restore of %s changed something", addr)
		}
	}
	for _, addr := range []string{"nestorw@contoso.com", "pattif@contoso.com"} {
		if err := f.s.RestoreUser(ctx, f.admin, ids[addr]); err != nil {
			t.Errorf("Global administrator restores %s: %v", addr, err)
		}
	}
}

// TestUsernamesAreNotAddresses: a person's username starts as their primary
// address and goes its own way; it is unique whatever its case, never another
// recipient's address, and only it signs in.
func TestUsernamesAreNotAddresses(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	ctx := context.Background()
	id, _, err := f.s.CreateUser(ctx, f.admin, NewUser{FirstName: "Jan", LastName: "Jansen", Alias: "jan", Domain: "contoso.nl",
		Password: TypedPassword("Jan-Pass-1234")})
	if err != nil {
		t.Fatal(err)
	}
	u, _ := f.s.User(ctx, id)
	if u.Username != "jan@contoso.nl" || u.PrimaryAddress != "jan@contoso.nl" {
		t.Fatalf("a new person: username %s, address %s", u.Username, u.PrimaryAddress)
	}
	for _, c := range []struct{ alias, domain, key string }{
		{"ADMIN", "contoso.com", "upn.error.taken"},  // someone's username, in another case
		{"info", "contoso.com", "upn.error.address"}, // a shared mailbox's address
		{"flip", "contoso.nl", "upn.error.address"},  // another person's alias
		{"jan", "example.com", "addr.error.domain"},  // not the organization's
		{"ja\u202en", "contoso.nl", "text.error.direction"},
	} {
		if err := f.s.SetUserPrincipalName(ctx, f.admin, id, c.alias, c.domain, AnyVersion); fieldKey(err, "upn") != c.key {
			t.Errorf("username %s@%s: %v", c.alias, c.domain, err)
		}
	}
	if err := f.s.SetUserPrincipalName(ctx, f.admin, id, "Jan.Jansen", "contoso.com", AnyVersion); err != nil {
		t.Fatal(err)
	}
	// Its address stays, and is not a sign-in name; the username is.
	if _, err := f.s.Authenticate(ctx, "jan@contoso.nl", "Jan-Pass-1234"); !errors.Is(err, ErrInvalidCredentials) {
		t.Fatalf("an email address signs in: %v", err)
	}
	if _, err := f.s.Authenticate(ctx, "jan.jansen@CONTOSO.com", "Jan-Pass-1234"); !errors.Is(err, ErrNotAdmin) {
		t.Fatalf("the username doesn't sign in: %v", err)
	}
	// No one else takes it as an address; search finds it.
	if err := f.s.AddAlias(ctx, f.admin, f.user("alexw@contoso.com"), "jan.jansen", "contoso.com"); fieldKey(err, "alias") != "addr.error.taken" {
		t.Fatalf("someone's username as another's address: %v", err)
	}
	if _, err := f.s.CreateSharedMailbox(ctx, f.admin, "Jan", "JAN.JANSEN", "contoso.com"); fieldKey(err, "alias") != "addr.error.taken" {
		t.Fatalf("someone's username as a shared mailbox's address: %v", err)
	}
	if list := mustUsers(t, f.s, UserQuery{Search: "jan.jansen@"}); len(list.Rows) != 1 || list.Rows[0].Username != "Jan.Jansen@contoso.com" {
		t.Fatalf("search by username: %+v", list.Rows)
	}
	// A deleted person keeps their username until purged.
	if err := f.s.DeleteUser(ctx, f.admin, id); err != nil {
		t.Fatal(err)
	}
	if err := f.s.SetUserPrincipalName(ctx, f.admin, f.user("alexw@contoso.com"), "jan.jansen", "contoso.com", AnyVersion); fieldKey(err, "upn") != "upn.error.taken" {
		t.Fatalf("a deleted person's username: %v", err)
	}
	// Only who may edit a person changes their username.
	patti, _ := f.s.Authenticate(ctx, "pattif@contoso.com", testPassword)
	if err := f.s.SetUserPrincipalName(ctx, patti, f.user("alexw@contoso.com"), "alex", "contoso.nl", AnyVersion); !errors.Is(err, ErrForbidden) {
		t.Fatalf("an Exchange administrator changes a username: %v", err)
	}
}

// TestUsernamesAreBackfilled: a database from before usernames gets each person's
// primary address as their username when it is opened, and they sign in with it.
func TestUsernamesAreBackfilled(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	dsn := dbtest.DSN(t, "backfill")
	s, err := Open(ctx, dsn, fastHashing)
	if err != nil {
		t.Fatal(err)
	}
	if err := s.SeedDemo(ctx, testPassword); err != nil {
		t.Fatal(err)
	}
	// As it was: no usernames, no index, and no auth or list generation trigger on them.
	var stmts []string
	for _, trigger := range []string{"auth_gen_users", "list_gen_users_update"} {
		drop := `DROP TRIGGER IF EXISTS ` + trigger
		if s.postgres {
			drop += ` ON users`
		}
		stmts = append(stmts, drop)
	}
	// (A database that old had no schema fingerprint either.)
	for _, stmt := range append(stmts, `DROP INDEX IF EXISTS idx_users_upn`, `ALTER TABLE users DROP COLUMN user_principal_name`, `DROP TABLE schema_states`) {
		if err := s.db.Exec(stmt).Error; err != nil {
			t.Fatal(err)
		}
	}
	s.Close()
	s, err = Open(ctx, dsn, fastHashing)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	var mismatched int64
	if err := s.db.Raw(`SELECT COUNT(*) FROM users u WHERE u.user_principal_name <> (SELECT e.address FROM email_addresses e
		WHERE e.recipient_id = u.recipient_id AND e.is_primary)`).Scan(&mismatched).Error; err != nil {
		t.Fatal(err)
	}
	if mismatched != 0 {
		t.Fatalf("%d people without their primary address as username", mismatched)
	}
	if _, err := s.Authenticate(ctx, "admin@contoso.com", testPassword); err != nil {
		t.Fatalf("sign-in after the backfill: %v", err)
	}
	if err := s.db.Exec(`UPDATE users SET user_principal_name = 'ADMIN@contoso.com' WHERE id = (SELECT MIN(id) + 1 FROM users)`).Error; err == nil {
		t.Fatal("two people with one username, in another case")
	}
}

// TestCheckText: what every typed text is checked for.
func TestCheckText(t *testing.T) {
	t.Parallel()
	for _, c := range []struct {
		in        string
		multiline bool
		want      string
	}{
		{"Adele Vance", false, ""},
		{"Zoë Ó Briain-Müller (HR) 山田", false, ""},
		{"\u05e9\u05dc\u05d5\u05dd", false, ""},
		{"a\x00b", false, "text.error.control"},
		{"a\x1bb", false, "text.error.control"},
		{"a\u0085b", false, "text.error.control"},
		{"a\tb", false, "text.error.control"},
		{"a\tb", true, ""},
		{"a\nb", false, "text.error.line_break"},
		{"a\r\nb", true, ""},
		{"a\u2028b", false, "text.error.line_break"},
		{"a\xffb", false, "text.error.encoding"},
		{"a\xffb", true, "text.error.encoding"},
		{"a\u202eb", true, "text.error.direction"},
		{"a\u2066b\u2069", false, "text.error.direction"},
		{"a\u200fb", false, "text.error.direction"},
	} {
		got := ""
		if fe := CheckText(c.in, c.multiline); fe != nil {
			got = fe.Key
		}
		if got != c.want {
			t.Errorf("CheckText(%q, %v) = %q, want %q", c.in, c.multiline, got, c.want)
		}
	}
	if got := StripUnsafeText("ale\u202ex\x00\xff"); got != "alex" {
		t.Errorf("StripUnsafeText = %q", got)
	}
	// Every name and text field uses it.
	f := newFixture(t)
	ctx := context.Background()
	alex := f.user("alexw@contoso.com")
	v, _ := f.s.UserVersion(ctx, alex)
	for field, c := range map[string]Contact{
		"first_name": {FirstName: "A\x00", DisplayName: "A"}, "last_name": {LastName: "\u202e", DisplayName: "A"},
		"display_name": {DisplayName: "A\u2067B"}, "job_title": {DisplayName: "A", JobTitle: "x\ny"}, "department": {DisplayName: "A", Department: "\xfe"},
	} {
		c.Version = v
		if err := f.s.UpdateContact(ctx, f.admin, alex, c); fieldKey(err, field) == "" || fieldKey(err, field) == fmt.Sprint(err) {
			t.Errorf("%s: %v", field, err)
		}
	}
	if _, err := f.s.CreateSharedMailbox(ctx, f.admin, "Info\u202e", "infox", "contoso.com"); fieldKey(err, "name") != "text.error.direction" {
		t.Errorf("shared mailbox name: %v", err)
	}
	if err := f.s.AddAlias(ctx, f.admin, alex, "al\x00ex", "contoso.com"); fieldKey(err, "alias") != "text.error.control" {
		t.Errorf("alias: %v", err)
	}
	if _, err := f.s.CreateMailContact(ctx, f.admin, MailContactForm{DisplayName: "Ben", Company: "Fab\u202erikam", Address: "ben@fabrikam.com"}); fieldKey(err, "company") != "text.error.direction" {
		t.Errorf("contact company: %v", err)
	}
	if _, err := f.s.CreateGroup(ctx, f.admin, NewGroup{Type: GroupSecurity, Name: "Sec", Description: "a\x00b", OwnerIDs: []uint{f.recipient("alexw@contoso.com")}}); fieldKey(err, "description") != "text.error.control" {
		t.Errorf("group description: %v", err)
	}
	mb := f.mailbox("info@contoso.com")
	if err := f.s.SetAutoReplies(ctx, f.admin, mb.ID, AutoReply{State: AutoReplyEnabled, Internal: "Away\u202e"}, mb.Version); fieldKey(err, "internal") != "text.error.direction" {
		t.Errorf("automatic reply: %v", err)
	}
}
