package models

import (
	"context"
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
	ID            uint
	DisplayName   string
	Username      string
	Licenses      []string
	SignInBlocked bool
	sortName      string
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
	q = strings.ToLower(strings.TrimSpace(strings.ToValidUTF8(q, "")))
	if len(q) > MaxSearchLength {
		q = strings.ToValidUTF8(q[:MaxSearchLength], "")
	}
	return q
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

// Users returns one page of the Active users list: the page is found on the users
// table's own index, then names, usernames and licenses are loaded for its rows only.
func (s *Store) Users(ctx context.Context, q UserQuery) (*UserList, error) {
	q.Page.Size = NormalizePageSize(q.Page.Size)
	term := normalizeSearch(q.Search)
	var matches int64
	if term != "" {
		// How many recipients match, up to the cap, straight from the term index.
		if err := s.db.WithContext(ctx).Raw(`SELECT COUNT(*) FROM (SELECT DISTINCT recipient_id FROM search_terms WHERE term >= ? AND term < ? LIMIT ?) AS matches`,
			term, prefixUpper(term), CountCap+1).Scan(&matches).Error; err != nil {
			return nil, fmt.Errorf("size search: %w", err)
		}
	}
	broad := matches > 500
	var total int64
	capped := false
	switch {
	case term == "" && (q.Filter == "" || q.Filter == FilterAll):
		if n, ok := fresh(&s.usersCount); ok {
			total = n
		} else {
			if err := s.userBase(ctx, q).Count(&total).Error; err != nil {
				return nil, fmt.Errorf("count users: %w", err)
			}
			s.usersCount.Store(&cached[int64]{value: total, at: time.Now()})
		}
	case matches > CountCap && q.Filter != FilterBlocked && q.Filter != FilterUnlicensed:
		// Over 1000 people, shared mailboxes and groups match: say "1000+" rather
		// than count which of them are live people.
		total, capped = CountCap, true
	default:
		n, atLeast, err := cappedCount(s.userBase(ctx, q))
		if err != nil {
			return nil, fmt.Errorf("count users: %w", err)
		}
		total, capped = int64(n), atLeast
	}
	type row struct {
		ID            uint
		RecipientID   uint
		SortName      string
		SignInBlocked bool
	}
	var rows []row
	base := s.userBase(ctx, q)
	if (term == "" || broad) && !s.postgres {
		// The list, and a broad search that matches many people: walking the name
		// index in order and stopping after a page beats collecting and sorting every
		// match. A narrow search is the other way round, which the planner picks by
		// itself. (SQLite's planner, short of statistics, may pick neither.)
		base = base.Table("users INDEXED BY idx_users_live")
	}
	sel, reversed := keyset(base.Select("users.id, users.recipient_id, users.sort_name, users.sign_in_blocked"),
		q.Page, "users.sort_name", "users.id")
	if err := sel.Scan(&rows).Error; err != nil {
		return nil, fmt.Errorf("list users: %w", err)
	}
	if len(rows) > q.Page.Size {
		rows = rows[:q.Page.Size]
	}
	if reversed {
		slices.Reverse(rows)
	}
	list := &UserList{PageInfo: PageInfo{Total: int(total), TotalAtLeast: capped}}
	if len(rows) == 0 {
		return list, nil
	}
	ids := make([]uint, len(rows))
	rids := make([]uint, len(rows))
	for i, r := range rows {
		ids[i], rids[i] = r.ID, r.RecipientID
	}
	names, err := s.namesAndAddresses(ctx, rids)
	if err != nil {
		return nil, err
	}
	licenses, err := s.licenseNames(ctx, ids)
	if err != nil {
		return nil, err
	}
	for _, r := range rows {
		n := names[r.RecipientID]
		list.Rows = append(list.Rows, UserRow{ID: r.ID, DisplayName: n.DisplayName, Username: n.Address,
			SignInBlocked: r.SignInBlocked, Licenses: licenses[r.ID], sortName: r.SortName})
	}
	first, last := list.Rows[0], list.Rows[len(list.Rows)-1]
	before, err := countBefore(s.userBase(ctx, q), q.Page, first.sortName, first.ID, "users.sort_name", "users.id")
	if err != nil {
		return nil, fmt.Errorf("count users before: %w", err)
	}
	list.First = int(before) + 1
	if before > 0 {
		list.Prev = encodeCursor(first.sortName, first.ID)
	}
	if int(before)+len(list.Rows) < list.Total || (capped && len(rows) == q.Page.Size) {
		list.Next = encodeCursor(last.sortName, last.ID)
	}
	return list, nil
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

// licenseNames returns the license product names of each of the users, in one query.
func (s *Store) licenseNames(ctx context.Context, userIDs []uint) (map[uint][]string, error) {
	var pairs []struct {
		UserID uint
		Name   string
	}
	err := s.db.WithContext(ctx).Table("user_licenses ul").
		Select("ul.user_id, lp.name").
		Joins("JOIN license_products lp ON lp.id = ul.license_product_id").
		Where("ul.user_id IN ?", userIDs).Order("lp.name").Scan(&pairs).Error
	if err != nil {
		return nil, fmt.Errorf("list licenses: %w", err)
	}
	out := map[uint][]string{}
	for _, p := range pairs {
		out[p.UserID] = append(out[p.UserID], p.Name)
	}
	return out, nil
}

// UserDetail is everything the properties pane shows about a person.
type UserDetail struct {
	ID            uint
	RecipientID   uint
	DisplayName   string
	FirstName     string
	LastName      string
	Username      string
	JobTitle      string
	Department    string
	Aliases       []string
	Licenses      []LicenseProduct
	Roles         []Role
	SignInBlocked bool
	// Mailbox is nil when the person has no mailbox.
	Mailbox *MailboxSummary
}

// HasMailboxLicense reports whether one of the person's licenses includes a mailbox.
func (u *UserDetail) HasMailboxLicense() bool {
	for _, l := range u.Licenses {
		if l.IncludesMailbox {
			return true
		}
	}
	return false
}

// User returns the properties of one person.
func (s *Store) User(ctx context.Context, id uint) (*UserDetail, error) {
	var u User
	err := s.db.WithContext(ctx).
		Preload("Recipient.Addresses", func(db *gorm.DB) *gorm.DB { return db.Order("is_primary desc, normalized") }).
		Preload("Licenses", func(db *gorm.DB) *gorm.DB { return db.Order("name") }).
		Preload("Roles").
		First(&u, id).Error
	if err != nil {
		return nil, notFound(err, "user")
	}
	d := &UserDetail{
		ID: u.ID, RecipientID: u.RecipientID, DisplayName: u.Recipient.DisplayName,
		FirstName: u.FirstName, LastName: u.LastName, JobTitle: u.JobTitle, Department: u.Department,
		Licenses: u.Licenses, SignInBlocked: u.SignInBlocked,
	}
	for _, a := range u.Recipient.Addresses {
		if a.IsPrimary {
			d.Username = a.Address
		} else {
			d.Aliases = append(d.Aliases, a.Address)
		}
	}
	for _, r := range Roles {
		for _, ra := range u.Roles {
			if ra.Role == r {
				d.Roles = append(d.Roles, r)
			}
		}
	}
	mb, err := s.mailboxSummaryByRecipient(ctx, u.RecipientID)
	if err != nil && err != ErrNotFound {
		return nil, err
	}
	d.Mailbox = mb
	return d, nil
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
