// Command bench measures the admin center on a generated 100,000-person tenant in
// one run, side by side with a reference (a minimal Go server writing a page of the
// same size and shape as the Active users page, rendered per request and
// pre-rendered): the in-memory baseline page, the lists, searches of people and of
// shared mailboxes, paging, the pane, the permission panels and grants, with wrk (or
// vegeta) on loopback. It prints figures; it asserts nothing (`make bench`).
package main

import (
	"bytes"
	"compress/gzip"
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"sync/atomic"
	"syscall"
	"time"

	_ "github.com/jackc/pgx/v5/stdlib" // the "pgx" database/sql driver
	_ "github.com/mattn/go-sqlite3"
	vegeta "github.com/tsenart/vegeta/v12/lib"
)

const password = "Bench-Pass-2026"

func main() {
	if err := run(); err != nil {
		fmt.Fprintln(os.Stderr, "bench:", err)
		os.Exit(1)
	}
}

type config struct {
	users, shared, groups, grants int
	duration, csvLimit            time.Duration
	rate                          int
	writers                       int
	db, only, mode                string
	starts                        int
	userSearches, sharedSearches  []string
}

func run() error {
	var cfg config
	flag.IntVar(&cfg.users, "users", 100000, "people to generate")
	flag.IntVar(&cfg.shared, "shared", 5000, "shared mailboxes")
	flag.IntVar(&cfg.groups, "groups", 2000, "groups")
	flag.IntVar(&cfg.grants, "grants", 200000, "permissions")
	flag.DurationVar(&cfg.duration, "duration", 3*time.Second, "length of each attack")
	flag.IntVar(&cfg.rate, "rate", 500, "fixed request rate for the latency figures")
	flag.IntVar(&cfg.writers, "writers", 16, "concurrent writers for the grant figure")
	flag.StringVar(&cfg.db, "db", "", "measure this database (made by `admincenter seed` with ADMINCENTER_ADMIN_PASSWORD="+password+") instead of generating one")
	flag.StringVar(&cfg.mode, "mode", "all", "all: every figure; coldstart: only the cold start; fixed-rate: only the open-loop latencies of the read pages at -rate for -duration each; csv: only the full Mailbox access CSV export's time and the server's RSS during it; or several, comma-separated, in that order (coldstart,fixed-rate,csv)")
	flag.DurationVar(&cfg.csvLimit, "csv-limit", 5*time.Minute, "-mode csv: cut the export off after this long and report the rows read until then")
	flag.IntVar(&cfg.starts, "starts", 5, "starts measured for the cold start")
	flag.StringVar(&cfg.only, "only", "", "measure only the requests whose name contains this (\"grants\" for the grants), besides the baseline; with -mode fixed-rate, only those read pages")
	users := flag.String("user-searches", "a,w,an,wi,ann,wil", "comma-separated searches of Active users to measure")
	shared := flag.String("shared-searches", "i,in,inf,s,sup", "comma-separated searches of shared mailboxes to measure")
	flag.Parse()
	cfg.userSearches, cfg.sharedSearches = strings.Split(*users, ","), strings.Split(*shared, ",")

	dir, err := os.MkdirTemp("", "admincenter-bench-")
	if err != nil {
		return err
	}
	defer os.RemoveAll(dir)
	bin := filepath.Join(dir, "admincenter")
	if out, err := exec.Command("go", "build", "-o", bin, "./cmd/admincenter").CombinedOutput(); err != nil {
		return fmt.Errorf("build: %v\n%s", err, out)
	}
	db := cfg.db
	if db == "" {
		db = filepath.Join(dir, "bench.db")
		start := time.Now()
		seed := exec.Command(bin, "seed", "--db", db, "--users", strconv.Itoa(cfg.users), "--shared", strconv.Itoa(cfg.shared),
			"--groups", strconv.Itoa(cfg.groups), "--grants", strconv.Itoa(cfg.grants))
		seed.Env = append(os.Environ(), "ADMINCENTER_ADMIN_PASSWORD="+password)
		if out, err := seed.CombinedOutput(); err != nil {
			return fmt.Errorf("seed: %v\n%s", err, out)
		}
		fmt.Printf("Tenant: %d people, %d shared mailboxes, %d groups, %d permissions (generated in %s)\n\n",
			cfg.users, cfg.shared, cfg.groups, cfg.grants, time.Since(start).Round(time.Millisecond))
	}

	if cfg.mode != "all" {
		return runModes(bin, db, cfg)
	}

	var starts []time.Duration
	for i := 0; i < cfg.starts; i++ {
		srv, took, err := startServer(bin, db)
		if err != nil {
			return err
		}
		starts = append(starts, took)
		srv.stop()
	}
	srv, _, err := startServer(bin, db)
	if err != nil {
		return err
	}
	defer srv.stop()
	cookie, token, err := signIn(srv.base)
	if err != nil {
		return err
	}
	ids, err := pickTargets(db)
	if err != nil {
		return err
	}
	page100, err := followNext(srv.base, cookie, "/users?size=25", 99)
	if err != nil {
		return err
	}

	appPage, err := fetch(srv.base+"/users", cookie)
	if err != nil {
		return err
	}
	ref, err := newReference(appPage)
	if err != nil {
		return err
	}
	defer ref.stop()
	load := newLoader(cfg.duration)
	fmt.Printf("Load generator: %s; the reference is a minimal net/http server in this process writing the %.1f KB Active users page\n\n",
		load.name, float64(len(appPage))/1024)

	type target struct {
		name, url string
		partial   bool
	}
	targets := []target{
		{"reference: pre-rendered page", ref.base + "/prerendered", false},
		{"reference: page rendered per request", ref.base + "/rendered", false},
		{"app baseline: 50 rows from memory", srv.base + "/_bench/baseline", false},
		{"Active users, first page", srv.base + "/users", false},
	}
	for _, q := range cfg.userSearches {
		targets = append(targets, target{fmt.Sprintf("search Active users '%s'", q), srv.base + "/users?q=" + url.QueryEscape(q), false})
	}
	targets = append(targets, target{"Shared mailboxes, first page", srv.base + "/shared-mailboxes", false})
	for _, q := range cfg.sharedSearches {
		targets = append(targets, target{fmt.Sprintf("search shared mailboxes '%s'", q), srv.base + "/shared-mailboxes?q=" + url.QueryEscape(q), false})
	}
	targets = append(targets,
		target{"page 100 (keyset link)", srv.base + page100, false},
		target{"properties pane (htmx)", srv.base + fmt.Sprintf("/users/%d", ids.person), true},
		target{fmt.Sprintf("permissions panel, %d holders (htmx)", ids.holders), srv.base + ids.busyPanel, true},
		target{fmt.Sprintf("mailboxes a member of %d groups can access (htmx)", ids.groupCount), srv.base + fmt.Sprintf("/users/%d?tab=mail", ids.grouped), true},
	)
	fmt.Printf("%-52s %10s %8s %8s %10s %10s %7s\n", "request", "max req/s", "vs pre", "vs base", "p50@"+strconv.Itoa(cfg.rate), "p99@"+strconv.Itoa(cfg.rate), "errors")
	var prerendered, baseline float64
	for i, t := range targets {
		if i > 2 && !strings.Contains(t.name, cfg.only) {
			continue
		}
		h := http.Header{"Accept-Encoding": {"gzip"}}
		if strings.HasPrefix(t.url, srv.base) {
			h.Set("Cookie", cookie)
		}
		if t.partial {
			h.Set("HX-Request", "true")
		}
		// Requests a slower target left queued at the fixed rate are dropped by
		// their clients; give the server a moment to see that before measuring.
		time.Sleep(time.Second)
		rps, errs := load.saturate(t.url, h)
		tgt := vegeta.Target{Method: http.MethodGet, URL: t.url, Header: h}
		fixed := attack(vegeta.NewStaticTargeter(tgt), vegeta.Rate{Freq: cfg.rate, Per: time.Second}, cfg.duration, 0)
		switch i {
		case 0:
			prerendered = rps
		case 2:
			baseline = rps
		}
		vsBase := "-"
		if i >= 2 {
			vsBase = fmt.Sprintf("%.0f%%", 100*rps/baseline)
		}
		errs += len(fixed.Errors)
		fmt.Printf("%-52s %10.0f %7.1f%% %8s %10s %10s %7d\n", t.name, rps, 100*rps/prerendered, vsBase,
			round(fixed.Latencies.P50), round(fixed.Latencies.P99), errs)
	}

	// Grants: concurrent writers, each giving Send as on its own mailbox to new people.
	var n atomic.Int64
	grant := func(t *vegeta.Target) error {
		i := n.Add(1)
		mb := ids.grantMailboxes[int(i)%len(ids.grantMailboxes)]
		trustee := ids.trustees[int(i)%len(ids.trustees)]
		t.Method = http.MethodPost
		t.URL = fmt.Sprintf("%s/users/%d/mailbox-permissions/%s", srv.base, mb, []string{"sendas", "sendonbehalf", "fullaccess"}[int(i/int64(len(ids.trustees)))%3])
		t.Body = []byte(url.Values{"trustee": {strconv.FormatUint(uint64(trustee), 10)}}.Encode())
		t.Header = http.Header{"Cookie": {cookie}, "X-CSRF-Token": {token}, "HX-Request": {"true"},
			"Content-Type": {"application/x-www-form-urlencoded"}}
		return nil
	}
	if cfg.only != "" && !strings.Contains("grants", cfg.only) {
		return nil
	}
	writes := attack(grant, vegeta.Rate{Freq: 0}, cfg.duration, uint64(cfg.writers))
	fmt.Printf("\nGrants: %.0f/s with %d concurrent writers, %d errors, p99 %s\n", writes.Throughput, cfg.writers, len(writes.Errors), round(writes.Latencies.P99))

	fmt.Printf("Cold start to /healthz on this database: %s (best of %d: %s)\n", round(median(starts)), len(starts), round(minDur(starts)))
	if rss, err := peakRSS(srv.cmd.Process.Pid); err == nil {
		fmt.Printf("Peak RSS of the server: %.1f MB\n", float64(rss)/1024)
	}
	if total, parts, err := firstPageBytes(srv.base, cookie); err == nil {
		fmt.Printf("First page load, gzipped: %.1f KB (%s)\n", float64(total)/1024, parts)
	} else {
		return err
	}
	return nil
}

