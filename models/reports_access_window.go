package models

import (
	"cmp"
	"database/sql"
	"encoding/binary"
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
	// buf is what each window's rows are read into.
	buf windowBuffers
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

// known reports whether a holder's (or a group's) details are read, without
// unpacking them.
func (c *holderCache) known(id uint) bool {
	if c.all != nil && c.all.has(id) {
		return true
	}
	_, ok := c.holders[id]
	return ok
}

func newHolderCache(max int) *holderCache {
	return &holderCache{max: max, holders: map[uint]holderDetails{}, granters: map[uint]string{},
		groups: map[uint]*groupEntry{}, flat: map[uint][]uint{}}
}

// expandedGrant is a row of the expansion: a grant of the window (its index in the
// window's grants) reaching a holder, through a group or not.
type expandedGrant struct {
	grant       int32
	holder, via uint
}

type windowGrant struct {
	id      uint
	mailbox uint
	// at is the position of the grant's mailbox in the window, and rank that of
	// its right among the window's rights in byte order: with the holder they
	// order the window's rows.
	at          int32
	rank        uint32
	trustee     uint
	right       Right
	autoMapping bool
	grantedBy   uint
	granted     timeValue
	effective   timeValue
	revoke      timeValue
}

// windowBuffers are what readWindow fills for each window, kept from one window to
// the next: at a million people a window's rows took megabytes, which were made
// (and cleared) anew for each of two thousand windows. A window far larger than
// most (a big group granted on several of its mailboxes) is not kept.
type windowBuffers struct {
	grants   []windowGrant
	expanded []expandedGrant
	rows     []AccessReportRow
	keys     []rowKey
}

// keptWindowRows is the most rows of a window whose buffers are kept: about 5 MB.
const keptWindowRows = 16 << 10

// rowKey orders a row of a window: its mailbox's position and its right's rank,
// then the first bytes of the holder's sort name, so that most comparisons touch
// neither the row nor the name; the row (at i) breaks ties.
type rowKey struct {
	first, name uint64
	i           int32
}

// sortPrefix is the first eight bytes of s, big-endian, zero-padded: two prefixes
// compare as the strings do, or are equal.
func sortPrefix(s string) uint64 {
	var b [8]byte
	copy(b[:], s)
	return binary.BigEndian.Uint64(b[:])
}

// readWindow reads the report's rows for the window's mailboxes, in report order,
// after q.After. The rows are c's buffers: they hold until the next call.
func (s *Store) readWindow(db *gorm.DB, q AccessReportQuery, win []windowMailbox, c *holderCache) ([]AccessReportRow, error) {
	ids := make([]uint, len(win))
	pos := make(map[uint]int32, len(win))
	for i, m := range win {
		ids[i], pos[m.ID] = m.ID, int32(i)
	}
	grants, err := s.windowGrants(db, q, ids, pos, c.buf.grants[:0])
	if err != nil {
		return nil, err
	}
	c.buf.grants = grants
	return s.windowRows(db, q, win, ids, grants, c)
}

// windowIDs are the ids of a window's mailboxes.
func windowIDs(win []windowMailbox) []uint {
	ids := make([]uint, len(win))
	for i, m := range win {
		ids[i] = m.ID
	}
	return ids
}

// windowRows expands the grants of a window's mailboxes (ids, in win's order) and
// makes the window's rows, in report order, after q.After. The rows are c's
// buffers: they hold until the next call.
func (s *Store) windowRows(db *gorm.DB, q AccessReportQuery, win []windowMailbox, ids []uint, grants []windowGrant, c *holderCache) ([]AccessReportRow, error) {
	buf := &c.buf
	var expanded []expandedGrant
	var err error
	if normalizeSearch(q.Holder) != "" {
		// A holder's name or any of their addresses: the database matches them.
		expanded, err = s.expandWindow(db, q, ids, grants)
	} else {
		expanded, err = c.expand(db, q.Held, grants, buf.expanded[:0])
		buf.expanded = expanded
	}
	if err != nil {
		return nil, err
	}
	if err := c.load(db, expanded, grants); err != nil {
		return nil, err
	}
	after, paged := decodeAccessCursor(q.After, SortByMailbox)
	// Made at their bound (a row at most a holder reached) rather than grown: a
	// grown slice of a large window took twice its room.
	out, keys := buf.rows[:0], buf.keys[:0]
	if cap(out) < len(expanded) {
		out, keys = make([]AccessReportRow, 0, len(expanded)), make([]rowKey, 0, len(expanded))
	}
	// The rows of a grant through a group come together: its name is read once.
	var viaID uint
	var viaName string
	for _, e := range expanded {
		g := &grants[e.grant]
		mb := &win[g.at]
		h, ok := c.holder(e.holder)
		// A group reached through another group is not a row: its people are.
		if !ok || (e.via != 0 && h.kind != KindUser) {
			continue
		}
		if q.Stale && !h.blocked && !h.deleted {
			continue
		}
		r := AccessReportRow{PermissionID: g.id, MailboxID: g.mailbox, MailboxRecipientID: mb.RecipientID, MailboxName: mb.Name,
			MailboxSort: mb.SortName, MailboxAddress: mb.Address, MailboxType: mb.Type, OwnerUserID: mb.OwnerUserID, Right: g.right,
			HolderID: e.holder, HolderName: h.name, HolderSort: h.sort, HolderAddress: h.address, HolderKind: h.kind,
			HolderBlocked: h.blocked, HolderDeleted: h.deleted, ViaID: e.via, AutoMapping: g.autoMapping,
			GrantedAt: g.granted.t, EffectiveAt: g.effective.t}
		if e.via != 0 {
			if e.via != viaID {
				v, _ := c.holder(e.via)
				viaID, viaName = e.via, v.name
			}
			r.ViaName = viaName
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
		keys = append(keys, rowKey{first: uint64(g.at)<<32 | uint64(g.rank), name: sortPrefix(h.sort), i: int32(len(out))})
		out = append(out, r)
	}
	// The window is in mailbox order already: its position stands for the
	// mailbox's sort name and id. Sorting keys moves less than rows.
	slices.SortFunc(keys, func(a, b rowKey) int {
		if a.first != b.first {
			return cmp.Compare(a.first, b.first)
		}
		if a.name != b.name {
			return cmp.Compare(a.name, b.name)
		}
		x, y := &out[a.i], &out[b.i]
		return cmp.Or(strings.Compare(x.HolderSort, y.HolderSort), cmp.Compare(x.HolderID, y.HolderID),
			cmp.Compare(x.PermissionID, y.PermissionID))
	})
	permute(out, keys)
	if len(out) <= keptWindowRows {
		buf.rows, buf.keys = out, keys
	} else {
		buf.rows, buf.keys, buf.expanded = nil, nil, nil
	}
	return out, nil
}

// permute puts rows in the order of the sorted keys (rows[k.i] goes to the key's
// position) in place, a cycle of the permutation at a time, and spoils the keys.
func permute(rows []AccessReportRow, keys []rowKey) {
	for start := range keys {
		if keys[start].i < 0 {
			continue
		}
		first := rows[start]
		at := start
		for {
			from := int(keys[at].i)
			keys[at].i = -1
			if from == start {
				rows[at] = first
				break
			}
			rows[at] = rows[from]
			at = from
		}
	}
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
func (s *Store) expandWindow(db *gorm.DB, q AccessReportQuery, ids []uint, grants []windowGrant) ([]expandedGrant, error) {
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
	byID := make(map[uint]int32, len(grants))
	for i, g := range grants {
		byID[g.id] = int32(i)
	}
	var out []expandedGrant
	err := eachRow(db, query, args, func(rows *sql.Rows) error {
		var perm uint
		var e expandedGrant
		if err := rows.Scan(&perm, &e.holder, &e.via); err != nil {
			return err
		}
		// A grant the window's grants lack (made between the two reads) is no row.
		i, ok := byID[perm]
		if !ok {
			return nil
		}
		e.grant = i
		out = append(out, e)
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("read mailbox access report: %w", err)
	}
	return out, nil
}

// windowGrants reads the live grants on the window's mailboxes (ids, at their
// positions pos), with each right's rank among them, appending them to out.
func (s *Store) windowGrants(db *gorm.DB, q AccessReportQuery, ids []uint, pos map[uint]int32, out []windowGrant) ([]windowGrant, error) {
	query := `SELECT p.id, p.mailbox_id, p.trustee_id, p.access_right, p.auto_mapping, COALESCE(p.granted_by_id, 0), p.granted_at,
	p.effective_at, p.revoke_effective_at FROM mailbox_permissions p WHERE p.mailbox_id IN ? AND ` + live
	args := []any{ids, s.Now()}
	if q.Right != "" {
		query += " AND p.access_right = ?"
		args = append(args, q.Right)
	}
	var rights []Right
	// One grant read into, rather than one made for each row.
	var g windowGrant
	err := eachRow(db, query, args, func(rows *sql.Rows) error {
		if err := rows.Scan(&g.id, &g.mailbox, &g.trustee, &g.right, &g.autoMapping, &g.grantedBy, &g.granted, &g.effective, &g.revoke); err != nil {
			return err
		}
		at, ok := pos[g.mailbox]
		if !ok {
			return nil
		}
		g.at = at
		if !slices.Contains(rights, g.right) {
			rights = append(rights, g.right)
		}
		out = append(out, g)
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("read mailbox access grants: %w", err)
	}
	rankRights(out, rights)
	return out, nil
}

// rankRights sets each grant's rank: the position of its right among rights (the
// window's rights, each once) in byte order.
func rankRights(grants []windowGrant, rights []Right) {
	slices.Sort(rights)
	for i := range grants {
		grants[i].rank = uint32(slices.Index(rights, grants[i].right))
	}
}

// load reads the details the cache lacks for a window's holders, the groups they
// hold through and the granters. When the cache would grow past its bound it
// starts again with only this window's.
func (c *holderCache) load(db *gorm.DB, expanded []expandedGrant, grants []windowGrant) error {
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
	return readGranters(db, wantGrant, c.granters)
}

// readGranters reads the names of the people (by user id) who granted rights into
// names.
func readGranters(db *gorm.DB, ids []uint, names map[uint]string) error {
	for _, part := range chunks(ids) {
		err := eachRow(db, `SELECT u.id, r.display_name FROM users u JOIN recipients r ON r.id = u.recipient_id WHERE u.id IN ?`,
			[]any{part}, func(rows *sql.Rows) error {
				var id uint
				var name string
				if err := rows.Scan(asUint(&id), &name); err != nil {
					return err
				}
				names[id] = name
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
func (c *holderCache) missing(expanded []expandedGrant, grants []windowGrant) (holders, granters []uint) {
	seen := map[uint]bool{}
	for _, e := range expanded {
		for _, id := range []uint{e.holder, e.via} {
			if id != 0 && !c.known(id) && !seen[id] {
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
