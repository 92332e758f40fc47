package models

import (
	"context"
	"errors"
	"slices"
	"testing"
)

func TestCreateSharedMailboxWithDelegates(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	ctx := context.Background()
	alex, megan := f.recipient("alexw@contoso.com"), f.recipient("meganb@contoso.com")

	t.Run("a refused delegate in the middle leaves nothing", func(t *testing.T) {
		f := f.on(t)
		before := f.fingerprint()
		ben := f.recipient("ben.smith@fabrikam.com") // a contact sorts between them by id
		_, err := f.s.CreateSharedMailboxWithDelegates(ctx, f.admin, "Sales Department", "sales", "contoso.com", []uint{alex, ben, megan})
		if fieldKey(err, "trustee") != "perm.error.contact" {
			t.Fatalf("contact delegate: %v", err)
		}
		g, err := f.s.GroupDetail(ctx, f.group("All Staff Security"))
		if err != nil {
			t.Fatal(err)
		}
		staff := g.RecipientID
		_, err = f.s.CreateSharedMailboxWithDelegates(ctx, f.admin, "Sales Department", "sales", "contoso.com", []uint{alex, staff})
		if err == nil {
			t.Fatal("a security group that is not mail-enabled was given Full Access")
		}
		if got := f.fingerprint(); got != before {
			t.Fatal("a refused create left rows behind")
		}
		if _, err := f.s.RecipientByAddress(ctx, "sales@contoso.com"); !errors.Is(err, ErrNotFound) {
			t.Fatalf("the address was taken by a refused create: %v", err)
		}
	})
	t.Run("roles: a reader creates nothing, a helpdesk admin neither", func(t *testing.T) {
		f := f.on(t)
		for _, r := range []Role{RoleGlobalReader, RoleHelpdeskAdmin, RoleUserAdmin} {
			if _, err := f.s.CreateSharedMailboxWithDelegates(ctx, as(r), "X", "x", "contoso.com", []uint{alex}); !errors.Is(err, ErrForbidden) {
				t.Fatalf("%s: %v", r, err)
			}
		}
	})
	t.Run("the mailbox and both rights for each delegate", func(t *testing.T) {
		f := f.on(t)
		id, err := f.s.CreateSharedMailboxWithDelegates(ctx, f.admin, "Sales Department", "sales", "contoso.com", []uint{megan, alex, alex})
		if err != nil {
			t.Fatal(err)
		}
		d, err := f.s.SharedMailboxDetail(ctx, id)
		if err != nil || d.Address != "sales@contoso.com" {
			t.Fatalf("detail = %+v %v", d, err)
		}
		if len(d.Members) != 2 || d.Members[0].DisplayName != "Alex Wilber" || !d.Members[0].AutoMapping {
			t.Fatalf("members = %+v", d.Members)
		}
		if got := f.holders("sales@contoso.com", RightSendAs); !slices.Equal(got, []string{"Alex Wilber", "Megan Bowen"}) {
			t.Fatalf("send as = %v", got)
		}
		if got := f.holders("sales@contoso.com", RightSendOnBehalf); len(got) != 0 {
			t.Fatalf("send on behalf = %v", got)
		}
		var n int64
		f.s.db.Model(&AuditEvent{}).Where("action = ? AND target_id = ?", "mailbox_permission.add", d.RecipientID).Count(&n)
		if n != 4 {
			t.Fatalf("audit entries for the grants = %d", n)
		}
	})
	t.Run("missing name and address are field errors", func(t *testing.T) {
		f := f.on(t)
		_, err := f.s.CreateSharedMailboxWithDelegates(ctx, f.admin, " ", "", "contoso.com", []uint{alex})
		if fieldKey(err, "name") != "shared.error.name_required" {
			t.Fatalf("no name: %v", err)
		}
		_, err = f.s.CreateSharedMailboxWithDelegates(ctx, f.admin, "Info again", "info", "contoso.com", []uint{alex})
		if fieldKey(err, "alias") != "addr.error.taken" {
			t.Fatalf("taken: %v", err)
		}
	})
}

