package models

import (
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
// a packed table that takes about 60 bytes a recipient and no pointers. Its size
// is capped (holderTableBytes): a tenant whose details don't fit falls back to the
// cache that reads each window's holders.

// holderTableBytes caps the packed details of one export's holder table: about
// 1.5 million recipients.
const holderTableBytes = 96 << 20

// holderBlock is the size of the table's blocks: a block is never moved once
// written, so the strings read from it point into it and copy nothing.
const holderBlock = 1 << 20

// holderTable is every recipient's report details, packed: ids in ascending order
// and, for each, where its entry starts (block<<20 | offset). An entry is its kind,
// its sign-in state, and its name, sort name and primary address, each a uvarint
// length and bytes; the user id of a person, and the type of the recipient's
// mailbox.
type holderTable struct {
	ids    []uint32
	at     []uint32
	blocks [][]byte
	size   int
	// byID, when the ids are dense enough, is each entry's start plus one at its
	// id (zero: no such recipient), for lookups without a search; ids and at are
	// then empty.
	byID []uint32
}

var holderKinds = []RecipientKind{KindUser, KindSharedMailbox, KindGroup, KindContact}

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
	err := eachRow(db, `SELECT r.id, r.display_name, r.sort_name, r.kind,
	COALESCE((SELECT e.address FROM email_addresses e WHERE e.recipient_id = r.id AND e.is_primary), ''),
	CASE WHEN u.sign_in_blocked THEN 1 ELSE 0 END, CASE WHEN u.deleted_at IS NOT NULL THEN 1 ELSE 0 END,
	COALESCE(u.id, 0), COALESCE(mb.type, '')
FROM recipients r LEFT JOIN users u ON u.recipient_id = r.id LEFT JOIN mailboxes mb ON mb.recipient_id = r.id
ORDER BY r.id`, nil, func(rows *sql.Rows) error {
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

// add appends a recipient's entry; ids come in ascending order. It reports false
// if an entry can't be packed.
func (t *holderTable) add(id uint32, kind RecipientKind, blocked, deleted bool, user uint, name, sort, address, mailboxType []byte) bool {
	k := slices.Index(holderKinds, kind)
	if k < 0 || len(t.blocks) >= 1<<12 || (len(t.ids) > 0 && id <= t.ids[len(t.ids)-1]) ||
		(t.byID != nil && (uint(id) >= uint(len(t.byID)) || t.byID[id] != 0)) {
		return false
	}
	need := 2 + binary.MaxVarintLen64 + 4*binary.MaxVarintLen32 + len(name) + len(sort) + len(address) + len(mailboxType)
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
	flags := byte(0)
	if blocked {
		flags |= 1
	}
	if deleted {
		flags |= 2
	}
	*b = append(*b, byte(k), flags)
	*b = binary.AppendUvarint(*b, uint64(user))
	for _, s := range [][]byte{name, sort, address, mailboxType} {
		*b = binary.AppendUvarint(*b, uint64(len(s)))
		*b = append(*b, s...)
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
	h := holderDetails{kind: holderKinds[b[0]], blocked: b[1]&1 != 0, deleted: b[1]&2 != 0}
	user, w := binary.Uvarint(b[2:])
	h.user = uint(user)
	b = b[2+w:]
	var mailboxType string
	for _, s := range []*string{&h.name, &h.sort, &h.address, &mailboxType} {
		n, w := binary.Uvarint(b)
		b = b[w:]
		if n > 0 {
			*s = unsafe.String(&b[0], int(n))
		}
		b = b[n:]
	}
	h.mailboxType = MailboxType(mailboxType)
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
