package models

import (
	"context"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"
)

// reportTenant is the demo tenant plus a shared mailbox "Audit Room" whose rights
// are held every way the report tells apart: through nested groups, directly, by a
// blocked person, by a deleted person, and pending (not in effect yet).
func reportTenant(t *testing.T) *fixture {
	t.Helper()
	f := newFixture(t)
	ctx := context.Background()
	if _, err := f.s.CreateSharedMailbox(ctx, f.admin, "Audit Room", "auditroom", "contoso.com"); err != nil {
		t.Fatal(err)
	}
	f.newGroup(GroupMailSecurity, "Inner SG", "innersg", []string{"meganb@contoso.com"}, "jonis@contoso.com")
	f.newGroup(GroupMailSecurity, "Outer SG", "outersg", []string{"meganb@contoso.com"}, "innersg@contoso.com", "lidiah@contoso.com")
	for _, g := range []struct {
		right    Right
		trustees []string
	}{
		{RightFullAccess, []string{"outersg@contoso.com", "nestorw@contoso.com"}},
		{RightSendAs, []string{"diegos@contoso.com", "pradeepg@contoso.com"}},
		{RightSendOnBehalf, []string{"meganb@contoso.com"}},
	} {
		if _, err := f.grant("auditroom@contoso.com", g.right, g.trustees...); err != nil {
			t.Fatal(err)
		}
	}
	if err := f.s.SetSignInBlocked(ctx, f.admin, f.user("nestorw@contoso.com"), true, true); err != nil {
		t.Fatal(err)
	}
	if err := f.s.DeleteUser(ctx, f.admin, f.user("pradeepg@contoso.com")); err != nil {
		t.Fatal(err)
	}
	f.s.SetPropagationDelay(time.Hour)
	if _, err := f.grant("auditroom@contoso.com", RightFullAccess, "isaiahl@contoso.com"); err != nil {
		t.Fatal(err)
	}
	f.s.SetPropagationDelay(0)
	return f
}

// describe is a report row as the tests compare it.
func describe(r AccessReportRow) string {
	s := string(r.Right) + " " + r.HolderName
	if !r.Direct() {
		s += " via " + r.ViaName
	}
	return s
}

func accessRows(t *testing.T, f *fixture, q AccessReportQuery) []string {
	t.Helper()
	q.Size = 100
	rep, err := f.s.MailboxAccessReport(context.Background(), q)
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	for _, r := range rep.Rows {
		out = append(out, describe(r))
	}
	// A short list is counted exactly.
	if rep.Total != len(rep.Rows) || rep.Uncounted || rep.First != 1 || rep.Next != "" {
		t.Errorf("total %d (uncounted %v, first %d), %d rows", rep.Total, rep.Uncounted, rep.First, len(rep.Rows))
	}
	return out
}

