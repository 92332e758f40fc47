package models

import (
	"cmp"
	"database/sql"
	"fmt"
	"slices"

	"gorm.io/gorm"
)

// On PostgreSQL the export reads its grants from one cursor over the whole tenant,
// in mailbox order, instead of two statements a window. Each window's statements
// paid random reads of the tables' rows (neither index there holds the ids the
// report reads, as SQLite's do), and the generic plan of the window's mailboxes
// (LIMIT $4) started parallel workers for each: at a million people they took 170 s
// of PostgreSQL's CPU. The cursor's statement joins the grants, mailboxes and
// names by hashing them and sorts them once (seconds), and is fetched a batch at a
// time on the export's connection, between the window's other statements.

// exportCursorBatch is how many grants one FETCH reads.
const exportCursorBatch = 4096

// grantCursor reads the export's live grants in mailbox order, a window of
// mailboxes at a time.
type grantCursor struct {
	db *gorm.DB
	// size is how many grants a fetch reads.
	size int
	done bool
	// batch is the grants fetched and not yet handed out, from at.
	batch []cursorGrant
	at    int
	// sort is the last mailbox's sort name, kept so a mailbox's rows share it.
	sort string
}

// cursorGrant is a grant with its mailbox's sort name and recipient.
type cursorGrant struct {
	grant     windowGrant
	sort      string
	recipient uint
}

// exportCursorSQL is the cursor's statement: the live grants matching the
// filters (%s), in mailbox order.
const exportCursorSQL = `DECLARE access_export NO SCROLL CURSOR FOR
SELECT mb.id, r.sort_name, mb.recipient_id, p.id, p.trustee_id, p.access_right, p.auto_mapping, COALESCE(p.granted_by_id, 0),
	p.granted_at, p.effective_at, p.revoke_effective_at
FROM mailbox_permissions p JOIN mailboxes mb ON mb.id = p.mailbox_id JOIN recipients r ON r.id = mb.recipient_id
WHERE %s ORDER BY r.sort_name, mb.id`

// openGrantCursor declares the export's cursor on db, which must be a transaction.
// The cursor is read to its end: its sort is worth it only if no fast start is
// wanted (cursor_tuple_fraction's default plans for a tenth of the rows).
func (s *Store) openGrantCursor(db *gorm.DB, q AccessReportQuery) (*grantCursor, error) {
	filter, args := s.accessGrantFilter(q, nil)
	if err := db.Exec("SET LOCAL cursor_tuple_fraction = 1").Error; err != nil {
		return nil, fmt.Errorf("read mailbox access report: %w", err)
	}
	if err := db.Exec(fmt.Sprintf(exportCursorSQL, filter), args...).Error; err != nil {
		return nil, fmt.Errorf("read mailbox access report: %w", err)
	}
	return &grantCursor{db: db, size: cmp.Or(q.batch, exportCursorBatch)}, nil
}

// fill fetches the next batch of grants, if any are left.
func (c *grantCursor) fill() error {
	c.batch, c.at = c.batch[:0], 0
	if c.done {
		return nil
	}
	var g cursorGrant
	var sort, right sql.RawBytes
	err := eachRow(c.db, fmt.Sprintf("FETCH FORWARD %d FROM access_export", c.size), nil, func(rows *sql.Rows) error {
		if err := rows.Scan(&g.grant.mailbox, &sort, &g.recipient, &g.grant.id, &g.grant.trustee, &right, &g.grant.autoMapping,
			&g.grant.grantedBy, &g.grant.granted, &g.grant.effective, &g.grant.revoke); err != nil {
			return err
		}
		// The mailbox's grants come together: their sort name is made once.
		if string(sort) != c.sort {
			c.sort = string(sort)
		}
		g.sort = c.sort
		g.grant.right = internRight(right)
		c.batch = append(c.batch, g)
		return nil
	})
	if err != nil {
		return fmt.Errorf("read mailbox access grants: %w", err)
	}
	c.done = len(c.batch) < c.size
	return nil
}

