package models

import (
	"context"
	"fmt"
	"slices"
	"testing"
	"time"
)

// Every change to what the report's rows show raises the report generation,
// whoever makes it (mostly statements of "another instance" here, which this
// store's forget never hears of); changes to what they do not show leave it.
func TestReportGenerationRisesWithWhatTheReportShows(t *testing.T) {
	t.Parallel()
	f := reportTenant(t)
	ctx := context.Background()
	gen := func() int64 {
		t.Helper()
		var n int64
		if err := f.s.reportGenStmt.QueryRowContext(ctx).Scan(&n); err != nil {
			t.Fatalf("the report generation cannot be read: %v", err)
		}
		return n
	}
	room := f.mailbox("auditroom@contoso.com")
	person := f.user("alexw@contoso.com")
	alex := f.recipient("alexw@contoso.com")
	outer := f.group("Outer SG")
	exec := func(sql string, args ...any) func() error {
		return func() error { return f.s.db.Exec(sql, args...).Error }
	}
	checkGenerationChanges(t, gen, []generationChange{
		{"a right given", func() error { _, err := f.grant("auditroom@contoso.com", RightSendAs, "alexw@contoso.com"); return err }, true},
		{"a right removed", func() error {
			_, err := f.s.RevokePermission(ctx, f.admin, room.ID, RightSendAs, alex)
			return err
		}, true},
		{"automapping changed", exec(`UPDATE mailbox_permissions SET auto_mapping = NOT auto_mapping WHERE mailbox_id = ?`, room.ID), true},
		{"a member added to a group", func() error {
			_, err := f.s.AddGroupMembers(ctx, f.admin, outer, []uint{alex})
			return err
		}, true},
		{"a member removed from a group", func() error { return f.s.RemoveGroupMember(ctx, f.admin, outer, alex) }, true},
		{"a person renamed", exec(`UPDATE recipients SET display_name = display_name || 'x' WHERE id = ?`, alex), true},
		{"an address added", exec(`INSERT INTO email_addresses (recipient_id, address, normalized, is_primary) VALUES (?, 'alex.extra@contoso.com', 'alex.extra@contoso.com', ?)`, alex, false), true},
		{"a person blocked", func() error { return f.s.SetSignInBlocked(ctx, f.admin, person, true, true) }, true},
		{"a person deleted", exec(`UPDATE users SET deleted_at = ? WHERE id = ?`, time.Now(), person), true},
		{"a mailbox's type changed", exec(`UPDATE mailboxes SET type = ? WHERE id = ?`, MailboxUser, room.ID), true},
		{"a mailbox's quota changed", exec(`UPDATE mailboxes SET quota_bytes = quota_bytes + 1 WHERE id = ?`, room.ID), false},
		{"a person's department changed", exec(`UPDATE users SET department = 'Audit' WHERE id = ?`, person), false},
		{"a licence taken", exec(`DELETE FROM user_licenses WHERE user_id = ?`, person), false},
		{"an owner added to a group", exec(`INSERT INTO group_owners (group_id, owner_id) VALUES (?, ?)`, outer, alex), true},
		{"a group's type changed", exec(`UPDATE groups SET type = ? WHERE id = ?`, GroupDistribution, outer), true},
		{"a group's description changed", exec(`UPDATE groups SET description = 'x' WHERE id = ?`, outer), false},
	})
}

