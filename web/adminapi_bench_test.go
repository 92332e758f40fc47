package web

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/contoso/admincenter/models"
)

// benchClients is how many programs call the endpoint at once.
const benchClients = 16

// benchAPI serves the Exchange REST endpoint over a large tenant: a copy of the
// database BENCH_DB names (made by `admincenter seed` with
// ADMINCENTER_ADMIN_PASSWORD=Bench-Pass-2026), or else a 5,000-person tenant made
// here. The rate limit is off, as for a trusted integration.
func benchAPI(b *testing.B) (*app, *models.Store) {
	b.Helper()
	ctx := context.Background()
	dsn := filepath.Join(b.TempDir(), "bench.db")
	if src := os.Getenv("BENCH_DB"); src != "" {
		in, err := os.ReadFile(src)
		if err != nil {
			b.Fatal(err)
		}
		if err := os.WriteFile(dsn, in, 0o600); err != nil {
			b.Fatal(err)
		}
	}
	store, err := models.Open(ctx, dsn, fastHashing)
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { store.Close() })
	if empty, _ := store.IsEmpty(ctx); empty {
		if err := store.SeedDemo(ctx, testPassword); err != nil {
			b.Fatal(err)
		}
		if err := store.SeedScale(ctx, models.ScaleOptions{Users: 5000, Seed: 1}); err != nil {
			b.Fatal(err)
		}
	}
	cfg := DefaultConfig()
	cfg.Cmdlets = apiCmdlets(store)
	cfg.APIRateLimit = 0
	e := New(cfg, store, slog.New(slog.NewTextHandler(io.Discard, nil)))
	srv := httptest.NewServer(e)
	b.Cleanup(srv.Close)
	return &app{echo: e, store: store, srv: srv}, store
}

// benchToken makes an Exchange administrator app and gets its token.
func benchToken(b *testing.B, store *models.Store) string {
	b.Helper()
	ctx := context.Background()
	var global *models.Admin
	for _, pw := range []string{testPassword, "Bench-Pass-2026"} {
		if a, err := store.Authenticate(ctx, "admin@contoso.com", pw); err == nil {
			global = a
		}
	}
	if global == nil {
		b.Fatal("no demo admin with a known password")
	}
	app, err := store.CreateApp(ctx, global, models.NewApp{Name: fmt.Sprintf("Bench %d", time.Now().UnixNano()), Roles: []models.Role{models.RoleExchangeAdmin}, LifetimeDays: 90})
	if err != nil {
		b.Fatal(err)
	}
	_, tok, err := store.IssueToken(ctx, app.ClientID, app.Secret, models.AudienceExchange)
	if err != nil {
		b.Fatal(err)
	}
	return tok.Raw
}

// hammer posts bodies from benchClients clients until b.N requests are done, and
// reports requests per second; any answer but 200 fails the benchmark.
func hammer(b *testing.B, a *app, token string, body func(i int) string) {
	b.Helper()
	httpc := &http.Client{Transport: &http.Transport{MaxIdleConnsPerHost: benchClients}}
	var next, failed atomic.Int64
	var firstErr atomic.Value
	b.ResetTimer()
	start := time.Now()
	var wg sync.WaitGroup
	for range benchClients {
		wg.Go(func() {
			for {
				i := int(next.Add(1)) - 1
				if i >= b.N {
					return
				}
				req, _ := http.NewRequest(http.MethodPost, a.srv.URL+"/adminapi/beta/contoso.com/InvokeCommand", strings.NewReader(body(i)))
				req.Header.Set("Authorization", "Bearer "+token)
				req.Header.Set("Content-Type", "application/json")
				res, err := httpc.Do(req)
				if err != nil {
					failed.Add(1)
					firstErr.CompareAndSwap(nil, err.Error())
					continue
				}
				msg, _ := io.ReadAll(res.Body)
				res.Body.Close()
				if res.StatusCode != http.StatusOK {
					failed.Add(1)
					firstErr.CompareAndSwap(nil, fmt.Sprintf("%d %.300s", res.StatusCode, msg))
				}
			}
		})
	}
	wg.Wait()
	elapsed := time.Since(start)
	b.StopTimer()
	b.ReportMetric(float64(b.N)/elapsed.Seconds(), "req/s")
	b.ReportMetric(float64(failed.Load()), "errors")
	if n := failed.Load(); n > 0 {
		b.Fatalf("%d of %d requests failed; first: %v", n, b.N, firstErr.Load())
	}
}

// BenchmarkGetMailbox1000 measures Get-Mailbox -ResultSize 1000 through the
// endpoint with 16 clients at once (until the Exchange registry is wired in, with
// the test Get-Mailbox over the same models queries).
func BenchmarkGetMailbox1000(b *testing.B) {
	a, store := benchAPI(b)
	tok := benchToken(b, store)
	hammer(b, a, tok, func(int) string {
		return `{"CmdletInput":{"CmdletName":"Get-Mailbox","Parameters":{"ResultSize":1000}}}`
	})
}

// BenchmarkAddMailboxPermission measures Add-MailboxPermission (Read and manage)
// through the endpoint with 16 clients at once, each request a new grant.
func BenchmarkAddMailboxPermission(b *testing.B) {
	a, store := benchAPI(b)
	tok := benchToken(b, store)
	list, err := store.Users(context.Background(), models.UserQuery{Page: models.Page{Size: 100}})
	if err != nil {
		b.Fatal(err)
	}
	var people []string
	for len(people) < 1000 && list != nil {
		for _, u := range list.Rows {
			if _, err := store.MailboxOfUser(context.Background(), u.ID); err == nil {
				people = append(people, u.Username)
			}
		}
		if list.Next == "" {
			break
		}
		if list, err = store.Users(context.Background(), models.UserQuery{Page: models.Page{After: list.Next, Size: 100}}); err != nil {
			b.Fatal(err)
		}
	}
	n := len(people)
	hammer(b, a, tok, func(i int) string {
		mailbox, user := people[i%n], people[(i/n+1+i)%n]
		return `{"CmdletInput":{"CmdletName":"Add-MailboxPermission","Parameters":{"Identity":"` + mailbox + `","User":"` + user +
			`","AccessRights":["FullAccess"],"InheritanceType":"All","AutoMapping":false}}}`
	})
}

// BenchmarkInvokeCommandOverhead measures the endpoint itself with 16 clients: the
// token and app check, the body, the engine's binding and the JSON answer, around a
// cmdlet that does next to nothing (Get-Command -Name Get-Mailbox).
func BenchmarkInvokeCommandOverhead(b *testing.B) {
	a, store := benchAPI(b)
	tok := benchToken(b, store)
	hammer(b, a, tok, func(int) string {
		return `{"CmdletInput":{"CmdletName":"Get-Command","Parameters":{"Name":"Get-Mailbox"}}}`
	})
}
