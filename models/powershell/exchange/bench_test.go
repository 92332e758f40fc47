package exchange

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"testing"

	"golang.org/x/crypto/bcrypt"

	"github.com/contoso/admincenter/models"
	"github.com/contoso/admincenter/models/powershell"
)

// The benchmarks run cmdlets through the engine on a generated tenant and print
// cmdlets per second; they assert nothing about speed. With BENCH_DB, a SQLite
// database made by `admincenter seed`, they work on a copy of it:
//
//	ADMINCENTER_ADMIN_PASSWORD=Bench-Pass-2026 go run ./cmd/admincenter seed --db /tmp/bench.db
//	BENCH_DB=/tmp/bench.db go test -run '^$' -bench . ./models/powershell/exchange/
//
// Without it they seed a smaller tenant (benchScale) in a temporary database.

// benchScale is the tenant seeded when BENCH_DB is not set: more than the 1000
// mailboxes Get-Mailbox returns by default.
var benchScale = models.ScaleOptions{Users: 5000, Shared: 200, Groups: 100, Grants: 10000, Seed: 1}

// benchTenant opens a copy of BENCH_DB, or a freshly seeded tenant, with an engine,
// acting as its Global administrator.
func benchTenant(b *testing.B) (*models.Store, *powershell.Engine, *models.Admin) {
	b.Helper()
	ctx := context.Background()
	src := os.Getenv("BENCH_DB")
	if models.IsPostgresDSN(src) {
		b.Skip("BENCH_DB must name a SQLite database; the benchmarks change a copy of it")
	}
	copyPath := filepath.Join(b.TempDir(), "bench.db")
	if src != "" {
		orig, err := models.Open(ctx, src)
		if err != nil {
			b.Fatal(err)
		}
		err = orig.Backup(ctx, copyPath)
		orig.Close()
		if err != nil {
			b.Fatal(err)
		}
	}
	s, err := models.Open(ctx, copyPath, models.WithPasswordCost(bcrypt.MinCost))
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { s.Close() })
	if src == "" {
		if err := s.SeedDemo(ctx, testPassword); err != nil {
			b.Fatal(err)
		}
		if err := s.SeedScale(ctx, benchScale); err != nil {
			b.Fatal(err)
		}
	}
	id, err := s.UserIDByAddress(ctx, models.DemoAdminUsername)
	if err != nil {
		b.Fatal(err)
	}
	admin, err := s.AdminByUserID(ctx, id)
	if err != nil {
		b.Fatal(err)
	}
	return s, powershell.New(NewRegistry(s)), admin
}

// BenchmarkGetMailbox1000 runs Get-Mailbox -ResultSize 1000 and formats the table.
func BenchmarkGetMailbox1000(b *testing.B) {
	_, e, admin := benchTenant(b)
	ctx := context.Background()
	for b.Loop() {
		res := e.Run(ctx, admin, "Get-Mailbox -ResultSize 1000")
		if res.Failed() || len(res.Output) != 1000 || res.Text() == "" {
			b.Fatalf("%d objects: %v", len(res.Output), res.Errors)
		}
	}
	b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "cmdlets/s")
	b.ReportMetric(float64(1000*b.N)/b.Elapsed().Seconds(), "mailboxes/s")
}

// addresses lists the primary addresses of up to n recipients of some types.
func addresses(b *testing.B, s *models.Store, n int, types ...models.DirectoryType) []string {
	var out []string
	if _, err := s.EachDirectoryEntry(context.Background(), models.DirectoryQuery{Types: types, Limit: n}, func(e *models.DirectoryEntry) error {
		out = append(out, e.PrimaryAddress())
		return nil
	}); err != nil {
		b.Fatal(err)
	}
	if len(out) == 0 {
		b.Fatalf("no recipients of %v", types)
	}
	return out
}

// BenchmarkAddMailboxPermission grants Full Access on a shared mailbox to a person,
// a different pair each time (one cmdlet, one write transaction with its audit).
func BenchmarkAddMailboxPermission(b *testing.B) {
	s, e, admin := benchTenant(b)
	ctx := context.Background()
	shared := addresses(b, s, 100, models.TypeSharedMailbox)
	people := addresses(b, s, 5000, models.TypeUserMailbox)
	i := 0
	for b.Loop() {
		mbx, user := shared[i%len(shared)], people[(i/len(shared))%len(people)]
		i++
		res := e.Run(ctx, admin, fmt.Sprintf("Add-MailboxPermission %s -User %s -AccessRights FullAccess", mbx, user))
		if res.Failed() {
			b.Fatal(res.Text())
		}
	}
	b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "cmdlets/s")
}
