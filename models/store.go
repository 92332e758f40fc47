package models

import (
	"context"
	"crypto/sha256"
	"database/sql"
	"encoding/hex"
	"errors"
	"fmt"
	"os"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"golang.org/x/crypto/bcrypt"
	"gorm.io/driver/postgres"
	"gorm.io/driver/sqlite"
	"gorm.io/gorm"
	"gorm.io/gorm/logger"
)

// Store is the application's data access: every query and every rule-checked change.
type Store struct {
	db *gorm.DB
	// Now returns the current time; tests replace it.
	Now func() time.Time
	// propagationDelay is how long a permission change stays pending before it takes
	// effect (nanoseconds), to reproduce the real product's delay on purpose.
	propagationDelay atomic.Int64

	// Every page needs the organization and the list its count of people; both change
	// rarely, so they are kept briefly (and dropped when this process changes them).
	org        atomic.Pointer[cached[Organization]]
	usersCount keptCount[int64]
	// sharedCount is how many shared mailboxes there are, kept as usersCount;
	// groupCounts the groups of each type (the tabs of Active teams & groups).
	sharedCount keptCount[int64]
	groupCounts keptCount[map[GroupType]int]
	// background is the counts being counted behind a kept one (counts.go); Close
	// waits for them.
	background sync.WaitGroup

	// auth keeps sessions and admins while the auth generation stays the same;
	// authGenStmt reads it (authcache.go).
	auth        authCache
	authGenStmt *sql.Stmt
	// requestGenStmt reads the auth, list and report generations together, once
	// for a request (WithAuthGeneration).
	requestGenStmt *sql.Stmt
	// countGenStmt reads the count generation for the kept counts (countgen.go).
	countGenStmt *sql.Stmt
	// firstPages keeps the first page of Active users while the list generation,
	// which listGenStmt reads, stays the same (users_kept.go).
	firstPages  keptFirstPages
	listGenStmt *sql.Stmt
	// reportPages keeps the Mailbox access report's first page (the page and the
	// row after it, by page size) while the report generation, which
	// reportGenStmt reads, stays the same (reports_kept.go).
	reportPages   keptPages[int, []AccessReportRow]
	reportGenStmt *sql.Stmt
	// peopleSearches and sharedSearches keep the first pages of searches
	// (kept_searches.go).
	peopleSearches keptPages[peopleSearchKey, userPage]
	sharedSearches keptPages[sharedSearchKey, sharedPage]
	// keptAccess keeps the groups and access of the recipients whose Mail tab
	// was opened last (permissions_access.go).
	keptAccess keptPages[uint, keptHoldings]
	// groupPages keeps the first page of each tab of groups (groups_list.go).
	groupPages keptPages[groupsPageKey, keptGroups]
	// keptHolders keeps the holders of the mailboxes opened last
	// (permissions_kept.go).
	keptHolders keptPages[uint, keptHolders]
	// graphPages keeps the first pages of Graph's list of people
	// (graph_users_kept.go).
	graphPages keptPages[graphPageKey, keptGraphPage]

	// writeMu queues this process's writers in Go. SQLite has one writer at a time;
	// a writer that finds the lock taken sleeps in SQLite's busy handler with growing
	// back-off, so under load the lock sat free while writers slept.
	writeMu sync.Mutex

	// postgres is set when the database is PostgreSQL rather than SQLite.
	postgres bool

	// closed is closed by Close: the store's job runners stop.
	closed    chan struct{}
	closeOnce sync.Once

	// passwordCost is bcrypt's work factor for the passwords this store hashes.
	passwordCost int
	// dummyHash is compared against when a sign-in names an unknown address, so it
	// takes as long to refuse as a wrong password. It is made on first use.
	dummyHash func() []byte

	// apps holds the key API apps' secrets and tokens are hashed and signed with;
	// tenantID the organization's tenant id, both loaded on first use.
	apps     appKeys
	tenantID atomic.Pointer[string]
}

