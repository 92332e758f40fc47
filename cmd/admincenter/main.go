// Command admincenter is the mail admin center: a web application for the mail side
// of a Microsoft 365-style tenant.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"net/url"
	"os"
	"os/signal"
	"runtime/debug"
	"runtime/pprof"
	"strings"
	"syscall"
	"time"

	"github.com/contoso/admincenter/models"
	"github.com/contoso/admincenter/web"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	if err := run(ctx, os.Args[1:], os.Getenv, os.Stdout); err != nil {
		if errors.Is(err, errCmdletFailed) {
			os.Exit(1) // the cmdlet's error is shown already
		}
		fmt.Fprintln(os.Stderr, "admincenter:", err)
		os.Exit(1)
	}
}

const usage = `usage:
  admincenter backup --to FILE [--db admincenter.db]
  admincenter powershell --as ADMIN [--db admincenter.db] [--width N] ['command']
  admincenter powershell --url URL --token TOKEN [--width N] ['command']
  admincenter seed [--users 100000] [--shared 5000] [--groups 2000] [--grants 200000] [--contacts 5000] [--seed 1] [--cpuprofile FILE] [--db admincenter.db]
  admincenter serve [--addr 127.0.0.1:8080] [--db admincenter.db] [--demo]
                    [--tls-cert FILE --tls-key FILE] [--idle-timeout 60m] [--session-lifetime 12h]
                    [--propagation-delay 0] [--trusted-proxies CIDR,...] [--log-format text|json]
                    [--public-url https://admin.example.com] [--metrics-token TOKEN]
                    [--api-rate-limit 10000 --api-rate-window 10m] [--test-controls]

powershell runs Exchange Online PowerShell cmdlets as the admin --as names (their
roles apply; changes are audited as PowerShell): the command given, else a script
from stdin, else (on a terminal) a prompt with history. Errors go to stderr, and
the exit status is 1 when a command failed. With --url and --token (an app's
Exchange token, or ADMINCENTER_TOKEN) the Exchange cmdlets run on that server's
REST endpoint for the app, and the pipeline here.

--db is a SQLite file (created if missing) or a PostgreSQL URL, postgres://user:pass@host/db;
several servers may share one PostgreSQL database.

--public-url is the address visitors use when a TLS-terminating proxy sits in front:
with https, cookies are Secure (and __Host- prefixed) and HSTS is sent. Without it,
X-Forwarded-Proto is believed from --trusted-proxies only.
/metrics answers loopback clients only, unless --metrics-token is set: then it
requires "Authorization: Bearer TOKEN" from everyone.
--api-rate-limit is how many requests an API app may make per --api-rate-window (0: no limit).
--test-controls serves /api/test/reset, /api/test/session and /api/test/propagation-delay
for test suites; it is refused unless --addr is a loopback address.

environment: ADMINCENTER_ADDR, ADMINCENTER_DB, ADMINCENTER_ADMIN_PASSWORD (demo admins' password),
ADMINCENTER_PUBLIC_URL, ADMINCENTER_TRUSTED_PROXIES, ADMINCENTER_METRICS_TOKEN, ADMINCENTER_LOG_FORMAT,
ADMINCENTER_TEST_CONTROLS (1 or true)`

// run is the whole program, with its inputs passed in so tests can drive it.
func run(ctx context.Context, args []string, getenv func(string) string, stdout io.Writer) error {
	if len(args) == 0 {
		return errors.New(usage)
	}
	switch args[0] {
	case "serve":
		return serve(ctx, args[1:], getenv, stdout)
	case "backup":
		return backup(ctx, args[1:], getenv, stdout)
	case "seed":
		return seed(ctx, args[1:], getenv, stdout)
	case "powershell":
		return powershellCmd(ctx, args[1:], getenv, os.Stdin, stdout, os.Stderr)
	case "help", "-h", "--help":
		fmt.Fprintln(stdout, usage)
		return nil
	default:
		return fmt.Errorf("unknown command %q\n%s", args[0], usage)
	}
}

