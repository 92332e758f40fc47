package models

import (
	"context"
	"errors"
	"slices"
	"testing"
	"time"

	"github.com/contoso/admincenter/models/dbtest"
)

// twoInstances opens two stores on one database with the demo tenant, as two
// instances of the server.
func twoInstances(t *testing.T) (one, two *Store) {
	t.Helper()
	ctx := context.Background()
	dsn := dbtest.DSN(t, "instances")
	one, err := Open(ctx, dsn, fastHashing)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { one.Close() })
	if err := one.SeedDemo(ctx, testPassword); err != nil {
		t.Fatal(err)
	}
	two, err = Open(ctx, dsn, fastHashing)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { two.Close() })
	return one, two
}

// request is the context of a new request on an instance: it reads the auth
// generation once, as the web middleware does.
func request(s *Store) context.Context {
	return s.WithAuthGeneration(context.Background(), true)
}

func newSession(t *testing.T, s *Store, id string, userID uint) {
	t.Helper()
	now := s.Now()
	if err := s.CreateSession(context.Background(), &Session{ID: id, UserID: &userID, Data: []byte(`{}`),
		CreatedAt: now, LastSeenAt: now, ExpiresAt: now.Add(time.Hour)}); err != nil {
		t.Fatal(err)
	}
}

// Signing out on one instance ends the session on the other at once, though the
// other had it cached.
func TestSignOutReachesEveryInstance(t *testing.T) {
	t.Parallel()
	one, two := twoInstances(t)
	ctx := context.Background()
	adminID, _ := one.UserIDByAddress(ctx, "admin@contoso.com")
	newSession(t, one, "s1", adminID)
	newSession(t, one, "s2", adminID)
	for i := 0; i < 2; i++ { // the second read comes from the cache
		for _, id := range []string{"s1", "s2"} {
			if _, err := two.LoadSession(request(two), id); err != nil {
				t.Fatalf("read %d of %s: %v", i, id, err)
			}
		}
	}
	if err := one.DeleteSession(ctx, "s1"); err != nil {
		t.Fatal(err)
	}
	if _, err := two.LoadSession(request(two), "s1"); !errors.Is(err, ErrNotFound) {
		t.Fatalf("signed-out session on the other instance: %v, want ErrNotFound", err)
	}
	// "Sign out everywhere" on the other instance too.
	if err := two.DeleteUserSessions(ctx, adminID); err != nil {
		t.Fatal(err)
	}
	if _, err := one.LoadSession(request(one), "s2"); !errors.Is(err, ErrNotFound) {
		t.Fatalf("session after sign-out everywhere: %v, want ErrNotFound", err)
	}
}

// A session's new data (a toast queued, activity) written on one instance is what
// the other reads next.
func TestSessionDataReachesEveryInstance(t *testing.T) {
	t.Parallel()
	one, two := twoInstances(t)
	ctx := context.Background()
	adminID, _ := one.UserIDByAddress(ctx, "admin@contoso.com")
	newSession(t, one, "s1", adminID)
	sess, err := two.LoadSession(request(two), "s1")
	if err != nil {
		t.Fatal(err)
	}
	sess.Data = []byte(`{"flash":["Saved"]}`)
	if err := one.UpdateSession(ctx, sess); err != nil {
		t.Fatal(err)
	}
	got, err := two.LoadSession(request(two), "s1")
	if err != nil {
		t.Fatal(err)
	}
	if string(got.Data) != `{"flash":["Saved"]}` {
		t.Fatalf("session data on the other instance: %s", got.Data)
	}
	// What a caller does with its copy is not what the next request reads.
	got.Data[0] = 'X'
	if again, _ := two.LoadSession(request(two), "s1"); string(again.Data) != `{"flash":["Saved"]}` {
		t.Fatalf("the cached session changed with a caller's copy: %s", again.Data)
	}
}