func TestApplyMailboxDelegation(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	ctx := context.Background()
	info := f.mailbox("info@contoso.com").ID
	adele, alex, megan := f.recipient("adelev@contoso.com"), f.recipient("alexw@contoso.com"), f.recipient("meganb@contoso.com")

	t.Run("a refused grant after a removal leaves the removal undone", func(t *testing.T) {
		f := f.on(t)
		before := f.fingerprint()
		_, err := f.s.ApplyMailboxDelegation(ctx, f.admin, info, DelegationChange{
			Remove: map[Right][]uint{RightFullAccess: {adele}},
			Add:    map[Right][]uint{RightFullAccess: {alex}, RightSendAs: {f.recipient("yara@tailspintoys.com")}},
		})
		if fieldKey(err, "trustee") != "perm.error.contact" {
			t.Fatalf("contact: %v", err)
		}
		if f.fingerprint() != before {
			t.Fatal("a refused save changed the mailbox")
		}
	})
	t.Run("adds and removes are saved together", func(t *testing.T) {
		f := f.on(t)
		n, err := f.s.ApplyMailboxDelegation(ctx, f.admin, info, DelegationChange{
			Remove: map[Right][]uint{RightFullAccess: {adele}, RightSendAs: {adele}},
			Add:    map[Right][]uint{RightFullAccess: {alex, megan}, RightSendAs: {alex}},
		})
		if err != nil || n != 5 {
			t.Fatalf("apply = %d %v", n, err)
		}
		if got := f.holders("info@contoso.com", RightFullAccess); !slices.Equal(got, []string{"Alex Wilber", "Megan Bowen"}) {
			t.Fatalf("full access = %v", got)
		}
		if got := f.holders("info@contoso.com", RightSendAs); !slices.Equal(got, []string{"Alex Wilber"}) {
			t.Fatalf("send as = %v", got)
		}
	})
	t.Run("a person added and removed in one save cancels out; nothing staged is refused", func(t *testing.T) {
		f := f.on(t)
		_, err := f.s.ApplyMailboxDelegation(ctx, f.admin, info, DelegationChange{
			Add: map[Right][]uint{RightSendAs: {megan}}, Remove: map[Right][]uint{RightSendAs: {megan}}})
		if fieldKey(err, "trustee") != "eac.error.no_changes" {
			t.Fatalf("empty: %v", err)
		}
	})
	t.Run("send on behalf on a person's mailbox; readers refused", func(t *testing.T) {
		f := f.on(t)
		nestor := f.mailbox("nestorw@contoso.com").ID
		if _, err := f.s.ApplyMailboxDelegation(ctx, f.admin, nestor, DelegationChange{Add: map[Right][]uint{RightSendOnBehalf: {f.recipient("salesteam@contoso.com")}}}); err != nil {
			t.Fatalf("a distribution list gets send on behalf: %v", err)
		}
		if _, err := f.s.ApplyMailboxDelegation(ctx, as(RoleGlobalReader), nestor, DelegationChange{Add: map[Right][]uint{RightSendAs: {alex}}}); !errors.Is(err, ErrForbidden) {
			t.Fatalf("reader: %v", err)
		}
		if _, err := f.s.ApplyMailboxDelegation(ctx, f.admin, nestor, DelegationChange{Add: map[Right][]uint{"Owner": {alex}}}); fieldKey(err, "right") != "perm.error.right" {
			t.Fatalf("unknown right: %v", err)
		}
	})
}

