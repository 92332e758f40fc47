package models

import (
	"context"
	"errors"
	"slices"
	"testing"
)

func TestBulkIsOneTransaction(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	ctx := context.Background()
	alex, admin := f.user("alexw@contoso.com"), f.user("admin@contoso.com")
	t.Run("a refused person changes nobody", func(t *testing.T) {
		f := f.on(t)
		before, _ := f.s.Fingerprint(ctx)
		_, err := f.s.Bulk(ctx, f.admin, BulkRequest{Action: BulkBlock, UserIDs: []uint{alex, admin}})
		if fieldKey(err, "") != "roles.error.last_global_block" {
			t.Fatalf("block with the last Global administrator: %v", err)
		}
		if after, _ := f.s.Fingerprint(ctx); after != before {
			t.Fatal("Alex was blocked although the bulk change was refused")
		}
	})
	t.Run("seats are counted inside the transaction", func(t *testing.T) {
		f := f.on(t)
		p1 := f.license("EXCHANGESTANDARD") // 5 seats
		var six []uint
		for _, addr := range []string{"adelev", "alexw", "diegos", "gradya", "isaiahl", "jonis"} {
			six = append(six, f.user(addr+"@contoso.com"))
		}
		_, err := f.s.Bulk(ctx, f.admin, BulkRequest{Action: BulkAssignLicense, UserIDs: six, LicenseID: p1.ID})
		if fieldKey(err, "licenses") != "lic.error.no_seats" {
			t.Fatalf("six people, five seats: %v", err)
		}
		if f.license("EXCHANGESTANDARD").Assigned != 0 {
			t.Fatal("part of the selection got the license")
		}
	})
	t.Run("the result says who changed and who had nothing to change", func(t *testing.T) {
		f := f.on(t)
		std := f.license("O365_BUSINESS_PREMIUM")
		res, err := f.s.Bulk(ctx, f.admin, BulkRequest{Action: BulkAssignLicense, LicenseID: std.ID,
			UserIDs: []uint{f.user("gradya@contoso.com"), alex, f.user("lynner@contoso.com")}})
		if err != nil {
			t.Fatal(err)
		}
		if !slices.Equal(res.Changed, []string{"Grady Archie", "Lynne Robbins"}) || !slices.Equal(res.Unchanged, []string{"Alex Wilber"}) {
			t.Fatalf("result = %+v", res)
		}
	})
	t.Run("rights are checked for every person", func(t *testing.T) {
		f := f.on(t)
		helpdesk, _ := f.s.Authenticate(ctx, "leeg@contoso.com", testPassword)
		if _, err := f.s.Bulk(ctx, helpdesk, BulkRequest{Action: BulkBlock, UserIDs: []uint{alex, f.user("pattif@contoso.com")}}); !errors.Is(err, ErrForbidden) {
			t.Fatalf("helpdesk blocks an admin in bulk: %v", err)
		}
		if _, err := f.s.PlanBulk(ctx, helpdesk, BulkRequest{Action: BulkDelete, UserIDs: []uint{alex}}); !errors.Is(err, ErrForbidden) {
			t.Fatalf("helpdesk plans a bulk delete: %v", err)
		}
		if _, err := f.s.PlanBulk(ctx, f.admin, BulkRequest{Action: BulkDelete, UserIDs: []uint{alex, admin}}); fieldKey(err, "") != "user.error.delete_self" {
			t.Fatalf("delete yourself in bulk: %v", err)
		}
		if _, err := f.s.PlanBulk(ctx, f.admin, BulkRequest{Action: BulkAssignLicense, UserIDs: []uint{alex}, LicenseID: 4242}); !errors.Is(err, ErrUnknownLicense) {
			t.Fatalf("unknown license: %v", err)
		}
	})
}

func TestBulkActionsAndWhoMayUseThem(t *testing.T) {
	t.Parallel()
	for _, s := range []string{"block", "unblock", "assign", "unassign", "delete"} {
		if _, ok := ParseBulkAction(s); !ok {
			t.Errorf("%s is not a bulk action", s)
		}
	}
	if _, ok := ParseBulkAction("explode"); ok {
		t.Error("explode is a bulk action")
	}
	for role, want := range map[Role]bool{RoleGlobalAdmin: true, RoleUserAdmin: true, RoleHelpdeskAdmin: true,
		RoleExchangeAdmin: false, RoleExchangeRecipientAdmin: false, RoleGlobalReader: false} {
		if got := CanUseBulkActions(&Admin{Roles: []Role{role}}); got != want {
			t.Errorf("%s may use bulk actions: %v", role, got)
		}
	}
}
