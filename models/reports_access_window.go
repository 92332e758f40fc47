package models

import (
	"cmp"
	"database/sql"
	"fmt"
	"slices"
	"strings"

	"gorm.io/gorm"
)

// The Mailbox access report in mailbox order reads a window of mailboxes at a time.
// The database only expands the window's grants through group membership (perm,
// holder, group held through); the grants, the mailboxes, and the holders' names,
// addresses and sign-in state are read in one query each and joined here. Joining
// them in SQL cost random reads of the holder, its primary address and its person
// on every row: a person in a group that holds rights on many mailboxes paid them
// on each. holderCache keeps the holders for the next windows, up to a bound, so
// the export's memory does not grow with the tenant.

// holderCacheSize bounds the holders (and granters) one reading of the report
// keeps: about 200 bytes each.
const holderCacheSize = 100_000

type holderDetails struct {
	name    string
	sort    string
	kind    RecipientKind
	address string
	blocked bool
	deleted bool
	// user and mailboxType are a person's user id and the recipient's mailbox
	// type: only the holder table knows them.
	user        uint
	mailboxType MailboxType
}

type holderCache struct {
	max      int
	holders  map[uint]holderDetails
	granters map[uint]string
	// groups are the members of the groups read so far, flat the people reached
	// through each (see reports_access_groups.go); groupEntries counts both.
	groups       map[uint]*groupEntry
	flat         map[uint][]uint
	groupEntries int
	groupMax     int
	// all, when the export could read it, is every recipient's details: holders
	// is then left empty.
	all *holderTable
}

// holder returns a holder's (or a group's) details, if read.
func (c *holderCache) holder(id uint) (holderDetails, bool) {
	if c.all != nil {
		if h, ok := c.all.get(id); ok {
			return h, true
		}
	}
	// Without a table, or a recipient made since it was read.
	h, ok := c.holders[id]
	return h, ok
}

func newHolderCache(max int) *holderCache {
	return &holderCache{max: max, holders: map[uint]holderDetails{}, granters: map[uint]string{},
		groups: map[uint]*groupEntry{}, flat: map[uint][]uint{}}
}

// expandedGrant is a row of the expansion: a grant reaching a holder, through a
// group or not.
type expandedGrant struct{ perm, holder, via uint }

type windowGrant struct {
	mailbox     uint
	trustee     uint
	right       Right
	autoMapping bool
	grantedBy   uint
	granted     timeValue
	effective   timeValue
	revoke      timeValue
}