// PropagationDelay is how long a permission change stays pending before it takes
// effect, to reproduce the real product's delay on purpose.
func (s *Store) PropagationDelay() time.Duration { return time.Duration(s.propagationDelay.Load()) }

// SetPropagationDelay sets the propagation delay for the changes made from now on.
// It may be called while the server runs (the test controls do); each instance
// has its own.
func (s *Store) SetPropagationDelay(d time.Duration) { s.propagationDelay.Store(int64(max(d, 0))) }

// DefaultPasswordCost is bcrypt's work factor: slow enough to make guessing expensive.
const DefaultPasswordCost = 12

// Option changes how Open sets up a Store.
type Option func(*Store)

// WithPasswordCost sets bcrypt's work factor for the passwords the store hashes.
// Tests lower it to keep the suite fast; everything else keeps DefaultPasswordCost.
func WithPasswordCost(cost int) Option {
	return func(s *Store) { s.passwordCost = cost }
}

// Postgres reports whether the store runs on PostgreSQL.
func (s *Store) Postgres() bool { return s.postgres }

// write runs fn in a write transaction, one at a time.
//
// Every rule is checked inside the transaction that makes the change ("the last
// Global administrator", seats left, forwarding loops), so write transactions must
// not interleave. SQLite has one writer at a time (immediate transactions). On
// PostgreSQL, where several instances share the database, each write transaction
// first takes one transaction-scoped advisory lock, so writers queue across every
// instance the same way; each statement after it sees everything committed before.
// (SERIALIZABLE with retries would allow more concurrency, but a retried closure
// would have to be free of side effects outside the transaction.)
func (s *Store) write(ctx context.Context, fn func(tx *gorm.DB) error) error {
	s.writeMu.Lock()
	defer s.writeMu.Unlock()
	err := s.writeTx(ctx, fn)
	if err == nil {
		s.authWritten(ctx)
	}
	return err
}

func (s *Store) writeTx(ctx context.Context, fn func(tx *gorm.DB) error) error {
	if !s.postgres {
		return s.db.WithContext(ctx).Transaction(fn)
	}
	return s.db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		if err := tx.Exec("SELECT pg_advisory_xact_lock(?)", writeLockKey).Error; err != nil {
			return fmt.Errorf("wait for the write lock: %w", err)
		}
		return fn(tx)
	})
}

// Advisory lock keys on PostgreSQL: one for schema changes, one for writes.
const (
	migrateLockKey = 0x61646d696e   // "admin"
	writeLockKey   = 0x61646d696e77 // "adminw"
)

// cacheTTL bounds how stale a cached value may be, also across several instances.
const cacheTTL = 2 * time.Second

type cached[T any] struct {
	value T
	at    time.Time
}

func fresh[T any](p *atomic.Pointer[cached[T]]) (T, bool) {
	if c := p.Load(); c != nil && time.Since(c.at) < cacheTTL {
		return c.value, true
	}
	var zero T
	return zero, false
}

// sqliteDSN adds the connection settings the app relies on to a SQLite path: WAL so
// readers never block the writer, a busy timeout, foreign keys, and immediate
// transactions so concurrent read-then-write transactions queue instead of failing
// with "database is locked". Each connection keeps 6 MiB of pages (SQLite's default
// is 2 MiB): a Graph page of 100 people reads about 600 pages (person, recipient,
// address, licences), more than 2 MiB hold, so every request read them all again
// from the file; at most 48 MiB over the pool's 8 connections (8 MiB each put a
// server that had served pages for a while over 200 MB during the million-person
// Mailbox access export). Each connection also
// keeps its most recent prepared statements (the driver's statement cache), so a
// page's queries are parsed and planned once per connection, not on every request.
func sqliteDSN(path string) string {
	params := "_journal_mode=WAL&_busy_timeout=10000&_foreign_keys=on&_txlock=immediate&_synchronous=NORMAL&_cache_size=-6144&_stmt_cache_size=" + strconv.Itoa(sqliteStmtCache)
	if strings.Contains(path, "?") {
		return path + "&" + params
	}
	return "file:" + path + "?" + params
}

