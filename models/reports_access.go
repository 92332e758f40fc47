package models

import (
	"cmp"
	"context"
	"database/sql"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"strings"
	"time"

	"gorm.io/gorm"
)

// The Mailbox access report: every right on every mailbox, one row per (mailbox,
// holder, right), with the members of groups expanded (nested groups too) to the
// people who really get the right. One recursive query answers a page, a count and
// the CSV export, on SQLite and PostgreSQL alike.

// AccessHeld filters the report by how a right is held.
type AccessHeld string

// The ways a right is held.
const (
	HeldAny      AccessHeld = ""
	HeldDirect   AccessHeld = "direct"
	HeldViaGroup AccessHeld = "group"
)

// AccessSort is the order of the Mailbox access report.
type AccessSort string

// The orders of the report: by mailbox (then right, then holder) or by holder.
const (
	SortByMailbox AccessSort = "mailbox"
	SortByHolder  AccessSort = "holder"
)

// AccessReportQuery filters, orders and pages the Mailbox access report.
type AccessReportQuery struct {
	// Mailbox and Holder match the start of a display name or of any email address.
	Mailbox     string
	Holder      string
	Right       Right
	MailboxType MailboxType
	Held        AccessHeld
	// Stale keeps only holders who are blocked from signing in or deleted.
	Stale bool
	Sort  AccessSort
	// After is the cursor of the last row of the previous page.
	After string
	Size  int

	// window overrides accessWindow, for tests of reading in windows.
	window int
	// holders overrides holderCacheSize, for tests of a cache that fills up.
	holders int
	// groups overrides groupCacheSize, the same way.
	groups int
	// table, when the export reads every holder's details at once, overrides
	// holderTableBytes; below zero the export reads the holders a window at a time.
	table int
	// export reads every holder's details at once (a holderTable), if they fit.
	export bool
	// batch overrides exportCursorBatch, for tests of fetches that end anywhere.
	batch int
}

// AccessReportRow is one right one holder has on one mailbox.
type AccessReportRow struct {
	PermissionID       uint
	MailboxID          uint
	MailboxRecipientID uint
	MailboxName        string
	MailboxSort        string
	MailboxAddress     string
	MailboxType        MailboxType
	// OwnerUserID is the person of a user mailbox, for the link to their pane.
	OwnerUserID   uint
	Right         Right
	HolderID      uint
	HolderName    string
	HolderSort    string
	HolderAddress string
	HolderKind    RecipientKind
	HolderBlocked bool
	HolderDeleted bool
	// ViaID and ViaName are the group that was granted the right, for a person who
	// holds it as a (possibly nested) member; zero for a direct grant.
	ViaID             uint
	ViaName           string
	AutoMapping       bool
	GrantedBy         string
	GrantedAt         time.Time
	EffectiveAt       time.Time
	RevokeEffectiveAt *time.Time
}

// Direct reports whether the holder was granted the right itself.
func (r AccessReportRow) Direct() bool { return r.ViaID == 0 }

// Pending reports whether the grant has not taken effect yet at now.
func (r AccessReportRow) Pending(now time.Time) bool { return now.Before(r.EffectiveAt) }

// RemovalPending reports whether the grant was removed but still holds at now.
func (r AccessReportRow) RemovalPending(now time.Time) bool {
	return r.RevokeEffectiveAt != nil && now.Before(*r.RevokeEffectiveAt)
}

// Cursor is the position just after this row in the order q asks for.
func (r AccessReportRow) Cursor(sort AccessSort) string { return r.cursorAt(sort, 0) }

// cursorAt is Cursor for the row that is the shown'th of the report: the next page
// says where it starts ("51-100") without counting the rows before it.
func (r AccessReportRow) cursorAt(sort AccessSort, shown int) string {
	b, _ := json.Marshal(accessCursor{Sort: normalizeAccessSort(sort), MailboxSort: r.MailboxSort, MailboxID: r.MailboxID,
		Right: r.Right, HolderSort: r.HolderSort, HolderID: r.HolderID, PermissionID: r.PermissionID, Shown: shown})
	return base64.RawURLEncoding.EncodeToString(b)
}

type accessCursor struct {
	Sort         AccessSort `json:"s"`
	MailboxSort  string     `json:"ms"`
	MailboxID    uint       `json:"m"`
	Right        Right      `json:"r"`
	HolderSort   string     `json:"hs"`
	HolderID     uint       `json:"h"`
	PermissionID uint       `json:"p"`
	// Shown is how many rows the pages up to this row showed.
	Shown int `json:"n,omitempty"`
}

