package models

import (
	"encoding/base64"
	"strconv"
	"strings"

	"gorm.io/gorm"
)

// PageSizes are the page sizes a list offers.
var PageSizes = []int{10, 25, 50, 100}

// DefaultPageSize is the page size when none is asked for.
const DefaultPageSize = 25

// NormalizePageSize returns size when it is one of PageSizes, otherwise the default.
func NormalizePageSize(size int) int {
	for _, s := range PageSizes {
		if s == size {
			return size
		}
	}
	return DefaultPageSize
}

// Page is where a list query starts: after or before a cursor (keyset pagination, so
// page 100 costs what page 1 costs), in ascending or descending name order.
type Page struct {
	After  string
	Before string
	Desc   bool
	Size   int
}

// PageInfo tells the views how to link to the neighbouring pages.
type PageInfo struct {
	Total int
	// TotalAtLeast is set when Total was capped at CountCap: there are at least that many.
	TotalAtLeast bool
	// Uncounted is set when a search's full page was shown without counting the
	// matches: more follow the page, and Total is the last row shown (the pager
	// says "1-50 of more than 50").
	Uncounted bool
	// First is the 1-based position of the first row shown.
	First int
	Next  string
	Prev  string
}

// cursor is a position in a list sorted by (sort name, id).
type cursor struct {
	name string
	id   uint
}

func encodeCursor(name string, id uint) string {
	return base64.RawURLEncoding.EncodeToString([]byte(name + "\x00" + strconv.FormatUint(uint64(id), 10)))
}

// decodeCursor reads a cursor; a malformed one reads as "no cursor", which shows the
// first page rather than an error.
func decodeCursor(s string) (cursor, bool) {
	if s == "" {
		return cursor{}, false
	}
	b, err := base64.RawURLEncoding.DecodeString(s)
	if err != nil {
		return cursor{}, false
	}
	name, idText, ok := strings.Cut(string(b), "\x00")
	if !ok {
		return cursor{}, false
	}
	id, err := strconv.ParseUint(idText, 10, 64)
	if err != nil {
		return cursor{}, false
	}
	return cursor{name: name, id: uint(id)}, true
}

// keyset applies the page to a query over rows keyed by nameCol and idCol and returns
// whether the rows come back reversed (a Before page is read backwards).
func keyset(q *gorm.DB, p Page, nameCol, idCol string) (*gorm.DB, bool) {
	desc := p.Desc
	reversed := false
	cur, ok := decodeCursor(p.After)
	if !ok {
		if cur, ok = decodeCursor(p.Before); ok {
			reversed = true
			desc = !desc
		}
	}
	if ok {
		op := ">"
		if desc {
			op = "<"
		}
		// A row-value comparison, which the (name, id) index answers as a range.
		q = q.Where("("+nameCol+", "+idCol+") "+op+" (?, ?)", cur.name, cur.id)
	}
	dir := " ASC"
	if desc {
		dir = " DESC"
	}
	return q.Order(nameCol + dir).Order(idCol + dir).Limit(p.Size + 1), reversed
}

// countBefore counts the rows of q that sort before the first row shown, to show
// "11-20 of 18". On the first page there are none, and nothing is counted.
func countBefore(q *gorm.DB, p Page, name string, id uint, nameCol, idCol string) (int64, error) {
	if p.After == "" && p.Before == "" {
		return 0, nil
	}
	op := "<"
	if p.Desc {
		op = ">"
	}
	var n int64
	err := q.Where("("+nameCol+", "+idCol+") "+op+" (?, ?)", name, id).Count(&n).Error
	return n, err
}

// likePrefix escapes LIKE's wildcards in a search term and appends the prefix wildcard.
func likePrefix(term string) string {
	r := strings.NewReplacer(`\`, `\\`, `%`, `\%`, `_`, `\_`)
	return r.Replace(term) + "%"
}

// likeContains escapes LIKE's wildcards in a search term and wraps it for "contains".
func likeContains(term string) string {
	return "%" + likePrefix(term)
}

// CountCap bounds counting for searches and filters: past it the list says "1,000+"
// rather than scanning every match of a short search on a large tenant.
const CountCap = 1000

// uncounted ends a search's page whose matches were not counted (searchPeople,
// searchShared): more follow the page, so there are more than its last row.
func (p *PageInfo) uncounted(shown int) {
	p.Total, p.TotalAtLeast, p.Uncounted = p.First+shown-1, true, true
}

// cappedCount counts the rows of q, stopping at CountCap.
func cappedCount(q *gorm.DB) (int, bool, error) {
	var n int64
	if err := q.Session(&gorm.Session{}).Raw("SELECT COUNT(*) FROM (?) AS capped", q.Select("1").Limit(CountCap+1)).Scan(&n).Error; err != nil {
		return 0, false, err
	}
	if n > CountCap {
		return CountCap, true, nil
	}
	return int(n), false, nil
}
