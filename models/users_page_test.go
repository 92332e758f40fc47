package models

import (
	"context"
	"slices"
	"testing"
)

// Every page of Active users is read in one statement (peoplePage): each row must
// carry what UsersByID reads for the same person, a person's licences come sorted
// whichever products they are, and a person no longer live whose search terms
// still name them (another instance's delete, not yet relinked) is left out.
func TestUsersPageRowsCarryTheirPeople(t *testing.T) {
	t.Parallel()
	s := newDemoStore(t)
	ctx := context.Background()
	all := mustUsers(t, s, UserQuery{Page: Page{Size: 100}}).Rows
	// Give the first person every product, added in reverse name order, so the
	// page's statement returns several rows for them.
	var products []LicenseProduct
	if err := s.db.Order("name DESC").Find(&products).Error; err != nil || len(products) < 2 {
		t.Fatalf("products: %v %v", products, err)
	}
	if err := s.db.Exec(`DELETE FROM user_licenses WHERE user_id = ?`, all[0].ID).Error; err != nil {
		t.Fatal(err)
	}
	var wantLicenses []string
	for _, p := range products {
		if err := s.db.Exec(`INSERT INTO user_licenses (user_id, license_product_id) VALUES (?, ?)`, all[0].ID, p.ID).Error; err != nil {
			t.Fatal(err)
		}
		wantLicenses = append(wantLicenses, p.Name)
	}
	slices.Sort(wantLicenses)

	check := func(what string, rows []UserRow) {
		t.Helper()
		ids := make([]uint, len(rows))
		for i, r := range rows {
			ids[i] = r.ID
		}
		want, err := s.UsersByID(ctx, ids)
		if err != nil {
			t.Fatal(err)
		}
		byID := map[uint]UserRow{}
		for _, r := range want {
			byID[r.ID] = r
		}
		for _, r := range rows {
			w, ok := byID[r.ID]
			if !ok || r.DisplayName != w.DisplayName || r.Username != w.Username || r.SignInBlocked != w.SignInBlocked ||
				r.Storage != w.Storage || !slices.Equal(r.Licenses, w.Licenses) || r.sortName != w.sortName {
				t.Errorf("%s: row %+v, want %+v", what, r, w)
			}
		}
	}
	for _, desc := range []bool{false, true} {
		q := UserQuery{Page: Page{Size: 5, Desc: desc}}
		var seen []UserRow
		for {
			list := mustUsers(t, s, q)
			check("list", list.Rows)
			seen = append(seen, list.Rows...)
			if list.Next == "" {
				break
			}
			back := mustUsers(t, s, UserQuery{Page: Page{Size: 5, Desc: desc, Before: list.Next}})
			check("list backwards", back.Rows)
			q.Page.After = list.Next
		}
		if len(seen) != len(all) {
			t.Fatalf("desc=%v: paged through %d people, want %d", desc, len(seen), len(all))
		}
	}
	first := mustUsers(t, s, UserQuery{Page: Page{Size: 1}}).Rows[0]
	if !slices.Equal(first.Licenses, wantLicenses) {
		t.Errorf("licences of %s = %v, want %v sorted", first.DisplayName, first.Licenses, wantLicenses)
	}
	found := mustUsers(t, s, UserQuery{Search: first.DisplayName, Page: Page{Size: 10}})
	check("search", found.Rows)
	if len(found.Rows) == 0 || found.Rows[0].ID != first.ID || !slices.Equal(found.Rows[0].Licenses, wantLicenses) {
		t.Fatalf("search %q = %+v", first.DisplayName, found.Rows)
	}
	// Deleted behind the terms' back: their terms still carry the user id.
	if err := s.db.Exec(`UPDATE users SET deleted_at = ? WHERE id = ?`, s.Now(), first.ID).Error; err != nil {
		t.Fatal(err)
	}
	for _, r := range mustUsers(t, s, UserQuery{Search: first.DisplayName, Page: Page{Size: 10}}).Rows {
		if r.ID == first.ID {
			t.Errorf("search %q lists %d, who is no longer live", first.DisplayName, first.ID)
		}
	}
}

// A page of shared mailboxes, read in one statement (sharedPageRows), leaves out a
// mailbox that is no longer shared even when its terms still say so, and keeps the
// terms' order both ways.
func TestSharedPageLeavesOutWhatIsNoLongerShared(t *testing.T) {
	t.Parallel()
	s := newDemoStore(t)
	ctx := context.Background()
	list, err := s.SharedMailboxes(ctx, SharedMailboxQuery{Page: Page{Size: 100}})
	if err != nil || len(list.Rows) < 2 {
		t.Fatalf("shared mailboxes: %+v %v", list, err)
	}
	desc, err := s.SharedMailboxes(ctx, SharedMailboxQuery{Page: Page{Size: 100, Desc: true}})
	if err != nil {
		t.Fatal(err)
	}
	rev := slices.Clone(desc.Rows)
	slices.Reverse(rev)
	if !slices.EqualFunc(list.Rows, rev, func(a, b SharedMailboxRow) bool { return a.ID == b.ID && a.Address == b.Address }) {
		t.Fatalf("descending is not ascending reversed: %+v / %+v", list.Rows, desc.Rows)
	}
	gone := list.Rows[0]
	if err := s.db.Exec(`UPDATE mailboxes SET type = ? WHERE id = ?`, MailboxUser, gone.ID).Error; err != nil {
		t.Fatal(err)
	}
	s.sharedCount.forget()
	after, err := s.SharedMailboxes(ctx, SharedMailboxQuery{Page: Page{Size: 100}})
	if err != nil {
		t.Fatal(err)
	}
	if len(after.Rows) != len(list.Rows)-1 || after.Rows[0].ID != list.Rows[1].ID {
		t.Errorf("after %d stopped being shared: %+v", gone.ID, after.Rows)
	}
}
