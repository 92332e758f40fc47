package models

import (
	"cmp"
	"database/sql"
	"fmt"
	"strconv"
	"strings"

	"gorm.io/gorm"
)

// The Mailbox access report in holder order, a window of holders at a time: the
// order crosses every mailbox, so one query over the whole tenant expanded every
// grant through its groups and sorted all of them before the first row (minutes at a
// million people). A window expands its holders' groups upwards instead: the grants
// a person holds through groups are those of the groups they are in, nested too.

// holderWindowMax bounds a window's holders (each is two of its statement's
// parameters).
const holderWindowMax = 4096

// accessHolderExpansionSQL is accessExpansionSQL for the holders of a window (the
// first two parameters, the same list): up is each holder's groups, nested ones
// too, with the group's recipient; h the grants that match the filters (%[1]s,
// whose parameters come twice) held directly, and those held through a group, with
// the group the grant was given to, as the whole-tenant expansion has them.
const accessHolderExpansionSQL = `
WITH RECURSIVE ` + holderGroupsCTE + `,
h(perm_id, holder_id, via_id) AS (
	SELECT p.id, p.trustee_id, CAST(0 AS BIGINT) FROM mailbox_permissions p
	JOIN mailboxes mb ON mb.id = p.mailbox_id
	WHERE p.trustee_id IN ? AND %[1]s
	UNION
	SELECT p.id, up.member_id, up.group_id FROM up
	JOIN mailbox_permissions p ON p.trustee_id = up.group_id
	JOIN mailboxes mb ON mb.id = p.mailbox_id
	WHERE %[1]s
)
`

// holderGroupsCTE is up: the groups some recipients (the parameter) are in,
// nested ones too, as (member, group's recipient), each pair once.
const holderGroupsCTE = `up(member_id, group_id) AS (
	SELECT gm.member_id, g.recipient_id FROM group_members gm JOIN groups g ON g.id = gm.group_id
	WHERE gm.member_id IN ?
	UNION
	SELECT up.member_id, g.recipient_id FROM up
	JOIN group_members gm ON gm.member_id = up.group_id JOIN groups g ON g.id = gm.group_id
)`

// byHolderWindows reports whether q in holder order is read a window of holders at
// a time. A mailbox name keeps few grants to expand: one query over those is
// cheaper than walking every holder of the tenant.
func byHolderWindows(q AccessReportQuery) bool {
	return normalizeSearch(q.Mailbox) == ""
}

// eachHolderWindow reads the report in holder order from q.After, size holders at a
// time (more while windows give few rows, unless q.window fixes it), and calls fn
// with each window's rows in order until it returns false.
func (s *Store) eachHolderWindow(db *gorm.DB, q AccessReportQuery, size int, fn func([]AccessReportRow) (bool, error)) error {
	size = min(cmp.Or(q.window, size), holderWindowMax)
	first, fromSort, fromID, op := true, "", uint(0), ">="
	if c, ok := decodeAccessCursor(q.After, SortByHolder); ok {
		// From the cursor's holder on: it may have rows after the cursor's.
		first, fromSort, fromID = false, c.HolderSort, c.HolderID
	}
	// The grants' conditions, twice: for those held directly and through groups.
	filter, fargs := s.accessGrantFilter(q, nil)
	expansion := fmt.Sprintf(accessHolderExpansionSQL, filter) + accessReportSelectSQL
	var ids []uint
	for {
		var lastSort string
		var err error
		ids, lastSort, err = s.holderWindow(db, q, ids[:0], first, fromSort, fromID, op, size)
		if err != nil {
			return fmt.Errorf("read mailbox access report: %w", err)
		}
		if len(ids) == 0 {
			return nil
		}
		rows, err := s.holderWindowRows(db, q, ids, expansion, fargs)
		if err != nil {
			return err
		}
		more, err := fn(rows)
		if err != nil || !more || len(ids) < size {
			return err
		}
		if q.window == 0 && len(rows) < size {
			size = min(size*2, holderWindowMax)
		}
		first, fromSort, fromID, op = false, lastSort, ids[len(ids)-1], ">"
	}
}

// holderWindowRows reads the rows of a window of holders (ids, in holder order) in
// one statement: expansion is accessHolderExpansionSQL with the grants' conditions
// and the report's columns, fargs those conditions' arguments.
func (s *Store) holderWindowRows(db *gorm.DB, q AccessReportQuery, ids []uint, expansion string, fargs []any) ([]AccessReportRow, error) {
	args := append(append([]any{ids, ids}, fargs...), fargs...)
	query, args := s.accessReportOuter(expansion, args, q, true)
	var rows []AccessReportRow
	err := eachRow(db, query, args, func(r *sql.Rows) error {
		row, err := scanAccessRow(r)
		rows = append(rows, row)
		return err
	})
	if err != nil {
		return nil, fmt.Errorf("read mailbox access report: %w", err)
	}
	return rows, nil
}

// holderWindow appends to ids the next size recipients in holder order from a
// position (those the holder and stale filters can keep), and returns the last
// one's sort name.
func (s *Store) holderWindow(db *gorm.DB, q AccessReportQuery, ids []uint, first bool, fromSort string, fromID uint, op string, size int) ([]uint, string, error) {
	var where []string
	var args []any
	if first {
		// A constant bound, as the mailbox windows' first (mailboxWindowSQL).
		where = append(where, "r.sort_name >= ''")
	} else {
		where = append(where, "r.sort_name >= ? AND (r.sort_name, r.id) "+op+" (?, ?)")
		args = append(args, fromSort, fromSort, fromID)
	}
	if v := normalizeSearch(q.Holder); v != "" {
		lo, hi := prefixBounds(v)
		where = append(where, "r.id IN "+namedPrefix)
		args = append(args, lo, hi, lo, hi)
	}
	if q.Stale {
		where = append(where, "r.id IN (SELECT u.recipient_id FROM users u WHERE u.sign_in_blocked OR u.deleted_at IS NOT NULL)")
	}
	query := `SELECT r.sort_name, r.id FROM recipients r WHERE (` + strings.Join(where, ") AND (") +
		`) ORDER BY r.sort_name, r.id LIMIT ` + strconv.Itoa(size)
	var last string
	err := eachRow(db, query, args, func(r *sql.Rows) error {
		var id uint
		if err := r.Scan(&last, asUint(&id)); err != nil {
			return err
		}
		ids = append(ids, id)
		return nil
	})
	return ids, last, err
}
