package main

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/contoso/admincenter/models"
)

// An open-loop load at a fixed rate: request i is due at start + i/rate whether or
// not earlier ones have been answered, and its latency counts from when it was due,
// so time spent queued (in the client, the kernel or the server) is part of it: no
// coordinated omission. Each page is measured on its own for the whole duration.

type readPage struct {
	name    string
	path    string
	partial bool // an htmx request
	bearer  bool // a Graph request with the app's token instead of the cookie
}

type rateResult struct {
	sent, ok, failed int
	lat              []time.Duration // of answered requests, from when each was due
	lag              []time.Duration // how late the sender started each request
	elapsed          time.Duration
}

// fixedRate sends GET path at rate per second for d and collects the latencies.
func fixedRate(client *http.Client, base string, p readPage, h http.Header, rate int, d time.Duration) rateResult {
	interval := time.Second / time.Duration(rate)
	n := int(d / interval)
	var (
		mu  sync.Mutex
		res = rateResult{lat: make([]time.Duration, 0, n), lag: make([]time.Duration, 0, n)}
		wg  sync.WaitGroup
	)
	// A bound on requests in flight, one second's worth: a healthy server needs a
	// few at this rate. Past it the sender waits, and that wait is in the latencies.
	inflight := make(chan struct{}, max(rate, 64))
	start := time.Now()
	for i := 0; i < n; i++ {
		due := start.Add(time.Duration(i) * interval)
		if wait := time.Until(due); wait > 0 {
			time.Sleep(wait)
		}
		inflight <- struct{}{}
		lag := time.Since(due)
		wg.Add(1)
		go func() {
			defer wg.Done()
			defer func() { <-inflight }()
			req, _ := http.NewRequest(http.MethodGet, base+p.path, nil)
			req.Header = h.Clone()
			resp, err := client.Do(req)
			ok := false
			if err == nil {
				_, _ = io.Copy(io.Discard, resp.Body)
				resp.Body.Close()
				ok = resp.StatusCode == http.StatusOK
			}
			took := time.Since(due)
			mu.Lock()
			defer mu.Unlock()
			res.sent++
			res.lag = append(res.lag, lag)
			if ok {
				res.ok++
				res.lat = append(res.lat, took)
			} else {
				res.failed++
			}
		}()
	}
	wg.Wait()
	res.elapsed = time.Since(start)
	return res
}

func percentile(sorted []time.Duration, p float64) time.Duration {
	if len(sorted) == 0 {
		return 0
	}
	i := int(float64(len(sorted))*p+0.5) - 1
	return sorted[min(max(i, 0), len(sorted)-1)]
}

// readPages are the read pages and panels of the fixed-rate figures.
func readPages(ids *picked, sharedID uint) []readPage {
	return []readPage{
		{name: "Active users, first page", path: "/users"},
		{name: "search Active users 'an'", path: "/users?q=an"},
		{name: "a person's properties pane (htmx)", path: fmt.Sprintf("/users/%d", ids.person), partial: true},
		{name: "a person's Mail tab (htmx)", path: fmt.Sprintf("/users/%d?tab=mail", ids.grouped), partial: true},
		{name: "Shared mailboxes, first page", path: "/shared-mailboxes"},
		{name: "search shared mailboxes 'in'", path: "/shared-mailboxes?q=in"},
		{name: "a shared mailbox's permissions panel (htmx)", path: fmt.Sprintf("/shared-mailboxes/%d/mailbox-permissions", sharedID), partial: true},
		{name: "Groups, first page", path: "/groups"},
		{name: "Reports: Mailbox access, first page", path: "/reports/mailbox-access"},
		{name: "Graph GET /v1.0/users", path: "/v1.0/users", bearer: true},
	}
}

