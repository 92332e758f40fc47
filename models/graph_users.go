package models

import (
	"context"
	"crypto/sha256"
	"database/sql"
	"encoding/hex"
	"fmt"
	"slices"
	"strings"
	"time"

	"gorm.io/gorm"
)

// The people as Microsoft Graph lists them: filtered on a few properties, searched
// by name, ordered by display name or user principal name, and paged by a keyset
// cursor (the sort key and the user id of the last row), never an offset, so a walk
// through the tenant sees each person once while others are added or removed.

// GraphUser is a person as Graph's user resource shows them.
type GraphUser struct {
	UserID            uint
	RecipientID       uint
	DisplayName       string
	GivenName         string
	Surname           string
	JobTitle          string
	Department        string
	UserPrincipalName string
	Mail              string
	// Alias is the alias as typed: Graph's mailNickname.
	Alias          string
	AccountEnabled bool
	// UsageLocation is an ISO 3166-1 alpha-2 code or empty.
	UsageLocation string
	CreatedAt     time.Time
	// SKUs are the person's licences by SKU part number.
	SKUs []string
	// SortKey is the value the list was ordered by, for the cursor.
	SortKey string
}

// ID is the person's Graph id.
func (u *GraphUser) ID() string { return ObjectID(u.RecipientID) }

// UserField is a property a Graph filter may test.
type UserField string

// The filterable properties.
const (
	FieldDisplayName UserField = "displayName"
	FieldUPN         UserField = "userPrincipalName"
	FieldMail        UserField = "mail"
	FieldGivenName   UserField = "givenName"
	FieldSurname     UserField = "surname"
	FieldJobTitle    UserField = "jobTitle"
	FieldDepartment  UserField = "department"
	FieldEnabled     UserField = "accountEnabled"
	FieldLocation    UserField = "usageLocation"
	// FieldLicense is assignedLicenses/any(x:x/skuId eq ...): its values are skuIds.
	FieldLicense UserField = "assignedLicenses"
)

// CondOp is the operator of a filter condition.
type CondOp string

// The operators.
const (
	OpAnd        CondOp = "and"
	OpOr         CondOp = "or"
	OpEq         CondOp = "eq"
	OpNe         CondOp = "ne"
	OpStartsWith CondOp = "startswith"
	OpIn         CondOp = "in"
	OpNot        CondOp = "not"
)

// UserCond is a filter: a comparison of a field with values, or and/or/not of
// conditions. String values compare without regard to case, as Graph's do.
type UserCond struct {
	Op     CondOp
	Field  UserField
	Values []any // string or bool
	Args   []*UserCond
}

// GraphUserQuery is one page of Graph's user list.
type GraphUserQuery struct {
	Where *UserCond
	// Search is a display name word prefix ($search="displayName:...").
	Search string
	// ByUPN orders by user principal name; otherwise by display name.
	ByUPN bool
	Desc  bool
	// AfterKey and AfterID are where the previous page ended; empty for the first.
	AfterKey string
	AfterID  uint
	Limit    int
	// WithoutLicenses leaves the people's SKUs empty, for a caller that does not
	// show them: the page is then one row per person, read in one pass.
	WithoutLicenses bool
	// LeaveOut are the details not read, left empty (false, zero) in the page,
	// for a caller that does not show them; none by default.
	LeaveOut GraphUserDetails
}

// GraphUserDetails are details of a person a list may leave out: each is a
// column (or the primary address's subquery) less to read and convert per row.
type GraphUserDetails uint16

// The details.
const (
	DetailDisplayName GraphUserDetails = 1 << iota
	DetailGivenName
	DetailSurname
	DetailJobTitle
	DetailDepartment
	DetailMail
	DetailAlias
	DetailUsageLocation
	DetailAccountEnabled
	DetailCreatedAt
)

// sortColumn is the column a query is ordered by.
func (q GraphUserQuery) sortColumn() string {
	if q.ByUPN {
		return "lower(users.user_principal_name)"
	}
	return "users.sort_name"
}