// decodeAccessCursor reads a cursor of the order sort; anything else (malformed, or
// of another order) reads as the first page.
func decodeAccessCursor(s string, sort AccessSort) (accessCursor, bool) {
	var c accessCursor
	b, err := base64.RawURLEncoding.DecodeString(s)
	if s == "" || err != nil || json.Unmarshal(b, &c) != nil || c.Sort != sort {
		return accessCursor{}, false
	}
	return c, true
}

func normalizeAccessSort(s AccessSort) AccessSort {
	if s == SortByHolder {
		return s
	}
	return SortByMailbox
}

// AccessReport is one page of the Mailbox access report. The rows that match are
// not counted: counting them meant expanding every grant of the tenant through its
// groups on every page. A page that more follow says "51-100 of more than 100";
// the last page knows the total.
type AccessReport struct {
	Rows []AccessReportRow
	// First is the 1-based position of the first row shown (as the cursor says).
	First int
	// Total is the number of rows up to the last one shown; with Uncounted (more
	// rows follow the page) it is a lower bound, otherwise the report's total.
	Total     int
	Uncounted bool
	// Next is the cursor of the next page, empty on the last.
	Next string
	Now  time.Time
}

// Last is the 1-based position of the last row shown.
func (r *AccessReport) Last() int { return r.First + len(r.Rows) - 1 }

// accessReportSQL is the report's query: the grants (filtered on what the grant
// itself says), expanded through group membership by a recursive CTE, joined to
// the names. Rows whose holder is a group reached through another group are left
// out: the people in it are listed, each once per grant.
const accessReportSQL = accessExpansionSQL + accessReportSelectSQL

// accessReportSelectSQL is the report's rows from an expansion h(perm_id,
// holder_id, via_id) of the grants: whole-tenant (accessExpansionSQL) or a window
// of holders' (accessHolderExpansionSQL).
const accessReportSelectSQL = `
SELECT * FROM (
SELECT p.id AS permission_id, mb.id AS mailbox_id, mb.recipient_id AS mailbox_recipient_id,
	mr.display_name AS mailbox_name, mr.sort_name AS mailbox_sort,
	COALESCE((SELECT e.address FROM email_addresses e WHERE e.recipient_id = mr.id AND e.is_primary), '') AS mailbox_address,
	mb.type AS mailbox_type, COALESCE(ou.id, 0) AS owner_user_id,
	p.access_right AS "right", hr.id AS holder_id, hr.display_name AS holder_name, hr.sort_name AS holder_sort, hr.kind AS holder_kind,
	COALESCE((SELECT e.address FROM email_addresses e WHERE e.recipient_id = hr.id AND e.is_primary), '') AS holder_address,
	CASE WHEN hu.sign_in_blocked THEN 1 ELSE 0 END AS holder_blocked,
	CASE WHEN hu.deleted_at IS NOT NULL THEN 1 ELSE 0 END AS holder_deleted,
	h.via_id AS via_id, COALESCE(vr.display_name, '') AS via_name,
	p.auto_mapping AS auto_mapping, COALESCE(gr.display_name, '') AS granted_by,
	p.granted_at AS granted_at, p.effective_at AS effective_at, p.revoke_effective_at AS revoke_effective_at
FROM h
JOIN mailbox_permissions p ON p.id = h.perm_id
JOIN mailboxes mb ON mb.id = p.mailbox_id
JOIN recipients mr ON mr.id = mb.recipient_id
LEFT JOIN users ou ON ou.recipient_id = mr.id
JOIN recipients hr ON hr.id = h.holder_id
LEFT JOIN users hu ON hu.recipient_id = hr.id
LEFT JOIN recipients vr ON vr.id = h.via_id
LEFT JOIN users gu ON gu.id = p.granted_by_id
LEFT JOIN recipients gr ON gr.id = gu.recipient_id
WHERE h.via_id = 0 OR hr.kind = 'user'
) a`

// accessExpansionSQL expands the grants that match the filters (%s) through group
// membership, nested groups too.
const accessExpansionSQL = `
WITH RECURSIVE h(perm_id, holder_id, via_id) AS (
	SELECT p.id, p.trustee_id, CAST(0 AS BIGINT) FROM mailbox_permissions p
	JOIN mailboxes mb ON mb.id = p.mailbox_id
	WHERE %s
	UNION
	SELECT h.perm_id, gm.member_id, CASE WHEN h.via_id = 0 THEN h.holder_id ELSE h.via_id END
	FROM h JOIN groups g ON g.recipient_id = h.holder_id JOIN group_members gm ON gm.group_id = g.id
)
`

