package models

import (
	"database/sql"
	"errors"
)

// scanEach calls scan for each row, then closes the rows.
func scanEach(rows *sql.Rows, scan func() error) error {
	defer rows.Close()
	for rows.Next() {
		if err := scan(); err != nil {
			return err
		}
	}
	return rows.Err()
}

// uintCol scans an id into a uint: rows.Scan(asUint(&a.ID)). database/sql turns
// an integer into a uint through its text (FormatInt, then ParseUint, by
// reflection); a grant row of the Mail tab has four ids and a tab up to a few
// hundred, so the common case, a non-negative int64, is assigned directly. Any
// other value is converted as database/sql would.
type uintCol uint

// asUint returns p as a scan destination.
func asUint(p *uint) *uintCol { return (*uintCol)(p) }

// errNullUint is what database/sql returns for NULL into a uint, in substance.
var errNullUint = errors.New("converting NULL to uint is unsupported")

// Scan implements sql.Scanner.
func (u *uintCol) Scan(src any) error {
	if v, ok := src.(int64); ok && v >= 0 {
		*u = uintCol(v)
		return nil
	}
	var n sql.Null[uint]
	if err := n.Scan(src); err != nil {
		return err
	}
	if !n.Valid {
		return errNullUint
	}
	*u = uintCol(n.V)
	return nil
}
