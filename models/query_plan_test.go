package models

import (
	"context"
	"strings"
	"testing"

	"gorm.io/gorm"

	"github.com/contoso/admincenter/models/dbtest"
)

// reopenAsBefore makes s's database one from before (the statements, and no
// record of a migration), closes it and opens it again, as a new version would.
func reopenAsBefore(t *testing.T, s *Store, dsn string, stmts ...string) *Store {
	t.Helper()
	for _, stmt := range append(stmts, `DELETE FROM schema_states`) {
		if err := s.db.Exec(stmt).Error; err != nil {
			t.Fatal(err)
		}
	}
	s.Close()
	s, err := Open(context.Background(), dsn, fastHashing)
	if err != nil {
		t.Fatal(err)
	}
	return s
}

// The index on deletion times holds deleted people only, and a database made with
// the old index over everyone loses it when it is opened: with it, SQLite's planner
// counted the live people before a page of Active users through it (its statistics
// keep one average per index, so "deleted_at IS NULL" looked selective).
func TestDeletedIndexHoldsDeletedPeopleOnly(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	dsn := dbtest.DSN(t, "plan")
	s, err := Open(ctx, dsn, fastHashing)
	if err != nil {
		t.Fatal(err)
	}
	m := s.db.Migrator()
	if !m.HasIndex(&User{}, "idx_users_deleted") || m.HasIndex(&User{}, "idx_users_deleted_at") {
		t.Fatal("users should have idx_users_deleted and not idx_users_deleted_at")
	}
	// A database from before: the old index, and a schema that must be migrated.
	s = reopenAsBefore(t, s, dsn, `CREATE INDEX idx_users_deleted_at ON users(deleted_at)`)
	defer s.Close()
	if m := s.db.Migrator(); m.HasIndex(&User{}, "idx_users_deleted_at") || !m.HasIndex(&User{}, "idx_users_deleted") {
		t.Fatal("opening a database with idx_users_deleted_at should replace it with idx_users_deleted")
	}
	if s.postgres {
		return // PostgreSQL knows how many rows are NULL
	}
	// Statistics as a seeded tenant of 100,000 people with 2% deleted gives them.
	for _, stmt := range []string{`ANALYZE`, `DELETE FROM sqlite_stat1 WHERE tbl = 'users'`,
		`INSERT INTO sqlite_stat1 (tbl, idx, stat) VALUES ('users', 'idx_users_deleted', '2000 1'),
			('users', 'idx_users_live', '98018 1 1 1 1'), ('users', 'idx_users_sign_in_blocked', '100018 1987'),
			('users', 'idx_users_recipient_id', '100018 1'), ('users', 'idx_users_upn', '100018 1')`,
		`ANALYZE sqlite_schema`} {
		if err := s.db.Exec(stmt).Error; err != nil {
			t.Fatal(err)
		}
	}
	var plan []struct {
		ID, Parent, NotUsed int
		Detail              string
	}
	conn := s.db.WithContext(ctx)
	before := conn.Table("users").Where("users.deleted_at IS NULL")
	sql := before.ToSQL(func(tx *gorm.DB) *gorm.DB {
		var n int64
		return tx.Where("(users.sort_name, users.id) < (?, ?)", "amelia smit", 50104).Count(&n)
	})
	if err := conn.Raw("EXPLAIN QUERY PLAN " + sql).Scan(&plan).Error; err != nil {
		t.Fatal(err)
	}
	if len(plan) == 0 || !strings.Contains(plan[0].Detail, "idx_users_live") {
		t.Errorf("counting live people before a page: %+v, want a range of idx_users_live", plan)
	}
}

