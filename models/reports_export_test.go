package models

import (
	"cmp"
	"context"
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"gorm.io/gorm"
)

// TestMailboxAccessExportMatchesOneQuery checks the windowed export, whose holder
// details come from a bounded cache, against the report's single query over the
// whole tenant (the export as it was): the same rows, every field, in the same order,
// with nested groups, blocked and deleted holders, pending grants and pending
// removals, for every filter that the cache takes part in.
func TestMailboxAccessExportMatchesOneQuery(t *testing.T) {
	f := reportTenant(t)
	ctx := context.Background()
	// Made from the last name to the first: the mailboxes' ids and names order
	// them the other way round.
	for i := range 6 {
		name := "Room " + string(rune('F'-i))
		id, err := f.s.CreateSharedMailbox(ctx, f.admin, name, "room"+strings.ToLower(string(rune('f'-i))), "contoso.com")
		if err != nil {
			t.Fatal(err)
		}
		if _, err := f.s.GrantPermissions(ctx, f.admin, GrantRequest{MailboxID: id, Right: RightFullAccess,
			TrusteeIDs: []uint{f.recipient("outersg@contoso.com"), f.recipient("nestorw@contoso.com"), f.recipient("diegos@contoso.com")}}); err != nil {
			t.Fatal(err)
		}
	}
	// A removal that has not taken effect yet still holds.
	f.s.SetPropagationDelay(time.Hour)
	if err := f.s.RemovePermission(ctx, f.admin, f.mailbox("rooma@contoso.com").ID, RightFullAccess, f.recipient("diegos@contoso.com")); err != nil {
		t.Fatal(err)
	}
	f.s.SetPropagationDelay(0)
	// Groups the export expands in Go as the query does in SQL: a cycle (Inner SG
	// in Outer SG in Inner SG), a contact in a group (not a row: only people are),
	// a group in two groups, and an empty group granted directly.
	groupOf := func(addr string) uint {
		var id uint
		if err := f.s.db.Table("groups").Select("id").Where("recipient_id = ?", f.recipient(addr)).Scan(&id).Error; err != nil || id == 0 {
			t.Fatalf("group %s: %v", addr, err)
		}
		return id
	}
	var contact uint
	if err := f.s.db.Table("recipients").Select("id").Where("kind = ?", KindContact).Order("id").Limit(1).Scan(&contact).Error; err != nil || contact == 0 {
		t.Fatalf("contact: %v", err)
	}
	for _, m := range []struct{ group, member uint }{
		{groupOf("innersg@contoso.com"), f.recipient("outersg@contoso.com")},
		{groupOf("outersg@contoso.com"), contact},
	} {
		if err := f.s.db.Exec("INSERT INTO group_members (group_id, member_id) VALUES (?, ?)", m.group, m.member).Error; err != nil {
			t.Fatal(err)
		}
	}
	f.newGroup(GroupMailSecurity, "Empty SG", "emptysg", []string{"meganb@contoso.com"})
	if _, err := f.grant("roomb@contoso.com", RightSendAs, "innersg@contoso.com", "emptysg@contoso.com"); err != nil {
		t.Fatal(err)
	}
	// Two groups with a person in both, after one in the first only: the export
	// in holder order reads a group's grants once, and again after it has
	// forgotten them.
	f.newGroup(GroupMailSecurity, "Alpha SG", "alphasg", []string{"meganb@contoso.com"}, "diegos@contoso.com", "isaiahl@contoso.com")
	f.newGroup(GroupMailSecurity, "Beta SG", "betasg", []string{"meganb@contoso.com"}, "isaiahl@contoso.com")
	if _, err := f.grant("roomc@contoso.com", RightFullAccess, "alphasg@contoso.com"); err != nil {
		t.Fatal(err)
	}
	if _, err := f.grant("roomd@contoso.com", RightSendAs, "betasg@contoso.com"); err != nil {
		t.Fatal(err)
	}
	full := func(r AccessReportRow) string {
		revoke := "-"
		if r.RevokeEffectiveAt != nil {
			revoke = r.RevokeEffectiveAt.Format(time.RFC3339Nano)
		}
		return fmt.Sprintf("%d %d %d %q %q %q %s %d %s %d %q %q %q %s %v %v %d %q %v %q %s %s %s",
			r.PermissionID, r.MailboxID, r.MailboxRecipientID, r.MailboxName, r.MailboxSort, r.MailboxAddress, r.MailboxType,
			r.OwnerUserID, r.Right, r.HolderID, r.HolderName, r.HolderSort, r.HolderAddress, r.HolderKind, r.HolderBlocked,
			r.HolderDeleted, r.ViaID, r.ViaName, r.AutoMapping, r.GrantedBy, r.GrantedAt.Format(time.RFC3339Nano),
			r.EffectiveAt.Format(time.RFC3339Nano), revoke)
	}
	for _, q := range []AccessReportQuery{
		{}, {Stale: true}, {Held: HeldViaGroup}, {Held: HeldDirect, Stale: true}, {Right: RightFullAccess, Holder: "nestor"},
		{Mailbox: "room"}, {MailboxType: MailboxShared, Stale: true},
	} {
		for _, sort := range []AccessSort{SortByMailbox, SortByHolder} {
			q.Sort = sort
			exportMatchesOneQuery(t, f, q, full)
		}
	}
}