// sqliteStmtCache is how many prepared statements each SQLite connection keeps.
const sqliteStmtCache = 128

// postgresDSN turns PostgreSQL's just-in-time compilation off for the app's
// connections unless the URL says otherwise: it pays off for long analytical queries,
// and costs tens of milliseconds on each of the app's short ones that it thinks large.
func postgresDSN(dsn string) string {
	if strings.Contains(dsn, "jit=") {
		return dsn
	}
	if strings.Contains(dsn, "?") {
		return dsn + "&jit=off"
	}
	return dsn + "?jit=off"
}

// IsPostgresDSN reports whether a --db value names a PostgreSQL database
// (postgres://... or postgresql://...) rather than a SQLite file.
func IsPostgresDSN(dsn string) bool {
	return strings.HasPrefix(dsn, "postgres://") || strings.HasPrefix(dsn, "postgresql://")
}

// Open opens the database and migrates it: a PostgreSQL database for a
// postgres:// URL, otherwise the SQLite file at that path (created if needed).
func Open(ctx context.Context, dsn string, opts ...Option) (*Store, error) {
	pg := IsPostgresDSN(dsn)
	dialector := sqlite.Open(sqliteDSN(dsn))
	if pg {
		dialector = postgres.Open(postgresDSN(dsn))
	}
	db, err := gorm.Open(dialector, &gorm.Config{
		Logger:                 logger.Discard,
		SkipDefaultTransaction: true,
		TranslateError:         true,
		NowFunc:                func() time.Time { return time.Now().UTC() },
	})
	if err != nil {
		return nil, fmt.Errorf("open database: %w", err)
	}
	sqlDB, err := db.DB()
	if err != nil {
		return nil, fmt.Errorf("open database: %w", err)
	}
	sqlDB.SetMaxOpenConns(8)
	sqlDB.SetMaxIdleConns(8)
	if pg {
		db.ClauseBuilders["LIMIT"] = literalLimit
		// Connections to a server are cheap to keep but not unlimited across instances.
		sqlDB.SetMaxOpenConns(16)
		sqlDB.SetMaxIdleConns(16)
		sqlDB.SetConnMaxIdleTime(5 * time.Minute)
	}
	s := &Store{keptAccess: keptPages[uint, keptHoldings]{limit: keptAccessLimit},
		keptHolders: keptPages[uint, keptHolders]{limit: keptMailboxesLimit},
		graphPages:  keptPages[graphPageKey, keptGraphPage]{limit: keptGraphPagesLimit}, db: db, Now: func() time.Time { return time.Now().UTC() }, postgres: pg, passwordCost: DefaultPasswordCost,
		closed: make(chan struct{})}
	for _, o := range opts {
		o(s)
	}
	s.dummyHash = sync.OnceValue(func() []byte {
		h, _ := bcrypt.GenerateFromPassword([]byte("no such account"), s.passwordCost)
		return h
	})
	if err := s.migrate(ctx); err != nil {
		_ = sqlDB.Close()
		return nil, err
	}
	if err := s.prepareAuthGeneration(ctx); err != nil {
		_ = sqlDB.Close()
		return nil, err
	}
	if err := s.prepareCountGeneration(ctx); err != nil {
		_ = sqlDB.Close()
		return nil, err
	}
	if err := s.prepareListGeneration(ctx); err != nil {
		_ = sqlDB.Close()
		return nil, err
	}
	if err := s.prepareReportGeneration(ctx); err != nil {
		_ = sqlDB.Close()
		return nil, err
	}
	return s, nil
}

