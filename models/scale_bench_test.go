package models

import (
	"context"
	"os"
	"runtime"
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

// Searches for common prefixes, a page of 50: the page is full and more follow, so
// the matches are not counted (PageInfo.Uncounted).
func BenchmarkUsersSearchOneLetter(b *testing.B) {
	s := benchStore(b)
	for b.Loop() {
		if _, err := s.Users(context.Background(), UserQuery{Search: "a", Page: Page{Size: 50}}); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkSharedSearch(b *testing.B) {
	s := benchStore(b)
	for b.Loop() {
		if _, err := s.SharedMailboxes(context.Background(), SharedMailboxQuery{Search: "in", Page: Page{Size: 50}}); err != nil {
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

// BenchmarkExportEveryone streams every person, as Export with nothing selected
// does, and reports how many it wrote and the most heap in use while it ran: the
// export holds a batch of people at a time, not the list.
func BenchmarkExportEveryone(b *testing.B) {
	s := benchStore(b)
	runtime.GC()
	var start, peak runtime.MemStats
	runtime.ReadMemStats(&start)
	people := 0
	for b.Loop() {
		people = 0
		if err := s.EachUser(context.Background(), UserQuery{}, func(UserRow) error {
			if people++; people%exportBatch == 0 {
				var m runtime.MemStats
				runtime.ReadMemStats(&m)
				if m.HeapInuse > peak.HeapInuse {
					peak = m
				}
			}
			return nil
		}); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(people), "people/op")
	b.ReportMetric(float64(peak.HeapInuse-min(peak.HeapInuse, start.HeapInuse))/(1<<20), "peak-heap-growth-MB")
}
