package models

import (
	"context"
	"strings"
	"testing"

	"gorm.io/gorm"
)

// A statement's LIMIT and OFFSET are numbers in its text, on PostgreSQL too (so
// that a generic plan knows the page's size), and read the rows they say.
func TestLimitIsWrittenIntoPostgresStatements(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	dry := f.s.db.Session(&gorm.Session{DryRun: true})
	var users []User
	stmt := dry.Model(&User{}).Where("deleted_at IS NULL").Order("id").Limit(7).Offset(3).Find(&users).Statement
	sql := stmt.SQL.String()
	// SQLite's dialect writes them so itself.
	if !strings.HasSuffix(sql, "LIMIT 7 OFFSET 3") || len(stmt.Vars) != 0 {
		t.Errorf("statement %q with %v, want LIMIT 7 OFFSET 3 in its text", sql, stmt.Vars)
	}
	// Without a limit, or with an offset alone, the statement is what GORM writes.
	if sql := dry.Model(&User{}).Order("id").Find(&users).Statement.SQL.String(); strings.Contains(sql, "LIMIT") {
		t.Errorf("no limit: %q", sql)
	}
	var all, page []uint
	ctx := context.Background()
	if err := f.s.db.WithContext(ctx).Model(&User{}).Order("id").Pluck("id", &all).Error; err != nil {
		t.Fatal(err)
	}
	if err := f.s.db.WithContext(ctx).Model(&User{}).Order("id").Limit(2).Offset(1).Pluck("id", &page).Error; err != nil {
		t.Fatal(err)
	}
	if len(all) < 3 || len(page) != 2 || page[0] != all[1] || page[1] != all[2] {
		t.Errorf("LIMIT 2 OFFSET 1 of %v read %v", all, page)
	}
}
