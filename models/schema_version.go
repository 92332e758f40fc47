package models

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"reflect"
	"sync"

	"gorm.io/gorm"
)

// schemaRevision names the migration code's version: raise it when a migration
// step changes (migrateSchema and the functions it calls) without a change to the
// models or to schemaStatements, so databases migrated before run it.
const schemaRevision = 7

// The schema_states table records the schema a database was last migrated to. A
// start that finds the fingerprint of its own code there skips the migration
// (AutoMigrate reads every table's columns and indexes: most of a cold start).
const schemaStatesTable = `CREATE TABLE IF NOT EXISTS schema_states (name varchar(32) PRIMARY KEY, fingerprint varchar(64) NOT NULL)`

// schemaFingerprint sums up what migrateSchema makes: every model's fields with
// their types and tags, the statements run after AutoMigrate, the byte-ordered
// columns and schemaRevision.
var schemaFingerprint = sync.OnceValue(func() string {
	h := sha256.New()
	fmt.Fprintf(h, "revision %d\n", schemaRevision)
	seen := map[reflect.Type]bool{}
	var walk func(t reflect.Type)
	walk = func(t reflect.Type) {
		for t.Kind() == reflect.Pointer || t.Kind() == reflect.Slice {
			t = t.Elem()
		}
		if t.Kind() != reflect.Struct || seen[t] || t.PkgPath() == "time" {
			return
		}
		seen[t] = true
		fmt.Fprintf(h, "type %s.%s\n", t.PkgPath(), t.Name())
		for i := 0; i < t.NumField(); i++ {
			f := t.Field(i)
			fmt.Fprintf(h, "  %s %s %q\n", f.Name, f.Type, f.Tag)
			walk(f.Type)
		}
	}
	for _, m := range allModels {
		walk(reflect.TypeOf(m))
	}
	for _, stmt := range schemaStatements {
		fmt.Fprintf(h, "stmt %s\n", stmt)
	}
	for _, c := range byteOrdered {
		fmt.Fprintf(h, "bytes %s.%s %s\n", c.table, c.column, c.typ)
	}
	return hex.EncodeToString(h.Sum(nil))
})

// schemaCurrent reports whether the database was migrated by code with this
// schema fingerprint. Any error (a new database has no schema_states table)
// means it was not.
func schemaCurrent(db *gorm.DB) bool {
	var got string
	// A statement of its own: on a connection's handle (PostgreSQL's migration) a
	// failed query would leave its error to the statements after it.
	err := db.Session(&gorm.Session{NewDB: true}).Raw(`SELECT fingerprint FROM schema_states WHERE name = ?`, "app").Row().Scan(&got)
	return err == nil && got == schemaFingerprint()
}

// recordSchema stores this code's schema fingerprint after a migration.
func recordSchema(db *gorm.DB) error {
	db = db.Session(&gorm.Session{NewDB: true})
	if err := db.Exec(schemaStatesTable).Error; err != nil {
		return fmt.Errorf("migrate: %w", err)
	}
	if err := db.Exec(`INSERT INTO schema_states (name, fingerprint) VALUES (?, ?)
		ON CONFLICT (name) DO UPDATE SET fingerprint = excluded.fingerprint`, "app", schemaFingerprint()).Error; err != nil {
		return fmt.Errorf("migrate: %w", err)
	}
	return nil
}