// The first page is read once and served from memory while the generation stays
// and no row of it changes by time; a change by another instance shows on the next
// request. Filtered pages and pages past the first are never kept.
func TestFirstReportPageKeptUntilItChanges(t *testing.T) {
	t.Parallel()
	f := reportTenant(t)
	ctx := context.Background()
	s := f.s
	now := time.Now().UTC()
	s.Now = func() time.Time { return now }
	report := func(q AccessReportQuery) *AccessReport {
		t.Helper()
		rep, err := s.MailboxAccessReport(ctx, q)
		if err != nil {
			t.Fatal(err)
		}
		return rep
	}
	kept := func(rep *AccessReport) bool {
		return slices.ContainsFunc(rep.Rows, func(r AccessReportRow) bool { return r.HolderName == "kept" })
	}
	// More rows than a page, after Audit Room's.
	if _, err := f.grant("pattif@contoso.com", RightFullAccess, "alexw@contoso.com", "diegos@contoso.com", "lidiah@contoso.com"); err != nil {
		t.Fatal(err)
	}
	first := AccessReportQuery{Size: 10}
	want := report(first)
	if len(want.Rows) != 10 || !want.Uncounted {
		t.Fatalf("the first page has %d rows (more: %v), want 10 and more", len(want.Rows), want.Uncounted)
	}
	// What is served comes from the kept rows: mark them and see the mark.
	mark := func(rows int) {
		t.Helper()
		s.reportPages.mu.Lock()
		defer s.reportPages.mu.Unlock()
		k, ok := s.reportPages.kept[10]
		if !ok || len(k.page) != rows {
			t.Fatalf("the first page was not kept with the row after it: %d rows, want %d", len(k.page), rows)
		}
		k.page[0].HolderName = "kept"
	}
	mark(11)
	rep := report(first)
	if rep.Rows[0].HolderName != "kept" || !rep.Uncounted || rep.Next != want.Next || rep.Total != 10 {
		t.Fatalf("kept page: first holder %q, uncounted %v, next %q, total %d", rep.Rows[0].HolderName, rep.Uncounted, rep.Next, rep.Total)
	}
	// A caller changing what it got leaves the kept rows as they were.
	rep.Rows[0].HolderName = "changed by a caller"
	if rep := report(first); rep.Rows[0].HolderName != "kept" {
		t.Fatalf("a caller's change reached the kept rows: %q", rep.Rows[0].HolderName)
	}
	// Filtered pages, another size, another order and the next page are read, not kept.
	for _, q := range []AccessReportQuery{{Size: 10, Right: RightFullAccess}, {Size: 10, Held: HeldDirect},
		{Size: 10, Stale: true}, {Size: 25}, {Size: 10, After: want.Next}, {Size: 10, Sort: SortByHolder}} {
		if kept(report(q)) {
			t.Fatalf("%+v served the kept rows", q)
		}
	}
	// Another instance removes Audit Room's grants: the page is read again.
	if err := s.db.Exec(`DELETE FROM mailbox_permissions WHERE mailbox_id = ?`, f.mailbox("auditroom@contoso.com").ID).Error; err != nil {
		t.Fatal(err)
	}
	if rep := report(first); kept(rep) || rep.Rows[0].MailboxName == "Audit Room" {
		t.Fatalf("after another instance's change the page starts with %s's %q", rep.Rows[0].MailboxName, rep.Rows[0].HolderName)
	}
	// A pending grant takes effect with time alone: the kept page, which shows it
	// pending, is read again once that time has come.
	s.SetPropagationDelay(time.Hour)
	if _, err := f.grant("auditroom@contoso.com", RightSendAs, "alexw@contoso.com"); err != nil {
		t.Fatal(err)
	}
	s.SetPropagationDelay(0)
	alex := func() (AccessReportRow, time.Time, bool) {
		t.Helper()
		rep := report(first)
		i := slices.IndexFunc(rep.Rows, func(r AccessReportRow) bool { return r.HolderName == "Alex Wilber" })
		if i < 0 {
			t.Fatalf("Alex Wilber's Send as is not on the first page")
		}
		return rep.Rows[i], rep.Now, kept(rep)
	}
	if r, at, _ := alex(); !r.Pending(at) {
		t.Fatal("the grant should be pending for an hour")
	}
	mark(len(report(first).Rows))
	now = now.Add(30 * time.Minute)
	if _, _, k := alex(); !k {
		t.Fatal("half an hour on, the kept page should still be served")
	}
	now = now.Add(31 * time.Minute)
	if r, at, k := alex(); r.Pending(at) || k {
		t.Fatalf("an hour on, the grant should be in effect (pending %v) on a page read again (kept %v)", r.Pending(at), k)
	}
}

