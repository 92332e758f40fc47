package main

import (
	"bufio"
	"bytes"
	"context"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/pem"
	"errors"
	"io"
	"log/slog"
	"math/big"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"golang.org/x/crypto/bcrypt"

	"github.com/contoso/admincenter/models"
	"github.com/contoso/admincenter/models/dbtest"
)

// fastHashing lowers bcrypt's work factor for the stores the tests open: it only
// slows guessing, and tests need speed. (The server that run starts keeps the real one.)
var fastHashing = models.WithPasswordCost(bcrypt.MinCost)

func env(m map[string]string) func(string) string { return func(k string) string { return m[k] } }

func TestParseServe(t *testing.T) {
	t.Parallel()
	cfg, err := parseServe(nil, env(map[string]string{"ADMINCENTER_ADDR": "127.0.0.1:9999", "ADMINCENTER_DB": "/tmp/x.db"}))
	if err != nil || cfg.Addr != "127.0.0.1:9999" || cfg.DB != "/tmp/x.db" || cfg.Demo {
		t.Fatalf("env fallbacks: %+v %v", cfg, err)
	}
	cfg, err = parseServe([]string{"--addr", "127.0.0.1:1", "--db", "a.db", "--demo", "--propagation-delay", "60m"}, env(map[string]string{"ADMINCENTER_ADDR": "x"}))
	if err != nil || cfg.Addr != "127.0.0.1:1" || cfg.DB != "a.db" || !cfg.Demo || cfg.PropagationDelay != time.Hour {
		t.Fatalf("flags win: %+v %v", cfg, err)
	}
	if cfg, _ := parseServe(nil, env(nil)); cfg.Addr != "127.0.0.1:8080" {
		t.Fatalf("default address must be loopback: %s", cfg.Addr)
	}
	if cfg, err := parseServe([]string{"--trusted-proxies", "10.0.0.0/8, 192.168.1.1/32"}, env(nil)); err != nil || len(cfg.TrustedProxies) != 2 {
		t.Fatalf("trusted proxies: %v %v", cfg.TrustedProxies, err)
	}
	if _, err := parseServe([]string{"--trusted-proxies", "everyone"}, env(nil)); err == nil {
		t.Fatal("a bad CIDR was accepted")
	}
	if _, err := parseServe([]string{"--tls-cert", "c.pem"}, env(nil)); err == nil {
		t.Fatal("a certificate without a key must be refused")
	}
	if err := run(context.Background(), []string{"frobnicate"}, env(nil), &bytes.Buffer{}); err == nil {
		t.Fatal("unknown command accepted")
	}
}

func TestParseServeProxyAndMetricsFlags(t *testing.T) {
	cfg, err := parseServe([]string{"--public-url", "https://admin.contoso.com/", "--metrics-token", "0123456789abcdef"}, env(nil))
	if err != nil || cfg.PublicURL == nil || cfg.PublicURL.String() != "https://admin.contoso.com" || cfg.MetricsToken != "0123456789abcdef" {
		t.Fatalf("flags: %+v %v", cfg, err)
	}
	cfg, err = parseServe(nil, env(map[string]string{"ADMINCENTER_PUBLIC_URL": "http://localhost:8080", "ADMINCENTER_METRICS_TOKEN": "fedcba9876543210"}))
	if err != nil || cfg.PublicURL.String() != "http://localhost:8080" || cfg.MetricsToken != "fedcba9876543210" {
		t.Fatalf("environment: %+v %v", cfg, err)
	}
	for _, bad := range []string{"admin.contoso.com", "ftp://admin.contoso.com", "https://admin.contoso.com/admin", "https://user:pw@admin.contoso.com", "https://", "https://admin.contoso.com/?x=1"} {
		if _, err := parseServe([]string{"--public-url", bad}, env(nil)); err == nil {
			t.Errorf("--public-url %q accepted", bad)
		}
	}
	if _, err := parseServe([]string{"--metrics-token", "short"}, env(nil)); err == nil {
		t.Error("a short metrics token was accepted")
	}
}