// readWindow reads the report's rows for the window's mailboxes, in report order,
// after q.After.
func (s *Store) readWindow(db *gorm.DB, q AccessReportQuery, win []windowMailbox, c *holderCache) ([]AccessReportRow, error) {
	ids := make([]uint, len(win))
	pos := make(map[uint]int, len(win))
	for i, m := range win {
		ids[i], pos[m.ID] = m.ID, i
	}
	grants, err := s.windowGrants(db, q, ids)
	if err != nil {
		return nil, err
	}
	var expanded []expandedGrant
	if normalizeSearch(q.Holder) != "" {
		// A holder's name or any of their addresses: the database matches them.
		expanded, err = s.expandWindow(db, q, ids)
	} else {
		expanded, err = c.expand(db, q.Held, grants)
	}
	if err != nil {
		return nil, err
	}
	if err := c.load(db, expanded, grants); err != nil {
		return nil, err
	}
	after, paged := decodeAccessCursor(q.After, SortByMailbox)
	out := make([]AccessReportRow, 0, len(expanded))
	var at []int // the position in the window of each row's mailbox
	for _, e := range expanded {
		g, ok := grants[e.perm]
		if !ok {
			continue
		}
		i, ok := pos[g.mailbox]
		if !ok {
			continue
		}
		mb := win[i]
		h, ok := c.holder(e.holder)
		// A group reached through another group is not a row: its people are.
		if !ok || (e.via != 0 && h.kind != KindUser) {
			continue
		}
		if q.Stale && !h.blocked && !h.deleted {
			continue
		}
		r := AccessReportRow{PermissionID: e.perm, MailboxID: g.mailbox, MailboxRecipientID: mb.RecipientID, MailboxName: mb.Name,
			MailboxSort: mb.SortName, MailboxAddress: mb.Address, MailboxType: mb.Type, OwnerUserID: mb.OwnerUserID, Right: g.right,
			HolderID: e.holder, HolderName: h.name, HolderSort: h.sort, HolderAddress: h.address, HolderKind: h.kind,
			HolderBlocked: h.blocked, HolderDeleted: h.deleted, ViaID: e.via, AutoMapping: g.autoMapping,
			GrantedAt: g.granted.t, EffectiveAt: g.effective.t}
		if e.via != 0 {
			v, _ := c.holder(e.via)
			r.ViaName = v.name
		}
		if g.grantedBy != 0 {
			r.GrantedBy = c.granters[g.grantedBy]
		}
		if g.revoke.valid {
			t := g.revoke.t
			r.RevokeEffectiveAt = &t
		}
		if paged && compareByMailbox(r, after) <= 0 {
			continue
		}
		out = append(out, r)
		at = append(at, i)
	}
	// The window is in mailbox order already: its position stands for the
	// mailbox's sort name and id. Sorting row numbers moves less than rows.
	order := make([]int32, len(out))
	for i := range order {
		order[i] = int32(i)
	}
	slices.SortFunc(order, func(i, j int32) int {
		a, b := &out[i], &out[j]
		return cmp.Or(cmp.Compare(at[i], at[j]), strings.Compare(string(a.Right), string(b.Right)),
			strings.Compare(a.HolderSort, b.HolderSort), cmp.Compare(a.HolderID, b.HolderID), cmp.Compare(a.PermissionID, b.PermissionID))
	})
	rows := make([]AccessReportRow, len(out))
	for i, o := range order {
		rows[i] = out[o]
	}
	return rows, nil
}

// compareByMailbox orders a row against a position in mailbox order, byte by byte
// as SQLite and the PostgreSQL columns in byteOrdered do.
func compareByMailbox(r AccessReportRow, c accessCursor) int {
	return cmp.Or(strings.Compare(r.MailboxSort, c.MailboxSort), cmp.Compare(r.MailboxID, c.MailboxID),
		strings.Compare(string(r.Right), string(c.Right)), strings.Compare(r.HolderSort, c.HolderSort),
		cmp.Compare(r.HolderID, c.HolderID), cmp.Compare(r.PermissionID, c.PermissionID))
}