func (s *Store) migrate(ctx context.Context) error {
	db := s.db.WithContext(ctx)
	if schemaCurrent(db) {
		return nil
	}
	if !s.postgres {
		if err := migrateSchema(db, false); err != nil {
			return err
		}
		return recordSchema(db)
	}
	// Instances that start together take turns: the first creates the schema, the
	// others find it there.
	return db.Connection(func(conn *gorm.DB) error {
		if err := conn.Exec("SELECT pg_advisory_lock(?)", migrateLockKey).Error; err != nil {
			return fmt.Errorf("migrate: %w", err)
		}
		defer conn.Exec("SELECT pg_advisory_unlock(?)", migrateLockKey)
		if schemaCurrent(conn) {
			return nil
		}
		if err := migrateSchema(conn, true); err != nil {
			return err
		}
		return recordSchema(conn)
	})
}

// Close closes the database.
func (s *Store) Close() error {
	s.closeOnce.Do(func() { close(s.closed) })
	s.background.Wait()
	for _, stmt := range []*sql.Stmt{s.authGenStmt, s.requestGenStmt, s.countGenStmt, s.listGenStmt, s.reportGenStmt} {
		if stmt != nil {
			stmt.Close()
		}
	}
	sqlDB, err := s.db.DB()
	if err != nil {
		return err
	}
	return sqlDB.Close()
}

// Ping checks that the database answers.
func (s *Store) Ping(ctx context.Context) error {
	sqlDB, err := s.db.DB()
	if err != nil {
		return err
	}
	return sqlDB.PingContext(ctx)
}

// IsEmpty reports whether the database holds no organization yet.
func (s *Store) IsEmpty(ctx context.Context) (bool, error) {
	var n int64
	if err := s.db.WithContext(ctx).Model(&Organization{}).Count(&n).Error; err != nil {
		return false, fmt.Errorf("count organizations: %w", err)
	}
	return n == 0, nil
}

// Organization returns the tenant.
func (s *Store) Organization(ctx context.Context) (*Organization, error) {
	if o, ok := fresh(&s.org); ok {
		return &o, nil
	}
	var o Organization
	if err := s.db.WithContext(ctx).Order("id").First(&o).Error; err != nil {
		return nil, notFound(err, "organization")
	}
	s.org.Store(&cached[Organization]{value: o, at: time.Now()})
	return &o, nil
}

// forget drops the cached organization and count after this process changed them.
func (s *Store) forget() {
	s.org.Store(nil)
	s.usersCount.forget()
	s.sharedCount.forget()
	s.groupCounts.forget()
	s.firstPages.forget()
	s.reportPages.forget()
	s.peopleSearches.forget()
	s.sharedSearches.forget()
	s.keptAccess.forget()
	s.groupPages.forget()
	s.keptHolders.forget()
	s.graphPages.forget()
}

// Domains returns the accepted domains, the default first.
func (s *Store) Domains(ctx context.Context) ([]Domain, error) {
	var ds []Domain
	if err := s.db.WithContext(ctx).Order("is_default desc, name").Find(&ds).Error; err != nil {
		return nil, fmt.Errorf("list domains: %w", err)
	}
	return ds, nil
}

// notFound translates gorm's not-found error into ErrNotFound and wraps the rest.
func notFound(err error, what string) error {
	if errors.Is(err, gorm.ErrRecordNotFound) {
		return ErrNotFound
	}
	return fmt.Errorf("load %s: %w", what, err)
}

// sortName is the key recipients are sorted and prefix-searched by.
func sortName(displayName string) string {
	return strings.ToLower(strings.TrimSpace(displayName))
}

// tables lists the application's tables, by name.
func (s *Store) tables(db *gorm.DB) ([]string, error) {
	q := "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name"
	if s.postgres {
		q = "SELECT table_name FROM information_schema.tables WHERE table_schema = current_schema() AND table_type = 'BASE TABLE' ORDER BY table_name"
	}
	var tables []string
	if err := db.Raw(q).Scan(&tables).Error; err != nil {
		return nil, fmt.Errorf("list tables: %w", err)
	}
	return tables, nil
}