// The time a kept page changes by itself is the first future effect or removal
// among its rows.
func TestReportPageChangesByTime(t *testing.T) {
	now := time.Date(2026, 12, 6, 9, 0, 0, 0, time.UTC)
	later, latest := now.Add(time.Hour), now.Add(2*time.Hour)
	past := now.Add(-time.Hour)
	rows := []AccessReportRow{{EffectiveAt: past}, {EffectiveAt: latest}, {EffectiveAt: past, RevokeEffectiveAt: &later}}
	if got := changesByTime(rows, now); !got.Equal(later) {
		t.Errorf("got %v, want %v", got, later)
	}
	if got := changesByTime(rows[:1], now); !got.IsZero() {
		t.Errorf("rows in effect with no removal change at %v, want never", got)
	}
}

// A person's groups and access (their Mail tab) are kept while the report
// generation stays and none of their grants changes by time; another instance's
// change to a membership or a grant shows on the next read.
func TestGroupsAndAccessKeptUntilTheyChange(t *testing.T) {
	t.Parallel()
	f := reportTenant(t)
	ctx := context.Background()
	s := f.s
	now := time.Now().UTC()
	s.Now = func() time.Time { return now }
	joni := f.recipient("jonis@contoso.com")
	read := func() ([]Membership, []Access) {
		t.Helper()
		groups, access, err := s.GroupsAndAccessOf(ctx, joni)
		if err != nil {
			t.Fatal(err)
		}
		return groups, access
	}
	groups, access := read()
	if len(groups) != 2 || len(access) != 1 || access[0].ViaName != "Outer SG" {
		t.Fatalf("Joni is in %d groups with %d rights (%+v), want Inner and Outer SG and Full Access through Outer SG", len(groups), len(access), access)
	}
	mark := func() {
		t.Helper()
		s.keptAccess.mu.Lock()
		defer s.keptAccess.mu.Unlock()
		k, ok := s.keptAccess.kept[joni]
		if !ok || len(k.page.access) == 0 {
			t.Fatal("Joni's access was not kept")
		}
		k.page.access[0].MailboxName = "kept"
	}
	mark()
	_, access = read()
	if access[0].MailboxName != "kept" {
		t.Fatalf("at the same generation Joni's access was read again: %q", access[0].MailboxName)
	}
	access[0].MailboxName = "changed by a caller"
	if _, access := read(); access[0].MailboxName != "kept" {
		t.Fatalf("a caller's change reached the kept access: %q", access[0].MailboxName)
	}
	// Another instance takes Inner SG out of Outer SG: Joni loses Outer SG and its access.
	if err := s.db.Exec(`DELETE FROM group_members WHERE group_id = ? AND member_id = ?`, f.group("Outer SG"), f.recipient("innersg@contoso.com")).Error; err != nil {
		t.Fatal(err)
	}
	if groups, access := read(); len(groups) != 1 || len(access) != 0 {
		t.Fatalf("after another instance's change Joni is in %d groups with %d rights, want 1 and none", len(groups), len(access))
	}
	// A grant pending for an hour is shown pending, and in effect once the hour
	// has passed, with no write between.
	s.SetPropagationDelay(time.Hour)
	if _, err := f.grant("auditroom@contoso.com", RightSendAs, "jonis@contoso.com"); err != nil {
		t.Fatal(err)
	}
	s.SetPropagationDelay(0)
	if _, access := read(); len(access) != 1 || !access[0].Pending(now) {
		t.Fatalf("Joni's new Send as: %+v, want it pending", access)
	}
	mark()
	now = now.Add(30 * time.Minute)
	if _, access := read(); access[0].MailboxName != "kept" {
		t.Fatal("half an hour on, the kept access should still be served")
	}
	now = now.Add(31 * time.Minute)
	if _, access := read(); access[0].MailboxName == "kept" || access[0].Pending(now) {
		t.Fatalf("an hour on, Joni's Send as should be read again and in effect: %+v", access[0])
	}
}

