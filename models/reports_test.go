package models

import (
	"bytes"
	"context"
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"gorm.io/gorm"
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

// TestMailboxAccessExportMatchesOneQuery checks the windowed export, whose holder
// details come from a bounded cache, against the report's single query over the
// whole tenant (the export as it was): the same rows, every field, in the same order,
// with nested groups, blocked and deleted holders, pending grants and pending
// removals, for every filter that the cache takes part in.
func TestMailboxAccessExportMatchesOneQuery(t *testing.T) {
	f := reportTenant(t)
	ctx := context.Background()
	for i := range 6 {
		name := "Room " + string(rune('A'+i))
		id, err := f.s.CreateSharedMailbox(ctx, f.admin, name, "room"+strings.ToLower(string(rune('a'+i))), "contoso.com")
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
		query, args := f.s.accessReportQuery(AccessReportQuery{Right: q.Right, MailboxType: q.MailboxType, Mailbox: q.Mailbox,
			Holder: q.Holder, Held: q.Held, Stale: q.Stale, Sort: SortByMailbox}, true)
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
		// holder table.
		for _, small := range []AccessReportQuery{{window: 2, holders: 3, groups: 4, table: -1}, {window: 2, table: 100}, {}} {
			wq := q
			wq.window, wq.holders, wq.groups, wq.table = small.window, small.holders, small.groups, small.table
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
// by id) or sparse (a search), and knows no other.
func TestHolderTableLookups(t *testing.T) {
	for _, ids := range [][]uint32{{1, 2, 3, 5}, {7, 40_000, 1 << 31, 1<<32 - 2}} {
		tab := &holderTable{}
		if ids[3] < 100 {
			tab.byID = make([]uint32, ids[3]+1)
		}
		for i, id := range ids {
			name := []byte(fmt.Sprintf("Name %d", id))
			if !tab.add(id, holderKinds[i%len(holderKinds)], i%2 == 0, i == 3, uint(i)*1000, name, bytes.ToLower(name), []byte("a@b.c"), []byte("shared")) {
				t.Fatalf("add %d", id)
			}
		}
		if tab.add(ids[0], KindUser, false, false, 0, nil, nil, nil, nil) {
			t.Fatal("an id out of order, or twice, was added")
		}
		if tab.byID != nil && (tab.add(ids[3]+1, KindUser, false, false, 0, nil, nil, nil, nil) || len(tab.ids) != 0) {
			t.Fatal("an id past the array was added, or the array was not used")
		}
		for i, id := range ids {
			h, ok := tab.get(uint(id))
			want := holderDetails{name: fmt.Sprintf("Name %d", id), sort: fmt.Sprintf("name %d", id), kind: holderKinds[i%len(holderKinds)],
				address: "a@b.c", blocked: i%2 == 0, deleted: i == 3, user: uint(i) * 1000, mailboxType: MailboxShared}
			if !ok || h != want {
				t.Errorf("get %d = %+v, %v; want %+v", id, h, ok, want)
			}
		}
		for _, id := range []uint{0, 4, 6, 8, 1 << 33} {
			if h, ok := tab.get(id); ok {
				t.Errorf("get %d found %+v", id, h)
			}
		}
	}
}

// Recipients made after an export read its holder table (a mailbox with grants,
// a group holding a right) are in the export all the same, as they are in the one
// query that reads the report after them.
func TestMailboxAccessExportAfterHolderTable(t *testing.T) {
	f := reportTenant(t)
	ctx := context.Background()
	afterHolderTable = func() {
		afterHolderTable = nil
		if _, err := f.s.CreateSharedMailbox(ctx, f.admin, "Late Room", "lateroom", "contoso.com"); err != nil {
			t.Fatal(err)
		}
		f.newGroup(GroupMailSecurity, "Late SG", "latesg", []string{"meganb@contoso.com"}, "jonis@contoso.com", "lidiah@contoso.com")
		for _, mb := range []string{"lateroom@contoso.com", "auditroom@contoso.com"} {
			if _, err := f.grant(mb, RightFullAccess, "latesg@contoso.com", "diegos@contoso.com"); err != nil {
				t.Fatal(err)
			}
		}
	}
	t.Cleanup(func() { afterHolderTable = nil })
	var got []string
	line := func(r AccessReportRow) string {
		return fmt.Sprintf("%s|%s|%s|%s|%s|%s|%s|%s", r.MailboxName, r.MailboxAddress, r.MailboxType, r.Right, r.HolderName,
			r.HolderAddress, r.HolderKind, r.ViaName)
	}
	if err := f.s.EachMailboxAccess(ctx, AccessReportQuery{window: 2}, func(r AccessReportRow) error {
		got = append(got, line(r))
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	query, args := f.s.accessReportQuery(AccessReportQuery{Sort: SortByMailbox}, true)
	rows, err := readAccessRows(f.s.db.WithContext(ctx), query, args)
	if err != nil {
		t.Fatal(err)
	}
	var want []string
	for _, r := range rows {
		want = append(want, line(r))
	}
	if !slices.ContainsFunc(want, func(s string) bool { return strings.HasPrefix(s, "Late Room|") }) ||
		!slices.ContainsFunc(want, func(s string) bool { return strings.HasSuffix(s, "|Late SG") }) || !slices.Equal(got, want) {
		t.Errorf("export after the table changed:\ngot  %q\nwant %q", got, want)
	}
}