// runFixedRate measures every read page (those whose name contains only) at the rate
// and prints the percentiles.
func runFixedRate(srv *server, db, cookie, only string, rate int, d time.Duration) error {
	ids, err := pickTargets(db)
	if err != nil {
		return err
	}
	sharedID, err := quietSharedMailbox(db)
	if err != nil {
		return err
	}
	token, err := graphToken(db)
	if err != nil {
		return err
	}
	// An answer later than 5 s counts as failed: the target is 10 ms.
	client := &http.Client{Timeout: 5 * time.Second, Transport: &http.Transport{
		MaxIdleConns: 4096, MaxIdleConnsPerHost: 4096, DisableCompression: true, IdleConnTimeout: time.Minute}}
	fmt.Printf("Open-loop load at %d requests/s for %s per page; latency from when each request was due (queueing counts)\n", rate, d)
	fmt.Printf("%-46s %7s %7s %9s %9s %9s %9s %9s %7s %10s\n", "request", "sent/s", "ok/s", "p50", "p90", "p99", "max", "late p99", "errors", "sustained")
	for _, p := range readPages(ids, sharedID) {
		if !strings.Contains(p.name, only) {
			continue
		}
		h := http.Header{"Accept-Encoding": {"gzip"}}
		if p.bearer {
			h.Set("Authorization", "Bearer "+token)
		} else {
			h.Set("Cookie", cookie)
		}
		if p.partial {
			h.Set("HX-Request", "true")
		}
		warm(client, srv.base+p.path, h)
		// Let a slower page's queue drain.
		time.Sleep(500 * time.Millisecond)
		r := fixedRate(client, srv.base, p, h, rate, d)
		slices.Sort(r.lat)
		slices.Sort(r.lag)
		// The rate was held when the sender kept to its schedule and the run did
		// not outlast its duration by more than a tenth (answers still coming in).
		sustained := "yes"
		if percentile(r.lag, 0.99) > 5*time.Millisecond || r.elapsed > d+d/10 || r.failed > 0 {
			sustained = "NO"
		}
		fmt.Printf("%-46s %7.0f %7.0f %9s %9s %9s %9s %9s %7d %10s  %s\n", p.name, float64(r.sent)/r.elapsed.Seconds(), float64(r.ok)/r.elapsed.Seconds(),
			round(percentile(r.lat, 0.50)), round(percentile(r.lat, 0.90)), round(percentile(r.lat, 0.99)), round(percentile(r.lat, 1)),
			round(percentile(r.lag, 0.99)), r.failed, sustained, uptimeLoad())
	}
	fmt.Println("\n'late p99': how late the load generator itself sent its requests (a starved generator shows here);")
	fmt.Println("'sent/s' and 'ok/s' are over the run until its last answer; failed: not 200 or no answer within 5 s.")
	fmt.Println("'sustained' is NO when it fell behind by more than 5 ms, the answers outlasted the run by a tenth, or any failed.")
	return nil
}

// warm asks for a page in rounds of warmConcurrency requests at once, so that the
// measurement starts on a server whose every database connection is open and has
// made the page's statements. Asked one at a time, a page warmed one connection:
// at the rate's start the server opened the others, and each planned the page's
// statements afresh (on PostgreSQL 50-200 ms each on a million people), which
// showed as the p99 of a run that was otherwise steady.
func warm(client *http.Client, url string, h http.Header) {
	for range 5 {
		var wg sync.WaitGroup
		for range warmConcurrency {
			wg.Go(func() {
				req, _ := http.NewRequest(http.MethodGet, url, nil)
				req.Header = h.Clone()
				if resp, err := client.Do(req); err == nil {
					_, _ = io.Copy(io.Discard, resp.Body)
					resp.Body.Close()
				}
			})
		}
		wg.Wait()
	}
}

// warmConcurrency is past the server's database pool (16 connections on
// PostgreSQL, 8 on SQLite; see models.Open).
const warmConcurrency = 32

// quietSharedMailbox picks a shared mailbox with a few holders, the common case.
func quietSharedMailbox(path string) (uint, error) {
	db, bind, err := openRO(path)
	if err != nil {
		return 0, err
	}
	defer db.Close()
	var id uint
	err = db.QueryRowContext(context.Background(), `SELECT m.id FROM mailboxes m WHERE m.type = `+bind+`
		AND EXISTS (SELECT 1 FROM mailbox_permissions p WHERE p.mailbox_id = m.id) ORDER BY m.id LIMIT 1`, "shared").Scan(&id)
	return id, err
}

// graphToken registers a Global reader app in the database and gets a Graph token.
func graphToken(db string) (string, error) {
	ctx := context.Background()
	store, err := models.Open(ctx, db)
	if err != nil {
		return "", err
	}
	defer store.Close()
	global, err := store.Authenticate(ctx, "admin@contoso.com", password)
	if err != nil {
		return "", fmt.Errorf("sign in to make a Graph app (seed with ADMINCENTER_ADMIN_PASSWORD=%s): %w", password, err)
	}
	app, err := store.CreateApp(ctx, global, models.NewApp{Name: fmt.Sprintf("Bench %d", time.Now().UnixNano()),
		Roles: []models.Role{models.RoleGlobalReader}, LifetimeDays: 90})
	if err != nil {
		return "", err
	}
	_, tok, err := store.IssueToken(ctx, app.ClientID, app.Secret, models.AudienceGraph)
	if err != nil {
		return "", err
	}
	return tok.Raw, nil
}
