// Package dbtest gives each test its own empty database: a SQLite file in the test's
// temp dir, or, when ADMINCENTER_TEST_POSTGRES names a PostgreSQL server, a fresh
// database on that server (dropped when the test ends). `make test` runs the tests
// both ways; .ci/with-postgres starts the throwaway server.
package dbtest

import (
	"crypto/rand"
	"database/sql"
	"encoding/hex"
	"fmt"
	"net/url"
	"os"
	"path/filepath"
	"sync"
	"testing"

	_ "github.com/jackc/pgx/v5/stdlib" // the "pgx" database/sql driver
)

// Env names the PostgreSQL server URL the tests use, with a role allowed to create
// databases, e.g. postgres://postgres@127.0.0.1:5433/postgres?sslmode=disable.
const Env = "ADMINCENTER_TEST_POSTGRES"

// Postgres reports whether the tests run on PostgreSQL.
func Postgres() bool { return os.Getenv(Env) != "" }

// DSN returns the --db value of a new, empty database for the test: name.db in the
// test's temp dir, or a new PostgreSQL database.
func DSN(t testing.TB, name string) string {
	t.Helper()
	if !Postgres() {
		return filepath.Join(t.TempDir(), name+".db")
	}
	return NewPostgres(t)
}

var (
	adminOnce sync.Once
	admin     *sql.DB
	adminErr  error
)

// NewPostgres creates a database on the test server and returns its URL. Databases
// use ICU's English collation, as a real installation might, so nothing may rely on
// the server sorting text byte by byte unless it says so.
func NewPostgres(t testing.TB) string {
	t.Helper()
	server := os.Getenv(Env)
	adminOnce.Do(func() {
		admin, adminErr = sql.Open("pgx", server)
		if adminErr == nil {
			adminErr = admin.Ping()
		}
	})
	if adminErr != nil {
		t.Fatalf("PostgreSQL test server %s: %v", server, adminErr)
	}
	var b [6]byte
	_, _ = rand.Read(b[:])
	name := "ac_test_" + hex.EncodeToString(b[:])
	if _, err := admin.Exec(`CREATE DATABASE ` + name +
		` TEMPLATE template0 ENCODING 'UTF8' LOCALE_PROVIDER icu ICU_LOCALE 'en-US' LOCALE 'C.UTF-8'`); err != nil {
		t.Fatalf("create test database: %v", err)
	}
	t.Cleanup(func() {
		if _, err := admin.Exec(`DROP DATABASE IF EXISTS ` + name + ` WITH (FORCE)`); err != nil {
			t.Logf("drop test database %s: %v", name, err)
		}
	})
	u, err := url.Parse(server)
	if err != nil {
		t.Fatalf("%s: %v", Env, err)
	}
	u.Path = "/" + name
	return u.String()
}

// Describe says which database the tests run on, for a test log line.
func Describe() string {
	if Postgres() {
		return fmt.Sprintf("PostgreSQL (%s)", os.Getenv(Env))
	}
	return "SQLite"
}