// graphUserBase is the FROM and WHERE of a list and its count.
func (s *Store) graphUserBase(ctx context.Context, q GraphUserQuery, table string) (*gorm.DB, error) {
	db := s.db.WithContext(ctx).Table(table).Where("users.deleted_at IS NULL")
	if q.Where != nil {
		var products map[string]uint
		if q.Where.mentions(FieldLicense) {
			var err error
			if products, err = s.skuProducts(ctx); err != nil {
				return nil, err
			}
		}
		sql, args, err := userCondSQL(q.Where, products)
		if err != nil {
			return nil, err
		}
		db = db.Where(sql, args...)
	}
	if term := normalizeSearch(q.Search); term != "" {
		db = db.Where("users.recipient_id IN (SELECT st.recipient_id FROM search_terms st WHERE st.term >= ? AND st.term < ?)", term, prefixUpper(term))
	}
	return db, nil
}

// ErrBadFilter is a filter the list can't apply (an unknown field or operator).
var ErrBadFilter = fmt.Errorf("unsupported filter")

// userCondSQL turns a condition into SQL on the users table.
func userCondSQL(c *UserCond, products map[string]uint) (string, []any, error) {
	switch c.Op {
	case OpAnd, OpOr:
		var parts []string
		var args []any
		for _, a := range c.Args {
			sql, as, err := userCondSQL(a, products)
			if err != nil {
				return "", nil, err
			}
			parts = append(parts, "("+sql+")")
			args = append(args, as...)
		}
		if len(parts) == 0 {
			return "", nil, ErrBadFilter
		}
		return strings.Join(parts, " "+strings.ToUpper(string(c.Op))+" "), args, nil
	case OpNot:
		if len(c.Args) != 1 {
			return "", nil, ErrBadFilter
		}
		sql, args, err := userCondSQL(c.Args[0], products)
		return "NOT (" + sql + ")", args, err
	}
	if len(c.Values) == 0 {
		return "", nil, ErrBadFilter
	}
	if c.Field == FieldEnabled {
		b, ok := c.Values[0].(bool)
		if !ok || len(c.Values) != 1 || (c.Op != OpEq && c.Op != OpNe) {
			return "", nil, ErrBadFilter
		}
		if c.Op == OpNe {
			b = !b
		}
		return "users.sign_in_blocked = ?", []any{!b}, nil
	}
	strs := make([]string, len(c.Values))
	for i, v := range c.Values {
		s, ok := v.(string)
		if !ok {
			return "", nil, ErrBadFilter
		}
		strs[i] = strings.ToLower(s)
	}
	if c.Field == FieldLicense {
		if c.Op != OpEq && c.Op != OpIn {
			return "", nil, ErrBadFilter
		}
		ids := []uint{0} // no product has id 0; IN () is not SQL
		for _, s := range strs {
			if id, ok := products[s]; ok {
				ids = append(ids, id)
			}
		}
		return "EXISTS (SELECT 1 FROM user_licenses ul WHERE ul.user_id = users.id AND ul.license_product_id IN ?)", []any{ids}, nil
	}
	col := map[UserField]string{
		FieldDisplayName: "users.sort_name", FieldUPN: "lower(users.user_principal_name)",
		FieldGivenName: "lower(users.first_name)", FieldSurname: "lower(users.last_name)",
		FieldJobTitle: "lower(users.job_title)", FieldDepartment: "lower(users.department)",
		FieldMail: "e.normalized", FieldLocation: "lower(users.usage_location)",
	}[c.Field]
	if col == "" {
		return "", nil, ErrBadFilter
	}
	if c.Field == FieldDisplayName {
		for i := range strs {
			strs[i] = sortName(strs[i])
		}
	}
	var cond string
	var args []any
	switch {
	case c.Op == OpEq && len(strs) == 1:
		cond, args = col+" = ?", []any{strs[0]}
	case c.Op == OpNe && len(strs) == 1:
		cond, args = col+" <> ?", []any{strs[0]}
	case c.Op == OpIn:
		cond, args = col+" IN ?", []any{strs}
	case c.Op == OpStartsWith && len(strs) == 1:
		// A range, not LIKE, so an index on the column serves it.
		cond, args = col+" >= ? AND "+col+" < ?", []any{strs[0], prefixUpper(strs[0])}
	default:
		return "", nil, ErrBadFilter
	}
	if c.Field == FieldMail {
		return "EXISTS (SELECT 1 FROM email_addresses e WHERE e.recipient_id = users.recipient_id AND e.is_primary AND " + cond + ")", args, nil
	}
	return cond, args, nil
}