func attack(tr vegeta.Targeter, rate vegeta.Rate, d time.Duration, workers uint64) vegeta.Metrics {
	opts := []func(*vegeta.Attacker){vegeta.KeepAlive(true), vegeta.Timeout(10 * time.Second), vegeta.Redirects(vegeta.NoFollow)}
	if rate.Freq == 0 {
		opts = append(opts, vegeta.Workers(workers), vegeta.MaxWorkers(workers))
	}
	a := vegeta.NewAttacker(opts...)
	var m vegeta.Metrics
	for res := range a.Attack(tr, rate, d, "bench") {
		m.Add(res)
	}
	m.Close()
	return m
}

func round(d time.Duration) string {
	switch {
	case d >= time.Second:
		return d.Round(10 * time.Millisecond).String()
	case d >= time.Millisecond:
		return d.Round(10 * time.Microsecond).String()
	}
	return d.Round(time.Microsecond).String()
}

func median(ds []time.Duration) time.Duration {
	s := append([]time.Duration(nil), ds...)
	for i := range s {
		for j := i + 1; j < len(s); j++ {
			if s[j] < s[i] {
				s[i], s[j] = s[j], s[i]
			}
		}
	}
	return s[len(s)/2]
}

func minDur(ds []time.Duration) time.Duration {
	m := ds[0]
	for _, d := range ds {
		m = min(m, d)
	}
	return m
}

