package powershell

import "context"

// Paging is a REST caller's request for one page of a cmdlet's output: at most Size
// objects, after the position the previous page ended at. The REST endpoint puts it
// in the run's context (WithPaging). A cmdlet that lists many objects reads it with
// PagingOf(c.Context()) and pages its own query by a stable key (keyset paging), so
// page 100 costs what page 1 costs and an object moved by a concurrent change is
// still returned once; it then calls Page to say it did. The endpoint pages the
// output of any other cmdlet itself.
type Paging struct {
	// Size is the most objects the page may hold.
	Size int
	// After is where the previous page ended, as the cmdlet wrote it in Next; ""
	// on the first page. It comes back from the client, so a cmdlet parses it as
	// untrusted input (a malformed one reads as the start).
	After string

	next  string
	paged bool
}

// Page records that the cmdlet wrote this page itself, and where the next one
// starts: next is "" when this page is the last.
func (p *Paging) Page(next string) {
	p.paged = true
	p.next = next
}

// Paged reports whether the cmdlet paged its own output, and where the next page
// starts ("" when there is none).
func (p *Paging) Paged() (next string, ok bool) { return p.next, p.paged }

type pagingKey struct{}

// WithPaging returns a context asking the cmdlet run in it for one page.
func WithPaging(ctx context.Context, p *Paging) context.Context {
	return context.WithValue(ctx, pagingKey{}, p)
}

// PagingOf returns the page the caller asks for, or nil when the whole output is
// wanted (the console, the CLI).
func PagingOf(ctx context.Context) *Paging {
	p, _ := ctx.Value(pagingKey{}).(*Paging)
	return p
}