func TestMailboxAccessReportFilters(t *testing.T) {
	f := reportTenant(t)
	room := AccessReportQuery{Mailbox: "audit room"}
	with := func(change func(*AccessReportQuery)) AccessReportQuery {
		q := room
		change(&q)
		return q
	}
	cases := []struct {
		name string
		q    AccessReportQuery
		want []string
	}{
		{"every row of the mailbox, groups expanded through nesting", room, []string{
			"FullAccess Isaiah Langer", "FullAccess Joni Sherman via Outer SG", "FullAccess Lidia Holloway via Outer SG",
			"FullAccess Nestor Wilke", "FullAccess Outer SG",
			"SendAs Diego Siciliani", "SendAs Pradeep Gupta", "SendOnBehalf Megan Bowen"}},
		{"by address", AccessReportQuery{Mailbox: "auditroom@"}, []string{
			"FullAccess Isaiah Langer", "FullAccess Joni Sherman via Outer SG", "FullAccess Lidia Holloway via Outer SG",
			"FullAccess Nestor Wilke", "FullAccess Outer SG",
			"SendAs Diego Siciliani", "SendAs Pradeep Gupta", "SendOnBehalf Megan Bowen"}},
		{"right", with(func(q *AccessReportQuery) { q.Right = RightSendAs }), []string{"SendAs Diego Siciliani", "SendAs Pradeep Gupta"}},
		{"held through a group", with(func(q *AccessReportQuery) { q.Held = HeldViaGroup }), []string{
			"FullAccess Joni Sherman via Outer SG", "FullAccess Lidia Holloway via Outer SG"}},
		{"held directly", with(func(q *AccessReportQuery) { q.Held = HeldDirect }), []string{
			"FullAccess Isaiah Langer", "FullAccess Nestor Wilke", "FullAccess Outer SG",
			"SendAs Diego Siciliani", "SendAs Pradeep Gupta", "SendOnBehalf Megan Bowen"}},
		{"blocked or deleted holders", with(func(q *AccessReportQuery) { q.Stale = true }), []string{
			"FullAccess Nestor Wilke", "SendAs Pradeep Gupta"}},
		{"holder by name", with(func(q *AccessReportQuery) { q.Holder = "Joni" }), []string{"FullAccess Joni Sherman via Outer SG"}},
		{"holder by address", with(func(q *AccessReportQuery) { q.Holder = "diegos@" }), []string{"SendAs Diego Siciliani"}},
		{"shared mailboxes", with(func(q *AccessReportQuery) { q.MailboxType = MailboxShared }), []string{
			"FullAccess Isaiah Langer", "FullAccess Joni Sherman via Outer SG", "FullAccess Lidia Holloway via Outer SG",
			"FullAccess Nestor Wilke", "FullAccess Outer SG",
			"SendAs Diego Siciliani", "SendAs Pradeep Gupta", "SendOnBehalf Megan Bowen"}},
		{"user mailboxes", with(func(q *AccessReportQuery) { q.MailboxType = MailboxUser }), nil},
		{"by holder", with(func(q *AccessReportQuery) { q.Sort = SortByHolder }), []string{
			"SendAs Diego Siciliani", "FullAccess Isaiah Langer", "FullAccess Joni Sherman via Outer SG",
			"FullAccess Lidia Holloway via Outer SG", "SendOnBehalf Megan Bowen", "FullAccess Nestor Wilke",
			"FullAccess Outer SG", "SendAs Pradeep Gupta"}},
		{"every filter at once", with(func(q *AccessReportQuery) {
			q.Right, q.Held, q.Holder, q.MailboxType = RightFullAccess, HeldViaGroup, "lidia", MailboxShared
		}), []string{"FullAccess Lidia Holloway via Outer SG"}},
		{"a person's access everywhere", AccessReportQuery{Holder: "jonis@contoso.com"}, []string{"FullAccess Joni Sherman via Outer SG"}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			if got := accessRows(t, f, c.q); !slices.Equal(got, c.want) {
				t.Errorf("got\n%q\nwant\n%q", got, c.want)
			}
		})
	}
}