type server struct {
	base string
	cmd  *exec.Cmd
}

func (s *server) stop() {
	_ = s.cmd.Process.Signal(syscall.SIGTERM)
	_ = s.cmd.Wait()
}

// startServer starts the binary and returns how long it took to answer /healthz.
func startServer(bin, db string) (*server, time.Duration, error) {
	return startServerAt(bin, db, "/healthz")
}

// startServerAt starts the binary and returns how long it took to answer path
// with 200 OK.
func startServerAt(bin, db, path string) (*server, time.Duration, error) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return nil, 0, err
	}
	addr := ln.Addr().String()
	ln.Close()
	cmd := exec.Command(bin, "serve", "--addr", addr, "--db", db, "--bench-baseline")
	cmd.Stdout, cmd.Stderr = io.Discard, io.Discard
	begin := time.Now()
	if err := cmd.Start(); err != nil {
		return nil, 0, err
	}
	base := "http://" + addr
	client := &http.Client{Timeout: time.Second}
	for time.Since(begin) < 30*time.Second {
		res, err := client.Get(base + path)
		if err == nil {
			res.Body.Close()
			if res.StatusCode == http.StatusOK {
				return &server{base: base, cmd: cmd}, time.Since(begin), nil
			}
		}
		time.Sleep(2 * time.Millisecond)
	}
	_ = cmd.Process.Kill()
	return nil, 0, errors.New("the server did not become healthy")
}