// namedPrefix selects the recipients whose name or any address starts with a
// prefix, as two index ranges (prefixBounds) rather than LIKE, which SQLite can't
// answer from the case-sensitive indexes.
const namedPrefix = `(SELECT r.id FROM recipients r WHERE r.sort_name >= ? AND r.sort_name < ?
	UNION SELECT e.recipient_id FROM email_addresses e WHERE e.normalized >= ? AND e.normalized < ?)`

// prefixBounds is the range of strings that start with a lower-case prefix.
func prefixBounds(prefix string) (string, string) {
	return prefix, prefix + "\U0010FFFF"
}

// accessGrantFilter is the condition on the grants the report expands (a window's
// mailboxes, if window is set), with its arguments.
func (s *Store) accessGrantFilter(q AccessReportQuery, window []uint) (string, []any) {
	inner := []string{live}
	args := []any{s.Now()}
	if window != nil {
		inner = append(inner, "p.mailbox_id IN ?")
		args = append(args, window)
	}
	if q.Right != "" {
		inner = append(inner, "p.access_right = ?")
		args = append(args, q.Right)
	}
	if q.MailboxType != "" {
		inner = append(inner, "mb.type = ?")
		args = append(args, q.MailboxType)
	}
	if v := normalizeSearch(q.Mailbox); v != "" {
		inner = append(inner, "mb.recipient_id IN "+namedPrefix)
		lo, hi := prefixBounds(v)
		args = append(args, lo, hi, lo, hi)
	}
	return strings.Join(inner, " AND "), args
}

// accessReportQuery builds the report's SQL for q over the whole tenant, in one
// query: with keyset, the page after q.After in q's order.
func (s *Store) accessReportQuery(q AccessReportQuery, keyset bool) (string, []any) {
	filter, args := s.accessGrantFilter(q, nil)
	return s.accessReportOuter(fmt.Sprintf(accessReportSQL, filter), args, q, keyset)
}

// accessReportOuter adds the conditions on the report's rows (the holder, how it
// is held, stale, with keyset the page after q.After) and, with keyset, q's order.
func (s *Store) accessReportOuter(query string, args []any, q AccessReportQuery, keyset bool) (string, []any) {
	var outer []string
	if v := normalizeSearch(q.Holder); v != "" {
		outer = append(outer, "a.holder_id IN "+namedPrefix)
		lo, hi := prefixBounds(v)
		args = append(args, lo, hi, lo, hi)
	}
	switch q.Held {
	case HeldDirect:
		outer = append(outer, "a.via_id = 0")
	case HeldViaGroup:
		outer = append(outer, "a.via_id <> 0")
	}
	if q.Stale {
		outer = append(outer, "(a.holder_blocked = 1 OR a.holder_deleted = 1)")
	}
	sort := normalizeAccessSort(q.Sort)
	cols := "a.mailbox_sort, a.mailbox_id, a.\"right\", a.holder_sort, a.holder_id, a.permission_id"
	if sort == SortByHolder {
		cols = "a.holder_sort, a.holder_id, a.mailbox_sort, a.mailbox_id, a.\"right\", a.permission_id"
	}
	if keyset {
		if c, ok := decodeAccessCursor(q.After, sort); ok {
			outer = append(outer, "("+cols+") > (?, ?, ?, ?, ?, ?)")
			if sort == SortByHolder {
				args = append(args, c.HolderSort, c.HolderID, c.MailboxSort, c.MailboxID, c.Right, c.PermissionID)
			} else {
				args = append(args, c.MailboxSort, c.MailboxID, c.Right, c.HolderSort, c.HolderID, c.PermissionID)
			}
		}
	}
	if len(outer) > 0 {
		query += " WHERE " + strings.Join(outer, " AND ")
	}
	if keyset {
		query += " ORDER BY " + cols
	}
	return query, args
}

