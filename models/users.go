package models

import (
	"context"
	"database/sql"
	"fmt"
	"slices"
	"strings"
	"time"

	"gorm.io/gorm"
)

// UserFilter is one of the standard views of the Active users list.
type UserFilter string

// The standard views.
const (
	FilterAll        UserFilter = "all"
	FilterLicensed   UserFilter = "licensed"
	FilterUnlicensed UserFilter = "unlicensed"
	FilterBlocked    UserFilter = "blocked"
)

// UserFilters lists the views in the order the filter menu shows them.
var UserFilters = []UserFilter{FilterAll, FilterLicensed, FilterUnlicensed, FilterBlocked}

// ParseUserFilter returns the filter named s, or FilterAll for anything else.
func ParseUserFilter(s string) UserFilter {
	if slices.Contains(UserFilters, UserFilter(s)) {
		return UserFilter(s)
	}
	return FilterAll
}

// UserQuery is what the Active users list asks for.
type UserQuery struct {
	Search string
	Filter UserFilter
	Page   Page
}

// UserRow is one line of the Active users list.
type UserRow struct {
	ID          uint
	DisplayName string
	// Username is the person's sign-in name (user principal name).
	Username      string
	Licenses      []string
	SignInBlocked bool
	// Storage is where the person's mailbox stands against its quota (ok without one).
	Storage  StorageState
	sortName string
}

// UserList is one page of the Active users list.
type UserList struct {
	Rows []UserRow
	PageInfo
}

// MaxSearchLength bounds a search term; longer input is cut, not refused.
const MaxSearchLength = 256

// normalizeSearch trims and lower-cases a search term and bounds its length.
func normalizeSearch(q string) string {
	q = strings.ToLower(strings.TrimSpace(StripUnsafeText(q)))
	if len(q) > MaxSearchLength {
		q = strings.ToValidUTF8(q[:MaxSearchLength], "")
	}
	return q
}

// countEveryone counts every live person, kept for a moment (keptCount): the total
// of Active users without a search or filter, and Graph's $count of everyone.
func (s *Store) countEveryone(ctx context.Context) (int64, error) {
	return s.usersCount.get(ctx, &s.background, func(ctx context.Context) (int64, error) {
		var n int64
		if err := s.everyone(ctx).Count(&n).Error; err != nil {
			return 0, fmt.Errorf("count users: %w", err)
		}
		return n, nil
	})
}

// everyone is every live person, for counting: on SQLite read from the live
// people's index, not the table, which SQLite's planner scanned (at a million
// people 2 GB, half a second; the index about a tenth of that).
func (s *Store) everyone(ctx context.Context) *gorm.DB {
	db := s.userBase(ctx, UserQuery{})
	if !s.postgres {
		db = db.Table("users INDEXED BY idx_users_live")
	}
	return db
}

// userBase is the FROM and WHERE shared by the list, its count and its offset. It
// touches only the users table and its indexes, so counting stays cheap.
func (s *Store) userBase(ctx context.Context, q UserQuery) *gorm.DB {
	db := s.db.WithContext(ctx).Table("users").Where("users.deleted_at IS NULL")
	switch q.Filter {
	case FilterLicensed:
		db = db.Where("EXISTS (SELECT 1 FROM user_licenses ul WHERE ul.user_id = users.id)")
	case FilterUnlicensed:
		db = db.Where("NOT EXISTS (SELECT 1 FROM user_licenses ul WHERE ul.user_id = users.id)")
	case FilterBlocked:
		db = db.Where("users.sign_in_blocked")
	}
	if term := normalizeSearch(q.Search); term != "" {
		db = db.Where("users.recipient_id IN (SELECT st.recipient_id FROM search_terms st WHERE st.term >= ? AND st.term < ?)", term, prefixUpper(term))
	}
	return db
}

