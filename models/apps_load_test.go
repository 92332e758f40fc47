package models

import (
	"context"
	"reflect"
	"testing"
)

// TestAppByClientIDReadsEveryField checks the app a token names is read as GORM
// reads the row, field for field: new, used (last use set) and revoked.
func TestAppByClientIDReadsEveryField(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	ctx := context.Background()
	fresh := f.newApp("fresh", RoleGlobalReader)
	used := f.newApp("used", RoleGlobalReader)
	if _, _, err := f.s.IssueToken(ctx, used.ClientID, used.Secret, AudienceGraph); err != nil {
		t.Fatal(err)
	}
	revoked := f.newApp("revoked", RoleGlobalReader)
	if err := f.s.RevokeApp(ctx, f.admin, revoked.ID); err != nil {
		t.Fatal(err)
	}
	for _, clientID := range []string{fresh.ClientID, used.ClientID, revoked.ClientID} {
		got, err := f.s.appByClientID(ctx, clientID)
		if err != nil {
			t.Fatal(err)
		}
		var want App
		if err := f.s.db.Where("client_id = ?", clientID).Take(&want).Error; err != nil {
			t.Fatal(err)
		}
		if !reflect.DeepEqual(*got, want) {
			t.Errorf("read as\n%+v\nGORM reads\n%+v", *got, want)
		}
	}
	if got, _ := f.s.appByClientID(ctx, used.ClientID); got.LastUsedAt == nil {
		t.Error("a used app without its last use")
	}
	if got, _ := f.s.appByClientID(ctx, revoked.ClientID); got.RevokedAt == nil || got.RevokedBy == "" {
		t.Errorf("a revoked app read as %+v", got)
	}
	if _, err := f.s.appByClientID(ctx, "6f1c3a2e-0000-4000-8000-000000000000"); err != ErrAppNotFound {
		t.Errorf("an unknown app: %v", err)
	}
}
