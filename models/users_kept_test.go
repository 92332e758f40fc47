package models

import (
	"context"
	"slices"
	"testing"
	"time"
)

// Every change to what the first page of Active users shows raises the list
// generation, whoever makes it (here mostly statements of "another instance", which
// this store's forget never hears of); changes to what it does not show leave it.
func TestListGenerationRisesWithWhatThePageShows(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	ctx := context.Background()
	gen := func() int64 {
		t.Helper()
		var n int64
		if err := f.s.listGenStmt.QueryRowContext(ctx).Scan(&n); err != nil {
			t.Fatalf("the list generation cannot be read: %v", err)
		}
		return n
	}
	person := f.user("alexw@contoso.com")
	var recipient, mailbox uint
	if err := f.s.db.Raw(`SELECT u.recipient_id, m.id FROM users u JOIN mailboxes m ON m.recipient_id = u.recipient_id WHERE u.id = ?`, person).
		Row().Scan(&recipient, &mailbox); err != nil {
		t.Fatal(err)
	}
	e3 := f.license("O365_BUSINESS_PREMIUM")
	var group uint
	if err := f.s.db.Raw(`SELECT id FROM groups ORDER BY id LIMIT 1`).Scan(&group).Error; err != nil || group == 0 {
		t.Fatalf("a group: %d, %v", group, err)
	}
	exec := func(sql string, args ...any) func() error {
		return func() error { return f.s.db.Exec(sql, args...).Error }
	}
	checkGenerationChanges(t, gen, []generationChange{
		{"a person renamed", exec(`UPDATE recipients SET display_name = display_name || 'x' WHERE id = ?`, recipient), true},
		{"a person blocked", func() error { return f.s.SetSignInBlocked(ctx, f.admin, person, true, true) }, true},
		{"a person's username changed", exec(`UPDATE users SET user_principal_name = 'alex.w@contoso.com' WHERE id = ?`, person), true},
		{"a person deleted", exec(`UPDATE users SET deleted_at = ? WHERE id = ?`, time.Now(), person), true},
		{"a person restored", exec(`UPDATE users SET deleted_at = NULL WHERE id = ?`, person), true},
		{"a licence taken", exec(`DELETE FROM user_licenses WHERE user_id = ?`, person), true},
		{"a licence given", exec(`INSERT INTO user_licenses (user_id, license_product_id) VALUES (?, ?)`, person, e3.ID), true},
		{"a licence renamed", exec(`UPDATE license_products SET name = name || 'x' WHERE id = ?`, e3.ID), true},
		{"a licence's seats changed", exec(`UPDATE license_products SET seats = seats + 1 WHERE id = ?`, e3.ID), false},
		{"a mailbox's quota changed", exec(`UPDATE mailboxes SET quota_bytes = quota_bytes + 1 WHERE id = ?`, mailbox), true},
		{"a mailbox's storage changed", exec(`UPDATE mailboxes SET storage_used_bytes = storage_used_bytes + 1 WHERE id = ?`, mailbox), true},
		{"a mailbox's type changed", exec(`UPDATE mailboxes SET type = ? WHERE id = ?`, MailboxShared, mailbox), false},
		{"a licence's SKU changed", exec(`UPDATE license_products SET sku = sku || 'X' WHERE id = ?`, e3.ID), true},
		// What Graph's list of people shows too (graph_users_kept.go).
		{"a person's department changed", exec(`UPDATE users SET department = 'Audit' WHERE id = ?`, person), true},
		{"a person's job title changed", exec(`UPDATE users SET job_title = 'Auditor' WHERE id = ?`, person), true},
		{"a person's usage location changed", exec(`UPDATE users SET usage_location = 'NL' WHERE id = ?`, person), true},
		{"a person's alias changed", exec(`UPDATE recipients SET alias = 'alex.w' WHERE id = ?`, recipient), true},
		{"an address added", exec(`INSERT INTO email_addresses (recipient_id, address, normalized, is_primary) VALUES (?, 'aw@contoso.com', 'aw@contoso.com', ?)`, recipient, false), true},
		{"the primary address retyped", exec(`UPDATE email_addresses SET address = upper(address) WHERE recipient_id = ? AND is_primary`, recipient), true},
		{"an address removed", exec(`DELETE FROM email_addresses WHERE normalized = 'aw@contoso.com'`), true},
		{"a group renamed", exec(`UPDATE groups SET sort_name = sort_name || 'x' WHERE id = ?`, group), false},
		{"a search term added", exec(`INSERT INTO search_terms (term, recipient_id, sort_name) VALUES ('zz-new', ?, '')`, recipient), true},
		{"a shared mailbox added", func() error {
			_, err := f.s.CreateSharedMailbox(ctx, f.admin, "Listed", "listed", "contoso.com")
			return err
		}, true},
	})
}