func TestSeedDemoOnlyIntoAnEmptyDatabase(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	store, err := models.Open(ctx, dbtest.DSN(t, "demo"), fastHashing)
	if err != nil {
		t.Fatal(err)
	}
	defer store.Close()
	var out bytes.Buffer
	if err := seedDemo(ctx, store, env(nil), &out); err != nil {
		t.Fatal(err)
	}
	m := regexpPassword.FindStringSubmatch(out.String())
	if m == nil || !strings.Contains(out.String(), "admin@contoso.com") {
		t.Fatalf("no generated password printed:\n%s", out.String())
	}
	if _, err := store.Authenticate(ctx, "admin@contoso.com", m[1]); err != nil {
		t.Fatalf("the printed password does not sign in: %v", err)
	}
	out.Reset()
	if err := seedDemo(ctx, store, env(map[string]string{"ADMINCENTER_ADMIN_PASSWORD": "other"}), &out); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(out.String(), "left as it is") {
		t.Fatalf("second seed: %s", out.String())
	}
	if _, err := store.Authenticate(ctx, "admin@contoso.com", "other"); err == nil {
		t.Fatal("a non-empty database was re-seeded")
	}
}

var regexpPassword = regexp.MustCompile(`Password \(shown once\): (\S+)`)

func TestBackupAndRestore(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	if dbtest.Postgres() {
		// PostgreSQL is backed up with its own tools; the command says so.
		err := run(ctx, []string{"backup", "--db", dbtest.NewPostgres(t), "--to", filepath.Join(t.TempDir(), "b.db")}, env(nil), io.Discard)
		if !errors.Is(err, models.ErrBackupPostgres) {
			t.Fatalf("backup of a PostgreSQL database: %v", err)
		}
		return
	}
	dir := t.TempDir()
	db := filepath.Join(dir, "live.db")
	store, err := models.Open(ctx, db, fastHashing)
	if err != nil {
		t.Fatal(err)
	}
	if err := store.SeedDemo(ctx, "Backup-Pass-1"); err != nil {
		t.Fatal(err)
	}
	want, _ := store.Fingerprint(ctx)
	// The backup is taken while the live database stays open.
	var out bytes.Buffer
	to := filepath.Join(dir, "backup.db")
	if err := run(ctx, []string{"backup", "--db", db, "--to", to}, env(nil), &out); err != nil {
		t.Fatal(err)
	}
	if err := run(ctx, []string{"backup", "--db", db, "--to", to}, env(nil), &out); err == nil {
		t.Fatal("a backup overwrote an existing file")
	}
	store.Close()
	// Restore: the backup file is a database of its own.
	restored, err := models.Open(ctx, to, fastHashing)
	if err != nil {
		t.Fatal(err)
	}
	defer restored.Close()
	if got, _ := restored.Fingerprint(ctx); got != want {
		t.Fatal("the backup differs from the live data")
	}
	if ok, _ := restored.IntegrityCheck(ctx); ok != "ok" {
		t.Fatalf("integrity: %s", ok)
	}
	if _, err := restored.Authenticate(ctx, "admin@contoso.com", "Backup-Pass-1"); err != nil {
		t.Fatalf("restored data: %v", err)
	}
}

