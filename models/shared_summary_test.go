package models

import (
	"context"
	"testing"
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
