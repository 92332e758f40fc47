package models

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"reflect"
	"sync"

	"gorm.io/gorm"
	"gorm.io/gorm/clause"
)

// schemaRevision names the migration code's version: raise it when a migration
// step changes (migrateSchema and the functions it calls) without a change to the
// models or to schemaStatements, so databases migrated before run it.
const schemaRevision = 1

// SchemaState records the schema a database was last migrated to. A start that
// finds the fingerprint of its own models there skips the migration (AutoMigrate
// reads every table's columns and indexes: most of a cold start).
type SchemaState struct {
	Name        string `gorm:"primaryKey;size:32"`
	Fingerprint string `gorm:"size:64;not null"`
}

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
	var got []string
	err := db.Raw(`SELECT fingerprint FROM schema_states WHERE name = ?`, "app").Scan(&got).Error
	return err == nil && len(got) == 1 && got[0] == schemaFingerprint()
}

// recordSchema stores this code's schema fingerprint after a migration.
func recordSchema(db *gorm.DB) error {
	if err := db.AutoMigrate(&SchemaState{}); err != nil {
		return fmt.Errorf("migrate: %w", err)
	}
	st := SchemaState{Name: "app", Fingerprint: schemaFingerprint()}
	if err := db.Clauses(clause.OnConflict{Columns: []clause.Column{{Name: "name"}}, DoUpdates: clause.AssignmentColumns([]string{"fingerprint"})}).
		Create(&st).Error; err != nil {
		return fmt.Errorf("migrate: %w", err)
	}
	return nil
}
