package models

import (
	"context"
	"errors"
	"testing"
	"time"
)

// The classic properties pane is each admin's own choice: off by default, changed
// only by the admin themself (never by an app), audited once per real change.
func TestClassicPanePreference(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	ctx := context.Background()
	reader, err := f.s.Authenticate(ctx, "miriamg@contoso.com", testPassword)
	if err != nil {
		t.Fatal(err)
	}
	audits := func() int64 {
		var n int64
		if err := f.s.db.Model(&AuditEvent{}).Where("action = ?", "admin.preferences").Count(&n).Error; err != nil {
			t.Fatal(err)
		}
		return n
	}
	if p, err := f.s.Preferences(ctx, f.admin); err != nil || p.ClassicPane {
		t.Fatalf("default: %+v %v", p, err)
	}
	// Turning off what is off changes nothing and writes nothing.
	if err := f.s.SetClassicPane(ctx, f.admin, false); err != nil || audits() != 0 {
		t.Fatalf("off while off: %v, %d entries", err, audits())
	}
	if err := f.s.SetClassicPane(ctx, f.admin, true); err != nil {
		t.Fatal(err)
	}
	if p, _ := f.s.Preferences(ctx, f.admin); !p.ClassicPane {
		t.Fatal("the admin's choice was not kept")
	}
	// Another admin's choice is their own; a Global reader may choose too.
	if p, _ := f.s.Preferences(ctx, reader); p.ClassicPane {
		t.Fatal("one admin's choice reached another")
	}
	if err := f.s.SetClassicPane(ctx, reader, true); err != nil {
		t.Fatalf("a reader's own display choice: %v", err)
	}
	if err := f.s.SetClassicPane(ctx, f.admin, true); err != nil || audits() != 2 {
		t.Fatalf("on while on: %v, %d entries", err, audits())
	}
	if err := f.s.SetClassicPane(ctx, f.admin, false); err != nil {
		t.Fatal(err)
	}
	if p, _ := f.s.Preferences(ctx, f.admin); p.ClassicPane {
		t.Fatal("turning it off was not kept")
	}
	if p, _ := f.s.Preferences(ctx, reader); !p.ClassicPane {
		t.Fatal("turning one admin's off reached another")
	}
	var last AuditEvent
	if err := f.s.db.Where("action = ?", "admin.preferences").Order("id DESC").Take(&last).Error; err != nil {
		t.Fatal(err)
	}
	if last.ActorID == nil || *last.ActorID != f.admin.UserID || last.TargetID == nil || *last.TargetID != f.admin.RecipientID ||
		last.Before != `{"classic_pane":true}` || last.After != `{"classic_pane":false}` {
		t.Fatalf("audit entry %+v", last)
	}
	// An app has no display choices; nor has an admin whose account is gone.
	app := &Admin{App: "Script", Roles: []Role{RoleGlobalAdmin}}
	if err := f.s.SetClassicPane(ctx, app, true); !errors.Is(err, ErrForbidden) {
		t.Fatalf("app: %v", err)
	}
	if p, err := f.s.Preferences(ctx, app); err != nil || p.ClassicPane {
		t.Fatalf("app's preferences: %+v %v", p, err)
	}
	gone := *f.admin
	gone.UserID = 1 << 30
	if err := f.s.SetClassicPane(ctx, &gone, true); !errors.Is(err, ErrForbidden) {
		t.Fatalf("missing account: %v", err)
	}
}

// An admin's display choices are kept with the signed-in admins: read once while
// the auth generation stays, shown again at once after another instance changes
// them, and a request that changes them sees its own change.
func TestPreferencesKeptUntilTheyChange(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	ctx := context.Background()
	s := f.s
	read := func(ctx context.Context) bool {
		t.Helper()
		p, err := s.Preferences(ctx, f.admin)
		if err != nil {
			t.Fatal(err)
		}
		return p.ClassicPane
	}
	if read(s.WithAuthGeneration(ctx, true)) {
		t.Fatal("the classic pane is on by default")
	}
	gen, _ := s.authGeneration(ctx)
	if _, ok := s.auth.preferences(gen, f.admin.UserID); !ok {
		t.Fatal("the choices read were not kept")
	}
	s.auth.putPreferences(gen, f.admin.UserID, Preferences{ClassicPane: true}) // as if kept
	if !read(s.WithAuthGeneration(ctx, true)) {
		t.Fatal("at the same generation the choices were read again")
	}
	// Another instance chooses, changes and forgets: each shows on the next read,
	// whatever was kept before it.
	for _, c := range []struct {
		name, sql string
		args      []any
		want      bool
	}{
		{"chose the default", `INSERT INTO admin_preferences (user_id, classic_pane, updated_at) VALUES (?, ?, ?)`, []any{f.admin.UserID, false, time.Now()}, false},
		{"turned the classic pane on", `UPDATE admin_preferences SET classic_pane = ? WHERE user_id = ?`, []any{true, f.admin.UserID}, true},
		{"forgot the choice", `DELETE FROM admin_preferences WHERE user_id = ?`, []any{f.admin.UserID}, false},
	} {
		if err := s.db.Exec(c.sql, c.args...).Error; err != nil {
			t.Fatal(err)
		}
		if got := read(s.WithAuthGeneration(ctx, true)); got != c.want {
			t.Fatalf("after another instance %s, the classic pane is %v, want %v", c.name, got, c.want)
		}
	}
	// A request turns it on and shows the pane.
	rctx := s.WithAuthGeneration(ctx, false)
	if read(rctx) {
		t.Fatal("the classic pane should be off")
	}
	if err := s.SetClassicPane(rctx, f.admin, true); err != nil {
		t.Fatal(err)
	}
	if !read(rctx) {
		t.Fatal("the request that turned the classic pane on does not see it")
	}
}
