package models

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"testing"
)

func TestUsersSearchAndFilters(t *testing.T) {
	t.Parallel()
	s := newDemoStore(t)
	ctx := context.Background()
	for _, tc := range []struct {
		search string
		filter UserFilter
		want   []string
	}{
		{"wil", FilterAll, []string{"Alex Wilber", "Nestor Wilke"}},
		{"WIL", FilterAll, []string{"Alex Wilber", "Nestor Wilke"}},
		{"vries", FilterAll, []string{"Ger de Vries"}},
		{"flip@contoso.nl", FilterAll, []string{"Flip Schoonen"}},
		{"adele.vance", FilterAll, []string{"Adele Vance"}},
		{"lynner@", FilterAll, []string{"Lynne Robbins"}},
		{"", FilterBlocked, nil},
		{"gr", FilterUnlicensed, []string{"Grady Archie"}},
		{"gr", FilterLicensed, []string{"Miriam Graham"}},
		{"%", FilterAll, nil},
		{"_", FilterAll, nil},
		{"' OR 1=1 --", FilterAll, nil},
		{"<script>", FilterAll, nil},
		{"\xff\xfe", FilterAll, names(mustUsers(t, s, UserQuery{Page: Page{Size: 100}}).Rows)},
	} {
		list, err := s.Users(ctx, UserQuery{Search: tc.search, Filter: tc.filter, Page: Page{Size: 100}})
		if err != nil {
			t.Fatalf("search %q: %v", tc.search, err)
		}
		if got := names(list.Rows); !slices.Equal(got, tc.want) {
			t.Errorf("search %q filter %s = %v, want %v", tc.search, tc.filter, got, tc.want)
		}
		if list.Total != len(tc.want) {
			t.Errorf("search %q total = %d, want %d", tc.search, list.Total, len(tc.want))
		}
	}
}

func TestUsersKeysetPaging(t *testing.T) {
	t.Parallel()
	s := newDemoStore(t)
	all := names(mustUsers(t, s, UserQuery{Page: Page{Size: 100}}).Rows)
	if len(all) != 18 || !slices.IsSorted(lower(all)) {
		t.Fatalf("all users = %v", all)
	}
	for _, desc := range []bool{false, true} {
		want := slices.Clone(all)
		if desc {
			slices.Reverse(want)
		}
		p1 := mustUsers(t, s, UserQuery{Page: Page{Size: 10, Desc: desc}})
		if p1.First != 1 || p1.Prev != "" || p1.Next == "" || !slices.Equal(names(p1.Rows), want[:10]) {
			t.Fatalf("desc=%v page 1 = %v first=%d prev=%q", desc, names(p1.Rows), p1.First, p1.Prev)
		}
		p2 := mustUsers(t, s, UserQuery{Page: Page{Size: 10, Desc: desc, After: p1.Next}})
		if p2.First != 11 || p2.Next != "" || p2.Prev == "" || !slices.Equal(names(p2.Rows), want[10:]) {
			t.Fatalf("desc=%v page 2 = %v first=%d next=%q", desc, names(p2.Rows), p2.First, p2.Next)
		}
		back := mustUsers(t, s, UserQuery{Page: Page{Size: 10, Desc: desc, Before: p2.Prev}})
		if !slices.Equal(names(back.Rows), want[:10]) || back.First != 1 {
			t.Fatalf("desc=%v back to page 1 = %v", desc, names(back.Rows))
		}
	}
	// A mangled cursor shows the first page instead of failing.
	bad := mustUsers(t, s, UserQuery{Page: Page{Size: 10, After: "not-a-cursor!"}})
	if bad.First != 1 || len(bad.Rows) != 10 {
		t.Fatalf("bad cursor: first=%d rows=%d", bad.First, len(bad.Rows))
	}
}