// The count of everyone (Active users' total, Graph's $count) reads the live
// people's index on SQLite: its planner chose the whole table, at a million people
// half a second against a tenth of that.
func TestCountOfEveryoneReadsTheLiveIndex(t *testing.T) {
	t.Parallel()
	s := newDemoStore(t)
	ctx := context.Background()
	n, err := s.countEveryone(ctx)
	if err != nil || n != 18 {
		t.Fatalf("everyone: %d, %v; want the demo's 18", n, err)
	}
	if s.postgres {
		return // its planner picks by the table's statistics
	}
	// Statistics as a seeded tenant of a million people gives them.
	for _, stmt := range []string{`ANALYZE`, `DELETE FROM sqlite_stat1 WHERE tbl = 'users'`,
		`INSERT INTO sqlite_stat1 (tbl, idx, stat) VALUES ('users', 'idx_users_deleted', '0 0'),
			('users', 'idx_users_live', '1000018 89 1 1 1'), ('users', 'idx_users_sign_in_blocked', '1000018 500009'),
			('users', 'idx_users_recipient_id', '1000018 1'), ('users', 'idx_users_upn', '1000018 1')`,
		`ANALYZE sqlite_schema`} {
		if err := s.db.Exec(stmt).Error; err != nil {
			t.Fatal(err)
		}
	}
	sql := s.db.ToSQL(func(tx *gorm.DB) *gorm.DB {
		var n int64
		return s.everyone(ctx).Session(&gorm.Session{DryRun: true}).Count(&n)
	})
	var plan []struct {
		ID, Parent, NotUsed int
		Detail              string
	}
	if err := s.db.Raw("EXPLAIN QUERY PLAN " + sql).Scan(&plan).Error; err != nil {
		t.Fatal(err)
	}
	if len(plan) != 1 || !strings.Contains(plan[0].Detail, "idx_users_live") {
		t.Errorf("counting everyone: %+v, want a scan of idx_users_live", plan)
	}
}

// The Mailbox access report's first window of mailboxes is a statement whose only
// parameter is the time: with the start and the size as parameters, PostgreSQL's
// generic plan looked dearer than one made for the values at a million people, so
// it planned the statement again on every first page (1-10 ms; a test tenant is too
// small to show it, so the statement's shape is what is pinned here). SQLite reads
// the window's keys from the name index in order instead of sorting every mailbox,
// then the details of the window's mailboxes only.
func TestAccessReportFirstWindowPlan(t *testing.T) {
	t.Parallel()
	f := reportTenant(t)
	query, args := f.s.mailboxWindowSQL(AccessReportQuery{}, "", 0, ">=", 7)
	if len(args) != 1 || !strings.Contains(query, "LIMIT 7)") {
		t.Fatalf("first window: %d arguments and %q, want the time only and LIMIT 7", len(args), query)
	}
	if f.s.postgres {
		return
	}
	var plan []struct {
		ID, Parent, NotUsed int
		Detail              string
	}
	if err := f.s.db.Raw("EXPLAIN QUERY PLAN "+query, args...).Scan(&plan).Error; err != nil {
		t.Fatal(err)
	}
	// The keys in order from indexes alone; the details of the window's mailboxes
	// only, by primary key.
	var details []string
	for _, p := range plan {
		details = append(details, p.Detail)
	}
	all := strings.Join(details, "\n")
	for _, want := range []string{"COVERING INDEX idx_recipients_sort_name", "COVERING INDEX idx_mailboxes_recipient_id",
		"SEARCH mb USING INTEGER PRIMARY KEY", "SEARCH r USING INTEGER PRIMARY KEY"} {
		if !strings.Contains(all, want) {
			t.Errorf("first window's plan:\n%s\nwant %s", all, want)
		}
	}
}

// The Mail tab's grants read each mailbox's primary address and live account from
// indexes that hold them, which a database from before gets when it is opened.
func TestAccessReadsCoveringIndexes(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	dsn := dbtest.DSN(t, "accessplan")
	s, err := Open(ctx, dsn, fastHashing)
	if err != nil {
		t.Fatal(err)
	}
	indexes := []struct {
		table any
		name  string
	}{{&EmailAddress{}, "idx_email_addresses_primary"}, {&User{}, "idx_users_live_recipient"}}
	// A database from before: without them, and a schema that must be migrated.
	s = reopenAsBefore(t, s, dsn, `DROP INDEX idx_email_addresses_primary`, `DROP INDEX idx_users_live_recipient`)
	defer s.Close()
	for _, ix := range indexes {
		if !s.db.Migrator().HasIndex(ix.table, ix.name) {
			t.Errorf("opening a database from before should add %s", ix.name)
		}
	}
	if s.postgres {
		return
	}
	var plan []struct {
		ID, Parent, NotUsed int
		Detail              string
	}
	query := accessColumnsFor(s.db) + `(?, ?)` + accessOrder
	if err := s.db.Raw("EXPLAIN QUERY PLAN "+query, 1, 1, 1, 2, s.Now()).Scan(&plan).Error; err != nil {
		t.Fatal(err)
	}
	var details []string
	for _, p := range plan {
		details = append(details, p.Detail)
	}
	all := strings.Join(details, "\n")
	for _, ix := range indexes {
		if !strings.Contains(all, "COVERING INDEX "+ix.name) {
			t.Errorf("the grants query's plan:\n%s\nwant it to read %s alone", all, ix.name)
		}
	}
}
