package models

import (
	"cmp"
	"database/sql"
	"fmt"
	"slices"
	"strings"
	"time"

	"gorm.io/gorm"
)

// The export in holder order reads a window of holders at a time, as a page in
// holder order does, but not with one statement joining every row's mailbox,
// holder and group: at a million people that cost a random read of the mailbox,
// its address and its person on each of seven million rows (minutes). Here a
// window reads the grants given to its holders, and the groups its people are in
// (nested too); a group's grants are read once and kept for the windows after,
// since each is a row for every person in it. Names, addresses and sign-in state
// of holders, groups and mailboxes come from the holder table. A window that names
// a recipient the table lacks (one made since it was read) is read by the one
// statement instead (holderWindowRows).

// holderExportWindow is the holders of one window of the export.
const holderExportWindow = 2048

// groupGrantsKept bounds the groups' grants the export keeps (about 100 bytes
// each: a million people's groups have about 130,000); past it, it starts again
// with the window's.
const groupGrantsKept = 200_000

// heldGrant is a grant the export by holder reads: to whom it was given, on which
// mailbox (and that mailbox's recipient and type). It holds no pointers, so the
// collector does not walk the groups' grants the export keeps.
type heldGrant struct {
	id, trustee, mailbox, mailboxRecipient, grantedBy uint
	granted, effective, revoke                        unixTime
	// mailboxType and right are positions in the export's values.
	mailboxType, right uint16
	autoMapping        bool
}

// unixTime is a time as seconds and nanoseconds since 1970 (UTC), valid or not.
type unixTime struct {
	sec   int64
	nsec  int32
	valid bool
}

func unixOf(v timeValue) unixTime {
	if !v.valid {
		return unixTime{}
	}
	return unixTime{sec: v.t.Unix(), nsec: int32(v.t.Nanosecond()), valid: true}
}

// time is the time in UTC; the zero time if not valid.
func (u unixTime) time() time.Time {
	if !u.valid {
		return time.Time{}
	}
	return time.Unix(u.sec, int64(u.nsec)).UTC()
}

// heldGrantsSQL reads the grants given to some recipients (the first parameter)
// that match the report's conditions on grants (appended), with their mailboxes'
// recipients and types; heldGrantsOnlySQL without them, for an export that knows
// each mailbox's recipient (a random read of the mailbox less on every grant).
const (
	heldGrantsSQL = `SELECT p.trustee_id, p.id, p.mailbox_id, mb.recipient_id, mb.type, p.access_right, p.auto_mapping,
	COALESCE(p.granted_by_id, 0), p.granted_at, p.effective_at, p.revoke_effective_at
FROM mailbox_permissions p JOIN mailboxes mb ON mb.id = p.mailbox_id WHERE p.trustee_id IN ? AND `
	heldGrantsOnlySQL = `SELECT p.trustee_id, p.id, p.mailbox_id, 0, '', p.access_right, p.auto_mapping,
	COALESCE(p.granted_by_id, 0), p.granted_at, p.effective_at, p.revoke_effective_at
FROM mailbox_permissions p WHERE p.trustee_id IN ? AND `
)

// mailboxRecipientsBytes bounds the export's array of each mailbox's recipient
// (4 bytes a mailbox id): 16 MB, 4 million mailboxes.
const mailboxRecipientsBytes = 16 << 20

// groupsUpSQL reads the groups some recipients are in, nested ones too: (member,
// group's recipient), each pair once.
const groupsUpSQL = `WITH RECURSIVE ` + holderGroupsCTE + ` SELECT member_id, group_id FROM up`

// holderExport is one export in holder order.
type holderExport struct {
	s      *Store
	db     *gorm.DB
	q      AccessReportQuery
	table  *holderTable
	filter string
	fargs  []any
	// expansion is the one statement's text, for windows the table can't read.
	expansion string
	// groupGrants are the grants given to each group read so far (an entry, even
	// empty, for each), counted in kept.
	groupGrants map[uint][]heldGrant
	kept, max   int
	granters    map[uint]string
	// mailboxes, when read, is each mailbox's recipient by the mailbox's id (zero:
	// none).
	mailboxes []uint32
	// values are the mailbox types and rights read, each once, by position.
	values  []string
	valueAt map[string]uint16
	// Each window's: the grants to its holders, the groups its people are in, and
	// its rows.
	direct []heldGrant
	up     [][2]uint
	rows   []AccessReportRow
}

