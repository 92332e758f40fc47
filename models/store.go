package models

import (
	"context"
	"crypto/sha256"
	"database/sql"
	"encoding/hex"
	"errors"
	"fmt"
	"os"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"gorm.io/driver/sqlite"
	"gorm.io/gorm"
	"gorm.io/gorm/logger"
)

// Store is the application's data access: every query and every rule-checked change.
type Store struct {
	db *gorm.DB
	// Now returns the current time; tests replace it.
	Now func() time.Time
	// PropagationDelay is how long a permission change stays pending before it takes
	// effect, to reproduce the real product's delay on purpose.
	PropagationDelay time.Duration

	// Every page needs the organization and the list its count of people; both change
	// rarely, so they are kept briefly (and dropped when this process changes them).
	org        atomic.Pointer[cached[Organization]]
	usersCount atomic.Pointer[cached[int64]]

	// writeMu queues this process's writers in Go. SQLite has one writer at a time;
	// a writer that finds the lock taken sleeps in SQLite's busy handler with growing
	// back-off, so under load the lock sat free while writers slept.
	writeMu sync.Mutex
}

// write runs fn in a write transaction, one at a time within this process.
func (s *Store) write(ctx context.Context, fn func(tx *gorm.DB) error) error {
	s.writeMu.Lock()
	defer s.writeMu.Unlock()
	return s.db.WithContext(ctx).Transaction(fn)
}

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
// with "database is locked".
func sqliteDSN(path string) string {
	params := "_journal_mode=WAL&_busy_timeout=10000&_foreign_keys=on&_txlock=immediate&_synchronous=NORMAL"
	if strings.Contains(path, "?") {
		return path + "&" + params
	}
	return "file:" + path + "?" + params
}

// Open opens (creating if needed) the SQLite database at path and migrates it.
func Open(ctx context.Context, path string) (*Store, error) {
	db, err := gorm.Open(sqlite.Open(sqliteDSN(path)), &gorm.Config{
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
	s := &Store{db: db, Now: func() time.Time { return time.Now().UTC() }}
	if err := s.migrate(ctx); err != nil {
		_ = sqlDB.Close()
		return nil, err
	}
	return s, nil
}

func (s *Store) migrate(ctx context.Context) error {
	db := s.db.WithContext(ctx)
	if err := db.AutoMigrate(allModels...); err != nil {
		return fmt.Errorf("migrate: %w", err)
	}
	// Pages of Active users are range scans of live people in name order.
	if err := db.Exec(`CREATE INDEX IF NOT EXISTS idx_users_live_sort ON users(sort_name, id) WHERE deleted_at IS NULL`).Error; err != nil {
		return fmt.Errorf("migrate: %w", err)
	}
	return nil
}

// Close closes the database.
func (s *Store) Close() error {
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
	s.usersCount.Store(nil)
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

// Fingerprint is a SHA-256 over every row of every table, in primary-key order. Two
// equal fingerprints mean the data is the same; tests use it to prove a refused
// request changed nothing, and backups to prove a copy is complete.
func (s *Store) Fingerprint(ctx context.Context) (string, error) {
	db := s.db.WithContext(ctx)
	var tables []string
	if err := db.Raw("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name").
		Scan(&tables).Error; err != nil {
		return "", fmt.Errorf("list tables: %w", err)
	}
	h := sha256.New()
	for _, t := range tables {
		rows, err := db.Raw(`SELECT * FROM "` + strings.ReplaceAll(t, `"`, `""`) + `" ORDER BY rowid`).Rows()
		if err != nil {
			return "", fmt.Errorf("read %s: %w", t, err)
		}
		cols, _ := rows.Columns()
		vals := make([]any, len(cols))
		ptrs := make([]any, len(cols))
		for i := range vals {
			ptrs[i] = &vals[i]
		}
		fmt.Fprintf(h, "table %s\n", t)
		for rows.Next() {
			if err := rows.Scan(ptrs...); err != nil {
				rows.Close()
				return "", fmt.Errorf("read %s: %w", t, err)
			}
			for _, v := range vals {
				fmt.Fprintf(h, "%v\x1f", v)
			}
			h.Write([]byte{'\n'})
		}
		if err := rows.Close(); err != nil {
			return "", err
		}
	}
	return hex.EncodeToString(h.Sum(nil)), nil
}

// Backup writes a consistent copy of the database to path while it stays in use
// (SQLite's VACUUM INTO). It refuses to overwrite an existing file.
func (s *Store) Backup(ctx context.Context, path string) error {
	if _, err := os.Stat(path); err == nil {
		return fmt.Errorf("backup: %s already exists", path)
	}
	if err := s.db.WithContext(ctx).Exec("VACUUM INTO ?", path).Error; err != nil {
		return fmt.Errorf("backup: %w", err)
	}
	return nil
}

// IntegrityCheck runs SQLite's integrity check and returns its verdict ("ok" when sound).
func (s *Store) IntegrityCheck(ctx context.Context) (string, error) {
	var out []string
	if err := s.db.WithContext(ctx).Raw("PRAGMA integrity_check").Scan(&out).Error; err != nil {
		return "", fmt.Errorf("integrity check: %w", err)
	}
	return strings.Join(out, "; "), nil
}

// SQLDB is the database handle, for the connection pool metrics.
func (s *Store) SQLDB() (*sql.DB, error) { return s.db.DB() }
