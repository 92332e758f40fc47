package graph_test

import (
	"context"
	"encoding/json"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strconv"
	"testing"
	"time"

	"golang.org/x/crypto/bcrypt"

	"github.com/contoso/admincenter/handlers/adminapi/exoclient"
	"github.com/contoso/admincenter/models"
	"github.com/contoso/admincenter/web"
)

// BenchmarkUsersNextLinkWalk walks every person of a large tenant along
// @odata.nextLink with $top=999, as a sync script does, and reports users/s. The
// tenant is a copy of BENCH_DB (made by `admincenter seed` with
// ADMINCENTER_ADMIN_PASSWORD=Bench-Pass-2026), or else GRAPH_BENCH_USERS people
// (100,000 by default) generated here.
func BenchmarkUsersNextLinkWalk(b *testing.B) {
	ctx := context.Background()
	dsn := filepath.Join(b.TempDir(), "bench.db")
	password := testPassword
	if src := os.Getenv("BENCH_DB"); src != "" {
		in, err := os.ReadFile(src)
		if err != nil {
			b.Fatal(err)
		}
		if err := os.WriteFile(dsn, in, 0o600); err != nil {
			b.Fatal(err)
		}
		password = "Bench-Pass-2026"
	}
	store, err := models.Open(ctx, dsn, models.WithPasswordCost(bcrypt.MinCost))
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { store.Close() })
	if empty, _ := store.IsEmpty(ctx); empty {
		people := 100_000
		if s := os.Getenv("GRAPH_BENCH_USERS"); s != "" {
			if people, err = strconv.Atoi(s); err != nil {
				b.Fatal(err)
			}
		}
		if err := store.SeedDemo(ctx, password); err != nil {
			b.Fatal(err)
		}
		if err := store.SeedScale(ctx, models.ScaleOptions{Users: people, Seed: 1}); err != nil {
			b.Fatal(err)
		}
	}
	cfg := web.DefaultConfig()
	cfg.APIRateLimit = 0
	srv := httptest.NewServer(web.New(cfg, store, slog.New(slog.NewTextHandler(io.Discard, nil))))
	b.Cleanup(srv.Close)
	admin, err := store.Authenticate(ctx, "admin@contoso.com", password)
	if err != nil {
		b.Fatal(err)
	}
	app, err := store.CreateApp(ctx, admin, models.NewApp{Name: "Bench", Roles: []models.Role{models.RoleGlobalReader}, LifetimeDays: 180})
	if err != nil {
		b.Fatal(err)
	}
	token, err := exoclient.GetToken(ctx, nil, srv.URL, "contoso.com", app.ClientID, app.Secret, exoclient.ScopeGraph)
	if err != nil {
		b.Fatal(err)
	}
	want, err := store.CountGraphUsers(ctx, models.GraphUserQuery{})
	if err != nil {
		b.Fatal(err)
	}
	b.ResetTimer()
	var walked int
	var took time.Duration
	for b.Loop() {
		start := time.Now()
		n, pages := 0, 0
		next := srv.URL + "/v1.0/users?$top=999"
		for next != "" {
			req, _ := http.NewRequest(http.MethodGet, next, nil)
			req.Header.Set("Authorization", "Bearer "+token)
			res, err := http.DefaultClient.Do(req)
			if err != nil {
				b.Fatal(err)
			}
			var page struct {
				Value    []json.RawMessage `json:"value"`
				NextLink string            `json:"@odata.nextLink"`
			}
			err = json.NewDecoder(res.Body).Decode(&page)
			res.Body.Close()
			if err != nil || res.StatusCode != http.StatusOK {
				b.Fatalf("page %d: %d %v", pages, res.StatusCode, err)
			}
			n += len(page.Value)
			next = page.NextLink
			pages++
		}
		if int64(n) != want {
			b.Fatalf("walked %d people, the tenant has %d", n, want)
		}
		walked += n
		took += time.Since(start)
	}
	b.ReportMetric(float64(walked)/took.Seconds(), "users/s")
	b.ReportMetric(float64(want), "people")
}
