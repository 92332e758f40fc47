package models

import (
	"context"
	"database/sql"
	"fmt"
	"slices"

	"gorm.io/gorm"
)

// The Shared mailboxes list: a page of shared mailboxes in name order, searched
// through search_terms, with member counts for the page's rows.

// SharedMailboxQuery is what the Shared mailboxes list asks for.
type SharedMailboxQuery struct {
	Search string
	Page   Page
}

// SharedMailboxRow is one line of the Shared mailboxes list.
type SharedMailboxRow struct {
	ID               uint
	DisplayName      string
	Address          string
	Members          int
	StorageUsedBytes int64
	QuotaBytes       int64
	sortName         string
}

// SharedMailboxList is one page of the Shared mailboxes list.
type SharedMailboxList struct {
	Rows []SharedMailboxRow
	PageInfo
}

// SharedMailboxes returns one page of the Shared mailboxes list. Members are counted
// as the pane lists them (sharedMembersSQL).
// Addresses and member counts are loaded for the page's rows only.
func (s *Store) SharedMailboxes(ctx context.Context, q SharedMailboxQuery) (*SharedMailboxList, error) {
	q.Page.Size = NormalizePageSize(q.Page.Size)
	var (
		p   *sharedPage
		err error
	)
	term := normalizeSearch(q.Search)
	read := func() (*sharedPage, error) {
		if term != "" {
			return s.searchShared(ctx, q, term)
		}
		return s.listShared(ctx, q)
	}
	if q.Page.After == "" && q.Page.Before == "" {
		p, err = s.keptSharedPage(ctx, q, term, read)
	} else {
		p, err = read()
	}
	if err != nil {
		return nil, err
	}
	raw := p.rows
	if len(raw) > q.Page.Size {
		raw = raw[:q.Page.Size]
	}
	if p.reversed {
		slices.Reverse(raw)
	}
	list := &SharedMailboxList{PageInfo: PageInfo{Total: p.total, TotalAtLeast: p.capped}}
	if len(raw) == 0 {
		return list, nil
	}
	for _, r := range raw {
		list.Rows = append(list.Rows, SharedMailboxRow{ID: r.ID, DisplayName: r.DisplayName, Address: r.Address,
			Members: r.Members, StorageUsedBytes: r.StorageUsedBytes, QuotaBytes: r.QuotaBytes, sortName: r.SortName})
	}
	first, last := list.Rows[0], list.Rows[len(list.Rows)-1]
	before, err := countBefore(p.ordered, q.Page, first.sortName, first.ID, p.nameCol, p.idCol)
	if err != nil {
		return nil, fmt.Errorf("count shared mailboxes before: %w", err)
	}
	list.First = int(before) + 1
	if before > 0 {
		list.Prev = encodeCursor(first.sortName, first.ID)
	}
	if p.uncounted {
		list.uncounted(len(list.Rows))
	}
	// Past a capped total, a page read forwards has a next one when it read beyond
	// itself; a page read backwards always has the one it was reached from.
	if int(before)+len(list.Rows) < list.Total || (p.capped && (p.reversed || len(p.rows) > q.Page.Size)) {
		list.Next = encodeCursor(last.sortName, last.ID)
	}
	return list, nil
}

// sharedPage is one page of shared mailboxes in (sort name, id) order, read one row
// beyond the page to tell whether another follows.
type sharedPage struct {
	rows     []sharedPageRow
	reversed bool
	total    int
	capped   bool
	// uncounted is set when the search was not counted: more follow the page.
	uncounted bool
	// ordered is every row of the list, keyed by nameCol and idCol, for counting
	// the rows before a page.
	ordered        *gorm.DB
	nameCol, idCol string
}

type sharedPageRow struct {
	ID               uint
	DisplayName      string
	Address          string
	Members          int
	SortName         string
	StorageUsedBytes int64
	QuotaBytes       int64
	// changes is the first time after the read at which a member's grant stops
	// holding, and the count changes by time alone.
	changes timeValue
}

// listShared pages through every shared mailbox in name order, counted in full
// (the count is kept for a moment, as the people's is).
func (s *Store) listShared(ctx context.Context, q SharedMailboxQuery) (*sharedPage, error) {
	total, err := s.sharedCount.get(ctx, &s.background, s.CountSharedMailboxes)
	if err != nil {
		return nil, err
	}
	return s.sharedByTerms(ctx, q, "st.shared_id IS NOT NULL", nil, int(total), false)
}

// searchShared is a search of Shared mailboxes: a page that more matches follow is
// not counted (the pager says "more than"), otherwise counted up to CountCap.
func (s *Store) searchShared(ctx context.Context, q SharedMailboxQuery, term string) (*sharedPage, error) {
	cond, args := termStarts(term)
	cond += " AND st.shared_id IS NOT NULL"
	p, err := s.sharedByTerms(ctx, q, cond, args, 0, false)
	if err != nil {
		return nil, err
	}
	if p.reversed || len(p.rows) > q.Page.Size {
		// More matches follow this page: the pager says so without counting them.
		p.capped, p.uncounted = true, true
		return p, nil
	}
	p.total, p.capped, err = cappedCount(s.db.WithContext(ctx).Table("(?) AS matches",
		s.db.WithContext(ctx).Table("search_terms st").Where(cond, args...).Distinct("st.sort_name", "st.shared_id")))
	if err != nil {
		return nil, fmt.Errorf("count shared mailboxes: %w", err)
	}
	return p, nil
}

