package models

import (
	"context"
	"fmt"
	"testing"
	"time"
)

// A list larger than SQLite's limit on query variables (32,766) is traced and
// offered as a forwarding target: the mail graph and the trace read names without
// one variable per member.
func TestTracingAVeryLargeList(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	ctx := context.Background()
	big := f.newGroup(GroupDistribution, "Everyone outside", "everyoneoutside", []string{"meganb@contoso.com"})
	const n = 33_000
	var next uint
	if err := f.s.db.Raw("SELECT MAX(id) FROM recipients").Scan(&next).Error; err != nil {
		t.Fatal(err)
	}
	now := time.Now().UTC()
	var recipients, members [][]any
	for i := 0; i < n; i++ {
		next++
		name := fmt.Sprintf("Outside %05d", i)
		recipients = append(recipients, []any{next, KindContact, name, sortName(name), now})
		members = append(members, []any{big, next})
	}
	if err := bulk(f.s.db, "recipients", []string{"id", "kind", "display_name", "sort_name", "created_at"}, recipients); err != nil {
		t.Fatal(err)
	}
	if err := bulk(f.s.db, "group_members", []string{"group_id", "member_id"}, members); err != nil {
		t.Fatal(err)
	}
	tr, err := f.s.TraceDelivery(ctx, "everyoneoutside@contoso.com")
	if err != nil {
		t.Fatal(err)
	}
	if len(tr.Steps) != n+1 || tr.Steps[1].Kind != DeliverContact || tr.Steps[1].Name != "Outside 00000" {
		t.Fatalf("%d steps, second %+v", len(tr.Steps), tr.Steps[1])
	}
	target, err := f.s.ForwardTarget(ctx, "everyoneoutside@contoso.com")
	if err != nil || len(target.Stopped()) != n {
		t.Fatalf("forward target: %v", err)
	}
}