// exportMatchesOneQuery checks that the export of q, read in windows of several
// sizes, gives the rows of the report's single query over the whole tenant.
func exportMatchesOneQuery(t *testing.T, f *fixture, q AccessReportQuery, full func(AccessReportRow) string) {
	t.Helper()
	ctx := context.Background()
	query, args := f.s.accessReportQuery(AccessReportQuery{Right: q.Right, MailboxType: q.MailboxType, Mailbox: q.Mailbox,
		Holder: q.Holder, Held: q.Held, Stale: q.Stale, Sort: q.Sort}, true)
	rows, err := readAccessRows(f.s.db.WithContext(ctx), query, args)
	if err != nil {
		t.Fatal(err)
	}
	var want []string
	for _, r := range rows {
		want = append(want, full(r))
	}
	// Two mailboxes a window and a cache of three holders and four group
	// members: every window forgets and reads again. Then a holder table too
	// small for the tenant (the export falls back to the cache), and the
	// holder table; on PostgreSQL, with the grants fetched from the cursor three
	// at a time (fetches end inside a mailbox's grants and inside a window).
	// Last, windows of one with a bound of one on the group members (and, in
	// holder order, on the groups' grants) kept: each window reads them again.
	for _, small := range []AccessReportQuery{{window: 2, holders: 3, groups: 4, table: -1}, {window: 2, table: 100}, {},
		{window: 2, batch: 3}, {window: 1, groups: 1}} {
		wq := q
		wq.window, wq.holders, wq.groups, wq.table, wq.batch = small.window, small.holders, small.groups, small.table, small.batch
		var got []string
		if err := f.s.EachMailboxAccess(ctx, wq, func(r AccessReportRow) error {
			got = append(got, full(r))
			return nil
		}); err != nil {
			t.Fatal(err)
		}
		if len(want) == 0 || !slices.Equal(got, want) {
			t.Errorf("%+v: %d rows exported, %d from one query\ngot  %q\nwant %q", wq, len(got), len(want), got, want)
		}
	}
}

// readAccessRows runs the report's single query over the whole tenant (the export
// before windows) and reads its rows by position.
func readAccessRows(db *gorm.DB, query string, args []any) ([]AccessReportRow, error) {
	rows, err := db.Raw(query, args...).Rows()
	if err != nil {
		return nil, fmt.Errorf("read mailbox access report: %w", err)
	}
	defer rows.Close()
	var out []AccessReportRow
	for rows.Next() {
		r, err := scanAccessRow(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, r)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("read mailbox access report: %w", err)
	}
	return out, nil
}

// The holder table finds each recipient by id whether the ids are dense (an array
// by id) or sparse (a search), and knows no other; what it leaves out (a sort name
// that is the name's, an address's domain, a known mailbox type) comes back as it
// was given, and what it can't derive is kept.
func TestHolderTableLookups(t *testing.T) {
	type entry struct{ sort, address, mailboxType string }
	entries := []entry{
		{"", "a@b.c", "shared"},
		{"custom key", "someone@contoso.com", ""},
		{"", "no-domain", "user"},
		{" name  ", "x@@b.c", "room"},
	}
	for _, ids := range [][]uint32{{1, 2, 3, 5}, {7, 40_000, 1 << 31, 1<<32 - 2}} {
		tab := &holderTable{}
		if ids[3] < 100 {
			tab.byID = make([]uint32, ids[3]+1)
		}
		want := map[uint32]holderDetails{}
		for i, id := range ids {
			e := entries[i]
			name := fmt.Sprintf("Name %d", id)
			if e.sort == "" {
				e.sort = strings.ToLower(name)
			}
			if !tab.add(id, holderKinds[i%len(holderKinds)], i%2 == 0, i == 3, uint(i)*1000, []byte(name), []byte(e.sort),
				[]byte(e.address), []byte(e.mailboxType)) {
				t.Fatalf("add %d", id)
			}
			want[id] = holderDetails{name: name, sort: e.sort, kind: holderKinds[i%len(holderKinds)], address: e.address,
				blocked: i%2 == 0, deleted: i == 3, user: uint(i) * 1000, mailboxType: MailboxType(e.mailboxType)}
		}
		if tab.add(ids[0], KindUser, false, false, 0, nil, nil, nil, nil) {
			t.Fatal("an id out of order, or twice, was added")
		}
		if tab.byID != nil && (tab.add(ids[3]+1, KindUser, false, false, 0, nil, nil, nil, nil) || len(tab.ids) != 0) {
			t.Fatal("an id past the array was added, or the array was not used")
		}
		for _, id := range ids {
			if h, ok := tab.get(uint(id)); !ok || h != want[id] {
				t.Errorf("get %d = %+v, %v; want %+v", id, h, ok, want[id])
			}
		}
		for _, id := range []uint{0, 4, 6, 8, 1 << 33} {
			if h, ok := tab.get(id); ok {
				t.Errorf("get %d found %+v", id, h)
			}
		}
	}
}

