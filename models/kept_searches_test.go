package models

import (
	"context"
	"slices"
	"testing"
	"time"
)

// A search's first page of Active users is read once and served from memory while
// the list generation stays; a change by another instance to what it matches (a
// search term) or shows (a name) shows on the next request. Pages past the first
// are never kept.
func TestPeopleSearchKeptUntilTheListChanges(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	ctx := context.Background()
	s := f.s
	q := UserQuery{Search: "a", Page: Page{Size: 10}}
	search := func(q UserQuery) *UserList {
		t.Helper()
		l, err := s.Users(ctx, q)
		if err != nil {
			t.Fatal(err)
		}
		return l
	}
	want := search(q)
	if len(want.Rows) < 3 {
		t.Fatalf("the search has %d rows, want a few", len(want.Rows))
	}
	key := peopleSearchKey{term: "a", size: 10}
	mark := func() {
		t.Helper()
		s.peopleSearches.mu.Lock()
		defer s.peopleSearches.mu.Unlock()
		k, ok := s.peopleSearches.kept[key]
		if !ok {
			t.Fatal("the search's first page was not kept")
		}
		k.page.rows[0].row.DisplayName = "kept"
	}
	mark()
	got := search(q)
	if got.Rows[0].DisplayName != "kept" || got.Next != want.Next || got.Total != want.Total || got.Uncounted != want.Uncounted {
		t.Fatalf("kept search: first %q, next %q, total %d", got.Rows[0].DisplayName, got.Next, got.Total)
	}
	// A caller changing what it got leaves the kept rows as they were.
	got.Rows[0].DisplayName = "changed by a caller"
	if got := search(q); got.Rows[0].DisplayName != "kept" {
		t.Fatalf("a caller's change reached the kept rows: %q", got.Rows[0].DisplayName)
	}
	// The next page, another search and another order are read, not kept.
	for _, other := range []UserQuery{{Search: "a", Page: Page{Size: 10, After: encodeCursor(want.Rows[0].sortName, want.Rows[0].ID)}}, {Search: "al", Page: Page{Size: 10}},
		{Search: "a", Page: Page{Size: 10, Desc: true}}} {
		if l := search(other); slices.ContainsFunc(l.Rows, func(r UserRow) bool { return r.DisplayName == "kept" }) {
			t.Fatalf("%+v served the kept rows", other)
		}
	}
	// Another instance gives someone a term the search matches: it is found.
	person := f.user("meganb@contoso.com")
	if err := s.db.Exec(`INSERT INTO search_terms (term, recipient_id, user_id, sort_name)
		SELECT 'aaa-first', u.recipient_id, u.id, '' FROM users u WHERE u.id = ?`, person).Error; err != nil {
		t.Fatal(err)
	}
	if got := search(q); got.Rows[0].DisplayName == "kept" || got.Rows[0].ID != person {
		t.Fatalf("after another instance's new term the first match is %q, want Megan Bowen", got.Rows[0].DisplayName)
	}
}

