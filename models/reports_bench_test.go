package models

import (
	"context"
	"runtime"
	"testing"
)

// Benchmarks of the reports on a seeded tenant (BENCH_DB): a page, filtered pages,
// the whole Mailbox access export (rows/s, and the heap it needed) and the
// Forwarding report.

func BenchmarkAccessReportFirstPage(b *testing.B) {
	s := benchStore(b)
	for b.Loop() {
		if _, err := s.MailboxAccessReport(context.Background(), AccessReportQuery{Size: 50}); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkAccessReportOneMailbox(b *testing.B) {
	s := benchStore(b)
	for b.Loop() {
		if _, err := s.MailboxAccessReport(context.Background(), AccessReportQuery{Mailbox: "info", Size: 50}); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkAccessReportStaleThroughGroups(b *testing.B) {
	s := benchStore(b)
	for b.Loop() {
		if _, err := s.MailboxAccessReport(context.Background(), AccessReportQuery{Held: HeldViaGroup, Stale: true, Size: 50}); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkAccessReportExport(b *testing.B) {
	s := benchStore(b)
	var rows int
	var peak uint64
	for b.Loop() {
		rows = 0
		err := s.EachMailboxAccess(context.Background(), AccessReportQuery{}, func(AccessReportRow) error {
			rows++
			if rows%50000 == 0 {
				var m runtime.MemStats
				runtime.ReadMemStats(&m)
				peak = max(peak, m.HeapInuse)
			}
			return nil
		})
		if err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(rows), "rows")
	b.ReportMetric(float64(peak)/(1<<20), "heapMB")
}

func BenchmarkForwardingReport(b *testing.B) {
	s := benchStore(b)
	for b.Loop() {
		if _, err := s.MailboxForwardingReport(context.Background(), ForwardingReportQuery{Size: 50}); err != nil {
			b.Fatal(err)
		}
	}
}