// Users returns one page of the Active users list: the page is found on an index
// alone (the people's name index, or for a search the people's search terms), then
// names, usernames and licenses are loaded for its rows only.
func (s *Store) Users(ctx context.Context, q UserQuery) (*UserList, error) {
	q.Page.Size = NormalizePageSize(q.Page.Size)
	term := normalizeSearch(q.Search)
	var (
		p   *userPage
		err error
	)
	if term != "" && (q.Filter == "" || q.Filter == FilterAll) {
		p, err = s.searchPeople(ctx, q, term)
	} else {
		p, err = s.listPeople(ctx, q, term)
	}
	if err != nil {
		return nil, err
	}
	rows := p.rows
	if len(rows) > q.Page.Size {
		rows = rows[:q.Page.Size]
	}
	if p.reversed {
		slices.Reverse(rows)
	}
	list := &UserList{PageInfo: PageInfo{Total: int(p.total), TotalAtLeast: p.capped}}
	for _, r := range rows {
		if r.live {
			list.Rows = append(list.Rows, r.row)
		}
	}
	if len(list.Rows) == 0 {
		return list, nil
	}
	first, last := list.Rows[0], list.Rows[len(list.Rows)-1]
	before, err := countBefore(p.ordered, q.Page, first.sortName, first.ID, p.nameCol, p.idCol)
	if err != nil {
		return nil, fmt.Errorf("count users before: %w", err)
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

// userPage is one page of people in (sort name, id) order, read one row beyond the
// page to tell whether another follows.
type userPage struct {
	rows     []pagePerson
	reversed bool
	total    int64
	capped   bool
	// uncounted is set when the search was not counted: more follow the page.
	uncounted bool
	// ordered is every row of the list, keyed by nameCol and idCol, for counting
	// the rows before a page.
	ordered        *gorm.DB
	nameCol, idCol string
}

type userPageRow struct {
	ID            uint
	RecipientID   uint
	SortName      string
	SignInBlocked bool
}

// listPeople pages through the people, filtered, and searched when combined with a
// filter, walking the people's name index.
func (s *Store) listPeople(ctx context.Context, q UserQuery, term string) (*userPage, error) {
	var matches int64
	if term != "" {
		// How many recipients match, up to the cap, straight from the term index.
		if err := s.db.WithContext(ctx).Raw(`SELECT COUNT(*) FROM (SELECT DISTINCT recipient_id FROM search_terms WHERE term >= ? AND term < ? LIMIT ?) AS matches`,
			term, prefixUpper(term), CountCap+1).Scan(&matches).Error; err != nil {
			return nil, fmt.Errorf("size search: %w", err)
		}
	}
	broad := matches > 500
	p := &userPage{nameCol: "users.sort_name", idCol: "users.id"}
	everyone := term == "" && (q.Filter == "" || q.Filter == FilterAll)
	if everyone {
		n, err := s.countEveryone(ctx)
		if err != nil {
			return nil, err
		}
		p.total = n
	} else {
		n, atLeast, err := cappedCount(s.userBase(ctx, q))
		if err != nil {
			return nil, fmt.Errorf("count users: %w", err)
		}
		p.total, p.capped = int64(n), atLeast
	}
	// The list, and a broad search that matches many people: walking the name index
	// in order and stopping after a page beats collecting and sorting every match. A
	// narrow search is the other way round, which the planner picks by itself.
	read := func() ([]pagePerson, error) {
		sel, reversed := keyset(s.peopleByName(ctx, q, term == "" || broad).Select("users.sort_name, users.id"), q.Page, "users.sort_name", "users.id")
		p.reversed = reversed
		return s.peoplePage(ctx, sel, q.Page.Desc != reversed)
	}
	var (
		rows []pagePerson
		err  error
	)
	if everyone && q.Page.After == "" && q.Page.Before == "" {
		// The first page, kept while the list generation stays the same (nothing is
		// before it, so it needs no ordered list to count in).
		rows, err = s.firstPeoplePage(ctx, q, read)
	} else {
		p.ordered = s.userBase(ctx, q)
		rows, err = read()
	}
	if err != nil {
		return nil, fmt.Errorf("list users: %w", err)
	}
	p.rows = rows
	return p, nil
}

// peopleByName selects the page rows of the list's people. With walkIndex, SQLite
// reads them in the order of the people's name index (its planner, short of
// statistics, may otherwise sort every match); PostgreSQL's planner chooses itself.
func (s *Store) peopleByName(ctx context.Context, q UserQuery, walkIndex bool) *gorm.DB {
	base := s.userBase(ctx, q)
	if walkIndex && !s.postgres {
		base = base.Table("users INDEXED BY idx_users_live")
	}
	return base.Select("users.id, users.recipient_id, users.sort_name, users.sign_in_blocked")
}

// searchPeople is a search of Active users without a filter. The people's search
// terms carry their sort key and user id, so the page is the first distinct people
// of a range of terms, in name order, read from one index (termStarts); then their
// rows. A page that more matches follow is not counted (the pager says "more than");
// otherwise the count stops at CountCap.
func (s *Store) searchPeople(ctx context.Context, q UserQuery, term string) (*userPage, error) {
	db := s.db.WithContext(ctx)
	cond, args := termStarts(term)
	terms := func() *gorm.DB {
		return db.Table("search_terms st").Where(cond+" AND st.user_id IS NOT NULL", args...)
	}
	p := &userPage{ordered: db.Table("(?) AS people", terms().Distinct("st.sort_name", "st.user_id")),
		nameCol: "people.sort_name", idCol: "people.user_id"}
	// A search's first page is kept while the list generation stays (kept_searches.go).
	key := peopleSearchKey{term: term, desc: q.Page.Desc, size: q.Page.Size}
	var gens searchGenerations
	keep := false
	if q.Page.After == "" && q.Page.Before == "" {
		gens.list, keep = s.listGeneration(ctx)
	}
	if keep {
		if k, ok := s.peopleSearches.get(key, gens, time.Time{}); ok {
			k.ordered, k.nameCol, k.idCol = p.ordered, p.nameCol, p.idCol
			k.rows = clonePeople(k.rows)
			return &k, nil
		}
	}
	if err := s.readPeopleSearch(ctx, db, q, terms, p); err != nil {
		return nil, err
	}
	if keep {
		k := *p
		k.ordered, k.rows = nil, clonePeople(p.rows)
		s.peopleSearches.put(key, gens, time.Time{}, k)
	}
	return p, nil
}

// peopleSearchKey names a kept search of Active users.
type peopleSearchKey struct {
	term string
	desc bool
	size int
}

// readPeopleSearch reads a page of a search of the people into p: its rows, and
// the total when the page is the last.
func (s *Store) readPeopleSearch(ctx context.Context, db *gorm.DB, q UserQuery, terms func() *gorm.DB, p *userPage) error {
	sel, reversed := ownersByName(terms, "st.user_id", q.Page)
	// The page's people are read with their rows, each person once (and only
	// live people shown, as the terms' user ids already are: linkTerms).
	rows, err := s.peoplePage(ctx, sel, q.Page.Desc != reversed)
	if err != nil {
		return fmt.Errorf("search users: %w", err)
	}
	p.rows, p.reversed = rows, reversed
	if p.reversed || len(p.rows) > q.Page.Size {
		// More matches follow this page: the pager says so without counting them.
		p.capped, p.uncounted = true, true
		return nil
	}
	// Distinct on (sort name, user id), the order of the prefix indexes, which
	// SQLite then reads without sorting.
	n, capped, err := cappedCount(db.Table("(?) AS matches", terms().Distinct("st.sort_name", "st.user_id")))
	if err != nil {
		return fmt.Errorf("count users: %w", err)
	}
	p.total, p.capped = int64(n), capped
	return nil
}

// userRows completes page rows with names, usernames (UPNs), whether sign-in is
// blocked, licenses and the mailbox's storage state: one query on the primary keys
// for the rows given, whatever the size of the list, scanned without reflection
// (every Active users page runs it). A row of someone no longer live is left out.
func (s *Store) userRows(ctx context.Context, rows []userPageRow) ([]UserRow, error) {
	ids := make([]uint, len(rows))
	at := make(map[uint]int, len(rows))
	out := make([]UserRow, len(rows))
	found := make([]bool, len(rows))
	for i, r := range rows {
		ids[i], at[r.ID] = r.ID, i
		out[i] = UserRow{ID: r.ID, SignInBlocked: r.SignInBlocked, sortName: r.SortName}
	}
	res, err := s.db.WithContext(ctx).Raw(`SELECT u.id, r.display_name, u.user_principal_name, u.sign_in_blocked, lp.name,
		COALESCE(m.storage_used_bytes, 0), COALESCE(m.quota_bytes, 0)
		FROM users u JOIN recipients r ON r.id = u.recipient_id
		LEFT JOIN mailboxes m ON m.recipient_id = u.recipient_id
		LEFT JOIN user_licenses ul ON ul.user_id = u.id LEFT JOIN license_products lp ON lp.id = ul.license_product_id
		WHERE u.id IN ? AND u.deleted_at IS NULL`, ids).Rows()
	if err != nil {
		return nil, fmt.Errorf("load names: %w", err)
	}
	defer res.Close()
	for res.Next() {
		var (
			id          uint
			name, upn   string
			blocked     bool
			license     sql.NullString
			used, quota int64
		)
		if err := res.Scan(&id, &name, &upn, &blocked, &license, &used, &quota); err != nil {
			return nil, fmt.Errorf("load names: %w", err)
		}
		i, ok := at[id]
		if !ok {
			continue
		}
		found[i] = true
		out[i].DisplayName, out[i].Username, out[i].SignInBlocked = name, upn, blocked
		out[i].Storage = StorageStateOf(used, quota)
		if license.Valid {
			out[i].Licenses = append(out[i].Licenses, license.String)
		}
	}
	if err := res.Err(); err != nil {
		return nil, fmt.Errorf("load names: %w", err)
	}
	live := out[:0]
	for i, r := range out {
		if found[i] {
			// By name, sorted here: ORDER BY in the query made SQLite join every row
			// before the first and sort them all (a fifth of the query).
			slices.Sort(r.Licenses)
			live = append(live, r)
		}
	}
	return live, nil
}

// UsersByID returns list rows for the given people, sorted by name.
func (s *Store) UsersByID(ctx context.Context, ids []uint) ([]UserRow, error) {
	if len(ids) == 0 {
		return nil, nil
	}
	var rows []userPageRow
	if err := s.db.WithContext(ctx).Table("users").Select("id, recipient_id, sort_name, sign_in_blocked").
		Where("id IN ? AND deleted_at IS NULL", ids).Order("sort_name, id").Scan(&rows).Error; err != nil {
		return nil, fmt.Errorf("load users: %w", err)
	}
	if len(rows) == 0 {
		return nil, nil
	}
	return s.userRows(ctx, rows)
}

// exportBatch is how many people EachUser holds in memory at a time.
const exportBatch = 500

// EachUser calls fn with every person of the list as filtered and searched, in name
// order, reading them in batches so that any number of people can be written out
// without holding them all.
func (s *Store) EachUser(ctx context.Context, q UserQuery, fn func(UserRow) error) error {
	page := Page{Size: exportBatch}
	for {
		// Walking the name index from batch to batch reads each person once.
		sel, _ := keyset(s.peopleByName(ctx, q, true), page, "users.sort_name", "users.id")
		var rows []userPageRow
		if err := sel.Scan(&rows).Error; err != nil {
			return fmt.Errorf("export users: %w", err)
		}
		more := len(rows) > exportBatch
		if more {
			rows = rows[:exportBatch]
		}
		if len(rows) == 0 {
			return nil
		}
		out, err := s.userRows(ctx, rows)
		if err != nil {
			return err
		}
		for _, r := range out {
			if err := fn(r); err != nil {
				return err
			}
		}
		if !more {
			return nil
		}
		last := rows[len(rows)-1]
		page.After = encodeCursor(last.SortName, last.ID)
	}
}

type nameAddress struct {
	ID          uint
	DisplayName string
	Address     string
}

// namesAndAddresses loads display names and primary addresses of recipients in one query.
func (s *Store) namesAndAddresses(ctx context.Context, recipientIDs []uint) (map[uint]nameAddress, error) {
	var rows []nameAddress
	err := s.db.WithContext(ctx).Table("recipients r").
		Select(`r.id, r.display_name, COALESCE((SELECT e.address FROM email_addresses e WHERE e.recipient_id = r.id AND e.is_primary), '') AS address`).
		Where("r.id IN ?", recipientIDs).Scan(&rows).Error
	if err != nil {
		return nil, fmt.Errorf("load names: %w", err)
	}
	out := make(map[uint]nameAddress, len(rows))
	for _, r := range rows {
		out[r.ID] = r
	}
	return out, nil
}

// CountUsers returns how many people the organization has, and how many of them
// are licensed, for the home page.
func (s *Store) CountUsers(ctx context.Context) (total, licensed int64, err error) {
	if err = s.db.WithContext(ctx).Model(&User{}).Count(&total).Error; err != nil {
		return 0, 0, fmt.Errorf("count users: %w", err)
	}
	err = s.db.WithContext(ctx).Model(&User{}).
		Where("EXISTS (SELECT 1 FROM user_licenses ul WHERE ul.user_id = users.id)").Count(&licensed).Error
	if err != nil {
		return 0, 0, fmt.Errorf("count licensed users: %w", err)
	}
	return total, licensed, nil
}
