package models

import (
	"database/sql"
	"testing"
)

// asUint scans what database/sql would scan into a uint, and fails where it fails.
func TestAsUintScansAsDatabaseSQL(t *testing.T) {
	for _, src := range []any{int64(0), int64(42), int64(1) << 40, "7", []byte("8"), int64(-1), nil, "x", 3.5} {
		var got uint
		gotErr := asUint(&got).Scan(src)
		// database/sql's own conversion, through a Null of the same type.
		var want sql.Null[uint]
		wantErr := want.Scan(src)
		if src == nil {
			if gotErr == nil {
				t.Errorf("NULL into a uint: no error")
			}
			continue
		}
		if (gotErr != nil) != (wantErr != nil) {
			t.Errorf("%#v: error %v, database/sql %v", src, gotErr, wantErr)
			continue
		}
		if gotErr == nil && got != want.V {
			t.Errorf("%#v: %d, database/sql %d", src, got, want.V)
		}
	}
}
