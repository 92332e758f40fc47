package models

import (
	"context"
	"fmt"
	"testing"
	"time"
)

// TestSharedMemberCountsAgree: the list counts members as the pane lists them
// (people with Read and manage and Send as, given directly), so a Read and manage
// grant alone, or one to a group, is not counted as a member in one place only.
func TestSharedMemberCountsAgree(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	ctx := context.Background()
	if _, err := f.grant("info@contoso.com", RightFullAccess, "alexw@contoso.com", "marketingsg@contoso.com"); err != nil {
		t.Fatal(err)
	}
	if _, err := f.grant("info@contoso.com", RightSendAs, "marketingsg@contoso.com"); err != nil {
		t.Fatal(err)
	}
	info := f.mailbox("info@contoso.com")
	d, err := f.s.SharedMailboxDetail(ctx, info.ID)
	if err != nil {
		t.Fatal(err)
	}
	list, err := f.s.SharedMailboxes(ctx, SharedMailboxQuery{Search: "info"})
	if err != nil || len(list.Rows) != 1 {
		t.Fatalf("list: %v %+v", err, list)
	}
	if list.Rows[0].Members != len(d.Members) {
		t.Errorf("the list counts %d members, the pane lists %d", list.Rows[0].Members, len(d.Members))
	}
	// The pane's summary counts people and groups apart.
	if got := d.Rights[RightFullAccess]; got.People != len(d.Members)+1 || got.Groups != 1 {
		t.Errorf("Read and manage: %+v", got)
	}
	if got := d.Rights[RightSendAs]; got.Groups != 1 {
		t.Errorf("Send as: %+v", got)
	}
}

// TestSharedListRowsMatchPanes: each row of the Shared mailboxes list, read in one
// query with its address and member count, shows the name, primary address and
// members its pane shows, in name order, on either database: a person with both
// rights counts, one with Read and manage alone or a group does not, a removal
// still propagating still counts and one that took effect does not.
func TestSharedListRowsMatchPanes(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	ctx := context.Background()
	if _, err := f.s.CreateSharedMailbox(ctx, f.admin, "Zeta Desk", "zeta", "contoso.com"); err != nil {
		t.Fatal(err)
	}
	for _, g := range []struct {
		mailbox string
		right   Right
		who     []string
	}{
		{"info@contoso.com", RightFullAccess, []string{"alexw@contoso.com", "diegos@contoso.com", "marketingsg@contoso.com", "gradya@contoso.com", "isaiahl@contoso.com"}},
		{"info@contoso.com", RightSendAs, []string{"alexw@contoso.com", "marketingsg@contoso.com", "gradya@contoso.com", "isaiahl@contoso.com"}},
		{"zeta@contoso.com", RightFullAccess, []string{"jonis@contoso.com"}},
		{"zeta@contoso.com", RightSendAs, []string{"jonis@contoso.com", "diegos@contoso.com"}},
	} {
		if _, err := f.grant(g.mailbox, g.right, g.who...); err != nil {
			t.Fatal(err)
		}
	}
	info := f.mailbox("info@contoso.com").ID
	revoke := func(who string, right Right, at time.Time) {
		if err := f.s.db.Model(&MailboxPermission{}).Where("mailbox_id = ? AND trustee_id = ? AND access_right = ?", info, f.recipient(who), right).
			Update("revoke_effective_at", at).Error; err != nil {
			t.Fatal(err)
		}
	}
	revoke("gradya@contoso.com", RightFullAccess, f.s.Now().Add(time.Hour)) // still propagating
	revoke("isaiahl@contoso.com", RightSendAs, f.s.Now().Add(-time.Hour))   // took effect
	info3, reception0, zeta1 := "Info info@contoso.com 3", "Reception reception@contoso.com 0", "Zeta Desk zeta@contoso.com 1"
	for q, want := range map[string][]string{"": {info3, reception0, zeta1}, "d": {zeta1}, "zeta": {zeta1}, "info@": {info3}, "r": {reception0}} {
		list, err := f.s.SharedMailboxes(ctx, SharedMailboxQuery{Search: q})
		if err != nil {
			t.Fatal(err)
		}
		var got []string
		for _, r := range list.Rows {
			d, err := f.s.SharedMailboxDetail(ctx, r.ID)
			if err != nil {
				t.Fatal(err)
			}
			if r.Members != len(d.Members) {
				t.Errorf("%q: %s: the list counts %d members, the pane lists %d", q, r.DisplayName, r.Members, len(d.Members))
			}
			got = append(got, fmt.Sprintf("%s %s %d", r.DisplayName, r.Address, r.Members))
		}
		if fmt.Sprint(got) != fmt.Sprint(want) {
			t.Errorf("%q: rows %q, want %q", q, got, want)
		}
	}
}
