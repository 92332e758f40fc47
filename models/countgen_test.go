package models

import (
	"context"
	"testing"
	"time"
)

// Every change to what the kept totals count raises the count generation, whoever
// makes it (here statements of "another instance", which this store's forget never
// hears of); other changes to the same rows do not.
func TestCountGenerationRisesWithWhatIsCounted(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	ctx := context.Background()
	gen := func() int64 {
		t.Helper()
		n, ok := f.s.usersCount.generation(ctx)
		if !ok {
			t.Fatal("the count generation cannot be read")
		}
		return n
	}
	person := f.user("alexw@contoso.com")
	shared := f.mailbox("info@contoso.com").ID
	var group uint
	if err := f.s.db.Raw(`SELECT id FROM groups ORDER BY id LIMIT 1`).Scan(&group).Error; err != nil || group == 0 {
		t.Fatalf("a group: %d, %v", group, err)
	}
	checkGenerationChanges(t, gen, []generationChange{
		{"a person blocked", func() error {
			return f.s.db.Exec(`UPDATE users SET sign_in_blocked = ? WHERE id = ?`, true, person).Error
		}, false},
		{"a person deleted", func() error {
			return f.s.db.Exec(`UPDATE users SET deleted_at = ? WHERE id = ?`, time.Now(), person).Error
		}, true},
		{"a person restored", func() error {
			return f.s.db.Exec(`UPDATE users SET deleted_at = NULL WHERE id = ?`, person).Error
		}, true},
		{"a shared mailbox added", func() error {
			_, err := f.s.CreateSharedMailbox(ctx, f.admin, "Counted", "counted", "contoso.com")
			return err
		}, true},
		{"a mailbox's quota changed", func() error {
			return f.s.db.Exec(`UPDATE mailboxes SET quota_bytes = quota_bytes + 1 WHERE id = ?`, shared).Error
		}, false},
		{"a mailbox's type changed", func() error {
			return f.s.db.Exec(`UPDATE mailboxes SET type = ? WHERE id = ?`, MailboxUser, shared).Error
		}, true},
		{"a group renamed", func() error {
			return f.s.db.Exec(`UPDATE groups SET sort_name = sort_name || 'x' WHERE id = ?`, group).Error
		}, false},
		{"a group's type changed", func() error {
			return f.s.db.Exec(`UPDATE groups SET type = CASE WHEN type = ? THEN ? ELSE ? END WHERE id = ?`,
				GroupSecurity, GroupDistribution, GroupSecurity, group).Error
		}, true},
		{"a group deleted", func() error { return f.s.DeleteGroup(ctx, f.admin, group, true) }, true},
	})
}

// generationChange is a change and whether it must raise a generation counter.
type generationChange struct {
	name   string
	change func() error
	raises bool
}

// checkGenerationChanges makes each change in turn and checks that gen moved for
// exactly those that must raise it.
func checkGenerationChanges(t *testing.T, gen func() int64, changes []generationChange) {
	t.Helper()
	for _, c := range changes {
		before := gen()
		if err := c.change(); err != nil {
			t.Fatalf("%s: %v", c.name, err)
		}
		if after := gen(); (after != before) != c.raises {
			t.Errorf("%s: generation %d -> %d, want raised: %v", c.name, before, after, c.raises)
		}
	}
}

// A kept total past cacheTTL is shown again without counting while the count
// generation has not moved, and counted again once it has.
func TestKeptCountStaysWhileTheGenerationStays(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	ctx := context.Background()
	s := f.s
	n, err := s.countEveryone(ctx)
	if err != nil {
		t.Fatal(err)
	}
	// A kept total no count would give (as if counted long ago, at this generation).
	age := func(value int64) {
		c := s.usersCount.value.Load()
		s.usersCount.value.Store(&keptValue[int64]{value: value, at: time.Now().Add(-staleCountLimit - time.Second), gen: c.gen, hasGen: c.hasGen})
	}
	age(n + 100)
	if got, err := s.countEveryone(ctx); err != nil || got != n+100 {
		t.Fatalf("at the same generation: %d, %v; want the kept %d without a count", got, err, n+100)
	}
	if c := s.usersCount.value.Load(); time.Since(c.at) > cacheTTL {
		t.Fatal("a kept total found unchanged should be kept for another cacheTTL")
	}
	age(n + 100)
	// Another instance deletes someone: this store hears nothing, the generation moves.
	if err := s.db.Exec(`UPDATE users SET deleted_at = ? WHERE id = ?`, time.Now(), f.user("alexw@contoso.com")).Error; err != nil {
		t.Fatal(err)
	}
	if got, err := s.countEveryone(ctx); err != nil || got != n-1 {
		t.Fatalf("after another instance's change: %d, %v; want a fresh count of %d", got, err, n-1)
	}
}
