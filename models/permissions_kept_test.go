package models

import (
	"context"
	"testing"
	"time"
)

// Who holds a mailbox's rights is kept while the report generation stays and none
// of its grants changes by time; another instance's change to a membership or a
// grant shows on the next read.
func TestMailboxHoldersKeptUntilTheyChange(t *testing.T) {
	t.Parallel()
	f := reportTenant(t)
	ctx := context.Background()
	s := f.s
	now := time.Now().UTC()
	s.Now = func() time.Time { return now }
	room := *f.mailbox("auditroom@contoso.com")
	holders := func(r Right) []Holder {
		t.Helper()
		acc, err := s.MailboxAccessOf(ctx, room)
		if err != nil {
			t.Fatal(err)
		}
		if acc.Mailbox.ID != room.ID || !acc.Now.Equal(now) {
			t.Fatalf("the access is of mailbox %d at %v, want %d at %v", acc.Mailbox.ID, acc.Now, room.ID, now)
		}
		return acc.Holders[r]
	}
	sendAs := holders(RightSendAs)
	if len(sendAs) != 2 {
		t.Fatalf("Audit Room has %d Send as holders, want Diego and Pradeep", len(sendAs))
	}
	mark := func() {
		t.Helper()
		s.keptHolders.mu.Lock()
		defer s.keptHolders.mu.Unlock()
		k, ok := s.keptHolders.kept[room.ID]
		if !ok || len(k.page.holders[RightSendAs]) == 0 {
			t.Fatal("Audit Room's holders were not kept")
		}
		k.page.holders[RightSendAs][0].DisplayName = "kept"
	}
	mark()
	sendAs = holders(RightSendAs)
	if sendAs[0].DisplayName != "kept" {
		t.Fatalf("at the same generation the holders were read again: %q", sendAs[0].DisplayName)
	}
	sendAs[0].DisplayName = "changed by a caller"
	if h := holders(RightSendAs); h[0].DisplayName != "kept" {
		t.Fatalf("a caller's change reached the kept holders: %q", h[0].DisplayName)
	}
	// Another instance takes Lidia out of Outer SG: she no longer holds Full Access.
	full := len(holders(RightFullAccess))
	if err := s.db.Exec(`DELETE FROM group_members WHERE group_id = ? AND member_id = ?`, f.group("Outer SG"), f.recipient("lidiah@contoso.com")).Error; err != nil {
		t.Fatal(err)
	}
	if h := holders(RightFullAccess); len(h) != full-1 {
		t.Fatalf("after another instance's change Audit Room has %d Full Access holders, want %d", len(h), full-1)
	}
	// Isaiah's Full Access is pending for an hour (reportTenant): the kept holders
	// are read again once it takes effect.
	mark()
	now = now.Add(30 * time.Minute)
	if h := holders(RightSendAs); h[0].DisplayName != "kept" {
		t.Fatal("half an hour on, the kept holders should still be served")
	}
	now = now.Add(31 * time.Minute)
	if h := holders(RightSendAs); h[0].DisplayName == "kept" {
		t.Fatal("an hour on, Isaiah's Full Access took effect: the holders should be read again")
	}
}