// Blocking a person or changing their roles on one instance changes the admin the
// other instance sees on its next request.
func TestBlockAndRoleChangeReachEveryInstance(t *testing.T) {
	t.Parallel()
	one, two := twoInstances(t)
	ctx := context.Background()
	actor, err := one.Authenticate(ctx, "admin@contoso.com", testPassword)
	if err != nil {
		t.Fatal(err)
	}
	pattiID, _ := one.UserIDByAddress(ctx, "pattif@contoso.com")
	leeID, _ := one.UserIDByAddress(ctx, "leeg@contoso.com")
	for _, id := range []uint{pattiID, leeID} {
		for i := 0; i < 2; i++ {
			a, err := two.AdminByUserID(request(two), id)
			if err != nil || len(a.Roles) == 0 {
				t.Fatalf("admin %d before: %+v, %v", id, a, err)
			}
			a.Roles = nil // a caller's copy
		}
	}
	if err := one.SetRoles(ctx, actor, pattiID, []Role{RoleGlobalReader}, AnyVersion); err != nil {
		t.Fatal(err)
	}
	if a, err := two.AdminByUserID(request(two), pattiID); err != nil || !slices.Equal(a.Roles, []Role{RoleGlobalReader}) {
		t.Fatalf("roles on the other instance after the change: %+v, %v", a, err)
	}
	if err := one.SetSignInBlocked(ctx, actor, leeID, true, true); err != nil {
		t.Fatal(err)
	}
	if a, err := two.AdminByUserID(request(two), leeID); err != nil || len(a.Roles) != 0 {
		t.Fatalf("a blocked admin on the other instance: %+v, %v", a, err)
	}
	if err := one.DeleteUser(ctx, actor, pattiID); err != nil {
		t.Fatal(err)
	}
	if a, err := two.AdminByUserID(request(two), pattiID); !errors.Is(err, ErrNotFound) {
		t.Fatalf("a deleted admin on the other instance: %+v, %v", a, err)
	}
}

// A request that changes something and then looks again (with the generation it
// read at its start) sees its own change.
func TestOwnChangeSeenInTheSameRequest(t *testing.T) {
	t.Parallel()
	one, _ := twoInstances(t)
	ctx := context.Background()
	actor, err := one.Authenticate(ctx, "admin@contoso.com", testPassword)
	if err != nil {
		t.Fatal(err)
	}
	pattiID, _ := one.UserIDByAddress(ctx, "pattif@contoso.com")
	req := request(one)
	if _, err := one.AdminByUserID(req, pattiID); err != nil {
		t.Fatal(err)
	}
	if err := one.SetRoles(req, actor, pattiID, []Role{RoleHelpdeskAdmin}, AnyVersion); err != nil {
		t.Fatal(err)
	}
	if a, err := one.AdminByUserID(req, pattiID); err != nil || !slices.Equal(a.Roles, []Role{RoleHelpdeskAdmin}) {
		t.Fatalf("roles read again in the request that changed them: %+v, %v", a, err)
	}
}

// Reading sessions and admins leaves the generation alone, so what is cached stays
// usable; writes the cache does not depend on leave it alone too.
func TestReadsKeepTheAuthGeneration(t *testing.T) {
	t.Parallel()
	one, _ := twoInstances(t)
	ctx := context.Background()
	adminID, _ := one.UserIDByAddress(ctx, "admin@contoso.com")
	newSession(t, one, "s1", adminID)
	before, ok := one.authGeneration(ctx)
	if !ok {
		t.Fatal("no auth generation")
	}
	for i := 0; i < 3; i++ {
		if _, err := one.LoadSession(request(one), "s1"); err != nil {
			t.Fatal(err)
		}
		if _, err := one.AdminByUserID(request(one), adminID); err != nil {
			t.Fatal(err)
		}
	}
	if _, ok := one.auth.admin(before, adminID); !ok {
		t.Fatal("the admin is not cached")
	}
	if _, ok := one.auth.session(before, "s1"); !ok {
		t.Fatal("the session is not cached")
	}
	if after, _ := one.authGeneration(ctx); after != before {
		t.Fatalf("auth generation moved from %d to %d on reads", before, after)
	}
}
