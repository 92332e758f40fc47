package models

import (
	"context"
	"slices"
	"sync"

	"gorm.io/gorm"
)

// The first page of Active users (no search, filter or cursor) is what every visit
// to the list opens. Its rows are kept in memory while the list generation stays
// the same: one counter that triggers raise in the same transaction as every change
// to what those rows show (any change to a person, a recipient or an address; a
// licence given, taken, renamed or given another SKU; a mailbox's storage, quota or
// owner; a search term), whoever makes it (this process, another instance, a script
// in psql).
// Every request reads the counter, one prepared statement, so a change shows at
// once on every instance; the total is the kept count's, as without the kept rows.

// ListGeneration is the one-row table of the list generation.
type ListGeneration struct {
	ID uint  `gorm:"primaryKey;autoIncrement:false"`
	N  int64 `gorm:"not null;default:0"`
}

// listTriggers raise the list generation with every change to what the page
// shows, and to what Graph's list of people shows (graph_users_kept.go).
func listTriggers(pg bool) []string {
	return generationTriggers(pg, "list", []watchedTable{
		// Any change to a person or a recipient: the page and Graph's list show
		// most of their columns, and a rename changes the sort name with the
		// display name. The updates of people and recipients are the admins' edits,
		// few against the reads. With no columns named, a PostgreSQL trigger fixes
		// no column's type (a WHEN clause would stop the migration from giving
		// sort_name its byte order, byteOrdered).
		{"users", nil, true},
		{"recipients", nil, false},
		{"mailboxes", []string{"storage_used_bytes", "quota_bytes", "recipient_id"}, true},
		{"user_licenses", nil, true},
		{"license_products", []string{"name", "sku"}, false},
		// Graph's list shows each person's primary address.
		{"email_addresses", nil, true},
		// What a search matches (kept_searches.go).
		{"search_terms", nil, true},
	})
}

// migrateListGeneration creates the counter's row and its triggers.
func migrateListGeneration(db *gorm.DB, pg bool) error {
	return migrateGeneration(db, "list generation", "list_generations", listTriggers(pg))
}

// prepareListGeneration prepares the read of the list generation.
func (s *Store) prepareListGeneration(ctx context.Context) (err error) {
	s.listGenStmt, err = s.prepareGeneration(ctx, "list generation", "list_generations")
	return err
}

// listGeneration returns the list generation a safe request read with its auth
// generation (WithAuthGeneration), or reads it.
func (s *Store) listGeneration(ctx context.Context) (int64, bool) {
	if g, ok := safeGenerations(ctx); ok {
		return g.list, true
	}
	var gen int64
	if err := s.listGenStmt.QueryRowContext(ctx).Scan(&gen); err != nil {
		return 0, false
	}
	return gen, true
}

// keptFirstPages are the kept first pages of Active users, one for each order and
// page size, each with the list generation read before it was read.
type keptFirstPages struct {
	mu   sync.Mutex
	kept map[firstPageKey]keptRows
}

type firstPageKey struct {
	desc bool
	size int
}

type keptRows struct {
	gen  int64
	rows []pagePerson
}

// forget drops every kept page.
func (k *keptFirstPages) forget() {
	k.mu.Lock()
	k.kept = nil
	k.mu.Unlock()
}

// firstPeoplePage returns the first page's rows (read reads them): kept ones while
// the list generation is the one they were read at. Without a generation (it could
// not be read) nothing is kept or trusted.
func (s *Store) firstPeoplePage(ctx context.Context, q UserQuery, read func() ([]pagePerson, error)) ([]pagePerson, error) {
	gen, ok := s.listGeneration(ctx)
	if !ok {
		if ctx.Err() != nil {
			return nil, ctx.Err()
		}
		return read()
	}
	key := firstPageKey{desc: q.Page.Desc, size: q.Page.Size}
	s.firstPages.mu.Lock()
	k, ok := s.firstPages.kept[key]
	s.firstPages.mu.Unlock()
	if ok && k.gen == gen {
		return clonePeople(k.rows), nil
	}
	rows, err := read()
	if err != nil {
		return nil, err
	}
	s.firstPages.mu.Lock()
	if s.firstPages.kept == nil {
		s.firstPages.kept = map[firstPageKey]keptRows{}
	}
	// A page read at an older generation than the one kept must not replace it.
	if k, ok := s.firstPages.kept[key]; !ok || k.gen <= gen {
		s.firstPages.kept[key] = keptRows{gen: gen, rows: clonePeople(rows)}
	}
	s.firstPages.mu.Unlock()
	return rows, nil
}

// clonePeople copies rows with their licence lists, so no caller changes what is
// kept, nor what another request was given.
func clonePeople(rows []pagePerson) []pagePerson {
	out := slices.Clone(rows)
	for i := range out {
		out[i].row.Licenses = slices.Clone(out[i].row.Licenses)
	}
	return out
}
