package models

import (
	"context"
	"path/filepath"
	"slices"
	"testing"

	"gorm.io/gorm"

	"github.com/contoso/admincenter/models/dbtest"
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

// The same options give the same tenant on PostgreSQL (where the generator writes
// with COPY and drops the foreign keys for the load) as on SQLite: compared by
// addresses, not ids, so sequences that skipped a number do not matter.
func TestSeedScaleSameOnBothDatabases(t *testing.T) {
	if !dbtest.Postgres() {
		t.Skip("needs " + dbtest.Env + " (.ci/with-postgres)")
	}
	ctx := context.Background()
	opt := ScaleOptions{Users: 400, Shared: 20, Groups: 10, Grants: 300, Contacts: 20, Seed: 11}
	dump := func(dsn string) []string {
		s, err := Open(ctx, dsn, fastHashing)
		if err != nil {
			t.Fatal(err)
		}
		defer s.Close()
		if err := s.SeedDemo(ctx, testPassword); err != nil {
			t.Fatal(err)
		}
		if err := s.SeedScale(ctx, opt); err != nil {
			t.Fatal(err)
		}
		var rows []string
		if err := s.db.Raw(`SELECT 'person ' || r.display_name || ' ' || a.address || ' ' || u.job_title || ' ' || u.department || ' ' ||
				CASE WHEN u.sign_in_blocked THEN 'blocked' ELSE 'allowed' END
			FROM users u JOIN recipients r ON r.id = u.recipient_id JOIN email_addresses a ON a.recipient_id = r.id
		UNION ALL SELECT 'grant ' || ma.address || ' ' || ta.address || ' ' || p.access_right FROM mailbox_permissions p
			JOIN mailboxes m ON m.id = p.mailbox_id JOIN email_addresses ma ON ma.recipient_id = m.recipient_id AND ma.is_primary
			JOIN email_addresses ta ON ta.recipient_id = p.trustee_id AND ta.is_primary
		UNION ALL SELECT 'member ' || ga.address || ' ' || ma.address FROM group_members gm JOIN groups g ON g.id = gm.group_id
			JOIN email_addresses ga ON ga.recipient_id = g.recipient_id AND ga.is_primary
			JOIN email_addresses ma ON ma.recipient_id = gm.member_id AND ma.is_primary
		UNION ALL SELECT 'forward ' || a.address || ' ' || m.forwarding_address FROM mailboxes m
			JOIN email_addresses a ON a.recipient_id = m.recipient_id AND a.is_primary WHERE m.forwarding_address <> ''
		UNION ALL SELECT 'term ' || t.term || ' ' || a.address FROM search_terms t
			JOIN email_addresses a ON a.recipient_id = t.recipient_id AND a.is_primary`).Scan(&rows).Error; err != nil {
			t.Fatal(err)
		}
		slices.Sort(rows)
		return rows
	}
	lite := dump(filepath.Join(t.TempDir(), "seed.db"))
	pg := dump(dbtest.NewPostgres(t))
	if len(lite) < opt.Users || !slices.Equal(lite, pg) {
		for i := range min(len(lite), len(pg)) {
			if lite[i] != pg[i] {
				t.Fatalf("the tenants differ (%d rows on SQLite, %d on PostgreSQL); first: %q and %q", len(lite), len(pg), lite[i], pg[i])
			}
		}
		t.Fatalf("the tenants differ: %d rows on SQLite, %d on PostgreSQL", len(lite), len(pg))
	}
}
