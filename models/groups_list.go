package models

import (
	"context"
	"fmt"
	"slices"
	"time"

	"gorm.io/gorm"
)

// Active teams & groups: one tab per group type, searched and paged by keyset on the
// groups' own name index, as Active users pages through the people's. The paging
// helper is shared with Contacts.

// GroupQuery is what a tab of Active teams & groups asks for.
type GroupQuery struct {
	Type   GroupType
	Search string
	Page   Page
}

// GroupRow is one line of Active teams & groups.
type GroupRow struct {
	ID          uint
	RecipientID uint
	DisplayName string
	Address     string
	Type        GroupType
	Members     int
	Owners      int
}

// GroupList is one page of a tab of Active teams & groups.
type GroupList struct {
	Rows []GroupRow
	PageInfo
}

// listRow is a row of a keyset-paged list: its id, its recipient and its sort key.
type listRow struct {
	ID          uint
	RecipientID uint
	SortName    string
}

// keysetPage reads one page of a list whose rows are keyed by (nameCol, idCol):
// base gives the list's FROM and WHERE afresh for each query; a search counts up to
// CountCap, a plain list counts all.
func keysetPage(base func() *gorm.DB, p Page, searching bool, sel, nameCol, idCol string) ([]listRow, PageInfo, error) {
	var info PageInfo
	if searching {
		n, capped, err := cappedCount(base())
		if err != nil {
			return nil, info, fmt.Errorf("count: %w", err)
		}
		info.Total, info.TotalAtLeast = n, capped
	} else {
		var n int64
		if err := base().Count(&n).Error; err != nil {
			return nil, info, fmt.Errorf("count: %w", err)
		}
		info.Total = int(n)
	}
	return keysetRows(base, p, info, sel, nameCol, idCol)
}

// keysetRows reads one page of a keyset-paged list whose total info already holds
// (keysetPage), and sets the page's position and its neighbours' cursors.
func keysetRows(base func() *gorm.DB, p Page, info PageInfo, sel, nameCol, idCol string) ([]listRow, PageInfo, error) {
	var rows []listRow
	q, reversed := keyset(base().Select(sel), p, nameCol, idCol)
	if err := q.Scan(&rows).Error; err != nil {
		return nil, info, fmt.Errorf("list: %w", err)
	}
	more := len(rows) > p.Size
	if more {
		rows = rows[:p.Size]
	}
	if reversed {
		slices.Reverse(rows)
	}
	if len(rows) == 0 {
		return nil, info, nil
	}
	first, last := rows[0], rows[len(rows)-1]
	before, err := countBefore(base(), p, first.SortName, first.ID, nameCol, idCol)
	if err != nil {
		return nil, info, fmt.Errorf("count before: %w", err)
	}
	info.First = int(before) + 1
	if before > 0 {
		info.Prev = encodeCursor(first.SortName, first.ID)
	}
	if int(before)+len(rows) < info.Total || (info.TotalAtLeast && (reversed || more)) {
		info.Next = encodeCursor(last.SortName, last.ID)
	}
	return rows, info, nil
}

func (s *Store) groupBase(ctx context.Context, q GroupQuery, term string) func() *gorm.DB {
	return func() *gorm.DB {
		db := s.db.WithContext(ctx).Table("groups g").Where("g.type = ?", q.Type)
		if term != "" {
			db = db.Where("g.recipient_id IN (SELECT st.recipient_id FROM search_terms st WHERE st.term >= ? AND st.term < ?)", term, prefixUpper(term))
		}
		return db
	}
}

// Groups returns one page of a tab of Active teams & groups (a group type), searched
// by the start of a word of the name or an address. Addresses and member counts
// are loaded for the page's rows only.
func (s *Store) Groups(ctx context.Context, q GroupQuery) (*GroupList, error) {
	if _, ok := ParseGroupType(string(q.Type)); !ok {
		q.Type = GroupM365
	}
	q.Page.Size = NormalizePageSize(q.Page.Size)
	term := normalizeSearch(q.Search)
	if term != "" {
		return s.readGroups(ctx, q, term, PageInfo{})
	}
	// The tab's total is its type's count, kept for the tabs (CountGroups):
	// counting the type's groups again on every page read its whole index.
	counts, err := s.CountGroups(ctx)
	if err != nil {
		return nil, err
	}
	info := PageInfo{Total: counts[q.Type]}
	if q.Page.After != "" || q.Page.Before != "" {
		return s.readGroups(ctx, q, "", info)
	}
	return s.firstGroupsPage(ctx, q, info)
}

