package models

import (
	"fmt"
	"strings"

	"gorm.io/gorm"
)

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