var csrfInput = regexp.MustCompile(`name="_csrf" value="([^"]+)"`)

func signIn(base string) (cookie, token string, err error) {
	jar, _ := cookiejar.New(nil)
	c := &http.Client{Jar: jar, CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	get := func(path string) (string, error) {
		res, err := c.Get(base + path)
		if err != nil {
			return "", err
		}
		defer res.Body.Close()
		b, _ := io.ReadAll(res.Body)
		m := csrfInput.FindSubmatch(b)
		if m == nil {
			return "", fmt.Errorf("no CSRF token on %s", path)
		}
		return string(m[1]), nil
	}
	tok, err := get("/signin")
	if err != nil {
		return "", "", err
	}
	res, err := c.PostForm(base+"/signin", url.Values{"_csrf": {tok}, "email": {"admin@contoso.com"}, "password": {password}})
	if err != nil {
		return "", "", err
	}
	res.Body.Close()
	if res.StatusCode != http.StatusSeeOther {
		return "", "", fmt.Errorf("sign-in: %d", res.StatusCode)
	}
	if token, err = get("/"); err != nil {
		return "", "", err
	}
	u, _ := url.Parse(base)
	var parts []string
	for _, ck := range jar.Cookies(u) {
		parts = append(parts, ck.Name+"="+ck.Value)
	}
	return strings.Join(parts, "; "), token, nil
}

var nextLink = regexp.MustCompile(`href="(/users\?[^"]*after=[^"]+)"`)

// followNext walks the Next page links n times and returns the page it reaches.
func followNext(base, cookie, path string, n int) (string, error) {
	for i := 0; i < n; i++ {
		req, _ := http.NewRequest(http.MethodGet, base+path, nil)
		req.Header.Set("Cookie", cookie)
		res, err := http.DefaultClient.Do(req)
		if err != nil {
			return "", err
		}
		b, _ := io.ReadAll(res.Body)
		res.Body.Close()
		m := nextLink.FindSubmatch(b)
		if m == nil {
			return "", fmt.Errorf("no next link on page %d", i+1)
		}
		path = strings.ReplaceAll(string(m[1]), "&amp;", "&")
	}
	return path, nil
}

type picked struct {
	person         uint
	busyPanel      string
	holders        int
	grouped        uint
	groupCount     int
	grantMailboxes []uint
	trustees       []uint
}

// pickTargets finds the pages worth measuring: the mailbox with the most holders,
// the person in the most groups, and people to grant permissions to.
func pickTargets(path string) (*picked, error) {
	db, bind, err := openRO(path)
	if err != nil {
		return nil, err
	}
	defer db.Close()
	ctx := context.Background()
	p := &picked{}
	if err := db.QueryRowContext(ctx, `SELECT id FROM users WHERE deleted_at IS NULL ORDER BY id DESC LIMIT 1`).Scan(&p.person); err != nil {
		return nil, err
	}
	var mailbox uint
	var typ string
	if err := db.QueryRowContext(ctx, `SELECT p.mailbox_id, m.type, COUNT(*) c FROM mailbox_permissions p JOIN mailboxes m ON m.id = p.mailbox_id
		GROUP BY p.mailbox_id, m.type ORDER BY c DESC, p.mailbox_id LIMIT 1`).Scan(&mailbox, &typ, &p.holders); err != nil {
		return nil, err
	}
	p.busyPanel = fmt.Sprintf("/shared-mailboxes/%d/mailbox-permissions", mailbox)
	if typ != "shared" {
		var uid uint
		if err := db.QueryRowContext(ctx, `SELECT u.id FROM users u JOIN mailboxes m ON m.recipient_id = u.recipient_id WHERE m.id = `+bind, mailbox).Scan(&uid); err != nil {
			return nil, err
		}
		p.busyPanel = fmt.Sprintf("/users/%d/mailbox-permissions", uid)
	}
	if err := db.QueryRowContext(ctx, `SELECT u.id, COUNT(*) c FROM group_members gm JOIN users u ON u.recipient_id = gm.member_id
		GROUP BY u.id ORDER BY c DESC, u.id LIMIT 1`).Scan(&p.grouped, &p.groupCount); err != nil {
		return nil, err
	}
	rows, err := db.QueryContext(ctx, `SELECT u.id FROM users u JOIN mailboxes m ON m.recipient_id = u.recipient_id
		WHERE NOT EXISTS (SELECT 1 FROM mailbox_permissions p WHERE p.mailbox_id = m.id) ORDER BY u.id LIMIT 64`)
	if err != nil {
		return nil, err
	}
	for rows.Next() {
		var id uint
		rows.Scan(&id)
		p.grantMailboxes = append(p.grantMailboxes, id)
	}
	rows.Close()
	rows, err = db.QueryContext(ctx, `SELECT recipient_id FROM users WHERE deleted_at IS NULL ORDER BY id DESC LIMIT 2000`)
	if err != nil {
		return nil, err
	}
	for rows.Next() {
		var id uint
		rows.Scan(&id)
		p.trustees = append(p.trustees, id)
	}
	rows.Close()
	if len(p.grantMailboxes) == 0 || len(p.trustees) == 0 {
		return nil, errors.New("the tenant is too small to pick grant targets")
	}
	return p, nil
}

var assetRef = regexp.MustCompile(`(?:href|src)="(/static/[^"]+)"`)

// firstPageBytes is what a browser downloads for Active users with gzip: the HTML and
// the stylesheet and scripts it references.
func firstPageBytes(base, cookie string) (int, string, error) {
	client := &http.Client{Transport: &http.Transport{DisableCompression: true}}
	fetch := func(path string) ([]byte, int, error) {
		req, _ := http.NewRequest(http.MethodGet, base+path, nil)
		req.Header.Set("Cookie", cookie)
		req.Header.Set("Accept-Encoding", "gzip")
		res, err := client.Do(req)
		if err != nil {
			return nil, 0, err
		}
		defer res.Body.Close()
		b, err := io.ReadAll(res.Body)
		return b, len(b), err
	}
	html, n, err := fetch("/users")
	if err != nil {
		return 0, "", err
	}
	// The HTML came gzipped; read it plain for its references.
	plain, err := gunzip(html)
	if err != nil {
		plain = html
	}
	total := n
	parts := []string{fmt.Sprintf("HTML %.1f KB", float64(n)/1024)}
	for _, m := range assetRef.FindAllSubmatch(plain, -1) {
		path := strings.ReplaceAll(string(m[1]), "&amp;", "&")
		_, size, err := fetch(path)
		if err != nil {
			return 0, "", err
		}
		total += size
		name := path[strings.LastIndex(path, "/")+1:]
		if i := strings.Index(name, "?"); i > 0 {
			name = name[:i]
		}
		parts = append(parts, fmt.Sprintf("%s %.1f KB", name, float64(size)/1024))
	}
	return total, strings.Join(parts, ", "), nil
}

// peakRSS reads the process's high-water resident set size in KB.
func peakRSS(pid int) (int, error) { return procStatusKB(pid, "VmHWM:") }

func gunzip(b []byte) ([]byte, error) {
	r, err := gzip.NewReader(bytes.NewReader(b))
	if err != nil {
		return nil, err
	}
	defer r.Close()
	return io.ReadAll(r)
}