// The first page of a tab of groups is kept while the report generation stays;
// another instance's new owner shows on the next read, and the page's total and
// its next link follow the kept count.
func TestFirstGroupsPageKeptUntilItChanges(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	ctx := context.Background()
	s := f.s
	first := GroupQuery{Type: GroupMailSecurity, Page: Page{Size: 10}}
	for i := range 11 {
		f.newGroup(GroupMailSecurity, fmt.Sprintf("Aaa Kept %02d", i), fmt.Sprintf("aaakept%02d", i), []string{"meganb@contoso.com"})
	}
	read := func(q GroupQuery) *GroupList {
		t.Helper()
		l, err := s.Groups(ctx, q)
		if err != nil {
			t.Fatal(err)
		}
		return l
	}
	want := read(first)
	if len(want.Rows) != 10 || want.Next == "" || want.First != 1 || want.Rows[0].Owners != 1 {
		t.Fatalf("the first page: %d rows, first %d, next %q, %d owners", len(want.Rows), want.First, want.Next, want.Rows[0].Owners)
	}
	key := groupsPageKey{typ: GroupMailSecurity, size: 10}
	s.groupPages.mu.Lock()
	k, ok := s.groupPages.kept[key]
	if !ok {
		s.groupPages.mu.Unlock()
		t.Fatal("the first page was not kept")
	}
	k.page.rows[0].DisplayName = "kept"
	s.groupPages.mu.Unlock()
	got := read(first)
	if got.Rows[0].DisplayName != "kept" || got.Next != want.Next || got.Total != want.Total || got.First != 1 {
		t.Fatalf("kept page: %q, next %q, total %d, first %d", got.Rows[0].DisplayName, got.Next, got.Total, got.First)
	}
	got.Rows[0].DisplayName = "changed by a caller"
	if got := read(first); got.Rows[0].DisplayName != "kept" {
		t.Fatalf("a caller's change reached the kept rows: %q", got.Rows[0].DisplayName)
	}
	// Another tab, a search and the next page are read, not kept.
	for _, q := range []GroupQuery{{Type: GroupSecurity, Page: Page{Size: 10}}, {Type: GroupMailSecurity, Search: "aaa", Page: Page{Size: 10}},
		{Type: GroupMailSecurity, Page: Page{Size: 10, After: want.Next}}} {
		if l := read(q); slices.ContainsFunc(l.Rows, func(r GroupRow) bool { return r.DisplayName == "kept" }) {
			t.Fatalf("%+v served the kept rows", q)
		}
	}
	// Another instance adds an owner to the first group.
	if err := s.db.Exec(`INSERT INTO group_owners (group_id, owner_id) VALUES (?, ?)`, want.Rows[0].ID, f.recipient("alexw@contoso.com")).Error; err != nil {
		t.Fatal(err)
	}
	if got := read(first); got.Rows[0].DisplayName == "kept" || got.Rows[0].Owners != 2 {
		t.Fatalf("after another instance's new owner: %q with %d owners, want 2", got.Rows[0].DisplayName, got.Rows[0].Owners)
	}
}

// A safe request (a GET) reads the report generation once, with its auth
// generation, and the kept pages are checked against it for the whole request; a
// request that changes things and then reads a kept page (the Mail tab after a
// grant) reads the generation again and sees its own change.
func TestReportGenerationOfTheRequest(t *testing.T) {
	t.Parallel()
	f := reportTenant(t)
	ctx := context.Background()
	s := f.s
	joni := f.recipient("jonis@contoso.com")
	safe := s.WithAuthGeneration(ctx, true)
	before, ok := s.reportGeneration(safe)
	if !ok {
		t.Fatal("no report generation read with the request's")
	}
	post := s.WithAuthGeneration(ctx, false)
	if _, access, err := s.GroupsAndAccessOf(post, joni); err != nil || len(access) != 1 {
		t.Fatalf("Joni's access: %+v, %v; want one right", access, err)
	}
	if _, err := f.grant("auditroom@contoso.com", RightSendAs, "jonis@contoso.com"); err != nil {
		t.Fatal(err)
	}
	if g, _ := s.reportGeneration(safe); g != before {
		t.Fatalf("the safe request's report generation moved from %d to %d: it should be the one read at its start", before, g)
	}
	if g, _ := s.reportGeneration(ctx); g <= before {
		t.Fatalf("after a grant the report generation is %d, want past %d", g, before)
	}
	if _, access, err := s.GroupsAndAccessOf(post, joni); err != nil || len(access) != 2 {
		t.Fatalf("after its own grant the request sees %+v (%v), want Joni's two rights", access, err)
	}
}