// GraphUsers returns a page of people and whether more follow. The first page of
// everyone is kept (graph_users_kept.go).
func (s *Store) GraphUsers(ctx context.Context, q GraphUserQuery) ([]GraphUser, bool, error) {
	if key, ok := graphPageKeyOf(q); ok {
		return s.keptGraphUsers(ctx, key, q)
	}
	return s.graphUsers(ctx, q)
}

// graphUsers reads a page of people and whether more follow.
func (s *Store) graphUsers(ctx context.Context, q GraphUserQuery) ([]GraphUser, bool, error) {
	table := "users"
	if !q.ByUPN && q.Where == nil && q.Search == "" && !s.postgres {
		// Walk the people's name index in order (see peopleByName).
		table = "users INDEXED BY idx_users_live"
	}
	db, err := s.graphUserBase(ctx, q, table)
	if err != nil {
		return nil, false, err
	}
	col := q.sortColumn()
	if q.ByUPN {
		db = db.Where("users.user_principal_name <> ''")
	}
	dir, cmp := "ASC", ">"
	if q.Desc {
		dir, cmp = "DESC", "<"
	}
	if q.AfterID != 0 {
		db = db.Where(col+" "+cmp+"= ? AND ("+col+" "+cmp+" ? OR users.id "+cmp+" ?)", q.AfterKey, q.AfterKey, q.AfterID)
	}
	limit := max(q.Limit, 1)
	order := col + " " + dir + ", users.id " + dir
	if q.WithoutLicenses {
		// Without the licences each person is one row (the primary address is one
		// value), so the LIMIT applies to the people themselves, read in the
		// index's order: no page of keys to materialise and sort again, half of
		// the statement's work on SQLite. On SQLite the address comes from the
		// index that holds it.
		addresses := "email_addresses pe INDEXED BY idx_email_addresses_primary"
		if s.postgres {
			addresses = "email_addresses pe"
		}
		cols := graphUserColumns("users", graphUserPrimary(addresses), "NULL", q.LeaveOut)
		rows, err := db.Select(col + " AS sort_key, " + cols).
			Joins("LEFT JOIN recipients r ON r.id = users.recipient_id").Order(order).Limit(limit + 1).Rows()
		if err != nil {
			return nil, false, fmt.Errorf("list graph users: %w", err)
		}
		defer rows.Close()
		return scanGraphUsers(rows, limit, q.LeaveOut)
	}
	keys := db.Select(col + " AS sort_key, users.id AS id").Order(order).Limit(limit + 1)
	return s.readGraphUsers(ctx, keys, dir, limit, q.LeaveOut)
}

// readGraphUsers reads the people a statement of keys (sort_key, id) picks, in
// its order, with their names, primary address and licences, and says whether
// more than limit keys came. The keys and their people's details are one
// statement: a second one on the keys' ids cost as much again in binding a
// hundred ids as in reading the rows.
func (s *Store) readGraphUsers(ctx context.Context, keys *gorm.DB, dir string, limit int, leave GraphUserDetails) ([]GraphUser, bool, error) {
	res, err := s.db.WithContext(ctx).Raw(`SELECT k.sort_key, `+graphUserColumns("u", "e.address", "lp.sku", leave)+`
		FROM (?) k JOIN users u ON u.id = k.id LEFT JOIN recipients r ON r.id = u.recipient_id
		LEFT JOIN email_addresses e ON e.recipient_id = u.recipient_id AND e.is_primary
		LEFT JOIN user_licenses ul ON ul.user_id = u.id LEFT JOIN license_products lp ON lp.id = ul.license_product_id
		ORDER BY k.sort_key `+dir+", k.id "+dir, keys).Rows()
	if err != nil {
		return nil, false, fmt.Errorf("list graph users: %w", err)
	}
	defer res.Close()
	return scanGraphUsers(res, limit, leave)
}