// exportByHolder calls fn with each row of the export of q in holder order, if the
// holder table fits; it reports false (and calls nothing) if not.
func (s *Store) exportByHolder(db *gorm.DB, q AccessReportQuery, fn func(AccessReportRow) error) (bool, error) {
	table, err := loadHolderTable(db, cmp.Or(q.table, holderTableBytes))
	if err != nil || table == nil {
		return false, err
	}
	x := &holderExport{s: s, db: db, q: q, table: table, groupGrants: map[uint][]heldGrant{},
		max: cmp.Or(q.groups, groupGrantsKept), granters: map[uint]string{}, valueAt: map[string]uint16{}}
	x.filter, x.fargs = s.accessGrantFilter(q, nil)
	if q.MailboxType == "" {
		// The conditions don't name the mailbox: its recipient comes from here
		// and its type from the holder table.
		if x.mailboxes, err = mailboxRecipients(db); err != nil {
			return true, err
		}
	}
	if afterHolderTable != nil {
		afterHolderTable()
	}
	x.expansion = fmt.Sprintf(accessHolderExpansionSQL, x.filter) + accessReportSelectSQL
	size := min(cmp.Or(q.window, holderExportWindow), holderWindowMax)
	first, fromSort, fromID, op := true, "", uint(0), ">="
	var ids []uint
	for {
		var lastSort string
		ids, lastSort, err = s.holderWindow(db, q, ids[:0], first, fromSort, fromID, op, size)
		if err != nil {
			return true, fmt.Errorf("read mailbox access report: %w", err)
		}
		if len(ids) == 0 {
			return true, nil
		}
		rows, err := x.window(ids)
		if err != nil {
			return true, err
		}
		for _, r := range rows {
			if err := fn(r); err != nil {
				return true, err
			}
		}
		if len(ids) < size {
			return true, nil
		}
		first, fromSort, fromID, op = false, lastSort, ids[len(ids)-1], ">"
	}
}

// window reads the rows of a window of holders (ids, in holder order), in report
// order.
func (x *holderExport) window(ids []uint) ([]AccessReportRow, error) {
	var err error
	x.direct, x.up = x.direct[:0], x.up[:0]
	if x.q.Held != HeldViaGroup {
		if x.direct, err = x.grantsTo(ids, x.direct); err != nil {
			return nil, err
		}
	}
	if x.q.Held != HeldDirect {
		// Only people are rows through a group.
		people := make([]uint, 0, len(ids))
		for _, id := range ids {
			if h, ok := x.table.get(id); ok && h.kind == KindUser {
				people = append(people, id)
			}
		}
		if err := x.groupsOf(people); err != nil {
			return nil, err
		}
	}
	if !x.known(ids) {
		return x.s.holderWindowRows(x.db, x.q, ids, x.expansion, x.fargs)
	}
	if err := x.loadGranters(); err != nil {
		return nil, err
	}
	return x.makeRows(ids), nil
}

// grantsTo appends the grants given to ids that match the report's conditions.
func (x *holderExport) grantsTo(ids []uint, out []heldGrant) ([]heldGrant, error) {
	var g heldGrant
	var mailboxType, right sql.RawBytes
	var granted, effective, revoke timeValue
	query := heldGrantsSQL
	if x.mailboxes != nil {
		query = heldGrantsOnlySQL
	}
	for _, part := range chunks(ids) {
		err := eachRow(x.db, query+x.filter, append([]any{part}, x.fargs...), func(rows *sql.Rows) error {
			if err := rows.Scan(asUint(&g.trustee), asUint(&g.id), asUint(&g.mailbox), asUint(&g.mailboxRecipient), &mailboxType,
				&right, &g.autoMapping, asUint(&g.grantedBy), &granted, &effective, &revoke); err != nil {
				return err
			}
			if x.mailboxes != nil {
				// A mailbox made since they were read has none: the window is
				// read the long way (known).
				g.mailboxRecipient = 0
				if g.mailbox < uint(len(x.mailboxes)) {
					g.mailboxRecipient = uint(x.mailboxes[g.mailbox])
				}
				m, _ := x.table.get(g.mailboxRecipient)
				g.mailboxType = x.value(string(m.mailboxType))
			} else {
				g.mailboxType = x.valueOf(mailboxType)
			}
			g.right = x.valueOf(right)
			g.granted, g.effective, g.revoke = unixOf(granted), unixOf(effective), unixOf(revoke)
			out = append(out, g)
			return nil
		})
		if err != nil {
			return nil, fmt.Errorf("read mailbox access grants: %w", err)
		}
	}
	return out, nil
}

