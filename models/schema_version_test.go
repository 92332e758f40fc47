package models

import (
	"context"
	"path/filepath"
	"testing"
)

// A start on a database migrated by the same code skips the migration; one whose
// stored fingerprint differs (older code) migrates it again.
func TestOpenSkipsMigrationOfCurrentSchema(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "s.db")
	open := func() *Store {
		s, err := Open(ctx, path)
		if err != nil {
			t.Fatal(err)
		}
		return s
	}
	hasIndex := func(s *Store) bool {
		var n int64
		s.db.Raw(`SELECT COUNT(*) FROM sqlite_master WHERE type = 'index' AND name = 'idx_users_live'`).Scan(&n)
		return n == 1
	}
	s := open()
	if !schemaCurrent(s.db) || !hasIndex(s) {
		t.Fatal("a new database is not migrated and recorded")
	}
	// Dropped behind the code's back: a start that skips the migration leaves it out.
	if err := s.db.Exec(`DROP INDEX idx_users_live`).Error; err != nil {
		t.Fatal(err)
	}
	s.Close()
	s = open()
	if hasIndex(s) {
		t.Fatal("the migration ran on a database whose schema was current")
	}
	// Migrated by other code: the next start migrates.
	if err := s.db.Exec(`UPDATE schema_states SET fingerprint = 'older'`).Error; err != nil {
		t.Fatal(err)
	}
	s.Close()
	s = open()
	defer s.Close()
	if !hasIndex(s) || !schemaCurrent(s.db) {
		t.Fatal("a database from other code was not migrated")
	}
}