// A search's (and the list's) first page of Shared mailboxes is kept while the list
// and report generations stay: a grant changes its member counts, and a removal
// still propagating changes them when it ends, with no write.
func TestSharedSearchKeptUntilItChanges(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	ctx := context.Background()
	s := f.s
	now := time.Now().UTC()
	s.Now = func() time.Time { return now }
	if _, err := s.CreateSharedMailbox(ctx, f.admin, "Kept Room", "keptroom", "contoso.com"); err != nil {
		t.Fatal(err)
	}
	for _, right := range []Right{RightFullAccess, RightSendAs} {
		if _, err := f.grant("keptroom@contoso.com", right, "alexw@contoso.com", "diegos@contoso.com"); err != nil {
			t.Fatal(err)
		}
	}
	room := func(q string) SharedMailboxRow {
		t.Helper()
		l, err := s.SharedMailboxes(ctx, SharedMailboxQuery{Search: q, Page: Page{Size: 10}})
		if err != nil {
			t.Fatal(err)
		}
		i := slices.IndexFunc(l.Rows, func(r SharedMailboxRow) bool { return r.Address == "keptroom@contoso.com" })
		if i < 0 {
			t.Fatalf("Kept Room is not on the first page of %q", q)
		}
		return l.Rows[i]
	}
	for _, q := range []string{"kept", ""} {
		if r := room(q); r.Members != 2 {
			t.Fatalf("%q: Kept Room has %d members, want 2", q, r.Members)
		}
		k, ok := s.sharedSearches.kept[sharedSearchKey{term: q, size: 10}]
		if !ok {
			t.Fatalf("%q: the first page was not kept", q)
		}
		for i := range k.page.rows {
			k.page.rows[i].DisplayName = "kept"
		}
		if r := room(q); r.DisplayName != "kept" {
			t.Fatalf("%q: at the same generations the page was read again", q)
		}
	}
	// A kept search that fits its page keeps its total; the list's total is the
	// kept count's.
	if l, err := s.SharedMailboxes(ctx, SharedMailboxQuery{Search: "kept", Page: Page{Size: 10}}); err != nil || l.Total != 1 || l.Uncounted || l.Rows[0].DisplayName != "kept" {
		t.Fatalf("the kept search: %+v, %v", l, err)
	}
	n, err := s.CountSharedMailboxes(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if l, err := s.SharedMailboxes(ctx, SharedMailboxQuery{Page: Page{Size: 10}}); err != nil || int64(l.Total) != n {
		t.Fatalf("the kept list's total: %+v, %v; want %d", l, err, n)
	}
	// Another instance's grant changes the count on both pages.
	if err := s.db.Exec(`UPDATE mailbox_permissions SET trustee_id = ? WHERE trustee_id = ? AND mailbox_id = ? AND access_right = ?`,
		f.recipient("lidiah@contoso.com"), f.recipient("diegos@contoso.com"), f.mailbox("keptroom@contoso.com").ID, RightSendAs).Error; err != nil {
		t.Fatal(err)
	}
	for _, q := range []string{"kept", ""} {
		if r := room(q); r.DisplayName == "kept" || r.Members != 1 {
			t.Fatalf("%q: after another instance's change: %q with %d members, want 1", q, r.DisplayName, r.Members)
		}
	}
	// Alex's Send as is removed, still propagating for an hour: the kept count
	// holds until then, and drops after.
	s.SetPropagationDelay(time.Hour)
	if _, err := s.RevokePermission(ctx, f.admin, f.mailbox("keptroom@contoso.com").ID, RightSendAs, f.recipient("alexw@contoso.com")); err != nil {
		t.Fatal(err)
	}
	s.SetPropagationDelay(0)
	if r := room("kept"); r.Members != 1 {
		t.Fatalf("while the removal propagates Kept Room has %d members, want 1", r.Members)
	}
	now = now.Add(61 * time.Minute)
	if r := room("kept"); r.Members != 0 {
		t.Fatalf("once the removal took effect Kept Room has %d members, want 0", r.Members)
	}
}

// Past its bound the oldest kept search goes; a page read at older generations
// does not replace a newer one.
func TestKeptSearchesBounded(t *testing.T) {
	var k keptPages[int, string]
	at := searchGenerations{list: 5, report: 2}
	for i := range keptSearchLimit + 1 {
		k.put(i, at, time.Time{}, "page")
	}
	if _, ok := k.get(0, at, time.Now()); ok || len(k.kept) != keptSearchLimit {
		t.Fatalf("kept %d searches, the oldest still there: %v", len(k.kept), ok)
	}
	k.put(1, searchGenerations{list: 4, report: 3}, time.Time{}, "older")
	if p, ok := k.get(1, at, time.Now()); !ok || p != "page" {
		t.Fatalf("a page read at an older list generation replaced the kept one: %q", p)
	}
	if _, ok := k.get(1, searchGenerations{list: 6, report: 2}, time.Now()); ok {
		t.Fatal("a page kept at an older generation was served")
	}
}
