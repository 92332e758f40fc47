package models

import (
	"context"
	"strings"
	"testing"
)

// The first page of Graph's list of people is read once and then served from
// memory while the list generation stays; a change by another instance to any
// detail the page shows appears on the next read. Each shape is kept on its own,
// and pages past the first, filters and searches are never kept.
func TestGraphFirstPageKeptUntilItChanges(t *testing.T) {
	t.Parallel()
	f, _ := licensedAdele(t)
	ctx := context.Background()
	s := f.s
	first := GraphUserQuery{Limit: 3}
	read := func(q GraphUserQuery) []GraphUser {
		t.Helper()
		page, _, err := s.GraphUsers(ctx, q)
		if err != nil || len(page) == 0 {
			t.Fatalf("%+v: %d people, %v", q, len(page), err)
		}
		return page
	}
	page := read(first)
	person := page[0]
	mark := func() {
		t.Helper()
		s.graphPages.mu.Lock()
		defer s.graphPages.mu.Unlock()
		k, ok := s.graphPages.kept[graphPageKey{limit: first.Limit}]
		if !ok || len(k.page.users) == 0 {
			t.Fatal("the first page was not kept")
		}
		k.page.users[0].JobTitle = "kept"
		k.page.users[0].SKUs = append(k.page.users[0].SKUs, "KEPT")
	}
	mark()
	if got := read(first)[0]; got.JobTitle != "kept" {
		t.Fatalf("at the same generation the first page was read again: %q", got.JobTitle)
	}
	got := read(first)
	got[0].JobTitle, got[0].SKUs[0] = "changed by a caller", "CHANGED"
	if got := read(first)[0]; got.JobTitle != "kept" || got.SKUs[0] == "CHANGED" {
		t.Fatalf("a caller's change reached the kept page: %+v", got)
	}
	// Each shape is kept on its own: without the addresses, without the licences.
	if got := read(GraphUserQuery{Limit: first.Limit, LeaveOut: DetailMail})[0]; got.Mail != "" || got.JobTitle == "kept" {
		t.Fatalf("the first page without addresses: %+v", got)
	}
	if got := read(GraphUserQuery{Limit: first.Limit, WithoutLicenses: true})[0]; len(got.SKUs) != 0 || got.JobTitle == "kept" {
		t.Fatalf("the first page without licences: %+v", got)
	}
	if got := read(first)[0]; got.JobTitle != "kept" || got.Mail == "" || len(got.SKUs) == 0 {
		t.Fatalf("the kept first page after the other shapes: %+v", got)
	}
	// Neither a later page, nor a filter, nor a search is kept.
	later := first
	later.AfterKey, later.AfterID = person.SortKey, person.UserID
	filtered := first
	filtered.Where = &UserCond{Op: OpEq, Field: FieldJobTitle, Values: []any{"kept"}}
	for _, q := range []GraphUserQuery{later, filtered, {Limit: 3, Search: person.DisplayName[:2]}} {
		if page, _, err := s.GraphUsers(ctx, q); err != nil || (len(page) > 0 && page[0].JobTitle == "kept") {
			t.Fatalf("%+v: %+v, %v; want it read", q, page, err)
		}
	}
	if len(s.graphPages.kept) != 3 {
		t.Fatalf("kept pages: %d, want the first page in its three shapes only", len(s.graphPages.kept))
	}
	// Another instance changes what the page shows: each change shows at once.
	for _, c := range []struct {
		name, sql string
		check     func(GraphUser) bool
	}{
		{"job title", `UPDATE users SET job_title = 'Auditor' WHERE id = ?`, func(u GraphUser) bool { return u.JobTitle == "Auditor" }},
		{"given name", `UPDATE users SET first_name = 'Alix' WHERE id = ?`, func(u GraphUser) bool { return u.GivenName == "Alix" }},
		{"alias", `UPDATE recipients SET alias = 'alix' WHERE id = (SELECT recipient_id FROM users WHERE id = ?)`, func(u GraphUser) bool { return u.Alias == "alix" }},
		{"primary address", `UPDATE email_addresses SET address = upper(address) WHERE is_primary AND recipient_id = (SELECT recipient_id FROM users WHERE id = ?)`,
			func(u GraphUser) bool { return u.Mail != "" && u.Mail == strings.ToUpper(u.Mail) }},
	} {
		mark()
		if err := s.db.Exec(c.sql, person.UserID).Error; err != nil {
			t.Fatal(err)
		}
		got := read(first)[0]
		if got.UserID != person.UserID || got.JobTitle == "kept" || !c.check(got) {
			t.Errorf("after another instance changed the %s: %+v", c.name, got)
		}
	}
}
