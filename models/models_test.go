package models

import (
	"context"
	"errors"
	"slices"
	"testing"
	"time"
)

func TestSeedDemo(t *testing.T) {
	t.Parallel()
	s := newDemoStore(t)
	ctx := context.Background()
	total, licensed, err := s.CountUsers(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if total != 18 || licensed != 16 {
		t.Fatalf("users = %d (licensed %d), want 18 (16)", total, licensed)
	}
	if err := s.SeedDemo(ctx, testPassword); err == nil {
		t.Fatal("seeding a database that holds an organization must fail")
	}
	list, err := s.Users(ctx, UserQuery{Filter: FilterUnlicensed})
	if err != nil {
		t.Fatal(err)
	}
	if got := names(list.Rows); !slices.Equal(got, []string{"Grady Archie", "Lynne Robbins"}) {
		t.Fatalf("unlicensed = %v", got)
	}
	for _, r := range list.Rows {
		u, err := s.User(ctx, r.ID)
		if err != nil {
			t.Fatal(err)
		}
		if u.Mailbox == nil {
			t.Fatalf("%s has no mailbox; the demo gives unlicensed people one", u.DisplayName)
		}
	}
	shared, err := s.SharedMailboxes(ctx, SharedMailboxQuery{})
	if err != nil {
		t.Fatal(err)
	}
	if len(shared.Rows) != 2 || shared.Rows[0].Address != "info@contoso.com" || shared.Rows[0].Members != 1 ||
		shared.Rows[1].Address != "reception@contoso.com" || shared.Rows[1].Storage() != StorageNearLimit {
		t.Fatalf("shared mailboxes = %+v", shared.Rows)
	}
}

func TestAddressesAreUniqueWhateverTheCase(t *testing.T) {
	t.Parallel()
	s := newDemoStore(t)
	r := Recipient{Kind: KindSharedMailbox, DisplayName: "Other", SortName: "other"}
	if err := s.db.Create(&r).Error; err != nil {
		t.Fatal(err)
	}
	// The unique index, not only code, refuses the same address in another case.
	err := s.db.Create(&EmailAddress{RecipientID: r.ID, Address: "Info@Contoso.com", Normalized: "info@contoso.com"}).Error
	if err == nil {
		t.Fatal("a second recipient got info@contoso.com")
	}
	// The same alias on another accepted domain is a different address.
	if err := s.db.Create(&EmailAddress{RecipientID: r.ID, Address: "info@contoso.nl", Normalized: "info@contoso.nl"}).Error; err != nil {
		t.Fatalf("info@contoso.nl: %v", err)
	}
}

func TestAuthenticate(t *testing.T) {
	t.Parallel()
	s := newDemoStore(t)
	ctx := context.Background()
	admin, err := s.Authenticate(ctx, " Admin@Contoso.com ", testPassword)
	if err != nil {
		t.Fatal(err)
	}
	if admin.DisplayName != "MOD Administrator" || !slices.Equal(admin.Roles, []Role{RoleGlobalAdmin}) {
		t.Fatalf("admin = %+v", admin)
	}
	for _, tc := range []struct {
		addr, pw string
		want     error
	}{
		{"admin@contoso.com", "wrong", ErrInvalidCredentials},
		{"nobody@contoso.com", testPassword, ErrInvalidCredentials},
		{"adelev@contoso.com", testPassword, ErrInvalidCredentials}, // no password set
		{"", "", ErrInvalidCredentials},
	} {
		if _, err := s.Authenticate(ctx, tc.addr, tc.pw); !errors.Is(err, tc.want) {
			t.Errorf("Authenticate(%q, %q) = %v, want %v", tc.addr, tc.pw, err, tc.want)
		}
	}
	adele, err := s.UserIDByAddress(ctx, "adelev@contoso.com")
	if err != nil {
		t.Fatal(err)
	}
	if err := s.SetPassword(ctx, adele, "Adele-Pass-1"); err != nil {
		t.Fatal(err)
	}
	if _, err := s.Authenticate(ctx, "adelev@contoso.com", "Adele-Pass-1"); !errors.Is(err, ErrNotAdmin) {
		t.Fatalf("a user without an admin role: %v, want ErrNotAdmin", err)
	}
	// Every attempt is audited.
	var n int64
	s.db.Model(&AuditEvent{}).Where("action LIKE 'signin.%'").Count(&n)
	if n != 0 {
		t.Fatalf("Authenticate itself must not audit; SignIn records the outcome (got %d)", n)
	}
	if _, err := s.SignIn(ctx, SignInAttempt{Address: "admin@contoso.com", Password: testPassword, ClientIP: "127.0.0.1"}); err != nil {
		t.Fatal(err)
	}
	s.db.Model(&AuditEvent{}).Where("action = 'signin.success' AND actor = ?", "admin@contoso.com").Count(&n)
	if n != 1 {
		t.Fatalf("sign-in audit events = %d", n)
	}
}

func TestBlockedAdminCannotSignIn(t *testing.T) {
	t.Parallel()
	s := newDemoStore(t)
	ctx := context.Background()
	if err := s.db.Model(&User{}).Where("id = (SELECT users.id FROM users JOIN email_addresses e ON e.recipient_id = users.recipient_id WHERE e.normalized = 'pattif@contoso.com')").
		Update("sign_in_blocked", true).Error; err != nil {
		t.Fatal(err)
	}
	if _, err := s.Authenticate(ctx, "pattif@contoso.com", testPassword); !errors.Is(err, ErrSignInBlocked) {
		t.Fatalf("blocked admin: %v", err)
	}
}

func TestRoles(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		role Role
		act  Action
		want bool
	}{
		{RoleGlobalAdmin, ActionManageRoles, true},
		{RoleExchangeAdmin, ActionManagePermissions, true},
		{RoleExchangeAdmin, ActionManageRoles, false},
		{RoleExchangeRecipientAdmin, ActionManageOrgMailPolicy, false},
		{RoleUserAdmin, ActionManagePermissions, false},
		{RoleHelpdeskAdmin, ActionResetPassword, true},
		{RoleHelpdeskAdmin, ActionManageForwarding, false},
		{RoleGlobalReader, ActionManagePermissions, false},
	} {
		if got := tc.role.Can(tc.act); got != tc.want {
			t.Errorf("%s can %s = %v", tc.role, tc.act, got)
		}
	}
	a := &Admin{Roles: []Role{RoleGlobalReader, RoleHelpdeskAdmin}}
	if a.PrimaryRole() != RoleHelpdeskAdmin {
		t.Fatalf("primary role = %s", a.PrimaryRole())
	}
	var none *Admin
	if none.Can(ActionManagePermissions) {
		t.Fatal("nobody can do anything")
	}
}