// internRight is a right read as bytes, as a string shared with the constants
// when it is one of them.
func internRight(b []byte) Right {
	for _, r := range []Right{RightFullAccess, RightSendAs, RightSendOnBehalf} {
		if string(b) == string(r) {
			return r
		}
	}
	return Right(b)
}

// next reads the next window: up to size mailboxes that have live grants, with
// the grants (appended to grants, each with its mailbox's position and its
// right's rank), their details from the holder table. A mailbox the table lacks
// (made since it was read) is read the long way; one whose grants ended since the
// cursor read them is left out.
func (c *grantCursor) next(s *Store, q AccessReportQuery, size int, all *holderTable, win []windowMailbox,
	grants []windowGrant) ([]windowMailbox, []windowGrant, error) {
	var rights []Right
	var skip uint
	for {
		if c.at == len(c.batch) {
			if err := c.fill(); err != nil {
				return nil, nil, err
			}
			if len(c.batch) == 0 {
				break
			}
		}
		g := &c.batch[c.at]
		if g.grant.mailbox == skip {
			c.at++
			continue
		}
		if len(win) == 0 || win[len(win)-1].ID != g.grant.mailbox {
			if len(win) == size {
				break
			}
			m, ok := all.mailbox(g.grant.mailbox, g.sort, g.recipient)
			if !ok {
				late, err := s.mailboxWindow(c.db, q, g.sort, g.grant.mailbox, true, 1, nil)
				if err != nil {
					return nil, nil, err
				}
				if len(late) == 0 || late[0].ID != g.grant.mailbox {
					skip = g.grant.mailbox
					continue
				}
				m = late[0]
			}
			win = append(win, m)
		}
		w := g.grant
		w.at = int32(len(win) - 1)
		if !slices.Contains(rights, w.right) {
			rights = append(rights, w.right)
		}
		grants = append(grants, w)
		c.at++
	}
	rankRights(grants, rights)
	return win, grants, nil
}

// exportCacheKiB is SQLite's page cache for the connection an export reads on.
// The export reads every grant and group of the tenant in an order that jumps
// around the file: with the connection's default 2 MB most pages came from the
// operating system again, a system call each. Since the holders come from the
// holder table and the grants from one index range a mailbox, 8 MB does what
// 32 MB did and leaves the room to the table.
const exportCacheKiB = 8 << 10

// holderExportCacheKiB is the page cache of the export in holder order: it reads
// each holder's grants and those of the groups they are in, at random places in
// the file. At a million people 32 MB took the export from 72 s to 61 s (one run
// each), for 28 MB more memory.
const holderExportCacheKiB = 32 << 10

// withExportCache runs fn on one SQLite connection whose page cache is kib KiB
// for the while, and puts the cache back as it was. On PostgreSQL
// fn runs in a transaction (one connection too), where the export's cursor lives.
func (s *Store) withExportCache(db *gorm.DB, kib int, fn func(*gorm.DB) error) error {
	if s.postgres {
		// One transaction, for the cursor of grantCursor.
		return db.Transaction(fn)
	}
	if kib == 0 {
		return fn(db)
	}
	return db.Connection(func(conn *gorm.DB) error {
		var was int
		if err := conn.Raw("PRAGMA cache_size").Scan(&was).Error; err != nil {
			return fmt.Errorf("read mailbox access report: %w", err)
		}
		if err := conn.Exec(fmt.Sprintf("PRAGMA cache_size = %d", -kib)).Error; err != nil {
			return fmt.Errorf("read mailbox access report: %w", err)
		}
		defer conn.Exec(fmt.Sprintf("PRAGMA cache_size = %d", was))
		// A new session on the connection: the report chains many queries on it.
		return fn(conn.Session(&gorm.Session{NewDB: true}))
	})
}
