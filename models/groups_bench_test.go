package models

import (
	"context"
	"testing"
)

// Active teams & groups, Contacts and the group queries at scale (BENCH_DB).

func BenchmarkGroupsFirstPage(b *testing.B) {
	s := benchStore(b)
	for b.Loop() {
		if _, err := s.Groups(context.Background(), GroupQuery{Type: GroupMailSecurity, Page: Page{Size: 25}}); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkGroupsDeepPage(b *testing.B) {
	s := benchStore(b)
	ctx := context.Background()
	list, err := s.Groups(ctx, GroupQuery{Type: GroupMailSecurity, Page: Page{Size: 100}})
	if err != nil {
		b.Fatal(err)
	}
	for range 5 {
		if list.Next == "" {
			break
		}
		if list, err = s.Groups(ctx, GroupQuery{Type: GroupMailSecurity, Page: Page{Size: 100, After: list.Next}}); err != nil {
			b.Fatal(err)
		}
	}
	after := list.Next
	for b.Loop() {
		if _, err := s.Groups(ctx, GroupQuery{Type: GroupMailSecurity, Page: Page{Size: 25, After: after}}); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkGroupsSearch(b *testing.B) {
	s := benchStore(b)
	for b.Loop() {
		if _, err := s.Groups(context.Background(), GroupQuery{Type: GroupDistribution, Search: "sales", Page: Page{Size: 25}}); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkContactsFirstPage(b *testing.B) {
	s := benchStore(b)
	for b.Loop() {
		if _, err := s.MailContacts(context.Background(), MailContactQuery{Page: Page{Size: 25}}); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkContactsSearch(b *testing.B) {
	s := benchStore(b)
	for b.Loop() {
		if _, err := s.MailContacts(context.Background(), MailContactQuery{Search: "wil", Page: Page{Size: 25}}); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkGroupDetailLargest(b *testing.B) {
	s := benchStore(b)
	var group uint
	s.db.Raw("SELECT group_id FROM group_members GROUP BY group_id ORDER BY COUNT(*) DESC LIMIT 1").Scan(&group)
	for b.Loop() {
		if _, err := s.GroupDetail(context.Background(), group); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkGroupsOfMostGrouped(b *testing.B) {
	s := benchStore(b)
	var member uint
	s.db.Raw("SELECT member_id FROM group_members GROUP BY member_id ORDER BY COUNT(*) DESC LIMIT 1").Scan(&member)
	for b.Loop() {
		if _, err := s.GroupsOf(context.Background(), member); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkGroupMemberCandidates(b *testing.B) {
	s := benchStore(b)
	var group uint
	s.db.Raw("SELECT id FROM groups WHERE type = ? ORDER BY id LIMIT 1", GroupDistribution).Scan(&group)
	for b.Loop() {
		if _, err := s.GroupMemberCandidates(context.Background(), group, "an"); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkForwardTargetList(b *testing.B) {
	s := benchStore(b)
	var addr string
	s.db.Raw(`SELECT e.address FROM email_addresses e JOIN groups g ON g.recipient_id = e.recipient_id
		WHERE g.type = ? AND e.is_primary ORDER BY g.id LIMIT 1`, GroupDistribution).Scan(&addr)
	for b.Loop() {
		if _, err := s.ForwardTarget(context.Background(), addr); err != nil {
			b.Fatal(err)
		}
	}
}