// expandWindow expands the window's grants that match the filters through group
// membership, keeping the holders and the way they hold them that q asks for.
func (s *Store) expandWindow(db *gorm.DB, q AccessReportQuery, ids []uint) ([]expandedGrant, error) {
	filter, args := s.accessGrantFilter(q, ids)
	query := fmt.Sprintf(accessExpansionSQL, filter) + "SELECT h.perm_id, h.holder_id, h.via_id FROM h"
	var where []string
	if v := normalizeSearch(q.Holder); v != "" {
		where = append(where, "h.holder_id IN "+namedPrefix)
		lo, hi := prefixBounds(v)
		args = append(args, lo, hi, lo, hi)
	}
	switch q.Held {
	case HeldDirect:
		where = append(where, "h.via_id = 0")
	case HeldViaGroup:
		where = append(where, "h.via_id <> 0")
	}
	if len(where) > 0 {
		query += " WHERE " + strings.Join(where, " AND ")
	}
	var out []expandedGrant
	err := eachRow(db, query, args, func(rows *sql.Rows) error {
		var e expandedGrant
		if err := rows.Scan(&e.perm, &e.holder, &e.via); err != nil {
			return err
		}
		out = append(out, e)
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("read mailbox access report: %w", err)
	}
	return out, nil
}

// windowGrants reads the live grants on the window's mailboxes, by id.
func (s *Store) windowGrants(db *gorm.DB, q AccessReportQuery, ids []uint) (map[uint]windowGrant, error) {
	query := `SELECT p.id, p.mailbox_id, p.trustee_id, p.access_right, p.auto_mapping, COALESCE(p.granted_by_id, 0), p.granted_at,
	p.effective_at, p.revoke_effective_at FROM mailbox_permissions p WHERE p.mailbox_id IN ? AND ` + live
	args := []any{ids, s.Now()}
	if q.Right != "" {
		query += " AND p.access_right = ?"
		args = append(args, q.Right)
	}
	out := map[uint]windowGrant{}
	err := eachRow(db, query, args, func(rows *sql.Rows) error {
		var id uint
		var g windowGrant
		if err := rows.Scan(&id, &g.mailbox, &g.trustee, &g.right, &g.autoMapping, &g.grantedBy, &g.granted, &g.effective, &g.revoke); err != nil {
			return err
		}
		out[id] = g
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("read mailbox access grants: %w", err)
	}
	return out, nil
}

// load reads the details the cache lacks for a window's holders, the groups they
// hold through and the granters. When the cache would grow past its bound it
// starts again with only this window's.
func (c *holderCache) load(db *gorm.DB, expanded []expandedGrant, grants map[uint]windowGrant) error {
	wantHold, wantGrant := c.missing(expanded, grants)
	if len(c.holders)+len(wantHold) > c.max || len(c.granters)+len(wantGrant) > c.max {
		c.holders, c.granters = map[uint]holderDetails{}, map[uint]string{}
		wantHold, wantGrant = c.missing(expanded, grants)
	}
	slices.Sort(wantHold)
	slices.Sort(wantGrant)
	for _, ids := range chunks(wantHold) {
		err := eachRow(db, `SELECT r.id, r.display_name, r.sort_name, r.kind,
	COALESCE((SELECT e.address FROM email_addresses e WHERE e.recipient_id = r.id AND e.is_primary), ''),
	CASE WHEN u.sign_in_blocked THEN 1 ELSE 0 END, CASE WHEN u.deleted_at IS NOT NULL THEN 1 ELSE 0 END
FROM recipients r LEFT JOIN users u ON u.recipient_id = r.id WHERE r.id IN ?`, []any{ids}, func(rows *sql.Rows) error {
			var id uint
			var h holderDetails
			var blocked, deleted int
			if err := rows.Scan(&id, &h.name, &h.sort, &h.kind, &h.address, &blocked, &deleted); err != nil {
				return err
			}
			h.blocked, h.deleted = blocked == 1, deleted == 1
			c.holders[id] = h
			return nil
		})
		if err != nil {
			return fmt.Errorf("read mailbox access holders: %w", err)
		}
	}
	for _, ids := range chunks(wantGrant) {
		err := eachRow(db, `SELECT u.id, r.display_name FROM users u JOIN recipients r ON r.id = u.recipient_id WHERE u.id IN ?`,
			[]any{ids}, func(rows *sql.Rows) error {
				var id uint
				var name string
				if err := rows.Scan(&id, &name); err != nil {
					return err
				}
				c.granters[id] = name
				return nil
			})
		if err != nil {
			return fmt.Errorf("read mailbox access granters: %w", err)
		}
	}
	return nil
}

// missing lists the holders (and groups held through) and granters of a window
// that the cache does not know, each once.
func (c *holderCache) missing(expanded []expandedGrant, grants map[uint]windowGrant) (holders, granters []uint) {
	seen := map[uint]bool{}
	for _, e := range expanded {
		for _, id := range []uint{e.holder, e.via} {
			if _, ok := c.holder(id); id != 0 && !ok && !seen[id] {
				seen[id] = true
				holders = append(holders, id)
			}
		}
	}
	clear(seen)
	for _, g := range grants {
		if _, ok := c.granters[g.grantedBy]; g.grantedBy != 0 && !ok && !seen[g.grantedBy] {
			seen[g.grantedBy] = true
			granters = append(granters, g.grantedBy)
		}
	}
	return holders, granters
}

// eachRow runs a query and calls fn for each row.
func eachRow(db *gorm.DB, query string, args []any, fn func(*sql.Rows) error) error {
	rows, err := db.Raw(query, args...).Rows()
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		if err := fn(rows); err != nil {
			return err
		}
	}
	return rows.Err()
}