// The first page is read once and then served from memory while the generation
// stays; a change by another instance shows on the next request. Each order and
// page size is kept on its own, and pages past the first are never kept.
func TestFirstPageKeptUntilTheListChanges(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	ctx := context.Background()
	s := f.s
	// As a request reads it: with the generations read once at its start.
	names := func(q UserQuery) []string {
		t.Helper()
		rctx := s.WithAuthGeneration(ctx, true)
		if _, ok := rctx.Value(authGenKey{}).(requestGenerations); !ok {
			t.Fatal("a request's context holds no generations")
		}
		l, err := s.Users(rctx, q)
		if err != nil {
			t.Fatal(err)
		}
		var out []string
		for _, r := range l.Rows {
			out = append(out, r.DisplayName)
		}
		return out
	}
	first := UserQuery{Page: Page{Size: 10}}
	want := names(first)
	if len(want) == 0 {
		t.Fatal("the demo tenant's first page is empty")
	}
	// What is served comes from the kept rows: mark them and see the mark.
	s.firstPages.mu.Lock()
	k := s.firstPages.kept[firstPageKey{size: 10}]
	if len(k.rows) == 0 {
		s.firstPages.mu.Unlock()
		t.Fatal("the first page was not kept")
	}
	k.rows[0].row.DisplayName = "kept"
	s.firstPages.mu.Unlock()
	if got := names(first); got[0] != "kept" {
		t.Fatalf("at the same generation the first row is %q, want the kept one", got[0])
	}
	// A caller changing what it got, a licence too, leaves the kept rows as they were.
	l, _ := s.Users(ctx, first)
	l.Rows[0].DisplayName = "changed by a caller"
	licensed := slices.IndexFunc(l.Rows, func(r UserRow) bool { return len(r.Licenses) > 0 })
	if licensed < 0 {
		t.Fatal("no licensed person on the first page")
	}
	licence := l.Rows[licensed].Licenses[0]
	l.Rows[licensed].Licenses[0] = "changed by a caller"
	if l, _ := s.Users(ctx, first); l.Rows[0].DisplayName != "kept" || l.Rows[licensed].Licenses[0] != licence {
		t.Fatalf("a caller's change reached the kept rows: %q, %q", l.Rows[0].DisplayName, l.Rows[licensed].Licenses[0])
	}
	// Another instance renames the first person: the page is read again.
	if err := s.db.Exec(`UPDATE recipients SET display_name = 'Renamed Elsewhere'
		WHERE id = (SELECT recipient_id FROM users WHERE sort_name = (SELECT MIN(sort_name) FROM users WHERE deleted_at IS NULL))`).Error; err != nil {
		t.Fatal(err)
	}
	got := names(first)
	if got[0] != "Renamed Elsewhere" || !slices.Equal(got[1:], want[1:]) {
		t.Fatalf("after another instance's change: %q, want %q then %q", got[0], "Renamed Elsewhere", want[1:])
	}
	// Without a request's generations the list generation is read on its own.
	if l, err := s.Users(ctx, first); err != nil || l.Rows[0].DisplayName != "Renamed Elsewhere" {
		t.Fatalf("without a request's generations: %v", err)
	}
	// Other orders and sizes are their own pages.
	if desc := names(UserQuery{Page: Page{Size: 10, Desc: true}}); slices.Equal(desc, got) {
		t.Fatalf("the descending first page is the ascending one: %q", desc)
	}
	if big, err := s.Users(ctx, UserQuery{Page: Page{Size: 100}}); err != nil || len(big.Rows) != min(100, big.Total) {
		t.Fatalf("a first page of 100: %v", err)
	}
	// A search, a filter and a second page read the database and are not kept.
	s.firstPages.mu.Lock()
	kept := len(s.firstPages.kept)
	s.firstPages.mu.Unlock()
	l, err := s.Users(ctx, first)
	if err != nil || l.Next == "" {
		t.Fatalf("the first page has no next page: %v", err)
	}
	names(UserQuery{Page: Page{Size: 10, After: l.Next}})
	names(UserQuery{Search: "a", Page: Page{Size: 10}})
	names(UserQuery{Filter: FilterBlocked, Page: Page{Size: 10}})
	s.firstPages.mu.Lock()
	defer s.firstPages.mu.Unlock()
	if len(s.firstPages.kept) != kept {
		t.Fatalf("kept pages: %d, want %d (the first pages only)", len(s.firstPages.kept), kept)
	}
}

// A request that changes the list and then shows its first page (the list after a
// bulk action, say) sees its own change: the list generation it read before the
// change does not vouch for the page after it.
func TestFirstPageAfterTheRequestsOwnChange(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	ctx := context.Background()
	s := f.s
	first := UserQuery{Page: Page{Size: 10}}
	if _, err := s.Users(s.WithAuthGeneration(ctx, true), first); err != nil { // kept
		t.Fatal(err)
	}
	rctx := s.WithAuthGeneration(ctx, false) // a POST
	l, err := s.Users(rctx, first)
	if err != nil {
		t.Fatal(err)
	}
	target := l.Rows[0]
	if err := s.SetSignInBlocked(rctx, f.admin, target.ID, !target.SignInBlocked, true); err != nil {
		t.Fatal(err)
	}
	l, err = s.Users(rctx, first)
	if err != nil {
		t.Fatal(err)
	}
	if l.Rows[0].ID != target.ID || l.Rows[0].SignInBlocked == target.SignInBlocked {
		t.Fatalf("after the request's own change: %+v, want %d with sign-in blocked %v", l.Rows[0], target.ID, !target.SignInBlocked)
	}
}
