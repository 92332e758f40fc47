package models

import (
	"context"
	"testing"
)

// BenchmarkResetDemo measures putting the demo tenant back (POST /api/test/reset
// spends its time here), after a change each time.
func BenchmarkResetDemo(b *testing.B) {
	ctx := context.Background()
	s, err := Open(ctx, b.TempDir()+"/bench.db", fastHashing)
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { s.Close() })
	if err := s.SeedDemo(ctx, testPassword); err != nil {
		b.Fatal(err)
	}
	admin, err := s.Authenticate(ctx, "admin@contoso.com", testPassword)
	if err != nil {
		b.Fatal(err)
	}
	for b.Loop() {
		b.StopTimer()
		if _, err := s.CreateSharedMailbox(ctx, admin, "Reset me", "resetme", "contoso.com"); err != nil {
			b.Fatal(err)
		}
		b.StartTimer()
		if err := s.ResetDemo(ctx, false); err != nil {
			b.Fatal(err)
		}
	}
}