func TestUserDetail(t *testing.T) {
	t.Parallel()
	s := newDemoStore(t)
	ctx := context.Background()
	id, err := s.UserIDByAddress(ctx, "ADELEV@contoso.com")
	if err != nil {
		t.Fatal(err)
	}
	u, err := s.User(ctx, id)
	if err != nil {
		t.Fatal(err)
	}
	if u.Username != "adelev@contoso.com" || !slices.Equal(u.Aliases, []string{"adele.vance@contoso.com"}) {
		t.Fatalf("addresses: %q %v", u.Username, u.Aliases)
	}
	if !u.HasMailboxLicense() || u.Mailbox == nil || u.Mailbox.Type != MailboxUser || u.Mailbox.QuotaBytes != 50*GB {
		t.Fatalf("mailbox: %+v", u.Mailbox)
	}
	if p := u.Mailbox.StoragePercent(); p != 25 {
		t.Fatalf("storage percent = %d", p)
	}
	if _, err := s.User(ctx, 99999); !errors.Is(err, ErrNotFound) {
		t.Fatalf("missing user: %v", err)
	}
	patti, _ := s.UserIDByAddress(ctx, "pattif@contoso.com")
	pu, _ := s.User(ctx, patti)
	if !slices.Equal(pu.Roles, []Role{RoleExchangeAdmin}) {
		t.Fatalf("patti roles = %v", pu.Roles)
	}
}

func TestEachUserReadsTheWholeListInBatches(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	ctx := context.Background()
	if err := f.s.SeedScale(ctx, ScaleOptions{Users: 2*exportBatch + 7, Seed: 3}); err != nil {
		t.Fatal(err)
	}
	for _, q := range []UserQuery{{}, {Filter: FilterUnlicensed}, {Search: "an"}} {
		var got []string
		if err := f.s.EachUser(ctx, q, func(r UserRow) error { got = append(got, r.DisplayName+" "+r.Username); return nil }); err != nil {
			t.Fatal(err)
		}
		var want []string
		q.Page = Page{Size: 100}
		for {
			list := mustUsers(t, f.s, q)
			for _, r := range list.Rows {
				want = append(want, r.DisplayName+" "+r.Username)
			}
			if list.Next == "" {
				break
			}
			q.Page.After = list.Next
		}
		if !slices.Equal(got, want) || len(want) == 0 {
			t.Errorf("%+v: EachUser gave %d people, the list pages %d", q, len(got), len(want))
		}
	}
	stop := errors.New("stop")
	n := 0
	if err := f.s.EachUser(ctx, UserQuery{}, func(UserRow) error { n++; return stop }); !errors.Is(err, stop) || n != 1 {
		t.Fatalf("an error from fn ends the export: %v after %d", err, n)
	}
}

// TestUsersSearchRowsAsTheList: a search's rows, completed in one query from the
// terms' keys, say what the list's rows say (name, username, blocked, licenses,
// storage) in the same order, on either database; a deleted person is in neither.
func TestUsersSearchRowsAsTheList(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	ctx := context.Background()
	if err := f.s.SetSignInBlocked(ctx, f.admin, f.user("alexw@contoso.com"), true, true); err != nil {
		t.Fatal(err)
	}
	if err := f.s.DeleteUser(ctx, f.admin, f.user("gradya@contoso.com")); err != nil {
		t.Fatal(err)
	}
	all := mustUsers(t, f.s, UserQuery{Page: Page{Size: 100}}).Rows
	for _, q := range []string{"a", "al", "gr", "alexw@contoso.com", "grady"} {
		var want []UserRow
		for _, r := range all {
			for _, term := range termsFor(r.DisplayName, []string{r.Username}) {
				if strings.HasPrefix(term, q) {
					want = append(want, r)
					break
				}
			}
		}
		got := mustUsers(t, f.s, UserQuery{Search: q, Page: Page{Size: 100}}).Rows
		if fmt.Sprintf("%+v", got) != fmt.Sprintf("%+v", want) {
			t.Errorf("search %q:\n got %+v\nwant %+v", q, got, want)
		}
		if q == "alexw@contoso.com" && (len(got) != 1 || !got[0].SignInBlocked) {
			t.Errorf("search %q: %+v, want Alex blocked", q, got)
		}
	}
}