func TestSessions(t *testing.T) {
	t.Parallel()
	s := newDemoStore(t)
	ctx := context.Background()
	now := time.Date(2026, 11, 21, 9, 0, 0, 0, time.UTC)
	s.Now = func() time.Time { return now }
	uid := uint(1)
	if err := s.CreateSession(ctx, &Session{ID: "abc", UserID: &uid, CreatedAt: now, LastSeenAt: now, ExpiresAt: now.Add(time.Hour)}); err != nil {
		t.Fatal(err)
	}
	if _, err := s.LoadSession(ctx, "abc"); err != nil {
		t.Fatal(err)
	}
	now = now.Add(2 * time.Hour)
	if _, err := s.LoadSession(ctx, "abc"); !errors.Is(err, ErrNotFound) {
		t.Fatalf("expired session: %v", err)
	}
	now = now.Add(-2 * time.Hour)
	if err := s.DeleteUserSessions(ctx, uid); err != nil {
		t.Fatal(err)
	}
	if _, err := s.LoadSession(ctx, "abc"); !errors.Is(err, ErrNotFound) {
		t.Fatalf("deleted session: %v", err)
	}
	// A request that loaded the session before it ended writes it back: it stays ended.
	if err := s.UpdateSession(ctx, &Session{ID: "abc", UserID: &uid, CreatedAt: now, LastSeenAt: now, ExpiresAt: now.Add(time.Hour)}); !errors.Is(err, ErrNotFound) {
		t.Fatalf("updating an ended session: %v", err)
	}
	if _, err := s.LoadSession(ctx, "abc"); !errors.Is(err, ErrNotFound) {
		t.Fatalf("an ended session came back: %v", err)
	}
}
