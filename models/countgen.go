package models

import (
	"context"
	"database/sql"

	"gorm.io/gorm"
)

// The lists' totals (everyone on Active users and Graph's $count, every shared
// mailbox, the groups of each type) are kept in memory (keptCount) while the count
// generation stays the same: one counter that triggers raise in the same
// transaction as every change to what those totals count (a person added, deleted
// or restored, a mailbox or a group added, removed or changing type), whoever makes
// it (this process, another instance, a script in psql).

// CountGeneration is the one-row table of the count generation.
type CountGeneration struct {
	ID uint  `gorm:"primaryKey;autoIncrement:false"`
	N  int64 `gorm:"not null;default:0"`
}

// countTriggers raise the count generation with every person added, deleted or
// restored, and every mailbox or group added, removed or changing type.
func countTriggers(pg bool) []string {
	return generationTriggers(pg, "count", []watchedTable{
		{"users", []string{"deleted_at"}, true}, {"mailboxes", []string{"type"}, true}, {"groups", []string{"type"}, true},
	})
}

// migrateCountGeneration creates the counter's row and its triggers.
func migrateCountGeneration(db *gorm.DB, pg bool) error {
	return migrateGeneration(db, "count generation", "count_generations", countTriggers(pg))
}

// prepareCountGeneration prepares the read of the count generation and gives it
// to the kept counts.
func (s *Store) prepareCountGeneration(ctx context.Context) error {
	stmt, err := s.prepareGeneration(ctx, "count generation", "count_generations")
	if err != nil {
		return err
	}
	s.countGenStmt = stmt
	gen := countGeneration(stmt)
	s.usersCount.gen, s.sharedCount.gen, s.groupCounts.gen = gen, gen, gen
	return nil
}

// countGeneration reads the count generation; false when it could not be read,
// and then nothing kept is trusted past cacheTTL.
func countGeneration(stmt *sql.Stmt) func(context.Context) (int64, bool) {
	return func(ctx context.Context) (int64, bool) {
		var n int64
		if err := stmt.QueryRowContext(ctx).Scan(&n); err != nil {
			return 0, false
		}
		return n, true
	}
}
