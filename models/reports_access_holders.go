package models

import (
	"bytes"
	"database/sql"
	"encoding/binary"
	"errors"
	"fmt"
	"slices"
	"unsafe"

	"gorm.io/gorm"
)

// The export reads every row of the tenant, and its holders come in no order a
// window of mailboxes could follow: at a million people nearly every holder was a
// random read of three tables, again and again as the bounded cache forgot them
// (five minutes of the export's six). holderTable instead reads every
// recipient's details once, in one pass in id order (seconds at a million), into
// a packed table that takes under 40 bytes a recipient and no pointers. Its size
// is capped (holderTableBytes): a tenant whose details don't fit falls back to the
// cache that reads each window's holders.

// holderTableBytes caps the packed details of one export's holder table: about
// 2.5 million recipients.
const holderTableBytes = 96 << 20

// holderBlock is the size of the table's blocks: a block is never moved once
// written, so the strings read from it point into it and copy nothing.
const holderBlock = 1 << 20

// holderTable is every recipient's report details, packed: ids in ascending order
// and, for each, where its entry starts (block<<20 | offset). An entry is a byte of
// flags (the recipient's kind, its sign-in state, its mailbox's type, and which of
// the parts below are left out), the user id of a person, the name, the sort name
// unless it is the name's (sortName), the primary address (or its part before the
// domain and the domain's number in domains), and a mailbox type the flags can't
// name; strings as a uvarint length and bytes. Leaving out what is derived halves
// the table at a million people (37 bytes a recipient instead of 65).
type holderTable struct {
	ids    []uint32
	at     []uint32
	blocks [][]byte
	size   int
	// byID, when the ids are dense enough, is each entry's start plus one at its
	// id (zero: no such recipient), for lookups without a search; ids and at are
	// then empty.
	byID []uint32
	// domains are the addresses' domains, with their "@", by number; domainAt
	// numbers them while the table is read.
	domains  []string
	domainAt map[string]int
}

var holderKinds = []RecipientKind{KindUser, KindSharedMailbox, KindGroup, KindContact}

// holderMailboxTypes are the mailbox types an entry's flags name (bits 4-5); any
// other is written out (holderOtherType).
var holderMailboxTypes = []MailboxType{"", MailboxUser, MailboxShared}

// An entry's flags: bits 0-1 are the kind (holderKinds), bits 4-5 the mailbox type.
const (
	holderBlocked     = 1 << 2
	holderDeleted     = 1 << 3
	holderOtherType   = 3 << 4
	holderSortDerived = 1 << 6
	holderDomainShort = 1 << 7
)

// holderDomains bounds the domains the table numbers; addresses at any other are
// written out whole.
const holderDomains = 1 << 10