// graphUserColumns are the columns scanGraphUsers reads after the sort key: those
// of the users table (or alias) t and its recipient r, the licence's SKU, then
// the details not left out, in graphUserDetails' order.
func graphUserColumns(t, address, sku string, leave GraphUserDetails) string {
	cols := []string{t + ".id", t + ".recipient_id", "r.id IS NOT NULL", t + ".user_principal_name", sku}
	names := strings.NewReplacer("$t", t, "$address", address)
	for _, d := range graphUserDetails {
		if leave&d.detail == 0 {
			cols = append(cols, names.Replace(d.column))
		}
	}
	return strings.Join(cols, ", ")
}

// graphUserDetails are the details' columns ($t is the users table, $address the
// primary address), in the order the statements read them, each with where
// scanGraphUsers reads it into.
var graphUserDetails = []struct {
	detail GraphUserDetails
	column string
	into   func(*graphUserRow) any
}{
	{DetailDisplayName, "COALESCE(r.display_name, '')", func(r *graphUserRow) any { return &r.u.DisplayName }},
	{DetailGivenName, "COALESCE($t.first_name, '')", func(r *graphUserRow) any { return &r.u.GivenName }},
	{DetailSurname, "COALESCE($t.last_name, '')", func(r *graphUserRow) any { return &r.u.Surname }},
	{DetailJobTitle, "COALESCE($t.job_title, '')", func(r *graphUserRow) any { return &r.u.JobTitle }},
	{DetailDepartment, "COALESCE($t.department, '')", func(r *graphUserRow) any { return &r.u.Department }},
	{DetailMail, "COALESCE($address, '')", func(r *graphUserRow) any { return &r.u.Mail }},
	{DetailAlias, "COALESCE(r.alias, '')", func(r *graphUserRow) any { return &r.u.Alias }},
	{DetailUsageLocation, "$t.usage_location", func(r *graphUserRow) any { return &r.u.UsageLocation }},
	{DetailAccountEnabled, "$t.sign_in_blocked", func(r *graphUserRow) any { return &r.blocked }},
	{DetailCreatedAt, "$t.created_at", func(r *graphUserRow) any { return &r.created }},
}

// graphUserRow is one row of scanGraphUsers' statement, scanned in place row after
// row.
type graphUserRow struct {
	u       GraphUser
	hasRcpt bool
	blocked bool
	created sql.NullTime
	sku     sql.NullString
}

// graphUserPrimary is a person's primary address read from the table addresses.
func graphUserPrimary(addresses string) string {
	return "(SELECT pe.address FROM " + addresses + " WHERE pe.recipient_id = users.recipient_id AND pe.is_primary LIMIT 1)"
}

// scanGraphUsers reads the rows of readGraphUsers' statement (or of one in its
// shape): a person's rows (one per licence) come together, in the keys' order. A
// key without its recipient (none, as recipients are kept) counts toward the page
// but is not shown.
func scanGraphUsers(res *sql.Rows, limit int, leave GraphUserDetails) ([]GraphUser, bool, error) {
	out := make([]GraphUser, 0, limit+1)
	seen, lastID := 0, uint(0)
	row := &graphUserRow{}
	u := &row.u
	dest := []any{&u.SortKey, &u.UserID, &u.RecipientID, &row.hasRcpt, &u.UserPrincipalName, &row.sku}
	for _, d := range graphUserDetails {
		if leave&d.detail == 0 {
			dest = append(dest, d.into(row))
		}
	}
	for res.Next() {
		if err := res.Scan(dest...); err != nil {
			return nil, false, fmt.Errorf("list graph users: %w", err)
		}
		if seen == 0 || u.UserID != lastID {
			seen, lastID = seen+1, u.UserID
			if seen > limit || !row.hasRcpt {
				continue
			}
			u.AccountEnabled, u.CreatedAt = !row.blocked && leave&DetailAccountEnabled == 0, row.created.Time
			out = append(out, *u)
		} else if seen > limit || !row.hasRcpt {
			continue
		}
		if row.sku.Valid {
			have := &out[len(out)-1]
			have.SKUs = append(have.SKUs, row.sku.String)
		}
	}
	if err := res.Err(); err != nil {
		return nil, false, fmt.Errorf("list graph users: %w", err)
	}
	// By SKU, sorted here rather than by the query (see userRows).
	for i := range out {
		slices.Sort(out[i].SKUs)
	}
	return out, seen > limit, nil
}

