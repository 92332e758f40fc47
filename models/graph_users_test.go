package models

import (
	"context"
	"reflect"
	"slices"
	"testing"
	"time"
)

// TestGraphUsersPagesMatchEachPerson walks the whole list a page at a time, in
// each order and page size (a page boundary inside a person's licence rows
// included): every live person comes once, in order, with the details GraphUser
// reads for them alone, and a page says more follow exactly when they do.
func TestGraphUsersPagesMatchEachPerson(t *testing.T) {
	t.Parallel()
	f, adele := licensedAdele(t)
	ctx := context.Background()
	all, more, err := f.s.GraphUsers(ctx, GraphUserQuery{Limit: 999})
	if err != nil || more || len(all) < 5 {
		t.Fatalf("everyone: %d people, more %v, %v", len(all), more, err)
	}
	for _, q := range []GraphUserQuery{{}, {Desc: true}, {ByUPN: true}, {ByUPN: true, Desc: true}} {
		var walk []GraphUser
		for _, size := range []int{1, 2, 3, len(all) - 1, len(all), len(all) + 1} {
			walk = walk[:0]
			q := q
			q.Limit, q.AfterKey, q.AfterID = size, "", 0
			for {
				page, more, err := f.s.GraphUsers(ctx, q)
				if err != nil {
					t.Fatal(err)
				}
				if len(page) > size || (more && len(page) != size) {
					t.Fatalf("%+v: a page of %d, more %v", q, len(page), more)
				}
				walk = append(walk, page...)
				if !more {
					break
				}
				last := page[len(page)-1]
				q.AfterKey, q.AfterID = last.SortKey, last.UserID
			}
			if q.ByUPN {
				continue // the people with a user principal name only
			}
			if len(walk) != len(all) {
				t.Fatalf("%+v: walked %d people, want %d", q, len(walk), len(all))
			}
		}
		seen := map[uint]bool{}
		for i, u := range walk {
			if seen[u.UserID] {
				t.Fatalf("%+v: %d listed twice", q, u.UserID)
			}
			seen[u.UserID] = true
			alone, err := f.s.GraphUser(ctx, u.ID())
			if err != nil {
				t.Fatal(err)
			}
			alone.SortKey = u.SortKey
			if !reflect.DeepEqual(u.SKUs, alone.SKUs) && (len(u.SKUs) > 0 || len(alone.SKUs) > 0) {
				t.Errorf("%d: licences %q, alone %q", u.UserID, u.SKUs, alone.SKUs)
			}
			u.SKUs, alone.SKUs = nil, nil
			if !u.CreatedAt.Equal(alone.CreatedAt) {
				t.Errorf("%d: created %v, alone %v", u.UserID, u.CreatedAt, alone.CreatedAt)
			}
			u.CreatedAt = alone.CreatedAt
			if !reflect.DeepEqual(u, *alone) {
				t.Errorf("%d listed as %+v, alone %+v", u.UserID, u, *alone)
			}
			if i > 0 {
				prev := walk[i-1]
				after := prev.SortKey < u.SortKey || (prev.SortKey == u.SortKey && prev.UserID < u.UserID)
				if after == q.Desc {
					t.Errorf("%+v: %q (%d) listed after %q (%d)", q, u.SortKey, u.UserID, prev.SortKey, prev.UserID)
				}
			}
		}
	}
	if got := len(all); got == 0 {
		t.Fatal("nobody")
	}
	for _, u := range all {
		if u.UserID == adele && len(u.SKUs) < 3 {
			t.Errorf("Adele's licences: %q", u.SKUs)
		}
	}
}

// A page without the licences (one row per person, another statement) lists the
// same people with the same details, and the same "more", as the page with them.
func TestGraphUsersWithoutLicensesMatchThePageWithThem(t *testing.T) {
	t.Parallel()
	f, _ := licensedAdele(t)
	ctx := context.Background()
	all, _, err := f.s.GraphUsers(ctx, GraphUserQuery{Limit: 999})
	if err != nil || len(all) < 5 {
		t.Fatalf("everyone: %d people, %v", len(all), err)
	}
	mailA := &UserCond{Op: OpStartsWith, Field: FieldMail, Values: []any{"a"}}
	enabled := &UserCond{Op: OpEq, Field: FieldEnabled, Values: []any{true}}
	for _, q := range []GraphUserQuery{{}, {Desc: true}, {ByUPN: true}, {ByUPN: true, Desc: true},
		{Where: mailA}, {Where: enabled, Desc: true}, {Search: "a"}, {Search: "a", ByUPN: true}} {
		for _, size := range []int{1, 2, 3, len(all) - 1, len(all), len(all) + 1} {
			q := q
			q.Limit, q.AfterKey, q.AfterID = size, "", 0
			for pages := 0; ; pages++ {
				with, more, err := f.s.GraphUsers(ctx, q)
				if err != nil {
					t.Fatal(err)
				}
				bare := q
				bare.WithoutLicenses = true
				without, moreWithout, err := f.s.GraphUsers(ctx, bare)
				if err != nil {
					t.Fatal(err)
				}
				for i := range with {
					with[i].SKUs = nil
				}
				if more != moreWithout || !reflect.DeepEqual(with, without) {
					t.Fatalf("%+v: with licences (more %v) %+v\nwithout (more %v) %+v", q, more, with, moreWithout, without)
				}
				if !more {
					break
				}
				last := with[len(with)-1]
				q.AfterKey, q.AfterID = last.SortKey, last.UserID
			}
		}
	}
}

