package models

import (
	"fmt"
	"strings"

	"gorm.io/gorm"
)

// reportIndexes run after schemaStatements on every migration. The Mailbox
// access export reads each window's grants by mailbox: the grants sit in the
// table in no order a window follows, so every grant was a random read of the
// table after the unique index. This index holds what the export reads of a
// grant, and a window's grants are one range of it each (a million people: the
// export's CPU from 55 s to 40 s). The right comes second: a report of one right
// reads a range too.
var reportIndexes = []string{
	`CREATE INDEX IF NOT EXISTS idx_perm_report ON mailbox_permissions(mailbox_id, access_right, trustee_id, auto_mapping,
	granted_by_id, granted_at, effective_at, revoke_effective_at)`,
}

// seedTables are the tables the generator fills in bulk.
var seedTables = []string{"recipients", "email_addresses", "users", "user_licenses", "mailboxes", "groups",
	"group_members", "mailbox_permissions", "search_terms"}

// withoutIndexes runs a bulk load with the secondary indexes of tables dropped and
// builds them again after it, in the same transaction: an index built once from
// sorted rows costs a fraction of keeping it up to date row by row (search_terms
// alone has ten, over ten million rows at a million people). Primary keys stay.
// What the load writes must already be unique where an index says so: the
// rebuild fails, and the transaction with it, if it is not.
func withoutIndexes(tx *gorm.DB, tables []string, fn func() error) error {
	defs, err := secondaryIndexes(tx, tables)
	if err != nil {
		return err
	}
	for _, d := range defs {
		if err := tx.Exec(`DROP INDEX "` + d.Name + `"`).Error; err != nil {
			return fmt.Errorf("drop index %s: %w", d.Name, err)
		}
	}
	if err := fn(); err != nil {
		return err
	}
	for _, d := range defs {
		if err := tx.Exec(d.SQL).Error; err != nil {
			return fmt.Errorf("build index %s: %w", d.Name, err)
		}
	}
	return nil
}

type indexDef struct{ Name, SQL string }

// secondaryIndexes lists the indexes of tables that a DROP INDEX can remove: not a
// primary key's, nor one behind a constraint.
func secondaryIndexes(tx *gorm.DB, tables []string) ([]indexDef, error) {
	var defs []indexDef
	var err error
	if tx.Dialector.Name() == "postgres" {
		err = tx.Raw(`SELECT i.indexname AS name, i.indexdef AS sql FROM pg_indexes i
			WHERE i.schemaname = current_schema() AND i.tablename IN ?
			AND NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conindid = (quote_ident(i.schemaname) || '.' || quote_ident(i.indexname))::regclass)
			ORDER BY i.tablename, i.indexname`, tables).Scan(&defs).Error
	} else {
		err = tx.Raw(`SELECT name, sql FROM sqlite_master WHERE type = 'index' AND sql IS NOT NULL AND tbl_name IN ?
			ORDER BY tbl_name, name`, tables).Scan(&defs).Error
	}
	if err != nil {
		return nil, fmt.Errorf("list indexes: %w", err)
	}
	for _, d := range defs {
		if strings.TrimSpace(d.SQL) == "" {
			return nil, fmt.Errorf("list indexes: no definition for %s", d.Name)
		}
	}
	return defs, nil
}
