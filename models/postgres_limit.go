package models

import (
	"strconv"

	"gorm.io/gorm/clause"
)

// literalLimit writes a statement's LIMIT and OFFSET as numbers rather than
// parameters, on PostgreSQL. With LIMIT $1 a prepared statement's generic plan
// can't know a page is 51 rows: it planned for a tenth of the table (hash joins
// over every person, 0.8-1.4 s at a million), so PostgreSQL planned each page
// afresh (1-1.5 ms, more than running it). With the number in the statement a
// page without other parameters (the first page of Active users) is planned once
// per connection, and the others may keep their generic plan. The numbers are
// the app's own ints: nothing a person typed goes into the statement.
func literalLimit(c clause.Clause, b clause.Builder) {
	l, ok := c.Expression.(clause.Limit)
	if !ok {
		c.Build(b)
		return
	}
	if l.Limit != nil && *l.Limit >= 0 {
		b.WriteString("LIMIT ")
		b.WriteString(strconv.Itoa(*l.Limit))
	}
	if l.Offset > 0 {
		if l.Limit != nil && *l.Limit >= 0 {
			b.WriteByte(' ')
		}
		b.WriteString("OFFSET ")
		b.WriteString(strconv.Itoa(l.Offset))
	}
}
