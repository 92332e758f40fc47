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

// countTriggers raise the count generation; they are created (or replaced) when
// the schema is migrated. PostgreSQL raises it once per statement that adds or
// removes rows (a bulk insert of a thousand people raises it once), and per row
// whose deletion time or type changes; SQLite has row triggers only.
func countTriggers(pg bool) []string {
	if pg {
		const bump = `UPDATE count_generations SET n = n + 1 WHERE id = 1`
		stmts := []string{`CREATE OR REPLACE FUNCTION bump_count_generation() RETURNS trigger LANGUAGE plpgsql AS $$
			BEGIN ` + bump + `; RETURN NULL; END $$`}
		for _, t := range []struct{ table, changed string }{{"users", "deleted_at"}, {"mailboxes", "type"}, {"groups", "type"}} {
			stmts = append(stmts,
				`CREATE OR REPLACE TRIGGER count_gen_`+t.table+` AFTER INSERT OR DELETE OR TRUNCATE ON `+t.table+`
				FOR EACH STATEMENT EXECUTE FUNCTION bump_count_generation()`,
				`CREATE OR REPLACE TRIGGER count_gen_`+t.table+`_update AFTER UPDATE ON `+t.table+` FOR EACH ROW
				WHEN (OLD.`+t.changed+` IS DISTINCT FROM NEW.`+t.changed+`) EXECUTE FUNCTION bump_count_generation()`)
		}
		return stmts
	}
	const bump = ` BEGIN UPDATE count_generations SET n = n + 1 WHERE id = 1; END`
	var stmts []string
	for _, t := range []struct{ table, changed string }{{"users", "deleted_at"}, {"mailboxes", "type"}, {"groups", "type"}} {
		stmts = append(stmts,
			`CREATE TRIGGER IF NOT EXISTS count_gen_`+t.table+`_insert AFTER INSERT ON `+t.table+bump,
			`CREATE TRIGGER IF NOT EXISTS count_gen_`+t.table+`_delete AFTER DELETE ON `+t.table+bump,
			`CREATE TRIGGER IF NOT EXISTS count_gen_`+t.table+`_update AFTER UPDATE ON `+t.table+`
			WHEN OLD.`+t.changed+` IS NOT NEW.`+t.changed+bump)
	}
	return stmts
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