// eachRow reads every row of a table in a stable order and calls fn with its values.
func (s *Store) eachRow(db *gorm.DB, table string, fn func(vals []any)) error {
	quoted := `"` + strings.ReplaceAll(table, `"`, `""`) + `"`
	order := "rowid"
	if s.postgres {
		// Every column, in table order: rows are distinct, so the order is total.
		var n int
		if err := db.Raw("SELECT COUNT(*) FROM information_schema.columns WHERE table_schema = current_schema() AND table_name = ?", table).
			Scan(&n).Error; err != nil {
			return fmt.Errorf("read %s: %w", table, err)
		}
		cols := make([]string, n)
		for i := range cols {
			cols[i] = strconv.Itoa(i + 1)
		}
		order = strings.Join(cols, ", ")
	}
	rows, err := db.Raw(`SELECT * FROM ` + quoted + ` ORDER BY ` + order).Rows()
	if err != nil {
		return fmt.Errorf("read %s: %w", table, err)
	}
	defer rows.Close()
	cols, _ := rows.Columns()
	vals := make([]any, len(cols))
	ptrs := make([]any, len(cols))
	for i := range vals {
		ptrs[i] = &vals[i]
	}
	for rows.Next() {
		if err := rows.Scan(ptrs...); err != nil {
			return fmt.Errorf("read %s: %w", table, err)
		}
		fn(vals)
	}
	if err := rows.Err(); err != nil {
		return fmt.Errorf("read %s: %w", table, err)
	}
	return nil
}

// Fingerprint is a SHA-256 over every row of every table, in a stable order. Two
// equal fingerprints mean the data is the same; tests use it to prove a refused
// request changed nothing, and backups to prove a copy is complete.
func (s *Store) Fingerprint(ctx context.Context) (string, error) {
	db := s.db.WithContext(ctx)
	tables, err := s.tables(db)
	if err != nil {
		return "", err
	}
	h := sha256.New()
	for _, t := range tables {
		fmt.Fprintf(h, "table %s\n", t)
		err := s.eachRow(db, t, func(vals []any) {
			for _, v := range vals {
				fmt.Fprintf(h, "%v\x1f", v)
			}
			h.Write([]byte{'\n'})
		})
		if err != nil {
			return "", err
		}
	}
	return hex.EncodeToString(h.Sum(nil)), nil
}

// ErrBackupPostgres refuses a backup of a PostgreSQL database, which is PostgreSQL's
// own tools' work (pg_dump, or the server's continuous archiving).
var ErrBackupPostgres = errors.New("backup: the database is PostgreSQL; back it up with pg_dump")

// Backup writes a consistent copy of the database to path while it stays in use
// (SQLite's VACUUM INTO). It refuses to overwrite an existing file.
func (s *Store) Backup(ctx context.Context, path string) error {
	if s.postgres {
		return ErrBackupPostgres
	}
	if _, err := os.Stat(path); err == nil {
		return fmt.Errorf("backup: %s already exists", path)
	}
	if err := s.db.WithContext(ctx).Exec("VACUUM INTO ?", path).Error; err != nil {
		return fmt.Errorf("backup: %w", err)
	}
	return nil
}

// IntegrityCheck returns "ok" when the database is sound. On SQLite it runs the
// integrity check; on PostgreSQL (which recovers from its write-ahead log by itself)
// it reads every row of every table, which fails on a damaged page.
func (s *Store) IntegrityCheck(ctx context.Context) (string, error) {
	db := s.db.WithContext(ctx)
	if s.postgres {
		tables, err := s.tables(db)
		if err != nil {
			return "", err
		}
		for _, t := range tables {
			if err := s.eachRow(db, t, func([]any) {}); err != nil {
				return "", fmt.Errorf("integrity check: %w", err)
			}
		}
		return "ok", nil
	}
	var out []string
	if err := db.Raw("PRAGMA integrity_check").Scan(&out).Error; err != nil {
		return "", fmt.Errorf("integrity check: %w", err)
	}
	return strings.Join(out, "; "), nil
}

// SQLDB is the database handle, for the connection pool metrics.
func (s *Store) SQLDB() (*sql.DB, error) { return s.db.DB() }