// eachAccessWindow reads the report in mailbox order from q.After, a window of
// mailboxes at a time (so a page, a capped count or the export never expands and
// sorts the whole tenant at once), and calls fn with each window's rows in order
// until it returns false. The rows are only good until fn returns.
func (s *Store) eachAccessWindow(db *gorm.DB, q AccessReportQuery, first int, fn func([]AccessReportRow) (bool, error)) error {
	q.Sort = SortByMailbox
	fromSort, fromID := "", uint(0)
	if c, ok := decodeAccessCursor(q.After, SortByMailbox); ok {
		fromSort, fromID = c.MailboxSort, c.MailboxID
	}
	inclusive := true
	size := cmp.Or(q.window, first, accessWindow)
	holders := newHolderCache(cmp.Or(q.holders, holderCacheSize))
	holders.groupMax = cmp.Or(q.groups, groupCacheSize)
	if q.export && q.table >= 0 {
		all, err := loadHolderTable(db, cmp.Or(q.table, holderTableBytes))
		if err != nil {
			return err
		}
		holders.all = all
		if afterHolderTable != nil {
			afterHolderTable()
		}
	}
	var cursor *grantCursor
	if holders.all != nil && s.postgres {
		c, err := s.openGrantCursor(db, q)
		if err != nil {
			return err
		}
		cursor = c
	}
	var win []windowMailbox
	for {
		var rows []AccessReportRow
		var err error
		if cursor != nil {
			var grants []windowGrant
			win, grants, err = cursor.next(s, q, size, holders.all, win[:0], holders.buf.grants[:0])
			if err != nil {
				return err
			}
			holders.buf.grants = grants
			if len(win) == 0 {
				return nil
			}
			rows, err = s.windowRows(db, q, win, windowIDs(win), grants, holders)
		} else {
			win, err = s.mailboxWindow(db, q, fromSort, fromID, inclusive, size, holders.all)
			if err != nil {
				return err
			}
			if len(win) == 0 {
				return nil
			}
			rows, err = s.readWindow(db, q, win, holders)
		}
		if err != nil {
			return err
		}
		more, err := fn(rows)
		if err != nil || !more {
			return err
		}
		// Sparse filters (stale holders, one person) find few rows per window: read
		// wider windows, so the walk through the tenant takes fewer queries. A page
		// starts narrow and widens the same way.
		if q.window == 0 && len(rows) < accessWindow {
			size = min(size*2, 50*accessWindow)
		}
		last := win[len(win)-1]
		fromSort, fromID, inclusive = last.SortName, last.ID, false
	}
}

// afterHolderTable, in tests, changes the tenant once an export has read its
// holder table.
var afterHolderTable func()

// MailboxAccessReport reads one page of the Mailbox access report. It reads one
// row past the page to know whether more follow, and counts nothing else.
func (s *Store) MailboxAccessReport(ctx context.Context, q AccessReportQuery) (*AccessReport, error) {
	q.Size = NormalizePageSize(q.Size)
	q.Sort = normalizeAccessSort(q.Sort)
	db := s.db.WithContext(ctx)
	rep := &AccessReport{Now: s.Now(), First: 1}
	if c, ok := decodeAccessCursor(q.After, q.Sort); ok {
		rep.First = c.Shown + 1
	}
	var rows []AccessReportRow
	if q.Sort == SortByMailbox {
		// Every mailbox in a window has a grant, most have several: a page of 50
		// starts with a window of 7 mailboxes (and widens it while rows are few),
		// rather than reading the holders of 100. Filters on the holder keep few
		// rows of a window: those start wide.
		first := q.Size/8 + 1
		if q.Stale || q.Holder != "" {
			first = 0
		}
		read := func() ([]AccessReportRow, error) {
			var rows []AccessReportRow
			err := s.eachAccessWindow(db, q, first, func(w []AccessReportRow) (bool, error) {
				rows = append(rows, w...)
				return len(rows) <= q.Size, nil
			})
			// The page and the row after it: that one says whether more follow.
			return rows[:min(len(rows), q.Size+1)], err
		}
		var err error
		if keptReportQuery(q) {
			rows, err = s.firstReportPage(ctx, q.Size, read)
		} else {
			rows, err = read()
		}
		if err != nil {
			return nil, err
		}
	} else if byHolderWindows(q) {
		// A person holds a few grants directly and some through groups: a page of
		// 50 starts with half as many holders.
		err := s.eachHolderWindow(db, q, q.Size/2+1, func(w []AccessReportRow) (bool, error) {
			rows = append(rows, w...)
			return len(rows) <= q.Size, nil
		})
		if err != nil {
			return nil, err
		}
	} else {
		// By holder the order crosses every mailbox: one query over the grants of
		// the mailboxes named.
		query, args := s.accessReportQuery(q, true)
		if err := db.Raw(query+" LIMIT ?", append(args, q.Size+1)...).Scan(&rows).Error; err != nil {
			return nil, fmt.Errorf("read mailbox access report: %w", err)
		}
	}
	if len(rows) > q.Size {
		rows = rows[:q.Size]
		rep.Uncounted = true
	}
	rep.Rows = rows
	rep.Total = rep.Last()
	if rep.Uncounted {
		rep.Next = rows[q.Size-1].cursorAt(q.Sort, rep.Total)
	}
	return rep, nil
}

