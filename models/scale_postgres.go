package models

import (
	"context"
	"database/sql"
	"fmt"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/stdlib"
	"gorm.io/gorm"
)

// The generator's load on PostgreSQL: the rows go in with COPY (pgx's CopyFrom,
// the binary protocol) on the connection of the load's one transaction, and the
// foreign keys of the filled tables are dropped for the load and added again after
// it, each checked once over the whole table instead of row by row. Everything is
// in the one transaction: a failure leaves nothing, and the commit is durable.

// seedConnKey holds, in the load's context, the connection its transaction runs on.
type seedConnKey struct{}

// seedWritePostgres runs fn in one transaction on one connection that bulk can COPY
// through, under the write lock like every other write.
func (s *Store) seedWritePostgres(ctx context.Context, fn func(tx *gorm.DB) error) error {
	s.writeMu.Lock()
	defer s.writeMu.Unlock()
	err := s.db.WithContext(ctx).Connection(func(conn *gorm.DB) error {
		c := ctx
		if sc, ok := conn.Statement.ConnPool.(*sql.Conn); ok {
			c = context.WithValue(ctx, seedConnKey{}, sc)
		}
		return conn.WithContext(c).Transaction(func(tx *gorm.DB) error {
			if err := tx.Exec("SELECT pg_advisory_xact_lock(?)", writeLockKey).Error; err != nil {
				return fmt.Errorf("wait for the write lock: %w", err)
			}
			// Memory for building the indexes again (sorting tens of millions of
			// search terms), for this transaction only.
			if err := tx.Exec("SET LOCAL maintenance_work_mem = '512MB'").Error; err != nil {
				return fmt.Errorf("seed: %w", err)
			}
			return fn(tx)
		})
	})
	if err == nil {
		s.authWritten(ctx)
	}
	return err
}

// copyRows writes rows into table with COPY when the load runs on a connection
// seedWritePostgres gave it; ok is false when it does not.
func copyRows(tx *gorm.DB, table string, cols []string, rows [][]any) (ok bool, err error) {
	ctx := tx.Statement.Context
	sc, _ := ctx.Value(seedConnKey{}).(*sql.Conn)
	if sc == nil {
		return false, nil
	}
	err = sc.Raw(func(dc any) error {
		c, isPgx := dc.(*stdlib.Conn)
		if !isPgx {
			return fmt.Errorf("copy into %s: not a pgx connection (%T)", table, dc)
		}
		_, err := c.Conn().CopyFrom(ctx, pgx.Identifier{table}, cols, pgx.CopyFromRows(rows))
		return err
	})
	if err != nil {
		return true, fmt.Errorf("copy into %s: %w", table, err)
	}
	return true, nil
}

type foreignKey struct{ Table, Name, Def string }

// withoutForeignKeys drops the foreign keys of tables on PostgreSQL, runs fn, and
// adds them again: adding one checks the whole table in one join. On SQLite the
// load already runs with foreign_keys off (seedWrite); fn just runs.
func withoutForeignKeys(tx *gorm.DB, tables []string, fn func() error) error {
	if tx.Dialector.Name() != "postgres" {
		return fn()
	}
	var fks []foreignKey
	if err := tx.Raw(`SELECT c.conrelid::regclass::text AS "table", c.conname AS name, pg_get_constraintdef(c.oid) AS def
		FROM pg_constraint c JOIN pg_class t ON t.oid = c.conrelid
		WHERE c.contype = 'f' AND t.relnamespace = current_schema()::regnamespace AND t.relname IN ?
		ORDER BY t.relname, c.conname`, tables).Scan(&fks).Error; err != nil {
		return fmt.Errorf("list foreign keys: %w", err)
	}
	for _, fk := range fks {
		if err := tx.Exec(`ALTER TABLE ` + fk.Table + ` DROP CONSTRAINT "` + fk.Name + `"`).Error; err != nil {
			return fmt.Errorf("drop foreign key %s: %w", fk.Name, err)
		}
	}
	if err := fn(); err != nil {
		return err
	}
	for _, fk := range fks {
		if err := tx.Exec(`ALTER TABLE ` + fk.Table + ` ADD CONSTRAINT "` + fk.Name + `" ` + fk.Def).Error; err != nil {
			return fmt.Errorf("add foreign key %s: %w", fk.Name, err)
		}
	}
	return nil
}
