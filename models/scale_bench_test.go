package models

import (
	"context"
	"os"
	"testing"
)

// benchStore opens the database named by BENCH_DB (made by `admincenter seed`), or
// skips: these benchmarks measure queries at scale, not correctness.
func benchStore(b *testing.B) *Store {
	path := os.Getenv("BENCH_DB")
	if path == "" {
		b.Skip("set BENCH_DB to a database made by `admincenter seed`")
	}
	s, err := Open(context.Background(), path)
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { s.Close() })
	return s
}

func BenchmarkUsersFirstPage(b *testing.B) {
	s := benchStore(b)
	for b.Loop() {
		if _, err := s.Users(context.Background(), UserQuery{Page: Page{Size: 25}}); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkUsersSearch(b *testing.B) {
	s := benchStore(b)
	for b.Loop() {
		if _, err := s.Users(context.Background(), UserQuery{Search: "wil", Page: Page{Size: 25}}); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkSharedMailboxes(b *testing.B) {
	s := benchStore(b)
	for b.Loop() {
		if _, err := s.SharedMailboxes(context.Background(), SharedMailboxQuery{Page: Page{Size: 25}}); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkLicenses(b *testing.B) {
	s := benchStore(b)
	for b.Loop() {
		if _, err := s.Licenses(context.Background()); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkOrganization(b *testing.B) {
	s := benchStore(b)
	for b.Loop() {
		if _, err := s.Organization(context.Background()); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkMailboxAccessBusiest(b *testing.B) {
	s := benchStore(b)
	var mailbox uint
	s.db.Raw("SELECT mailbox_id FROM mailbox_permissions GROUP BY mailbox_id ORDER BY COUNT(*) DESC LIMIT 1").Scan(&mailbox)
	for b.Loop() {
		if _, err := s.MailboxAccess(context.Background(), mailbox); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkAccessibleMailboxesMostGrouped(b *testing.B) {
	s := benchStore(b)
	var member uint
	s.db.Raw("SELECT member_id FROM group_members GROUP BY member_id ORDER BY COUNT(*) DESC LIMIT 1").Scan(&member)
	for b.Loop() {
		if _, err := s.AccessibleMailboxes(context.Background(), member); err != nil {
			b.Fatal(err)
		}
	}
}