// EachMailboxAccess calls fn for every row of the report that matches the filters,
// in order. It reads a window of mailboxes at a time in mailbox order, of holders in
// holder order (eachHolderWindow), so the CSV export streams the whole tenant in
// bounded memory; in holder order with a mailbox name the rows stream from one
// query. An error from fn stops the reading.
func (s *Store) EachMailboxAccess(ctx context.Context, q AccessReportQuery, fn func(AccessReportRow) error) error {
	q.Sort = normalizeAccessSort(q.Sort)
	q.After = ""
	db := s.db.WithContext(ctx)
	if q.Sort == SortByMailbox {
		// The export reads wider windows: fewer queries, still bounded memory.
		q.window = cmp.Or(q.window, 5*accessWindow)
		q.export = true
		return s.withExportCache(db, exportCacheKiB, func(db *gorm.DB) error {
			return s.eachAccessWindow(db, q, 0, func(w []AccessReportRow) (bool, error) {
				for _, r := range w {
					if err := fn(r); err != nil {
						return false, err
					}
				}
				return true, nil
			})
		})
	}
	if byHolderWindows(q) && q.table >= 0 {
		var done bool
		err := s.withExportCache(db, holderExportCacheKiB, func(db *gorm.DB) error {
			var err error
			done, err = s.exportByHolder(db, q, fn)
			return err
		})
		if done || err != nil {
			return err
		}
	}
	if byHolderWindows(q) {
		return s.eachHolderWindow(db, q, holderWindowMax/4, func(w []AccessReportRow) (bool, error) {
			for _, r := range w {
				if err := fn(r); err != nil {
					return false, err
				}
			}
			return true, nil
		})
	}
	query, args := s.accessReportQuery(q, true)
	rows, err := db.Raw(query, args...).Rows()
	if err != nil {
		return fmt.Errorf("read mailbox access report: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		r, err := scanAccessRow(rows)
		if err != nil {
			return err
		}
		if err := fn(r); err != nil {
			return err
		}
	}
	if err := rows.Err(); err != nil {
		return fmt.Errorf("read mailbox access report: %w", err)
	}
	return nil
}

// scanAccessRow reads one row of the report's query by position, without
// reflection (the export reads every row of the tenant).
func scanAccessRow(rows *sql.Rows) (AccessReportRow, error) {
	var r AccessReportRow
	var blocked, deleted int
	var granted, effective timeValue
	var revoke timeValue
	err := rows.Scan(&r.PermissionID, &r.MailboxID, &r.MailboxRecipientID, &r.MailboxName, &r.MailboxSort, &r.MailboxAddress,
		&r.MailboxType, &r.OwnerUserID, &r.Right, &r.HolderID, &r.HolderName, &r.HolderSort, &r.HolderKind, &r.HolderAddress,
		&blocked, &deleted, &r.ViaID, &r.ViaName, &r.AutoMapping, &r.GrantedBy, &granted, &effective, &revoke)
	if err != nil {
		return r, fmt.Errorf("read mailbox access row: %w", err)
	}
	r.HolderBlocked, r.HolderDeleted = blocked == 1, deleted == 1
	r.GrantedAt, r.EffectiveAt = granted.t, effective.t
	if revoke.valid {
		t := revoke.t
		r.RevokeEffectiveAt = &t
	}
	return r, nil
}

// timeValue scans a timestamp as either driver returns it: SQLite may hand back
// text where it can't see the column's declared type, PostgreSQL a time.Time.
type timeValue struct {
	t     time.Time
	valid bool
}

// Scan implements sql.Scanner.
func (v *timeValue) Scan(src any) error {
	switch x := src.(type) {
	case nil:
		*v = timeValue{}
		return nil
	case time.Time:
		*v = timeValue{t: x.UTC(), valid: true}
		return nil
	case []byte:
		return v.parse(string(x))
	case string:
		return v.parse(x)
	}
	return fmt.Errorf("scan time from %T", src)
}

func (v *timeValue) parse(s string) error {
	for _, layout := range []string{"2006-01-02 15:04:05.999999999-07:00", time.RFC3339Nano, "2006-01-02 15:04:05.999999999", "2006-01-02T15:04:05.999999999"} {
		if t, err := time.Parse(layout, s); err == nil {
			*v = timeValue{t: t.UTC(), valid: true}
			return nil
		}
	}
	return fmt.Errorf("scan time from %q", s)
}