// Past holderDomains domains, addresses are kept whole: every one comes back.
func TestHolderTableManyDomains(t *testing.T) {
	tab := &holderTable{}
	n := holderDomains + 10
	for i := range n {
		if !tab.add(uint32(i+1), KindUser, false, false, 0, []byte("N"), []byte("n"), fmt.Appendf(nil, "p%d@d%d.example", i, i), nil) {
			t.Fatalf("add %d", i)
		}
	}
	if len(tab.domains) != holderDomains {
		t.Errorf("%d domains numbered, want %d", len(tab.domains), holderDomains)
	}
	for i := range n {
		if h, _ := tab.get(uint(i + 1)); h.address != fmt.Sprintf("p%d@d%d.example", i, i) {
			t.Errorf("address %d = %q", i, h.address)
		}
	}
}

// Recipients made after an export read its holder table (a mailbox with grants,
// a group holding a right) are in the export all the same, as they are in the one
// query that reads the report after them, in either order (in holder order, the
// windows that name them are read by the one statement).
func TestMailboxAccessExportAfterHolderTable(t *testing.T) {
	f := reportTenant(t)
	ctx := context.Background()
	t.Cleanup(func() { afterHolderTable = nil })
	line := func(r AccessReportRow) string {
		return fmt.Sprintf("%s|%s|%s|%s|%s|%s|%s|%s", r.MailboxName, r.MailboxAddress, r.MailboxType, r.Right, r.HolderName,
			r.HolderAddress, r.HolderKind, r.ViaName)
	}
	for _, c := range []struct {
		sort       AccessSort
		name, mail string
	}{{SortByMailbox, "Late", "late"}, {SortByHolder, "Later", "later"}} {
		afterHolderTable = func() {
			afterHolderTable = nil
			if _, err := f.s.CreateSharedMailbox(ctx, f.admin, c.name+" Room", c.mail+"room", "contoso.com"); err != nil {
				t.Fatal(err)
			}
			f.newGroup(GroupMailSecurity, c.name+" SG", c.mail+"sg", []string{"meganb@contoso.com"}, "jonis@contoso.com", "lidiah@contoso.com")
			for _, mb := range []string{c.mail + "room@contoso.com", "auditroom@contoso.com"} {
				if _, err := f.grant(mb, RightFullAccess, c.mail+"sg@contoso.com", "diegos@contoso.com"); err != nil {
					t.Fatal(err)
				}
			}
		}
		var got []string
		if err := f.s.EachMailboxAccess(ctx, AccessReportQuery{Sort: c.sort, window: 2}, func(r AccessReportRow) error {
			got = append(got, line(r))
			return nil
		}); err != nil {
			t.Fatal(err)
		}
		if afterHolderTable != nil {
			t.Fatalf("%s: the export read no holder table", c.sort)
		}
		query, args := f.s.accessReportQuery(AccessReportQuery{Sort: c.sort}, true)
		rows, err := readAccessRows(f.s.db.WithContext(ctx), query, args)
		if err != nil {
			t.Fatal(err)
		}
		var want []string
		for _, r := range rows {
			want = append(want, line(r))
		}
		if !slices.ContainsFunc(want, func(s string) bool { return strings.HasPrefix(s, c.name+" Room|") }) ||
			!slices.ContainsFunc(want, func(s string) bool { return strings.HasSuffix(s, "|"+c.name+" SG") }) || !slices.Equal(got, want) {
			t.Errorf("%s: export after the table changed:\ngot  %q\nwant %q", c.sort, got, want)
		}
	}
}

// A window's rows are ordered by keys holding the first bytes of the holder's sort
// name, then put in that order in place: the order is the names' byte order, and
// every row lands where its key says.
func TestWindowRowOrder(t *testing.T) {
	names := []string{"", "a", "ab", "ab\x00", "abcdefgh", "abcdefgh\x00", "abcdefghi", "abcdefgi", "b", "\xff", "zé", "ze"}
	for _, x := range names {
		for _, y := range names {
			if p, q := sortPrefix(x), sortPrefix(y); p != q && cmp.Compare(p, q) != strings.Compare(x, y) {
				t.Errorf("prefixes of %q and %q order as %d, the names as %d", x, y, cmp.Compare(p, q), strings.Compare(x, y))
			}
		}
	}
	for n := range 40 {
		rows := make([]AccessReportRow, n)
		keys := make([]rowKey, n)
		for i := range rows {
			rows[i].HolderID = uint(i)
			keys[i].i = int32((i*7 + 3) % max(n, 1))
		}
		if n%7 == 0 {
			for i := range keys {
				keys[i].i = int32(n - 1 - i)
			}
		}
		want := make([]uint, n)
		for i, k := range keys {
			want[i] = rows[k.i].HolderID
		}
		permute(rows, keys)
		for i := range rows {
			if rows[i].HolderID != want[i] {
				t.Fatalf("%d rows: row %d is %d, want %d", n, i, rows[i].HolderID, want[i])
			}
		}
	}
}