func TestServeOverTLS(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	certFile, keyFile := filepath.Join(dir, "cert.pem"), filepath.Join(dir, "key.pem")
	writeSelfSigned(t, certFile, keyFile)
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	pr, pw := io.Pipe()
	done := make(chan error, 1)
	go func() {
		done <- run(ctx, []string{"serve", "--addr", "127.0.0.1:0", "--db", dbtest.DSN(t, "tls"), "--demo",
			"--tls-cert", certFile, "--tls-key", keyFile}, env(map[string]string{"ADMINCENTER_ADMIN_PASSWORD": "Tls-Pass-1"}), pw)
		pw.Close()
	}()
	var base string
	scanner := bufio.NewScanner(pr)
	for scanner.Scan() {
		if _, after, ok := strings.Cut(scanner.Text(), "listening on "); ok {
			base = after
			break
		}
	}
	go io.Copy(io.Discard, pr)
	if !strings.HasPrefix(base, "https://127.0.0.1:") {
		t.Fatalf("listening address = %q", base)
	}
	client := &http.Client{Transport: &http.Transport{TLSClientConfig: &tls.Config{InsecureSkipVerify: true}}}
	res, err := client.Get(base + "/signin")
	if err != nil {
		t.Fatal(err)
	}
	res.Body.Close()
	if hsts := res.Header.Get("Strict-Transport-Security"); !strings.Contains(hsts, "max-age=") {
		t.Fatalf("HSTS = %q", hsts)
	}
	for _, c := range res.Cookies() {
		if !c.Secure || !c.HttpOnly {
			t.Fatalf("cookie %s is not Secure and HttpOnly over TLS", c.Name)
		}
	}
	cancel()
	if err := <-done; err != nil {
		t.Fatalf("shutdown: %v", err)
	}
}

func writeSelfSigned(t *testing.T, certFile, keyFile string) {
	t.Helper()
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	tmpl := &x509.Certificate{SerialNumber: big.NewInt(1), Subject: pkix.Name{CommonName: "127.0.0.1"},
		IPAddresses: []net.IP{net.ParseIP("127.0.0.1")}, NotBefore: time.Now().Add(-time.Hour), NotAfter: time.Now().Add(time.Hour),
		KeyUsage: x509.KeyUsageDigitalSignature, ExtKeyUsage: []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth}}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	if err != nil {
		t.Fatal(err)
	}
	keyDER, err := x509.MarshalECPrivateKey(key)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(certFile, pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: der}), 0o600); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(keyFile, pem.EncodeToMemory(&pem.Block{Type: "EC PRIVATE KEY", Bytes: keyDER}), 0o600); err != nil {
		t.Fatal(err)
	}
}

func TestLoggedDatabaseURLHidesThePassword(t *testing.T) {
	t.Parallel()
	if got := redactDSN("postgres://admin:s3cret@db.internal:5432/mail?sslmode=require"); strings.Contains(got, "s3cret") || !strings.Contains(got, "db.internal") {
		t.Fatalf("redacted: %s", got)
	}
	if got := redactDSN("/var/lib/admincenter/admincenter.db"); got != "/var/lib/admincenter/admincenter.db" {
		t.Fatalf("a file path changed: %s", got)
	}
}

func TestHousekeepingPurgesPeopleDeletedOverThirtyDaysAgo(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	store, err := models.Open(ctx, dbtest.DSN(t, "housekeeping"), fastHashing)
	if err != nil {
		t.Fatal(err)
	}
	defer store.Close()
	if err := store.SeedDemo(ctx, "House-Pass-1234"); err != nil {
		t.Fatal(err)
	}
	admin, err := store.Authenticate(ctx, "admin@contoso.com", "House-Pass-1234")
	if err != nil {
		t.Fatal(err)
	}
	grady, _ := store.UserIDByAddress(ctx, "gradya@contoso.com")
	if err := store.DeleteUser(ctx, admin, grady); err != nil {
		t.Fatal(err)
	}
	later := time.Now().Add(31 * 24 * time.Hour)
	store.Now = func() time.Time { return later }

	hctx, cancel := context.WithCancel(ctx)
	done := make(chan struct{})
	go func() {
		housekeeping(hctx, store, slog.New(slog.NewTextHandler(io.Discard, nil)), time.Hour)
		close(done)
	}()
	deadline := time.Now().Add(10 * time.Second)
	for {
		if _, err := store.RecipientByAddress(ctx, "gradya@contoso.com"); errors.Is(err, models.ErrNotFound) {
			break
		}
		if time.Now().After(deadline) {
			t.Fatal("the person deleted 31 days ago was not purged")
		}
		time.Sleep(20 * time.Millisecond)
	}
	cancel()
	<-done
}
