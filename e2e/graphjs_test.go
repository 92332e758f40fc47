//go:build e2e

package e2e

import (
	"bytes"
	"context"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/pem"
	"io"
	"log/slog"
	"math/big"
	"net"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/contoso/admincenter/models"
	"github.com/contoso/admincenter/models/dbtest"
	"github.com/contoso/admincenter/web"
)

// TestGraphJavaScriptClient runs a script written with Microsoft's JavaScript Graph
// client (@microsoft/microsoft-graph-client, pinned in package.json) against the
// real server over HTTPS: list with $filter, $search and $count, the errors for a
// missing ConsistencyLevel, an unknown id and a Global reader's change, create a
// person, assign a licence, set and read back automatic replies, add and remove a
// group member, and a PageIterator walk along @odata.nextLink through a tenant of
// 10,000 generated people (100,000 with ADMINCENTER_TEST_SCALE=1), each counted once.
// The client sends the token only over https to the hosts it knows, so the server
// gets a certificate from a certificate authority made here, which node trusts
// through NODE_EXTRA_CA_CERTS.
func TestGraphJavaScriptClient(t *testing.T) {
	script := filepath.Join(repo, "e2e", "graphjs", "graph-client.mjs")
	if _, err := os.Stat(filepath.Join(repo, "node_modules", "@microsoft", "microsoft-graph-client", "package.json")); err != nil {
		t.Fatal("@microsoft/microsoft-graph-client is not installed: run `npm ci` (make npm)")
	}
	people := 10_000
	if os.Getenv("ADMINCENTER_TEST_SCALE") != "" {
		people = 100_000
	}
	ctx := context.Background()
	store, err := models.Open(ctx, dbtest.DSN(t, "graphjs"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { store.Close() })
	if err := store.SeedDemo(ctx, adminPassword); err != nil {
		t.Fatal(err)
	}
	start := time.Now()
	if err := store.SeedScale(ctx, models.ScaleOptions{Users: people, Seed: 1}); err != nil {
		t.Fatal(err)
	}
	t.Logf("seeded %d people in %s", people, time.Since(start).Round(time.Millisecond))
	listed, err := store.CountGraphUsers(ctx, models.GraphUserQuery{})
	if err != nil {
		t.Fatal(err)
	}

	caPEM, cert := testCertificate(t)
	caFile := filepath.Join(t.TempDir(), "ca.pem")
	if err := os.WriteFile(caFile, caPEM, 0o600); err != nil {
		t.Fatal(err)
	}
	cfg := web.DefaultConfig()
	cfg.Secure = true
	cfg.APIRateLimit = 0 // a walk through a large tenant is one trusted integration
	srv := httptest.NewUnstartedServer(web.New(cfg, store, slog.New(slog.NewTextHandler(io.Discard, nil))))
	srv.TLS = &tls.Config{Certificates: []tls.Certificate{cert}}
	srv.StartTLS()
	t.Cleanup(srv.Close)

	admin, err := store.Authenticate(ctx, "admin@contoso.com", adminPassword)
	if err != nil {
		t.Fatal(err)
	}
	app := func(name string, role models.Role) *models.CreatedApp {
		a, err := store.CreateApp(ctx, admin, models.NewApp{Name: name, Roles: []models.Role{role}, LifetimeDays: 180})
		if err != nil {
			t.Fatal(err)
		}
		return a
	}
	globalAdmin := app("JS Graph client", models.RoleGlobalAdmin)
	reader := app("JS Graph reader", models.RoleGlobalReader)

	node, err := exec.LookPath("node")
	if err != nil {
		t.Fatal("node is not on PATH")
	}
	runCtx, cancel := context.WithTimeout(ctx, 5*time.Minute)
	defer cancel()
	cmd := exec.CommandContext(runCtx, node, script)
	cmd.Dir = repo
	cmd.Env = append(os.Environ(),
		"NODE_EXTRA_CA_CERTS="+caFile,
		"GRAPH_BASE_URL="+srv.URL,
		"GRAPH_TENANT=contoso.com",
		"GRAPH_ADMIN_ID="+globalAdmin.ClientID, "GRAPH_ADMIN_SECRET="+globalAdmin.Secret,
		"GRAPH_READER_ID="+reader.ClientID, "GRAPH_READER_SECRET="+reader.Secret,
		"GRAPH_PEOPLE="+strconv.FormatInt(listed, 10),
		"GRAPH_RUN="+strconv.FormatInt(time.Now().UnixNano()%1e6, 36),
	)
	var out bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &out
	start = time.Now()
	err = cmd.Run()
	t.Logf("node %s (%s):\n%s", filepath.Base(script), time.Since(start).Round(time.Millisecond), out.String())
	if err != nil {
		t.Fatalf("the Graph client script failed: %v", err)
	}
	if !strings.Contains(out.String(), "\nPASS\n") {
		t.Fatal("the Graph client script did not finish its checks")
	}
}

// testCertificate makes a certificate authority and a server certificate it signs
// for localhost and 127.0.0.1; it returns the authority's PEM and the server's
// certificate.
func testCertificate(t *testing.T) ([]byte, tls.Certificate) {
	t.Helper()
	caKey, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	now := time.Now()
	caTemplate := &x509.Certificate{
		SerialNumber:          big.NewInt(1),
		Subject:               pkix.Name{CommonName: "admincenter test CA"},
		NotBefore:             now.Add(-time.Hour),
		NotAfter:              now.Add(24 * time.Hour),
		KeyUsage:              x509.KeyUsageCertSign | x509.KeyUsageDigitalSignature,
		BasicConstraintsValid: true,
		IsCA:                  true,
	}
	caDER, err := x509.CreateCertificate(rand.Reader, caTemplate, caTemplate, &caKey.PublicKey, caKey)
	if err != nil {
		t.Fatal(err)
	}
	ca, err := x509.ParseCertificate(caDER)
	if err != nil {
		t.Fatal(err)
	}
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	leafDER, err := x509.CreateCertificate(rand.Reader, &x509.Certificate{
		SerialNumber: big.NewInt(2),
		Subject:      pkix.Name{CommonName: "localhost"},
		DNSNames:     []string{"localhost"},
		IPAddresses:  []net.IP{net.IPv4(127, 0, 0, 1)},
		NotBefore:    now.Add(-time.Hour),
		NotAfter:     now.Add(24 * time.Hour),
		KeyUsage:     x509.KeyUsageDigitalSignature,
		ExtKeyUsage:  []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth},
	}, ca, &key.PublicKey, caKey)
	if err != nil {
		t.Fatal(err)
	}
	return pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: caDER}),
		tls.Certificate{Certificate: [][]byte{leafDER}, PrivateKey: key}
}