// CountGraphUsers counts the people a query matches. The count of everyone is the
// one Active users shows, kept for a moment (keptCount; Graph's counts are
// "eventual" too) and dropped when this process adds or removes someone.
func (s *Store) CountGraphUsers(ctx context.Context, q GraphUserQuery) (int64, error) {
	if q.Where == nil && normalizeSearch(q.Search) == "" {
		return s.countEveryone(ctx)
	}
	db, err := s.graphUserBase(ctx, q, "users")
	if err != nil {
		return 0, err
	}
	var n int64
	if err := db.Count(&n).Error; err != nil {
		return 0, fmt.Errorf("count graph users: %w", err)
	}
	return n, nil
}

// GraphUser returns a live person by their Graph id or user principal name.
func (s *Store) GraphUser(ctx context.Context, idOrUPN string) (*GraphUser, error) {
	key := s.db.WithContext(ctx).Table("users").Select("'' AS sort_key, id").Where("deleted_at IS NULL")
	if rid, ok := RecipientIDOfObjectID(idOrUPN); ok {
		key = key.Where("recipient_id = ?", rid)
	} else if strings.Contains(idOrUPN, "@") {
		key = key.Where("lower(user_principal_name) = ? AND user_principal_name <> ''", strings.ToLower(strings.TrimSpace(idOrUPN)))
	} else {
		return nil, ErrNotFound
	}
	users, _, err := s.readGraphUsers(ctx, key.Limit(1), "ASC", 1, 0)
	if err != nil {
		return nil, fmt.Errorf("find graph user: %w", err)
	}
	if len(users) == 0 {
		return nil, ErrNotFound
	}
	return &users[0], nil
}

// wellKnownSkuIDs are the skuIds Microsoft gives its products; any other product's
// is derived from its SKU part number, stable across installations.
var wellKnownSkuIDs = map[string]string{
	"O365_BUSINESS_PREMIUM":    "f245ecc8-75af-4f8e-b61f-27d8114de5f3",
	"O365_BUSINESS_ESSENTIALS": "3b555118-da6a-4418-894f-7df1e2096870",
	"SPB":                      "cbdc14ab-d96c-4c30-b9f4-6ada7cdc1d46",
	"EXCHANGESTANDARD":         "4b9405b0-7788-4568-add1-99614e613b69",
	"EXCHANGEENTERPRISE":       "19ec0d23-8335-4cbd-94ac-6050e30712fa",
	"ENTERPRISEPACK":           "6fd2c87f-b296-42f0-b197-1e91e994b900",
	"ENTERPRISEPREMIUM":        "c7df2760-2c81-4ef7-b578-5b5392b571df",
	"STANDARDPACK":             "18181a46-0d4e-45cd-891e-60aabd171b4e",
	"SPE_E3":                   "05e9a617-0261-4cee-bb44-138d3ef5d965",
	"SPE_E5":                   "06ebc4ee-1bb5-47dd-8120-11324bc54e06",
	"POWER_BI_STANDARD":        "a403ebcc-fae0-4ca2-8c8c-7a907fd6c235",
}

// SkuID is the Graph skuId of a product's SKU part number.
func SkuID(sku string) string {
	if id, ok := wellKnownSkuIDs[strings.ToUpper(sku)]; ok {
		return id
	}
	sum := sha256.Sum256([]byte("sku:" + strings.ToUpper(sku)))
	h := hex.EncodeToString(sum[:16])
	return h[0:8] + "-" + h[8:12] + "-4" + h[13:16] + "-8" + h[17:20] + "-" + h[20:32]
}

// skuProducts maps each product's skuId to its id; the products are few.
func (s *Store) skuProducts(ctx context.Context) (map[string]uint, error) {
	var ps []LicenseProduct
	if err := s.db.WithContext(ctx).Select("id, sku").Find(&ps).Error; err != nil {
		return nil, fmt.Errorf("load products: %w", err)
	}
	out := make(map[string]uint, len(ps))
	for _, p := range ps {
		out[SkuID(p.SKU)] = p.ID
	}
	return out, nil
}

// mentions reports whether a condition tests a field.
func (c *UserCond) mentions(f UserField) bool {
	if c.Field == f {
		return true
	}
	for _, a := range c.Args {
		if a.mentions(f) {
			return true
		}
	}
	return false
}