// sharedMembersSQL counts a shared mailbox's (m.id) members as its pane lists them:
// people given both Read and manage and Send as themselves, whose grants still
// hold. A trustee holds a right on a mailbox once (idx_perm_unique), so the rows
// are the people; both probes are ranges of idx_perm_report alone.
const sharedMembersSQL = `(SELECT COUNT(*) FROM mailbox_permissions p
	JOIN mailbox_permissions sa ON sa.mailbox_id = p.mailbox_id AND sa.access_right = ? AND sa.trustee_id = p.trustee_id
		AND (sa.revoke_effective_at IS NULL OR sa.revoke_effective_at > ?)
	JOIN recipients t ON t.id = p.trustee_id AND t.kind = ?
	WHERE p.mailbox_id = m.id AND p.access_right = ? AND ` + live + `)`

// sharedPageRows reads a page of shared mailboxes with their primary address and
// member count in one statement, scanned without reflection: page selects (sort
// name, mailbox id) in the page's order (desc: descending), one beyond the page.
// An id that is no longer a shared mailbox is left out.
func (s *Store) sharedPageRows(ctx context.Context, page *gorm.DB, desc bool) ([]sharedPageRow, error) {
	now := s.Now()
	dir := " ASC"
	if desc {
		dir = " DESC"
	}
	res, err := s.db.WithContext(ctx).Raw(`WITH page(sort_name, id) AS (?)
		SELECT page.sort_name, page.id, r.id IS NOT NULL, r.display_name,
		COALESCE((SELECT e.address FROM email_addresses e WHERE e.recipient_id = r.id AND e.is_primary), ''),
		`+sharedMembersSQL+`, COALESCE(m.storage_used_bytes, 0), COALESCE(m.quota_bytes, 0),
		(SELECT MIN(p.revoke_effective_at) FROM mailbox_permissions p WHERE p.mailbox_id = m.id AND p.revoke_effective_at > ?)
		FROM page LEFT JOIN mailboxes m ON m.id = page.id AND m.type = ?
		LEFT JOIN recipients r ON r.id = m.recipient_id
		ORDER BY page.sort_name`+dir+`, page.id`+dir,
		page, RightSendAs, now, KindUser, RightFullAccess, now, now, MailboxShared).Rows()
	if err != nil {
		return nil, err
	}
	defer res.Close()
	var rows []sharedPageRow
	for res.Next() {
		var (
			r    sharedPageRow
			live bool
			name sql.NullString
		)
		if err := res.Scan(&r.SortName, &r.ID, &live, &name, &r.Address, &r.Members, &r.StorageUsedBytes, &r.QuotaBytes, &r.changes); err != nil {
			return nil, err
		}
		if live {
			r.DisplayName = name.String
			rows = append(rows, r)
		}
	}
	return rows, res.Err()
}

// sharedByTerms reads a page of shared mailboxes from their search terms, which
// carry the mailbox id and sort key (linkTerms): the page is the first distinct
// mailboxes of the terms that meet cond, in name order, read from one index (every
// shared mailbox's, idx_search_terms_shared_names, or a search's: termStarts),
// read with their rows in one statement (sharedPageRows).
func (s *Store) sharedByTerms(ctx context.Context, q SharedMailboxQuery, cond string, args []any, total int, capped bool) (*sharedPage, error) {
	db := s.db.WithContext(ctx)
	terms := func() *gorm.DB {
		return db.Table("search_terms st").Where(cond, args...)
	}
	p := &sharedPage{total: total, capped: capped,
		ordered: db.Table("(?) AS boxes", terms().Distinct("st.sort_name", "st.shared_id")),
		nameCol: "boxes.sort_name", idCol: "boxes.shared_id"}
	sel, reversed := ownersByName(terms, "st.shared_id", q.Page)
	rows, err := s.sharedPageRows(ctx, sel, q.Page.Desc != reversed)
	if err != nil {
		return nil, fmt.Errorf("list shared mailboxes: %w", err)
	}
	// The page's cursors are keys of the terms' order.
	p.rows, p.reversed = rows, reversed
	return p, nil
}

// keptSharedPage returns the first page of the list or of a search (term), kept
// while the list and report generations stay and no member's grant has stopped
// holding since (kept_searches.go); read reads it.
func (s *Store) keptSharedPage(ctx context.Context, q SharedMailboxQuery, term string, read func() (*sharedPage, error)) (*sharedPage, error) {
	gens, ok := s.searchGenerations(ctx)
	if !ok {
		return read()
	}
	key := sharedSearchKey{term: term, desc: q.Page.Desc, size: q.Page.Size}
	now := s.Now()
	if k, ok := s.sharedSearches.get(key, gens, now); ok {
		// The first page counts nothing before it: no query of its order.
		k.rows = slices.Clone(k.rows)
		if term == "" {
			// The list's total is the kept count's, fresh as it says (listShared).
			total, err := s.sharedCount.get(ctx, &s.background, s.CountSharedMailboxes)
			if err != nil {
				return nil, err
			}
			k.total = int(total)
		}
		return &k, nil
	}
	p, err := read()
	if err != nil {
		return nil, err
	}
	change := firstChange{now: now}
	for _, r := range p.rows {
		if r.changes.valid {
			change.add(r.changes.t)
		}
	}
	k := *p
	k.rows, k.ordered = slices.Clone(p.rows), nil
	s.sharedSearches.put(key, gens, change.at, k)
	return p, nil
}

// sharedSearchKey names a kept page of Shared mailboxes: the list's first page
// (no term) or a search's.
type sharedSearchKey struct {
	term string
	desc bool
	size int
}

// CountSharedMailboxes returns how many shared mailboxes the organization has.
func (s *Store) CountSharedMailboxes(ctx context.Context) (int64, error) {
	var n int64
	if err := s.db.WithContext(ctx).Model(&Mailbox{}).Where("type = ?", MailboxShared).Count(&n).Error; err != nil {
		return 0, fmt.Errorf("count shared mailboxes: %w", err)
	}
	return n, nil
}