// loadHolderTable reads the details of every recipient, or returns nil if they take
// more than max bytes (or an id is too large to pack).
func loadHolderTable(db *gorm.DB, max int) (*holderTable, error) {
	t := &holderTable{}
	// Ids dense enough (an array by id a quarter of the budget at most) are
	// looked up by position; the array is made before the pass so that no list of
	// ids grows (and is copied) on the way.
	var top uint
	if err := db.Raw(`SELECT COALESCE(MAX(id), 0) FROM recipients`).Row().Scan(&top); err != nil {
		return nil, fmt.Errorf("read mailbox access holders: %w", err)
	}
	if 4*(top+1) <= uint(max/4) {
		t.byID = make([]uint32, top+1)
		t.size += 4 * len(t.byID)
	}
	full := false
	query := holderTableSQL
	if db.Dialector.Name() == "postgres" {
		query = holderTablePostgresSQL
	}
	err := eachRow(db, query, nil, func(rows *sql.Rows) error {
		var id, user uint
		var name, sort, address, mailboxType sql.RawBytes
		var kind string
		var blocked, deleted int
		if err := rows.Scan(&id, &name, &sort, &kind, &address, &blocked, &deleted, &user, &mailboxType); err != nil {
			return err
		}
		if full || id > 1<<32-1 {
			full = true
			return nil
		}
		if !t.add(uint32(id), RecipientKind(kind), blocked == 1, deleted == 1, user, name, sort, address, mailboxType) || t.size > max {
			full = true
		}
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("read mailbox access holders: %w", err)
	}
	if full {
		return nil, nil
	}
	return t, nil
}

// holderTableSQL reads every recipient's details in id order.
const holderTableSQL = `SELECT r.id, r.display_name, r.sort_name, r.kind,
	COALESCE((SELECT e.address FROM email_addresses e WHERE e.recipient_id = r.id AND e.is_primary), ''),
	` + holderTableRest + `
ORDER BY r.id`

// holderTablePostgresSQL is holderTableSQL with the primary address joined rather
// than looked up per recipient: PostgreSQL merges it in id order with the rest
// (at a million people 4.1 s instead of 7.8). A recipient has one primary address;
// were there two, the subquery would fail, and here the recipient's second row
// makes add refuse it, so the export reads its holders a window at a time.
const holderTablePostgresSQL = `SELECT r.id, r.display_name, r.sort_name, r.kind, COALESCE(e.address, ''),
	` + holderTableRest + `
	LEFT JOIN email_addresses e ON e.recipient_id = r.id AND e.is_primary
ORDER BY r.id`

// holderTableRest is both holder statements' columns after the address, and
// their tables.
const holderTableRest = `CASE WHEN u.sign_in_blocked THEN 1 ELSE 0 END, CASE WHEN u.deleted_at IS NOT NULL THEN 1 ELSE 0 END,
	COALESCE(u.id, 0), COALESCE(mb.type, '')
FROM recipients r LEFT JOIN users u ON u.recipient_id = r.id LEFT JOIN mailboxes mb ON mb.recipient_id = r.id`

// add appends a recipient's entry; ids come in ascending order. It reports false
// if an entry can't be packed.
func (t *holderTable) add(id uint32, kind RecipientKind, blocked, deleted bool, user uint, name, sort, address, mailboxType []byte) bool {
	k := slices.Index(holderKinds, kind)
	if k < 0 || len(t.blocks) >= 1<<12 || (len(t.ids) > 0 && id <= t.ids[len(t.ids)-1]) ||
		(t.byID != nil && (uint(id) >= uint(len(t.byID)) || t.byID[id] != 0)) {
		return false
	}
	flags := byte(k)
	if blocked {
		flags |= holderBlocked
	}
	if deleted {
		flags |= holderDeleted
	}
	if m := slices.Index(holderMailboxTypes, MailboxType(mailboxType)); m >= 0 {
		flags |= byte(m) << 4
	} else {
		flags |= holderOtherType
	}
	if string(sort) == sortName(string(name)) {
		flags |= holderSortDerived
		sort = nil
	}
	domain := -1
	if at := bytes.LastIndexByte(address, '@'); at >= 0 {
		if n, ok := t.domainAt[string(address[at:])]; ok {
			domain = n
		} else if len(t.domains) < holderDomains {
			if t.domainAt == nil {
				t.domainAt = map[string]int{}
			}
			domain = len(t.domains)
			t.domains = append(t.domains, string(address[at:]))
			t.domainAt[t.domains[domain]] = domain
			t.size += 16 + len(t.domains[domain])
		}
		if domain >= 0 {
			flags |= holderDomainShort
			address = address[:at]
		}
	}
	need := 1 + binary.MaxVarintLen64 + 5*binary.MaxVarintLen32 + len(name) + len(sort) + len(address) + len(mailboxType)
	if need > holderBlock {
		return false
	}
	if len(t.blocks) == 0 || cap(t.blocks[len(t.blocks)-1])-len(t.blocks[len(t.blocks)-1]) < need {
		t.blocks = append(t.blocks, make([]byte, 0, holderBlock))
		t.size += holderBlock
	}
	b := &t.blocks[len(t.blocks)-1]
	at := uint32(len(t.blocks)-1)<<20 | uint32(len(*b))
	if t.byID != nil {
		t.byID[id] = at + 1
	} else {
		t.ids = append(t.ids, id)
		t.at = append(t.at, at)
	}
	*b = append(*b, flags)
	*b = binary.AppendUvarint(*b, uint64(user))
	put := func(s []byte) {
		*b = binary.AppendUvarint(*b, uint64(len(s)))
		*b = append(*b, s...)
	}
	put(name)
	if flags&holderSortDerived == 0 {
		put(sort)
	}
	put(address)
	if domain >= 0 {
		*b = binary.AppendUvarint(*b, uint64(domain))
	}
	if flags&holderOtherType == holderOtherType {
		put(mailboxType)
	}
	t.size += 8
	return true
}

// mailbox returns a window's mailbox from its id, sort name and recipient.
func (t *holderTable) mailbox(id uint, sort string, recipient uint) (windowMailbox, bool) {
	h, ok := t.get(recipient)
	return windowMailbox{ID: id, SortName: sort, RecipientID: recipient, Name: h.name, Address: h.address,
		Type: h.mailboxType, OwnerUserID: h.user}, ok
}

// errNotInTable stops exportWindow at a mailbox the holder table lacks.
var errNotInTable = errors.New("mailbox not in the holder table")

// has reports whether the table holds a recipient.
func (t *holderTable) has(id uint) bool {
	if t.byID != nil {
		return id < uint(len(t.byID)) && t.byID[id] != 0
	}
	_, ok := slices.BinarySearch(t.ids, uint32(id))
	return ok && id <= 1<<32-1
}

// get returns a recipient's details; the strings point into the table.
func (t *holderTable) get(id uint) (holderDetails, bool) {
	var at uint32
	switch {
	case t.byID != nil:
		if id >= uint(len(t.byID)) || t.byID[id] == 0 {
			return holderDetails{}, false
		}
		at = t.byID[id] - 1
	default:
		i, ok := slices.BinarySearch(t.ids, uint32(id))
		if !ok || id > 1<<32-1 {
			return holderDetails{}, false
		}
		at = t.at[i]
	}
	b := t.blocks[at>>20][at&(holderBlock-1):]
	flags := b[0]
	h := holderDetails{kind: holderKinds[flags&3], blocked: flags&holderBlocked != 0, deleted: flags&holderDeleted != 0}
	if m := int(flags >> 4 & 3); m < len(holderMailboxTypes) {
		h.mailboxType = holderMailboxTypes[m]
	}
	user, w := binary.Uvarint(b[1:])
	h.user = uint(user)
	b = b[1+w:]
	next := func() string {
		n, w := binary.Uvarint(b)
		b = b[w:]
		s := ""
		if n > 0 {
			s = unsafe.String(&b[0], int(n))
		}
		b = b[n:]
		return s
	}
	h.name = next()
	if flags&holderSortDerived != 0 {
		// Made anew for each lookup (when the name has capitals): 30 MB of
		// a million people's sort names cost less kept out of the table.
		h.sort = sortName(h.name)
	} else {
		h.sort = next()
	}
	h.address = next()
	if flags&holderDomainShort != 0 {
		n, w := binary.Uvarint(b)
		b = b[w:]
		h.address += t.domains[n]
	}
	if flags&holderOtherType == holderOtherType {
		h.mailboxType = MailboxType(next())
	}
	return h, true
}

// exportWindow is mailboxWindow for an export that read the holder table: it reads
// the next mailboxes from the name index and the mailboxes' recipient index alone
// (no row of either table, nor of users and addresses), and takes the rest from
// the table. It keeps mailboxes without live grants: their windows have no rows,
// and looking for grants here only to read them again for the window cost a
// random read of each mailbox's grants twice.
func (s *Store) exportWindow(db *gorm.DB, q AccessReportQuery, fromSort string, fromID uint, op string, size int, all *holderTable) ([]windowMailbox, error) {
	// The plain bound first: PostgreSQL starts the name index's scan from it.
	query := `SELECT mb.id, r.sort_name, mb.recipient_id FROM recipients r JOIN mailboxes mb ON mb.recipient_id = r.id
WHERE r.sort_name >= ? AND (r.sort_name, mb.id) ` + op + ` (?, ?)`
	args := []any{fromSort, fromSort, fromID}
	if q.MailboxType != "" {
		query += " AND mb.type = ?"
		args = append(args, q.MailboxType)
	}
	if v := normalizeSearch(q.Mailbox); v != "" {
		lo, hi := prefixBounds(v)
		query += " AND mb.recipient_id IN " + namedPrefix
		args = append(args, lo, hi, lo, hi)
	}
	query += " ORDER BY r.sort_name, mb.id LIMIT ?"
	args = append(args, size)
	out := make([]windowMailbox, 0, size)
	err := eachRow(db, query, args, func(rows *sql.Rows) error {
		var id, recipient uint
		var sort string
		if err := rows.Scan(&id, &sort, &recipient); err != nil {
			return err
		}
		m, ok := all.mailbox(id, sort, recipient)
		if !ok {
			return errNotInTable
		}
		out = append(out, m)
		return nil
	})
	if err == errNotInTable {
		// A mailbox made since the table was read: this window reads its mailboxes
		// the long way.
		return s.mailboxWindow(db, q, fromSort, fromID, op == ">=", size, nil)
	}
	if err != nil {
		return nil, fmt.Errorf("read mailbox access report: %w", err)
	}
	return out, nil
}