// serveConfig is what `serve` is told by flags and environment.
type serveConfig struct {
	Addr            string
	DB              string
	Demo            bool
	TLSCert         string
	TLSKey          string
	IdleTimeout     time.Duration
	SessionLifetime time.Duration
	// PropagationDelay keeps permission changes pending this long, as the real
	// product's replication does.
	PropagationDelay time.Duration
	// TrustedProxies are the proxies whose X-Forwarded-For and X-Forwarded-Proto
	// are believed.
	TrustedProxies []*net.IPNet
	// PublicURL is the address visitors use, behind a proxy.
	PublicURL *url.URL
	// MetricsToken is the bearer token /metrics requires, when set.
	MetricsToken string
	// BenchBaseline adds the in-memory baseline page `make bench` measures against.
	BenchBaseline bool
	// LogFormat is "text" or "json".
	LogFormat string
	// APIRateLimit requests per APIRateWindow are allowed to each API app.
	APIRateLimit  int
	APIRateWindow time.Duration
	// TestControls serves the test controls; only on loopback.
	TestControls bool
}

func parseServe(args []string, getenv func(string) string) (serveConfig, error) {
	cfg := serveConfig{}
	fs := flag.NewFlagSet("serve", flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	fs.StringVar(&cfg.Addr, "addr", envOr(getenv, "ADMINCENTER_ADDR", "127.0.0.1:8080"), "address to listen on")
	fs.StringVar(&cfg.DB, "db", envOr(getenv, "ADMINCENTER_DB", "admincenter.db"), "SQLite database file or postgres:// URL")
	fs.BoolVar(&cfg.Demo, "demo", false, "seed the demo tenant into an empty database")
	fs.StringVar(&cfg.TLSCert, "tls-cert", "", "TLS certificate file")
	fs.StringVar(&cfg.TLSKey, "tls-key", "", "TLS key file")
	fs.DurationVar(&cfg.IdleTimeout, "idle-timeout", 60*time.Minute, "sign out after this long without activity")
	fs.DurationVar(&cfg.SessionLifetime, "session-lifetime", 12*time.Hour, "sign out this long after sign-in")
	fs.DurationVar(&cfg.PropagationDelay, "propagation-delay", 0, "how long permission changes stay pending (e.g. 60m)")
	fs.BoolVar(&cfg.BenchBaseline, "bench-baseline", false, "serve /_bench/baseline for `make bench`")
	fs.StringVar(&cfg.LogFormat, "log-format", envOr(getenv, "ADMINCENTER_LOG_FORMAT", "text"), "log format: text or json")
	proxies := fs.String("trusted-proxies", envOr(getenv, "ADMINCENTER_TRUSTED_PROXIES", ""), "comma-separated CIDRs of proxies whose X-Forwarded-For and X-Forwarded-Proto are believed")
	publicURL := fs.String("public-url", envOr(getenv, "ADMINCENTER_PUBLIC_URL", ""), "the address visitors use, behind a proxy (https://... makes cookies Secure and sends HSTS)")
	fs.StringVar(&cfg.MetricsToken, "metrics-token", envOr(getenv, "ADMINCENTER_METRICS_TOKEN", ""), "bearer token /metrics requires (without it, loopback only)")
	fs.IntVar(&cfg.APIRateLimit, "api-rate-limit", web.DefaultAPIRateLimit, "requests an API app may make per --api-rate-window (0: no limit)")
	fs.DurationVar(&cfg.APIRateWindow, "api-rate-window", web.DefaultAPIRateWindow, "the period of --api-rate-limit")
	testControls := envOr(getenv, "ADMINCENTER_TEST_CONTROLS", "")
	fs.BoolVar(&cfg.TestControls, "test-controls", testControls == "1" || strings.EqualFold(testControls, "true"),
		"serve /api/test/* for test suites (loopback only)")
	if err := fs.Parse(args); err != nil {
		return cfg, fmt.Errorf("%w\n%s", err, usage)
	}
	for _, p := range strings.Split(*proxies, ",") {
		if p = strings.TrimSpace(p); p == "" {
			continue
		}
		_, n, err := net.ParseCIDR(p)
		if err != nil {
			return cfg, fmt.Errorf("--trusted-proxies: %q is not a CIDR", p)
		}
		cfg.TrustedProxies = append(cfg.TrustedProxies, n)
	}
	if *publicURL != "" {
		u, err := url.Parse(*publicURL)
		if err != nil || (u.Scheme != "https" && u.Scheme != "http") || u.Host == "" || u.User != nil ||
			(u.Path != "" && u.Path != "/") || u.RawQuery != "" || u.Fragment != "" {
			return cfg, errors.New("--public-url is the site's address, like https://admin.contoso.com (no path)")
		}
		u.Path = ""
		cfg.PublicURL = u
	}
	if cfg.MetricsToken != "" && len(cfg.MetricsToken) < 16 {
		return cfg, errors.New("--metrics-token must be at least 16 characters")
	}
	if cfg.LogFormat != "text" && cfg.LogFormat != "json" {
		return cfg, errors.New("--log-format is text or json")
	}
	if (cfg.TLSCert == "") != (cfg.TLSKey == "") {
		return cfg, errors.New("--tls-cert and --tls-key go together")
	}
	if cfg.APIRateLimit < 0 || (cfg.APIRateLimit > 0 && cfg.APIRateWindow <= 0) {
		return cfg, errors.New("--api-rate-limit is 0 or more requests per a positive --api-rate-window")
	}
	if cfg.TestControls {
		if err := loopbackOnly(cfg.Addr); err != nil {
			return cfg, err
		}
		if cfg.PublicURL != nil || len(cfg.TrustedProxies) > 0 {
			return cfg, errors.New("--test-controls can't be used behind a proxy (--public-url, --trusted-proxies): they are for a test server on loopback")
		}
	}
	return cfg, nil
}

// loopbackOnly refuses an address that is not on loopback: the test controls reset
// the tenant and sign anyone in without a password, so nothing off this machine may
// reach them.
func loopbackOnly(addr string) error {
	host, _, err := net.SplitHostPort(addr)
	if err != nil {
		return fmt.Errorf("--addr %q: %w", addr, err)
	}
	refuse := fmt.Errorf("--test-controls needs the server to listen on loopback only (--addr 127.0.0.1:PORT, [::1]:PORT or localhost:PORT), not %q", addr)
	if host == "" {
		return refuse
	}
	if ip := net.ParseIP(strings.Trim(host, "[]")); ip != nil {
		if !ip.IsLoopback() {
			return refuse
		}
		return nil
	}
	if !strings.EqualFold(host, "localhost") {
		return refuse
	}
	return nil
}

func envOr(getenv func(string) string, key, def string) string {
	if v := getenv(key); v != "" {
		return v
	}
	return def
}

func serve(ctx context.Context, args []string, getenv func(string) string, stdout io.Writer) error {
	cfg, err := parseServe(args, getenv)
	if err != nil {
		return err
	}
	var handler slog.Handler = slog.NewTextHandler(os.Stderr, nil)
	if cfg.LogFormat == "json" {
		handler = slog.NewJSONHandler(os.Stderr, nil)
	}
	log := slog.New(handler)
	// A soft memory limit makes the collector work harder before the heap grows,
	// unless the operator chose one with GOMEMLIMIT. Pages keep a few MiB live; the
	// million-person Mailbox access export keeps about 70 (its holder table and
	// groups), so 96 leaves it room to work without the heap doubling.
	if getenv("GOMEMLIMIT") == "" {
		debug.SetMemoryLimit(96 << 20)
	}
	// Under that limit the heap may grow to five times what is live (GOGC=400)
	// instead of twice: a page keeps little, so a small heap goal meant a
	// collection every few dozen requests and the runtime handing memory back to
	// the system only to fault it in again (about a sixth of the CPU an Active
	// users page cost). The limit still bounds the heap, so the export is unchanged.
	if getenv("GOGC") == "" {
		debug.SetGCPercent(400)
	}
	store, err := models.Open(ctx, cfg.DB)
	if err != nil {
		return err
	}
	defer store.Close()
	store.SetPropagationDelay(cfg.PropagationDelay)

	if cfg.Demo {
		if err := seedDemo(ctx, store, getenv, stdout); err != nil {
			return err
		}
	}

	wcfg := web.DefaultConfig()
	wcfg.Secure = cfg.TLSCert != ""
	wcfg.IdleTimeout = cfg.IdleTimeout
	wcfg.AbsoluteTimeout = cfg.SessionLifetime
	wcfg.TrustedProxies = cfg.TrustedProxies
	wcfg.PublicURL = cfg.PublicURL
	wcfg.MetricsToken = cfg.MetricsToken
	wcfg.BenchBaseline = cfg.BenchBaseline
	wcfg.APIRateLimit = cfg.APIRateLimit
	wcfg.APIRateWindow = cfg.APIRateWindow
	wcfg.TestControls = cfg.TestControls
	// Bulk jobs stop with the server: a job in the middle rolls back and is queued
	// again for the next instance (or this one, restarted).
	jobsCtx, stopJobs := context.WithCancel(ctx)
	wcfg.Jobs = models.NewJobRunner(jobsCtx, store)
	defer func() { stopJobs(); wcfg.Jobs.Wait() }()
	srv := &http.Server{
		Handler:           web.New(wcfg, store, log),
		ReadHeaderTimeout: 10 * time.Second,
		MaxHeaderBytes:    64 << 10,
		ReadTimeout:       30 * time.Second,
		WriteTimeout:      60 * time.Second,
		IdleTimeout:       120 * time.Second,
	}
	ln, err := net.Listen("tcp", cfg.Addr)
	if err != nil {
		return fmt.Errorf("listen: %w", err)
	}
	scheme := "http"
	if wcfg.Secure {
		scheme = "https"
	}
	if cfg.TestControls {
		// localhost could resolve to another address; what was bound is what counts.
		if ip := ln.Addr().(*net.TCPAddr).IP; !ip.IsLoopback() {
			ln.Close()
			return fmt.Errorf("--test-controls needs a loopback address; %s is not", ip)
		}
	}
	fmt.Fprintf(stdout, "Mail admin center listening on %s://%s\n", scheme, ln.Addr())
	if cfg.TestControls {
		fmt.Fprintf(stdout, "Test controls on: POST %s://%s/api/test/reset, /api/test/session, /api/test/propagation-delay\n", scheme, ln.Addr())
	}
	if cfg.PublicURL != nil {
		fmt.Fprintf(stdout, "Public address: %s\n", cfg.PublicURL)
	}
	log.Info("listening", "addr", ln.Addr().String(), "db", redactDSN(cfg.DB))

	go housekeeping(ctx, store, log, time.Hour)

	errc := make(chan error, 1)
	go func() {
		if wcfg.Secure {
			errc <- srv.ServeTLS(ln, cfg.TLSCert, cfg.TLSKey)
		} else {
			errc <- srv.Serve(ln)
		}
	}()
	select {
	case err := <-errc:
		return fmt.Errorf("serve: %w", err)
	case <-ctx.Done():
	}
	// Let requests in flight finish before the database closes.
	shutdownCtx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	log.Info("shutting down")
	if err := srv.Shutdown(shutdownCtx); err != nil {
		return fmt.Errorf("shutdown: %w", err)
	}
	return nil
}

// housekeeping runs at start and then every interval until ctx ends: it removes
// expired sessions and the people deleted more than 30 days ago. With several
// instances each runs it; the work is the same whoever does it first.
func housekeeping(ctx context.Context, store *models.Store, log *slog.Logger, interval time.Duration) {
	t := time.NewTicker(interval)
	defer t.Stop()
	for {
		if err := store.PurgeExpiredSessions(ctx, store.Now()); err != nil && ctx.Err() == nil {
			log.Error("purge expired sessions", "err", err)
		}
		if err := store.PurgeSignInThrottles(ctx, store.Now()); err != nil && ctx.Err() == nil {
			log.Error("purge sign-in throttles", "err", err)
		}
		if n, err := store.PurgeDeletedUsers(ctx); err != nil && ctx.Err() == nil {
			log.Error("purge deleted users", "err", err)
		} else if n > 0 {
			log.Info("purged people deleted over 30 days ago", "count", n)
		}
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
	}
}

// seedDemo loads the demo tenant into an empty database and prints how to sign in.
// A database that already holds an organization is left alone.
func seedDemo(ctx context.Context, store *models.Store, getenv func(string) string, stdout io.Writer) error {
	empty, err := store.IsEmpty(ctx)
	if err != nil {
		return err
	}
	if !empty {
		fmt.Fprintln(stdout, "Demo tenant: the database already holds an organization; left as it is.")
		return nil
	}
	password := getenv("ADMINCENTER_ADMIN_PASSWORD")
	generated := password == ""
	if generated {
		if password, err = models.GeneratePassword(); err != nil {
			return err
		}
	}
	if err := store.SeedDemo(ctx, password); err != nil {
		return err
	}
	fmt.Fprintln(stdout, "Demo tenant Contoso created. Sign in as:")
	for _, a := range []struct{ addr, role string }{
		{models.DemoAdminUsername, "Global administrator"},
		{"pattif@contoso.com", "Exchange administrator"},
		{"leeg@contoso.com", "Helpdesk administrator"},
		{"miriamg@contoso.com", "Global reader"},
	} {
		fmt.Fprintf(stdout, "  %-22s %s\n", a.addr, a.role)
	}
	if generated {
		fmt.Fprintf(stdout, "Password (shown once): %s\n", password)
	} else {
		fmt.Fprintln(stdout, "Password: the value of ADMINCENTER_ADMIN_PASSWORD")
	}
	return nil
}

// backup writes a consistent copy of the database while the server may be running.
func backup(ctx context.Context, args []string, getenv func(string) string, stdout io.Writer) error {
	fs := flag.NewFlagSet("backup", flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	db := fs.String("db", envOr(getenv, "ADMINCENTER_DB", "admincenter.db"), "SQLite database file or postgres:// URL")
	to := fs.String("to", "", "file to write the backup to (must not exist)")
	if err := fs.Parse(args); err != nil {
		return fmt.Errorf("%w\n%s", err, usage)
	}
	if *to == "" {
		return errors.New("backup needs --to FILE")
	}
	if models.IsPostgresDSN(*db) {
		return models.ErrBackupPostgres
	}
	if _, err := os.Stat(*db); err != nil {
		return fmt.Errorf("backup: no database at %s", *db)
	}
	store, err := models.Open(ctx, *db)
	if err != nil {
		return err
	}
	defer store.Close()
	if err := store.Backup(ctx, *to); err != nil {
		return err
	}
	fmt.Fprintf(stdout, "Backup of %s written to %s\n", *db, *to)
	return nil
}

// seed generates a large tenant (on top of the demo tenant) for measuring scale.
func seed(ctx context.Context, args []string, getenv func(string) string, stdout io.Writer) error {
	fs := flag.NewFlagSet("seed", flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	db := fs.String("db", envOr(getenv, "ADMINCENTER_DB", "admincenter.db"), "SQLite database file or postgres:// URL")
	var opt models.ScaleOptions
	fs.IntVar(&opt.Users, "users", 100000, "people")
	fs.IntVar(&opt.Shared, "shared", 5000, "shared mailboxes")
	fs.IntVar(&opt.Groups, "groups", 2000, "groups")
	fs.IntVar(&opt.Grants, "grants", 200000, "mailbox permissions")
	fs.IntVar(&opt.Contacts, "contacts", 5000, "mail contacts")
	fs.Uint64Var(&opt.Seed, "seed", 1, "generator seed (the same seed gives the same tenant)")
	cpuProfile := fs.String("cpuprofile", "", "write a CPU profile of the generator to this file")
	if err := fs.Parse(args); err != nil {
		return fmt.Errorf("%w\n%s", err, usage)
	}
	if opt.Users < 0 || opt.Shared < 0 || opt.Groups < 0 || opt.Grants < 0 || opt.Contacts < 0 {
		return errors.New("seed: counts can't be negative")
	}
	store, err := models.Open(ctx, *db)
	if err != nil {
		return err
	}
	defer store.Close()
	if err := seedDemo(ctx, store, getenv, stdout); err != nil {
		return err
	}
	// The generator makes garbage fast and keeps little: collecting less often is
	// cheaper than collecting a small heap.
	debug.SetGCPercent(400)
	if *cpuProfile != "" {
		f, err := os.Create(*cpuProfile)
		if err != nil {
			return fmt.Errorf("--cpuprofile: %w", err)
		}
		defer f.Close()
		if err := pprof.StartCPUProfile(f); err != nil {
			return fmt.Errorf("--cpuprofile: %w", err)
		}
		defer pprof.StopCPUProfile()
	}
	start := time.Now()
	if err := store.SeedScale(ctx, opt); err != nil {
		return err
	}
	fmt.Fprintf(stdout, "Generated %d people, %d shared mailboxes, %d groups, %d mail contacts and %d permissions in %s.\n",
		opt.Users, opt.Shared, opt.Groups, opt.Contacts, opt.Grants, time.Since(start).Round(time.Millisecond))
	return nil
}

// redactDSN hides the password of a PostgreSQL URL before it is logged.
func redactDSN(dsn string) string {
	if !models.IsPostgresDSN(dsn) {
		return dsn
	}
	u, err := url.Parse(dsn)
	if err != nil {
		return "postgres://(unparsable URL)"
	}
	return u.Redacted()
}