func TestMailboxAccessReportDetails(t *testing.T) {
	f := reportTenant(t)
	rep, err := f.s.MailboxAccessReport(context.Background(), AccessReportQuery{Mailbox: "audit room", Size: 100})
	if err != nil {
		t.Fatal(err)
	}
	byName := map[string]AccessReportRow{}
	for _, r := range rep.Rows {
		byName[describe(r)] = r
	}
	isaiah := byName["FullAccess Isaiah Langer"]
	if !isaiah.Pending(rep.Now) || !isaiah.EffectiveAt.After(rep.Now.Add(59*time.Minute)) {
		t.Errorf("pending grant: effective %v at %v", isaiah.EffectiveAt, rep.Now)
	}
	if nestor := byName["FullAccess Nestor Wilke"]; !nestor.HolderBlocked || nestor.HolderDeleted || !nestor.AutoMapping || nestor.Pending(rep.Now) {
		t.Errorf("blocked holder: %+v", nestor)
	}
	if p := byName["SendAs Pradeep Gupta"]; !p.HolderDeleted || p.HolderBlocked {
		t.Errorf("deleted holder: %+v", p)
	}
	g := byName["FullAccess Outer SG"]
	if g.HolderKind != KindGroup || g.HolderAddress != "outersg@contoso.com" || g.GrantedBy != "MOD Administrator" || g.GrantedAt.IsZero() {
		t.Errorf("group row: %+v", g)
	}
	if j := byName["FullAccess Joni Sherman via Outer SG"]; j.AutoMapping || j.MailboxAddress != "auditroom@contoso.com" || j.MailboxType != MailboxShared || j.OwnerUserID != 0 {
		t.Errorf("member row: %+v", j)
	}
	// A user mailbox's row names its person, for the link to the pane.
	rep, err = f.s.MailboxAccessReport(context.Background(), AccessReportQuery{Mailbox: "info", Size: 10})
	if err != nil || len(rep.Rows) == 0 {
		t.Fatal(rep, err)
	}
	if _, err := f.grant("meganb@contoso.com", RightSendAs, "diegos@contoso.com"); err != nil {
		t.Fatal(err)
	}
	rep, err = f.s.MailboxAccessReport(context.Background(), AccessReportQuery{Mailbox: "megan", Size: 10})
	if err != nil || len(rep.Rows) != 1 || rep.Rows[0].OwnerUserID != f.user("meganb@contoso.com") {
		t.Fatalf("user mailbox row: %+v %v", rep, err)
	}
}