// firstGroupsPage is the first page of a tab, its rows kept while the report
// generation stays (which every change to a group, its members or owners, a name
// or an address raises: reports_kept.go); its total is the kept count's (info).
func (s *Store) firstGroupsPage(ctx context.Context, q GroupQuery, info PageInfo) (*GroupList, error) {
	gen, ok := s.reportGeneration(ctx)
	if !ok {
		if ctx.Err() != nil {
			return nil, ctx.Err()
		}
		return s.readGroups(ctx, q, "", info)
	}
	key := groupsPageKey{typ: q.Type, desc: q.Page.Desc, size: q.Page.Size}
	gens := searchGenerations{report: gen}
	if k, ok := s.groupPages.get(key, gens, time.Time{}); ok {
		// As keysetRows makes a first page's links.
		list := &GroupList{Rows: slices.Clone(k.rows), PageInfo: info}
		if len(k.rows) > 0 {
			list.First = 1
			if len(k.rows) < info.Total {
				list.Next = k.last
			}
		}
		return list, nil
	}
	list, last, err := s.readGroupsPage(ctx, q, "", info)
	if err != nil {
		return nil, err
	}
	s.groupPages.put(key, gens, time.Time{}, keptGroups{rows: slices.Clone(list.Rows), last: last})
	return list, nil
}

// groupsPageKey names a kept first page of a tab of Active teams & groups.
type groupsPageKey struct {
	typ  GroupType
	desc bool
	size int
}

// keptGroups are a kept first page's rows and the cursor after its last.
type keptGroups struct {
	rows []GroupRow
	last string
}

// readGroups reads a page of a tab, searched by term.
func (s *Store) readGroups(ctx context.Context, q GroupQuery, term string, info PageInfo) (*GroupList, error) {
	list, _, err := s.readGroupsPage(ctx, q, term, info)
	return list, err
}

// readGroupsPage is readGroups, with the cursor after the page's last row.
func (s *Store) readGroupsPage(ctx context.Context, q GroupQuery, term string, info PageInfo) (*GroupList, string, error) {
	var (
		rows []listRow
		err  error
	)
	if term == "" {
		rows, info, err = keysetRows(s.groupBase(ctx, q, term), q.Page, info, "g.id, g.recipient_id, g.sort_name", "g.sort_name", "g.id")
	} else {
		rows, info, err = keysetPage(s.groupBase(ctx, q, term), q.Page, true, "g.id, g.recipient_id, g.sort_name", "g.sort_name", "g.id")
	}
	if err != nil {
		return nil, "", fmt.Errorf("list groups: %w", err)
	}
	list := &GroupList{PageInfo: info}
	if len(rows) == 0 {
		return list, "", nil
	}
	ids := make([]uint, len(rows))
	rids := make([]uint, len(rows))
	for i, r := range rows {
		ids[i], rids[i] = r.ID, r.RecipientID
	}
	names, err := s.namesAndAddresses(ctx, rids)
	if err != nil {
		return nil, "", err
	}
	members, err := countByGroup(s.db.WithContext(ctx), "group_members", ids)
	if err != nil {
		return nil, "", err
	}
	owners, err := countByGroup(s.db.WithContext(ctx), "group_owners", ids)
	if err != nil {
		return nil, "", err
	}
	for _, r := range rows {
		list.Rows = append(list.Rows, GroupRow{ID: r.ID, RecipientID: r.RecipientID, DisplayName: names[r.RecipientID].DisplayName,
			Address: names[r.RecipientID].Address, Type: q.Type, Members: members[r.ID], Owners: owners[r.ID]})
	}
	last := rows[len(rows)-1]
	return list, encodeCursor(last.SortName, last.ID), nil
}

// countByGroup counts the rows of a table (members, owners) per group.
func countByGroup(db *gorm.DB, table string, ids []uint) (map[uint]int, error) {
	var counts []struct {
		GroupID uint
		N       int
	}
	if err := db.Table(table).Select("group_id, COUNT(*) AS n").Where("group_id IN ?", ids).Group("group_id").Scan(&counts).Error; err != nil {
		return nil, fmt.Errorf("count %s: %w", table, err)
	}
	out := map[uint]int{}
	for _, c := range counts {
		out[c.GroupID] = c.N
	}
	return out, nil
}

// CountGroups returns how many groups of each type the organization has, kept
// for a moment (keptCount): every tab of Active teams & groups shows them.
func (s *Store) CountGroups(ctx context.Context) (map[GroupType]int, error) {
	return s.groupCounts.get(ctx, &s.background, s.countGroups)
}

// countGroups counts the groups of each type: every group, read from the groups'
// list index (kept as the count of people is: CountGroups).
func (s *Store) countGroups(ctx context.Context) (map[GroupType]int, error) {
	var counts []struct {
		Type GroupType
		N    int
	}
	if err := s.db.WithContext(ctx).Model(&Group{}).Select("type, COUNT(*) AS n").Group("type").Scan(&counts).Error; err != nil {
		return nil, fmt.Errorf("count groups: %w", err)
	}
	out := map[GroupType]int{}
	for _, c := range counts {
		out[c.Type] = c.N
	}
	return out, nil
}