// groupsOf reads the groups the people are in (x.up) and the grants of those the
// export has not read yet.
func (x *holderExport) groupsOf(people []uint) error {
	if len(people) == 0 {
		return nil
	}
	err := eachRow(x.db, groupsUpSQL, []any{people}, func(rows *sql.Rows) error {
		var p [2]uint
		if err := rows.Scan(asUint(&p[0]), asUint(&p[1])); err != nil {
			return err
		}
		x.up = append(x.up, p)
		return nil
	})
	if err != nil {
		return fmt.Errorf("read mailbox access groups: %w", err)
	}
	want := x.unread()
	if len(want) == 0 {
		return nil
	}
	if x.kept > x.max {
		// Kept past the bound: start again with this window's groups.
		x.groupGrants, x.kept = map[uint][]heldGrant{}, 0
		want = x.unread()
	}
	grants, err := x.grantsTo(want, nil)
	if err != nil {
		return err
	}
	for _, g := range want {
		x.groupGrants[g] = nil
	}
	for _, g := range grants {
		x.groupGrants[g.trustee] = append(x.groupGrants[g.trustee], g)
	}
	x.kept += len(grants) + len(want)
	return nil
}

// mailboxRecipients reads each mailbox's recipient, by the mailbox's id; nil if
// the ids are too sparse for an array.
func mailboxRecipients(db *gorm.DB) ([]uint32, error) {
	var top uint
	if err := db.Raw(`SELECT COALESCE(MAX(id), 0) FROM mailboxes`).Row().Scan(&top); err != nil {
		return nil, fmt.Errorf("read mailbox access mailboxes: %w", err)
	}
	if 4*(top+1) > mailboxRecipientsBytes {
		return nil, nil
	}
	out := make([]uint32, top+1)
	err := eachRow(db, `SELECT id, recipient_id FROM mailboxes`, nil, func(rows *sql.Rows) error {
		var id, recipient uint
		if err := rows.Scan(asUint(&id), asUint(&recipient)); err != nil {
			return err
		}
		if id < uint(len(out)) && recipient <= 1<<32-1 {
			out[id] = uint32(recipient)
		}
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("read mailbox access mailboxes: %w", err)
	}
	return out, nil
}

// valueOf is the position of b in the export's values, added if new.
func (x *holderExport) valueOf(b []byte) uint16 {
	if i, ok := x.valueAt[string(b)]; ok {
		return i
	}
	return x.value(string(b))
}

// value is the position of v in the export's values, added if new.
func (x *holderExport) value(v string) uint16 {
	if i, ok := x.valueAt[v]; ok {
		return i
	}
	// A few: there are two mailbox types and three rights.
	i := uint16(len(x.values))
	x.values = append(x.values, v)
	x.valueAt[v] = i
	return i
}

// unread lists the window's groups whose grants the export has not read, each once.
func (x *holderExport) unread() []uint {
	var want []uint
	seen := map[uint]bool{}
	for _, p := range x.up {
		if _, ok := x.groupGrants[p[1]]; !ok && !seen[p[1]] {
			seen[p[1]] = true
			want = append(want, p[1])
		}
	}
	return want
}

// known reports whether the table has every recipient of the window's rows: its
// holders, their groups and the mailboxes.
func (x *holderExport) known(ids []uint) bool {
	for _, id := range ids {
		if !x.table.has(id) {
			return false
		}
	}
	for _, p := range x.up {
		if !x.table.has(p[1]) {
			return false
		}
		for _, g := range x.groupGrants[p[1]] {
			if !x.table.has(g.mailboxRecipient) {
				return false
			}
		}
	}
	for _, g := range x.direct {
		if !x.table.has(g.mailboxRecipient) {
			return false
		}
	}
	return true
}

// loadGranters reads the names of the window's granters the export lacks.
func (x *holderExport) loadGranters() error {
	var want []uint
	seen := map[uint]bool{}
	add := func(grants []heldGrant) {
		for _, g := range grants {
			if _, ok := x.granters[g.grantedBy]; g.grantedBy != 0 && !ok && !seen[g.grantedBy] {
				seen[g.grantedBy] = true
				want = append(want, g.grantedBy)
			}
		}
	}
	add(x.direct)
	for _, p := range x.up {
		add(x.groupGrants[p[1]])
	}
	if len(want) == 0 {
		return nil
	}
	if len(x.granters)+len(want) > holderCacheSize {
		clear(x.granters)
	}
	return readGranters(x.db, want, x.granters)
}

// makeRows makes the window's rows: each holder's (in the window's order, which is
// the report's), its grants and those of its groups, in mailbox order.
func (x *holderExport) makeRows(ids []uint) []AccessReportRow {
	direct := map[uint][]int{}
	for i, g := range x.direct {
		direct[g.trustee] = append(direct[g.trustee], i)
	}
	groups := map[uint][]uint{}
	for _, p := range x.up {
		groups[p[0]] = append(groups[p[0]], p[1])
	}
	out := x.rows[:0]
	for _, id := range ids {
		h, _ := x.table.get(id)
		if x.q.Stale && !h.blocked && !h.deleted {
			continue
		}
		start := len(out)
		for _, i := range direct[id] {
			out = append(out, x.row(id, h, 0, "", &x.direct[i]))
		}
		if h.kind == KindUser {
			for _, group := range groups[id] {
				grants := x.groupGrants[group]
				if len(grants) == 0 {
					continue
				}
				v, _ := x.table.get(group)
				for i := range grants {
					out = append(out, x.row(id, h, group, v.name, &grants[i]))
				}
			}
		}
		// One holder's rows: by mailbox, right and grant, byte by byte as the
		// statement orders them.
		slices.SortFunc(out[start:], func(a, b AccessReportRow) int {
			return cmp.Or(strings.Compare(a.MailboxSort, b.MailboxSort), cmp.Compare(a.MailboxID, b.MailboxID),
				strings.Compare(string(a.Right), string(b.Right)), cmp.Compare(a.PermissionID, b.PermissionID))
		})
	}
	if len(out) <= keptWindowRows {
		x.rows = out
	} else {
		x.rows = nil
	}
	return out
}

// row is a grant's row for a holder (h, with id), held through a group (via,
// named viaName) or not.
func (x *holderExport) row(id uint, h holderDetails, via uint, viaName string, g *heldGrant) AccessReportRow {
	m, _ := x.table.get(g.mailboxRecipient)
	r := AccessReportRow{PermissionID: g.id, MailboxID: g.mailbox, MailboxRecipientID: g.mailboxRecipient, MailboxName: m.name,
		MailboxSort: m.sort, MailboxAddress: m.address, MailboxType: MailboxType(x.values[g.mailboxType]), OwnerUserID: m.user,
		Right: Right(x.values[g.right]), HolderID: id, HolderName: h.name, HolderSort: h.sort, HolderAddress: h.address,
		HolderKind: h.kind, HolderBlocked: h.blocked, HolderDeleted: h.deleted, ViaID: via, ViaName: viaName,
		AutoMapping: g.autoMapping, GrantedAt: g.granted.time(), EffectiveAt: g.effective.time()}
	if g.grantedBy != 0 {
		r.GrantedBy = x.granters[g.grantedBy]
	}
	if g.revoke.valid {
		t := g.revoke.time()
		r.RevokeEffectiveAt = &t
	}
	return r
}
