package models

import (
	"context"
	"errors"
	"slices"
	"sync"
	"testing"

	"github.com/contoso/admincenter/models/dbtest"
)

// Two stores on one database stand for two instances of the server. Their rule-
// checked writes must take turns: two Global administrators demoting each other at
// the same moment leave exactly one, never none.
func TestInstancesTakeTurnsWriting(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	dsn := dbtest.DSN(t, "shared")
	one, err := Open(ctx, dsn, fastHashing)
	if err != nil {
		t.Fatal(err)
	}
	defer one.Close()
	if err := one.SeedDemo(ctx, testPassword); err != nil {
		t.Fatal(err)
	}
	two, err := Open(ctx, dsn, fastHashing) // migrating again finds the schema in place
	if err != nil {
		t.Fatal(err)
	}
	defer two.Close()

	admin, err := one.Authenticate(ctx, "admin@contoso.com", testPassword)
	if err != nil {
		t.Fatal(err)
	}
	adminID, _ := one.UserIDByAddress(ctx, "admin@contoso.com")
	pattiID, _ := one.UserIDByAddress(ctx, "pattif@contoso.com")
	globalAdmins := func() []uint {
		var ids []uint
		if err := one.db.Model(&RoleAssignment{}).Where("role = ?", RoleGlobalAdmin).Order("user_id").Pluck("user_id", &ids).Error; err != nil {
			t.Fatal(err)
		}
		return ids
	}
	for round := 0; round < 10; round++ {
		// Both are Global administrators again.
		keeper := admin
		if ids := globalAdmins(); len(ids) == 1 && ids[0] == pattiID {
			keeper, _ = two.Authenticate(ctx, "pattif@contoso.com", testPassword)
		}
		for _, id := range []uint{adminID, pattiID} {
			if err := one.SetRoles(ctx, keeper, id, []Role{RoleGlobalAdmin}, AnyVersion); err != nil {
				t.Fatal(err)
			}
		}
		a, _ := one.Authenticate(ctx, "admin@contoso.com", testPassword)
		p, _ := two.Authenticate(ctx, "pattif@contoso.com", testPassword)
		var wg sync.WaitGroup
		errs := make([]error, 2)
		wg.Add(2)
		go func() { defer wg.Done(); errs[0] = one.SetRoles(ctx, a, pattiID, []Role{RoleGlobalReader}, AnyVersion) }()
		go func() { defer wg.Done(); errs[1] = two.SetRoles(ctx, p, adminID, []Role{RoleGlobalReader}, AnyVersion) }()
		wg.Wait()
		ids := globalAdmins()
		if len(ids) != 1 {
			t.Fatalf("round %d: Global administrators afterwards: %v (errors %v)", round, ids, errs)
		}
		// The loser is refused: its demotion would remove the last one, or, when the
		// other went first, its actor is no Global administrator any more.
		refused := slices.IndexFunc(errs, func(err error) bool {
			return fieldKey(err, "roles") == "roles.error.last_global" || errors.Is(err, ErrForbidden)
		})
		if refused < 0 || errs[1-refused] != nil {
			t.Fatalf("round %d: one demotion must succeed and the other be refused: %v", round, errs)
		}
	}
}