// TestMailboxAccessReportPagingAndExport walks the whole tenant's report page by
// page (keysets, both orders) and compares it with the export's stream.
func TestMailboxAccessReportPagingAndExport(t *testing.T) {
	f := reportTenant(t)
	ctx := context.Background()
	for i := range 14 {
		name := "Room " + string(rune('A'+i))
		id, err := f.s.CreateSharedMailbox(ctx, f.admin, name, "room"+strings.ToLower(string(rune('a'+i))), "contoso.com")
		if err != nil {
			t.Fatal(err)
		}
		if _, err := f.s.GrantPermissions(ctx, f.admin, GrantRequest{MailboxID: id, Right: RightFullAccess,
			TrusteeIDs: []uint{f.recipient("outersg@contoso.com"), f.recipient("diegos@contoso.com")}}); err != nil {
			t.Fatal(err)
		}
	}
	// Every order with filters that keep many rows, some, or a page and a bit.
	type walk struct {
		sort  AccessSort
		where AccessReportQuery
		least int
	}
	var walks []walk
	for _, sort := range []AccessSort{SortByMailbox, SortByHolder} {
		walks = append(walks, walk{sort, AccessReportQuery{}, 14 * 4}, walk{sort, AccessReportQuery{Held: HeldViaGroup}, 14 * 2},
			walk{sort, AccessReportQuery{Holder: "diego", Right: RightFullAccess, MailboxType: MailboxShared}, 14},
			walk{sort, AccessReportQuery{Mailbox: "room", Held: HeldDirect}, 14 * 2})
	}
	for _, w := range walks {
		sort := w.sort
		// Three mailboxes at a time: pages and the export cross many windows.
		q := w.where
		q.Sort, q.Size, q.window = sort, 10, 3
		var paged []string
		total := -1
		for pages := 0; ; pages++ {
			rep, err := f.s.MailboxAccessReport(ctx, q)
			if err != nil {
				t.Fatal(err)
			}
			// Nothing is counted: a full page that more follow says "more than"
			// the rows up to its last, the last page knows the total.
			if rep.First != len(paged)+1 || rep.Total != len(paged)+len(rep.Rows) || rep.Uncounted != (rep.Next != "") ||
				(rep.Uncounted && len(rep.Rows) != 10) {
				t.Errorf("%s page %d: first %d, total %d, uncounted %v, %d rows after %d", sort, pages, rep.First, rep.Total,
					rep.Uncounted, len(rep.Rows), len(paged))
			}
			if rep.Next == "" {
				total = rep.Total
			}
			for _, r := range rep.Rows {
				paged = append(paged, r.MailboxName+": "+describe(r))
			}
			if rep.Next == "" {
				break
			}
			q.After = rep.Next
			if pages > 100 {
				t.Fatal("paging does not end")
			}
		}
		var streamed []string
		eq := w.where
		eq.Sort, eq.window = sort, 4
		err := f.s.EachMailboxAccess(ctx, eq, func(r AccessReportRow) error {
			streamed = append(streamed, r.MailboxName+": "+describe(r))
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
		if len(paged) != total || len(paged) < w.least || !slices.Equal(paged, streamed) {
			t.Errorf("%s %+v: %d paged, total %d, %d streamed", sort, w.where, len(paged), total, len(streamed))
		}
		if len(slices.Compact(slices.Clone(paged))) != len(paged) && sort == SortByMailbox {
			t.Errorf("%s: a row appears twice", sort)
		}
	}
	// A cursor of the other order, or a broken one, starts at the first page.
	first, _ := f.s.MailboxAccessReport(ctx, AccessReportQuery{Size: 10})
	again, err := f.s.MailboxAccessReport(ctx, AccessReportQuery{Size: 10, After: first.Rows[9].Cursor(SortByHolder)})
	if err != nil || describe(again.Rows[0]) != describe(first.Rows[0]) {
		t.Errorf("foreign cursor: %v", err)
	}
	if _, err := f.s.MailboxAccessReport(ctx, AccessReportQuery{Size: 10, After: "%%%"}); err != nil {
		t.Error(err)
	}
}

func TestMailboxForwardingReport(t *testing.T) {
	f := reportTenant(t)
	ctx := context.Background()
	accept := func(*ForwardingRequest) {} // an outside address is saved even while the policy blocks it
	for _, fw := range []struct {
		from, to string
		keep     bool
	}{
		{"auditroom@contoso.com", "diegos@contoso.com", true},
		{"diegos@contoso.com", "lidiah@contoso.com", false},
		{"johannal@contoso.com", "jo@fabrikam.com", true},
		{"isaiahl@contoso.com", "isaiah@tailspintoys.com", false},
	} {
		if err := f.forward(fw.from, fw.to, fw.keep, accept); err != nil {
			t.Fatalf("%s: %v", fw.from, err)
		}
	}
	// Forwarding refuses loops; one made before that rule (or by an import) shows.
	if err := f.s.db.Model(&Mailbox{}).Where("recipient_id = ?", f.recipient("lidiah@contoso.com")).
		Update("forwarding_address", "AuditRoom@contoso.com").Error; err != nil {
		t.Fatal(err)
	}
	if err := f.s.SetSignInBlocked(ctx, f.admin, f.user("isaiahl@contoso.com"), true, true); err != nil {
		t.Fatal(err)
	}
	all, err := f.s.MailboxForwardingReport(ctx, ForwardingReportQuery{Size: 100})
	if err != nil {
		t.Fatal(err)
	}
	got := map[string]ForwardingReportRow{}
	for _, r := range all.Rows {
		got[r.MailboxName] = r
	}
	room := got["Audit Room"]
	if room.TargetName != "Diego Siciliani" || room.External || !room.KeepCopy || room.ChainText() != "Lidia Holloway > Audit Room" || !room.Loop {
		t.Errorf("loop: %+v", room)
	}
	if d := got["Diego Siciliani"]; d.ChainText() != "Audit Room > Diego Siciliani" || !d.Loop {
		t.Errorf("chain: %+v", d)
	}
	if j := got["Johanna Lorenz"]; !j.External || !j.BlockedByPolicy || j.TargetName != "" || j.Loop || len(j.Chain) != 0 {
		t.Errorf("outside: %+v", j)
	}
	if i := got["Isaiah Langer"]; i.Stopped != StoppedBlocked || i.BlockedByPolicy || i.Active() {
		t.Errorf("stopped: %+v", i)
	}
	names := func(q ForwardingReportQuery) []string {
		q.Size = 100
		rep, err := f.s.MailboxForwardingReport(ctx, q)
		if err != nil {
			t.Fatal(err)
		}
		var out []string
		for _, r := range rep.Rows {
			out = append(out, r.MailboxName)
		}
		if rep.Total != len(out) {
			t.Errorf("total %d, %d rows", rep.Total, len(out))
		}
		return out
	}
	for _, c := range []struct {
		q    ForwardingReportQuery
		want []string
	}{
		{ForwardingReportQuery{}, []string{"Audit Room", "Diego Siciliani", "Isaiah Langer", "Johanna Lorenz", "Lidia Holloway"}},
		{ForwardingReportQuery{Scope: ForwardInside}, []string{"Audit Room", "Diego Siciliani", "Lidia Holloway"}},
		{ForwardingReportQuery{Scope: ForwardOutside}, []string{"Isaiah Langer", "Johanna Lorenz"}},
		{ForwardingReportQuery{State: ForwardBlocked}, []string{"Johanna Lorenz"}},
		{ForwardingReportQuery{State: ForwardStopped}, []string{"Isaiah Langer"}},
		{ForwardingReportQuery{State: ForwardActive}, []string{"Audit Room", "Diego Siciliani", "Johanna Lorenz", "Lidia Holloway"}},
		{ForwardingReportQuery{Search: "fabrikam"}, nil},
		{ForwardingReportQuery{Search: "jo@fab"}, []string{"Johanna Lorenz"}},
		{ForwardingReportQuery{Search: "audit"}, []string{"Audit Room", "Lidia Holloway"}}, // Lidia forwards to auditroom@
	} {
		if got := names(c.q); !slices.Equal(got, c.want) {
			t.Errorf("%+v: got %q, want %q", c.q, got, c.want)
		}
	}
	// With external forwarding on, nothing bounces.
	if err := f.s.SetForwardingPolicy(ctx, f.admin, ForwardingOn); err != nil {
		t.Fatal(err)
	}
	if got := names(ForwardingReportQuery{State: ForwardBlocked}); len(got) != 0 {
		t.Errorf("blocked with policy on: %q", got)
	}
	var streamed int
	if err := f.s.EachMailboxForward(ctx, ForwardingReportQuery{}, func(ForwardingReportRow) error { streamed++; return nil }); err != nil || streamed != 5 {
		t.Errorf("export: %d rows, %v", streamed, err)
	}
}

// TestMailboxAccessHistory replays a scripted sequence of grants, removals and
// group membership changes, a day apart, and asks who could access on each day.
func TestMailboxAccessHistory(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	day := func(n int) time.Time { return time.Date(2026, 3, 1+n, 12, 0, 0, 0, time.UTC) }
	f.s.Now = func() time.Time { return day(0) }
	mbID, err := f.s.CreateSharedMailbox(ctx, f.admin, "Case Files", "casefiles", "contoso.com")
	if err != nil {
		t.Fatal(err)
	}
	inner := f.newGroup(GroupMailSecurity, "Case Inner", "caseinner", []string{"meganb@contoso.com"}, "jonis@contoso.com")
	f.newGroup(GroupMailSecurity, "Case Team", "caseteam", []string{"meganb@contoso.com"}, "caseinner@contoso.com")
	f.s.Now = func() time.Time { return day(1) }
	if _, err := f.grant("casefiles@contoso.com", RightFullAccess, "diegos@contoso.com"); err != nil {
		t.Fatal(err)
	}
	if _, err := f.grant("casefiles@contoso.com", RightSendAs, "caseteam@contoso.com"); err != nil {
		t.Fatal(err)
	}
	f.s.Now = func() time.Time { return day(2) }
	if err := f.s.RemovePermission(ctx, f.admin, mbID, RightFullAccess, f.recipient("diegos@contoso.com")); err != nil {
		t.Fatal(err)
	}
	if _, err := f.s.AddGroupMembers(ctx, f.admin, inner, []uint{f.recipient("lidiah@contoso.com")}); err != nil {
		t.Fatal(err)
	}
	if _, err := f.s.AddMembers(ctx, f.admin, mbID, []uint{f.recipient("nestorw@contoso.com")}); err != nil {
		t.Fatal(err)
	}
	f.s.Now = func() time.Time { return day(3) }
	if err := f.s.RemoveGroupMember(ctx, f.admin, inner, f.recipient("jonis@contoso.com")); err != nil {
		t.Fatal(err)
	}
	if err := f.s.RemoveMember(ctx, f.admin, mbID, f.recipient("nestorw@contoso.com")); err != nil {
		t.Fatal(err)
	}
	if _, err := f.grant("casefiles@contoso.com", RightSendOnBehalf, "meganb@contoso.com"); err != nil {
		t.Fatal(err)
	}
	for n, want := range [][]string{
		nil,
		{"FullAccess diegos@contoso.com", "SendAs caseteam@contoso.com", "SendAs jonis@contoso.com via caseteam@contoso.com"},
		{"FullAccess nestorw@contoso.com", "SendAs caseteam@contoso.com", "SendAs nestorw@contoso.com",
			"SendAs jonis@contoso.com via caseteam@contoso.com", "SendAs lidiah@contoso.com via caseteam@contoso.com"},
		{"SendAs caseteam@contoso.com", "SendAs lidiah@contoso.com via caseteam@contoso.com", "SendOnBehalf meganb@contoso.com"},
	} {
		h, err := f.s.MailboxAccessHistory(ctx, mbID, day(n))
		if err != nil {
			t.Fatal(err)
		}
		var got []string
		for _, r := range h.Rows {
			s := string(r.Right) + " " + r.Trustee
			if r.Via != "" {
				s += " via " + r.Via
			}
			got = append(got, s)
			if r.GrantedBy != "admin@contoso.com" || r.Since.After(day(n).Add(12*time.Hour)) {
				t.Errorf("day %d: %+v", n, r)
			}
		}
		if !slices.Equal(got, want) {
			t.Errorf("day %d: got\n%q\nwant\n%q", n, got, want)
		}
	}
}

// Mailboxes of one name are one group of the window's order (name, then id): a
// window that ends inside it, and the next, keep every mailbox once, in id order,
// each with its own details (the window reads its keys first, then the details of
// those mailboxes).
func TestMailboxAccessReportWindowsOfEqualNames(t *testing.T) {
	f := reportTenant(t)
	ctx := context.Background()
	var twins []uint
	for i := range 8 {
		alias := "twin" + strconv.Itoa(i)
		id, err := f.s.CreateSharedMailbox(ctx, f.admin, "Twin Room "+strconv.Itoa(i), alias, "contoso.com")
		if err != nil {
			t.Fatal(err)
		}
		// Display names are unique; the name they sort by is the same.
		if err := f.s.db.Exec(`UPDATE recipients SET sort_name = 'twin room' WHERE id = (SELECT recipient_id FROM mailboxes WHERE id = ?)`,
			id).Error; err != nil {
			t.Fatal(err)
		}
		twins = append(twins, id)
		if i%3 == 1 {
			continue // no grant: not in the report
		}
		if _, err := f.s.GrantPermissions(ctx, f.admin, GrantRequest{MailboxID: id, Right: RightSendAs,
			TrusteeIDs: []uint{f.recipient("diegos@contoso.com")}}); err != nil {
			t.Fatal(err)
		}
	}
	for _, window := range []int{1, 2, 3, 100} {
		q := AccessReportQuery{Mailbox: "twin", Size: 2, window: window}
		var got []string
		for pages := 0; ; pages++ {
			rep, err := f.s.MailboxAccessReport(ctx, q)
			if err != nil {
				t.Fatal(err)
			}
			for _, r := range rep.Rows {
				got = append(got, fmt.Sprintf("%d %s %s %s %d", r.MailboxID, r.MailboxName, r.MailboxAddress, r.MailboxType, r.OwnerUserID))
			}
			if rep.Next == "" || pages > 20 {
				break
			}
			q.After = rep.Next
		}
		var want []string
		for i, id := range twins {
			if i%3 != 1 {
				want = append(want, fmt.Sprintf("%d Twin Room %d twin%d@contoso.com shared 0", id, i, i))
			}
		}
		if !slices.Equal(got, want) {
			t.Errorf("window %d:\n got %q\nwant %q", window, got, want)
		}
	}
}
