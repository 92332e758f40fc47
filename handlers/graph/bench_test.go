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

// benchTenant is the server over a large tenant, with a Global reader app's Graph
// token: a copy of BENCH_DB (made by `admincenter seed` with
// ADMINCENTER_ADMIN_PASSWORD=Bench-Pass-2026), or else GRAPH_BENCH_USERS people
// (100,000 by default) generated here.
type benchTenant struct {
	store *models.Store
	srv   *httptest.Server
	token string
}

func newBenchTenant(b *testing.B) *benchTenant {
	b.Helper()
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
	return &benchTenant{store: store, srv: srv, token: token}
}

// page is one Graph list answer, as a client reads it.
type benchPage struct {
	Value    []json.RawMessage `json:"value"`
	NextLink string            `json:"@odata.nextLink"`
	Count    *int64            `json:"@odata.count"`
}

// get fetches one page with the token (and the headers given, name then value).
func (t *benchTenant) get(b *testing.B, url string, header ...string) benchPage {
	req, _ := http.NewRequest(http.MethodGet, url, nil)
	req.Header.Set("Authorization", "Bearer "+t.token)
	for i := 0; i+1 < len(header); i += 2 {
		req.Header.Set(header[i], header[i+1])
	}
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		b.Fatal(err)
	}
	var page benchPage
	err = json.NewDecoder(res.Body).Decode(&page)
	res.Body.Close()
	if err != nil || res.StatusCode != http.StatusOK {
		b.Fatalf("%s: %d %v", url, res.StatusCode, err)
	}
	return page
}

// BenchmarkUsersNextLinkWalk walks every person of a large tenant along
// @odata.nextLink with $top=999, as a sync script does, and reports users/s.
func BenchmarkUsersNextLinkWalk(b *testing.B) {
	t := newBenchTenant(b)
	want, err := t.store.CountGraphUsers(context.Background(), models.GraphUserQuery{})
	if err != nil {
		b.Fatal(err)
	}
	b.ResetTimer()
	var walked int
	var took time.Duration
	for b.Loop() {
		start := time.Now()
		n := 0
		for next := t.srv.URL + "/v1.0/users?$top=999"; next != ""; {
			page := t.get(b, next)
			n += len(page.Value)
			next = page.NextLink
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

// BenchmarkUsersPage asks for one page of people over HTTP, as a script does, in
// each of the shapes scripts use: the default first page of 100 (the API twin of
// Active users' first page), $top=999, $select, a startswith filter, $count with
// ConsistencyLevel, and a page along a nextLink deep into the tenant.
func BenchmarkUsersPage(b *testing.B) {
	t := newBenchTenant(b)
	// A nextLink from the middle of the tenant: walk 50 pages of 999.
	deep := t.srv.URL + "/v1.0/users?$top=999"
	for range 50 {
		if next := t.get(b, deep).NextLink; next != "" {
			deep = next
		}
	}
	cases := []struct {
		name, url string
		header    []string
		want      int
	}{
		{"default", "/v1.0/users", nil, 100},
		{"top999", "/v1.0/users?$top=999", nil, 999},
		{"select", "/v1.0/users?$select=id,displayName,userPrincipalName,accountEnabled,assignedLicenses", nil, 100},
		{"startswith", "/v1.0/users?$filter=startswith(displayName,'an')", nil, 0},
		{"count", "/v1.0/users?$count=true", []string{"ConsistencyLevel", "eventual"}, 100},
		{"nextlink", deep[len(t.srv.URL):], nil, 999},
	}
	for _, c := range cases {
		b.Run(c.name, func(b *testing.B) {
			page := t.get(b, t.srv.URL+c.url, c.header...)
			if c.want > 0 && len(page.Value) != c.want {
				b.Fatalf("%d people, want %d", len(page.Value), c.want)
			}
			for b.Loop() {
				t.get(b, t.srv.URL+c.url, c.header...)
			}
		})
	}
}
