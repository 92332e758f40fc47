package models

import (
	"context"
	"slices"
	"testing"

	"gorm.io/gorm"
)

// The generator writes its tenant in flushes, with foreign keys unchecked and its
// search terms made from cached name terms: what it writes must still be whole
// (every foreign key holds) and searchable exactly as the app indexes people.
func TestSeedScaleInFlushes(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	old := seedFlushEvery
	seedFlushEvery = 97
	t.Cleanup(func() { seedFlushEvery = old })
	if err := f.s.SeedScale(ctx, ScaleOptions{Users: 500, Shared: 20, Groups: 10, Grants: 400, Contacts: 10, Seed: 5}); err != nil {
		t.Fatal(err)
	}
	var n int64
	f.s.db.Model(&User{}).Count(&n)
	if n < 500 {
		t.Fatalf("%d people after seeding 500", n)
	}
	if !f.s.postgres {
		var broken []map[string]any
		if err := f.s.db.Raw("PRAGMA foreign_key_check").Scan(&broken).Error; err != nil {
			t.Fatal(err)
		}
		if len(broken) > 0 {
			t.Fatalf("foreign keys broken: %v", broken[:min(5, len(broken))])
		}
	}
	type term struct {
		Term        string
		RecipientID uint
		UserID      *uint
		SortName    string
	}
	read := func() []term {
		var ts []term
		if err := f.s.db.Table("search_terms").Order("term, recipient_id").Scan(&ts).Error; err != nil {
			t.Fatal(err)
		}
		return ts
	}
	seeded := read()
	var ids []uint
	f.s.db.Model(&Recipient{}).Pluck("id", &ids)
	if err := f.s.write(ctx, func(tx *gorm.DB) error { return reindex(tx, ids...) }); err != nil {
		t.Fatal(err)
	}
	indexed := read()
	if !slices.EqualFunc(seeded, indexed, func(a, b term) bool {
		return a.Term == b.Term && a.RecipientID == b.RecipientID && a.SortName == b.SortName &&
			(a.UserID == nil) == (b.UserID == nil) && (a.UserID == nil || *a.UserID == *b.UserID)
	}) {
		t.Fatalf("seeded search terms (%d) differ from the app's index of the same people (%d)", len(seeded), len(indexed))
	}
}

// The same options give the same tenant: its permissions and forwards too, not only
// its people (they were drawn from mailboxes in a map's random order).
func TestSeedScaleReproducible(t *testing.T) {
	ctx := context.Background()
	opt := ScaleOptions{Users: 400, Shared: 20, Groups: 10, Grants: 300, Seed: 7}
	dump := func() []string {
		f := newFixture(t)
		if err := f.s.SeedScale(ctx, opt); err != nil {
			t.Fatal(err)
		}
		var rows []string
		if err := f.s.db.Raw(`SELECT p.mailbox_id || ' ' || p.trustee_id || ' ' || p.access_right FROM mailbox_permissions p
			UNION ALL SELECT m.id || ' forwards to ' || m.forwarding_address FROM mailboxes m WHERE m.forwarding_address <> ''
			ORDER BY 1`).Scan(&rows).Error; err != nil {
			t.Fatal(err)
		}
		return rows
	}
	first, second := dump(), dump()
	if len(first) == 0 || !slices.Equal(first, second) {
		t.Fatalf("two tenants from the same options differ: %d and %d permissions and forwards", len(first), len(second))
	}
}