func TestBulkMailboxDelegation(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	ctx := context.Background()
	boxes := []uint{f.mailbox("info@contoso.com").ID, f.mailbox("nestorw@contoso.com").ID, f.mailbox("johannal@contoso.com").ID}
	alex, megan := f.recipient("alexw@contoso.com"), f.recipient("meganb@contoso.com")

	t.Run("refused on one mailbox, nothing on any", func(t *testing.T) {
		f := f.on(t)
		before := f.fingerprint()
		// Alex owns his own mailbox: he can't be given rights on it, so the third refuses all.
		_, err := f.s.BulkMailboxDelegation(ctx, f.admin, append(slices.Clone(boxes), f.mailbox("alexw@contoso.com").ID),
			DelegationChange{Add: map[Right][]uint{RightFullAccess: {alex}}})
		if fieldKey(err, "trustee") != "perm.error.owner" || fieldKey(err, "mailbox") != "eac.error.bulk_refused" {
			t.Fatalf("owner: %v", err)
		}
		if f.fingerprint() != before {
			t.Fatal("a refused bulk change left grants behind")
		}
		if _, err := f.s.BulkMailboxDelegation(ctx, f.admin, []uint{boxes[0], 999999}, DelegationChange{Add: map[Right][]uint{RightSendAs: {megan}}}); !errors.Is(err, ErrNotFound) {
			t.Fatalf("gone mailbox: %v", err)
		}
		if f.fingerprint() != before {
			t.Fatal("a bulk change with a missing mailbox left grants behind")
		}
	})
	t.Run("add to three, then remove from three", func(t *testing.T) {
		f := f.on(t)
		n, err := f.s.BulkMailboxDelegation(ctx, f.admin, boxes, DelegationChange{Add: map[Right][]uint{RightFullAccess: {alex, megan}}})
		if err != nil || n != 6 {
			t.Fatalf("bulk add = %d %v", n, err)
		}
		for _, a := range []string{"info@contoso.com", "nestorw@contoso.com", "johannal@contoso.com"} {
			if got := f.holders(a, RightFullAccess); !slices.Contains(got, "Alex Wilber") || !slices.Contains(got, "Megan Bowen") {
				t.Fatalf("%s full access = %v", a, got)
			}
		}
		if _, err := f.s.BulkMailboxDelegation(ctx, f.admin, boxes, DelegationChange{Remove: map[Right][]uint{RightFullAccess: {alex}}}); err != nil {
			t.Fatal(err)
		}
		for _, a := range []string{"info@contoso.com", "nestorw@contoso.com", "johannal@contoso.com"} {
			if got := f.holders(a, RightFullAccess); slices.Contains(got, "Alex Wilber") || !slices.Contains(got, "Megan Bowen") {
				t.Fatalf("%s full access after remove = %v", a, got)
			}
		}
	})
	t.Run("empty requests and roles", func(t *testing.T) {
		f := f.on(t)
		if _, err := f.s.BulkMailboxDelegation(ctx, f.admin, nil, DelegationChange{Add: map[Right][]uint{RightSendAs: {alex}}}); fieldKey(err, "mailbox") != "eac.error.no_mailboxes" {
			t.Fatalf("no mailboxes: %v", err)
		}
		if _, err := f.s.BulkMailboxDelegation(ctx, f.admin, boxes, DelegationChange{}); fieldKey(err, "trustee") != "perm.error.none_selected" {
			t.Fatalf("no one: %v", err)
		}
		if _, err := f.s.BulkMailboxDelegation(ctx, as(RoleHelpdeskAdmin), boxes, DelegationChange{Add: map[Right][]uint{RightSendAs: {alex}}}); !errors.Is(err, ErrForbidden) {
			t.Fatalf("helpdesk: %v", err)
		}
	})
}

func TestRecipientMailboxes(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	ctx := context.Background()
	all, err := f.s.RecipientMailboxes(ctx, MailboxListQuery{Page: Page{Size: 100}})
	if err != nil {
		t.Fatal(err)
	}
	var shared, users int
	for _, r := range all.Rows {
		if r.Type == MailboxShared {
			shared++
		} else if r.UserID != 0 {
			users++
		}
	}
	if shared != 2 || users < 10 || all.Total != len(all.Rows) {
		t.Fatalf("mailboxes: %d shared, %d users, total %d of %d", shared, users, all.Total, len(all.Rows))
	}
	// Paging forward and back in both directions gives the same rows.
	first, err := f.s.RecipientMailboxes(ctx, MailboxListQuery{Page: Page{Size: 10}})
	if err != nil || first.Next == "" || first.Rows[0].ID != all.Rows[0].ID {
		t.Fatalf("first page: %+v %v", first, err)
	}
	second, _ := f.s.RecipientMailboxes(ctx, MailboxListQuery{Page: Page{Size: 10, After: first.Next}})
	if second.First != 11 || second.Rows[0].ID != all.Rows[10].ID {
		t.Fatalf("second page starts at %d with %+v", second.First, second.Rows[0])
	}
	back, _ := f.s.RecipientMailboxes(ctx, MailboxListQuery{Page: Page{Size: 10, Before: second.Prev}})
	if back.Rows[0].ID != all.Rows[0].ID {
		t.Fatal("back to the first page")
	}
	desc, _ := f.s.RecipientMailboxes(ctx, MailboxListQuery{Page: Page{Size: 10, Desc: true}})
	if desc.Rows[0].ID != all.Rows[len(all.Rows)-1].ID {
		t.Fatalf("descending starts with %s", desc.Rows[0].DisplayName)
	}
	// A deleted person's mailbox leaves the list and its count.
	if err := f.s.DeleteUser(ctx, f.admin, f.user("gradya@contoso.com")); err != nil {
		t.Fatal(err)
	}
	after, _ := f.s.RecipientMailboxes(ctx, MailboxListQuery{Page: Page{Size: 100}})
	if after.Total != all.Total-1 || len(after.Rows) != after.Total || slices.ContainsFunc(after.Rows, func(r MailboxListRow) bool { return r.DisplayName == "Grady Archie" }) {
		t.Fatalf("after deleting Grady: total %d of %d rows", after.Total, len(after.Rows))
	}
	found, _ := f.s.RecipientMailboxes(ctx, MailboxListQuery{Search: "info", Page: Page{Size: 10}})
	if len(found.Rows) != 1 || found.Rows[0].Type != MailboxShared {
		t.Fatalf("search = %+v", found.Rows)
	}
}
