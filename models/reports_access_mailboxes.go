package models

import (
	"database/sql"
	"fmt"
	"strconv"
	"strings"

	"gorm.io/gorm"
)

// The windows of mailboxes the Mailbox access report reads in mailbox order: which
// mailboxes come next, and what the report's rows say about each.

// accessWindow is how many mailboxes the report reads at a time in mailbox order.
const accessWindow = 100

// windowMailbox is a mailbox of a window, with what its rows say about it.
type windowMailbox struct {
	ID          uint
	SortName    string
	RecipientID uint
	Name        string
	Address     string
	Type        MailboxType
	OwnerUserID uint
}

// mailboxWindow returns the next mailboxes (of the filter's type and name) that have
// live grants, in report order, from a position.
func (s *Store) mailboxWindow(db *gorm.DB, q AccessReportQuery, fromSort string, fromID uint, inclusive bool, size int, all *holderTable) ([]windowMailbox, error) {
	op := ">"
	if inclusive {
		op = ">="
	}
	if all != nil {
		return s.exportWindow(db, q, fromSort, fromID, op, size, all)
	}
	out := make([]windowMailbox, 0, size)
	query, args := s.mailboxWindowSQL(q, fromSort, fromID, op, size)
	// By position, one mailbox read into: no reflection over the struct per row.
	var m windowMailbox
	err := eachRow(db, query, args, func(rows *sql.Rows) error {
		if err := rows.Scan(&m.ID, &m.SortName, &m.RecipientID, &m.Name, &m.Address, &m.Type, &m.OwnerUserID); err != nil {
			return err
		}
		out = append(out, m)
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("read mailbox access report: %w", err)
	}
	return out, nil
}

// mailboxWindowSQL is mailboxWindow's statement and its arguments.
func (s *Store) mailboxWindowSQL(q AccessReportQuery, fromSort string, fromID uint, op string, size int) (string, []any) {
	where := []string{"EXISTS (SELECT 1 FROM mailbox_permissions p WHERE p.mailbox_id = mb.id AND " + live}
	args := []any{s.Now()}
	if q.Right != "" {
		where[0] += " AND p.access_right = ?"
		args = append(args, q.Right)
	}
	where[0] += ")"
	if fromSort == "" && fromID == 0 && op == ">=" {
		// The report's first window: every mailbox is at or after the start. The
		// bound is a constant, not parameters (and the window's size below too):
		// with parameters PostgreSQL's generic plan looked dearer than one made
		// for the values, so it planned the statement again on every first page
		// (1-10 ms). SQLite still reads the name index in order from the bound.
		where = append(where, "r.sort_name >= ''")
	} else {
		// The plain bound first: PostgreSQL starts the name index's scan from it (a
		// row comparison across two tables alone made it rescan from the start for
		// every window).
		where = append(where, "r.sort_name >= ? AND (r.sort_name, mb.id) "+op+" (?, ?)")
		args = append(args, fromSort, fromSort, fromID)
	}
	if q.MailboxType != "" {
		where = append(where, "mb.type = ?")
		args = append(args, q.MailboxType)
	}
	if v := normalizeSearch(q.Mailbox); v != "" {
		lo, hi := prefixBounds(v)
		where = append(where, "mb.recipient_id IN "+namedPrefix)
		args = append(args, lo, hi, lo, hi)
	}
	// The size is written into the statement: as a parameter, PostgreSQL's generic
	// plan assumes a tenth of the rows are wanted. Sizes are few (a page's first
	// window, doubled up to 50 windows), so are the statements.
	//
	// The window's keys come first (k: ids in order, from indexes alone), then the
	// details of those mailboxes only. Ordering by (sort_name, mb.id) reads a whole
	// group of equal names before the LIMIT (the first name of the million-person
	// tenant has 86 mailboxes, 35 with grants): the name, the primary address and
	// the owner were worked out for every one of them.
	query := `SELECT mb.id, k.sort_name, mb.recipient_id, r.display_name,
	COALESCE((SELECT e.address FROM email_addresses e WHERE e.recipient_id = r.id AND e.is_primary), ''),
	mb.type, COALESCE(ou.id, 0)
FROM (SELECT mb.id AS id, r.sort_name AS sort_name
	FROM mailboxes mb JOIN recipients r ON r.id = mb.recipient_id
	WHERE (` + strings.Join(where, ") AND (") + `)
	ORDER BY r.sort_name, mb.id LIMIT ` + strconv.Itoa(size) + `) k
JOIN mailboxes mb ON mb.id = k.id JOIN recipients r ON r.id = mb.recipient_id LEFT JOIN users ou ON ou.recipient_id = r.id
ORDER BY k.sort_name, k.id`
	return query, args
}