// licensedAdele is a tenant where Adele has three licences, assigned out of order.
func licensedAdele(t *testing.T) (*fixture, uint) {
	t.Helper()
	f := newFixture(t)
	adele := f.user("adelev@contoso.com")
	add := []uint{f.license("POWER_BI_STANDARD").ID, f.license("EXCHANGESTANDARD").ID, f.license("EXCHANGEENTERPRISE").ID}
	if err := f.s.AssignLicenses(context.Background(), f.admin, adele, add, nil); err != nil {
		t.Fatal(err)
	}
	return f, adele
}

// TestGraphUsersLeaveOutDetails checks that a page read without some details is
// the full page with just those details empty, on both statements (with and
// without licences), for every detail alone and for the set the default Graph
// response leaves out.
func TestGraphUsersLeaveOutDetails(t *testing.T) {
	t.Parallel()
	f, _ := licensedAdele(t)
	ctx := context.Background()
	if err := f.s.db.Exec("UPDATE users SET usage_location = 'NL'").Error; err != nil {
		t.Fatal(err)
	}
	var sets []GraphUserDetails
	for _, d := range graphUserDetails {
		sets = append(sets, d.detail)
	}
	every := DetailDisplayName | DetailGivenName | DetailSurname | DetailJobTitle | DetailDepartment | DetailMail |
		DetailAlias | DetailUsageLocation | DetailAccountEnabled | DetailCreatedAt
	sets = append(sets, DetailDepartment|DetailAlias|DetailUsageLocation|DetailAccountEnabled|DetailCreatedAt, every)
	for _, withoutLicenses := range []bool{false, true} {
		for _, q := range []GraphUserQuery{{Limit: 999}, {Limit: 2, ByUPN: true, Desc: true}, {Limit: 3, Search: "a"}} {
			q.WithoutLicenses = withoutLicenses
			full, more, err := f.s.GraphUsers(ctx, q)
			if err != nil || len(full) == 0 {
				t.Fatalf("%+v: %d people, %v", q, len(full), err)
			}
			if !slices.ContainsFunc(full, func(u GraphUser) bool {
				return u.DisplayName != "" && u.GivenName != "" && u.Surname != "" && u.JobTitle != "" && u.Department != "" &&
					u.Mail != "" && u.Alias != "" && u.UsageLocation != "" && u.AccountEnabled && !u.CreatedAt.IsZero()
			}) {
				t.Fatalf("%+v: no one on the full page has every detail: %+v", q, full)
			}
			for _, leave := range sets {
				lq := q
				lq.LeaveOut = leave
				got, gotMore, err := f.s.GraphUsers(ctx, lq)
				if err != nil {
					t.Fatal(err)
				}
				want := slices.Clone(full)
				for i := range want {
					want[i] = withoutDetails(want[i], leave)
				}
				if gotMore != more || !reflect.DeepEqual(got, want) {
					t.Fatalf("%+v leaving out %b: got (more %v) %+v\nwant (more %v) %+v", q, leave, gotMore, got, more, want)
				}
			}
		}
	}
}

// withoutDetails is u with the details empty.
func withoutDetails(u GraphUser, leave GraphUserDetails) GraphUser {
	for d, clear := range map[GraphUserDetails]func(){
		DetailDisplayName: func() { u.DisplayName = "" }, DetailGivenName: func() { u.GivenName = "" },
		DetailSurname: func() { u.Surname = "" }, DetailJobTitle: func() { u.JobTitle = "" },
		DetailDepartment: func() { u.Department = "" }, DetailMail: func() { u.Mail = "" },
		DetailAlias: func() { u.Alias = "" }, DetailUsageLocation: func() { u.UsageLocation = "" },
		DetailAccountEnabled: func() { u.AccountEnabled = false }, DetailCreatedAt: func() { u.CreatedAt = time.Time{} },
	} {
		if leave&d != 0 {
			clear()
		}
	}
	return u
}
