package models

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"testing"
)

// searchNames returns the display names a search of Active users finds.
func (f *fixture) searchNames(q string) []string {
	f.t.Helper()
	list, err := f.s.Users(context.Background(), UserQuery{Search: q})
	if err != nil {
		f.t.Fatal(err)
	}
	return names(list.Rows)
}

// termsConsistent checks that every search term names its live person and its
// shared mailbox, and only then.
func (f *fixture) termsConsistent() {
	f.t.Helper()
	var bad int64
	err := f.s.db.Raw(`SELECT COUNT(*) FROM search_terms st LEFT JOIN users u ON u.recipient_id = st.recipient_id AND u.deleted_at IS NULL
		LEFT JOIN mailboxes m ON m.recipient_id = st.recipient_id AND m.type = 'shared' JOIN recipients r ON r.id = st.recipient_id
		WHERE COALESCE(st.user_id, 0) <> COALESCE(u.id, 0) OR COALESCE(st.shared_id, 0) <> COALESCE(m.id, 0)
			OR st.sort_name <> COALESCE(u.sort_name, CASE WHEN m.id IS NOT NULL THEN r.sort_name END, '')`).Scan(&bad).Error
	if err != nil || bad != 0 {
		f.t.Fatalf("%d search terms name the wrong person (%v)", bad, err)
	}
}

func TestSearchFollowsPeopleThroughEveryChange(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	ctx := context.Background()
	f.termsConsistent()
	id, _, err := f.s.CreateUser(ctx, f.admin, NewUser{FirstName: "Zebulon", LastName: "Quartz", DisplayName: "Zebulon Quartz",
		Alias: "zebulon", Domain: "contoso.com", Password: TypedPassword("Quartz-Pass-1234")})
	if err != nil {
		t.Fatal(err)
	}
	f.termsConsistent()
	for _, q := range []string{"zebu", "quar", "zebulon@", "ZEBULON Q"} {
		if got := f.searchNames(q); len(got) != 1 || got[0] != "Zebulon Quartz" {
			t.Fatalf("search %q after create: %v", q, got)
		}
	}
	v, _ := f.s.UserVersion(ctx, id)
	if err := f.s.UpdateContact(ctx, f.admin, id, Contact{FirstName: "Zed", LastName: "Quartz", DisplayName: "Zed Quartz", Version: v}); err != nil {
		t.Fatal(err)
	}
	f.termsConsistent()
	if got := f.searchNames("zed q"); len(got) != 1 || got[0] != "Zed Quartz" {
		t.Fatalf("search after rename: %v", got)
	}
	if got := f.searchNames("zebulon q"); len(got) != 0 {
		t.Fatalf("the old name still finds: %v", got)
	}
	if err := f.s.AddAlias(ctx, f.admin, id, "quasar", "contoso.nl"); err != nil {
		t.Fatal(err)
	}
	f.termsConsistent()
	if got := f.searchNames("quasar@contoso.nl"); len(got) != 1 {
		t.Fatalf("search by new alias: %v", got)
	}
	if err := f.s.DeleteUser(ctx, f.admin, id); err != nil {
		t.Fatal(err)
	}
	f.termsConsistent()
	if got := f.searchNames("quar"); len(got) != 0 {
		t.Fatalf("a deleted person is found: %v", got)
	}
	if err := f.s.RestoreUser(ctx, f.admin, id); err != nil {
		t.Fatal(err)
	}
	f.termsConsistent()
	if got := f.searchNames("quar"); len(got) != 1 {
		t.Fatalf("a restored person is not found: %v", got)
	}
	// Shared mailboxes and groups are not people: a search of Active users skips them.
	if got := f.searchNames("info"); len(got) != 0 {
		t.Fatalf("search 'info' finds the shared mailbox: %v", got)
	}
}

func TestSearchPagesInNameOrder(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	ctx := context.Background()
	// 23 people whose names share a word, some with the same name.
	for i := 0; i < 23; i++ {
		name := fmt.Sprintf("Pager %c", 'W'-rune(i%7))
		if _, _, err := f.s.CreateUser(ctx, f.admin, NewUser{FirstName: "Pager", DisplayName: name,
			Alias: fmt.Sprintf("pager%d", i), Domain: "contoso.com", Password: TypedPassword("Pager-Pass-1234")}); err != nil {
			t.Fatal(err)
		}
	}
	// The first of them in name order matches by 60 addresses too: a page still
	// lists ten different people.
	first, err := f.s.UserIDByAddress(ctx, "pager6@contoso.com")
	if err != nil {
		t.Fatal(err)
	}
	for i := 0; i < 60; i++ {
		if err := f.s.AddAlias(ctx, f.admin, first, fmt.Sprintf("pag-extra%d", i), "contoso.com"); err != nil {
			t.Fatal(err)
		}
	}
	one, err := f.s.Users(ctx, UserQuery{Search: "pag", Page: Page{Size: 100}})
	if err != nil {
		t.Fatal(err)
	}
	all := names(one.Rows)
	var paged []string
	page := Page{Size: 10}
	for {
		list, err := f.s.Users(ctx, UserQuery{Search: "pag", Page: page})
		if err != nil {
			t.Fatal(err)
		}
		paged = append(paged, names(list.Rows)...)
		if list.First != len(paged)-len(list.Rows)+1 {
			t.Fatalf("page starts at %d, want %d", list.First, len(paged)-len(list.Rows)+1)
		}
		// Full pages that more people follow are not counted ("1-10 of more
		// than 10"); the last page is: 23.
		if (list.Next != "") != list.Uncounted || (list.Uncounted && (list.Total != len(paged) || !list.TotalAtLeast)) ||
			(!list.Uncounted && list.Total != 23) {
			t.Fatalf("page %d-%d: total %d, uncounted %v, next %q", list.First, len(paged), list.Total, list.Uncounted, list.Next)
		}
		if list.Next == "" {
			break
		}
		page.After = list.Next
	}
	// A page read backwards has the page it came from after it: not counted either.
	backPage, err := f.s.Users(ctx, UserQuery{Search: "pag", Page: Page{Size: 10, Before: encodeCursor(one.Rows[10].sortName, one.Rows[10].ID)}})
	if err != nil || backPage.First != 1 || !backPage.Uncounted || backPage.Total != 10 || backPage.Next == "" {
		t.Fatalf("backwards: first %d, total %d, uncounted %v: %v", backPage.First, backPage.Total, backPage.Uncounted, err)
	}
	if len(paged) != len(all) || len(all) != 23 || one.Total != 23 {
		t.Fatalf("paged %d people, one page %d of %d", len(paged), len(all), one.Total)
	}
	for i := range all {
		if paged[i] != all[i] || (i > 0 && all[i] < all[i-1]) {
			t.Fatalf("order differs at %d: %v vs %v", i, paged, all)
		}
	}
	// And back from the last page with the Previous links.
	list, err := f.s.Users(ctx, UserQuery{Search: "pag", Page: page})
	if err != nil {
		t.Fatal(err)
	}
	back := names(list.Rows)
	for list.Prev != "" {
		if list, err = f.s.Users(ctx, UserQuery{Search: "pag", Page: Page{Size: 10, Before: list.Prev}}); err != nil {
			t.Fatal(err)
		}
		back = append(names(list.Rows), back...)
	}
	if all[0] != "Pager Q" {
		t.Fatalf("first: %v", all)
	}
	if fmt.Sprint(back) != fmt.Sprint(all) || list.First != 1 {
		t.Fatalf("back: %v (first %d)", back, list.First)
	}
}

func TestTermsLeaveOutWhatALongerTermFinds(t *testing.T) {
	t.Parallel()
	got := termsFor("William Smith-Jones", []string{"William.Smith@contoso.com", "wsj@contoso.nl"})
	want := []string{"jones", "smith", "william smith-jones", "william.smith@contoso.com", "wsj@contoso.nl"}
	if fmt.Sprint(got) != fmt.Sprint(want) {
		t.Fatalf("terms = %q, want %q", got, want)
	}
	// Every prefix of a left-out term still starts a kept one.
	for _, q := range []string{"w", "wil", "william", "william.s", "smi", "jon", "wsj"} {
		if !slices.ContainsFunc(got, func(t string) bool { return strings.HasPrefix(t, q) }) {
			t.Fatalf("%q finds nothing", q)
		}
	}
}

// sharedNames returns the display names a search of Shared mailboxes finds.
func (f *fixture) sharedNames(q string) []string {
	f.t.Helper()
	list, err := f.s.SharedMailboxes(context.Background(), SharedMailboxQuery{Search: q, Page: Page{Size: 100}})
	if err != nil {
		f.t.Fatal(err)
	}
	var out []string
	for _, r := range list.Rows {
		out = append(out, r.DisplayName)
	}
	return out
}

func TestSharedSearchFollowsMailboxesThroughEveryChange(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	ctx := context.Background()
	id, err := f.s.CreateSharedMailbox(ctx, f.admin, "Xylophone Desk", "xylo", "contoso.com")
	if err != nil {
		t.Fatal(err)
	}
	f.termsConsistent()
	// One to three letters read the prefix indexes, longer searches the term index.
	for _, q := range []string{"x", "xy", "xyl", "xylo", "desk", "d", "xylo@contoso"} {
		if got := f.sharedNames(q); !slices.Contains(got, "Xylophone Desk") {
			t.Fatalf("search %q after create: %v", q, got)
		}
	}
	// A person is not a shared mailbox until converted, and not after converting back.
	if got := f.sharedNames("joh"); len(got) != 0 {
		t.Fatalf("a person is found among shared mailboxes: %v", got)
	}
	johanna := f.user("johannal@contoso.com")
	if err := f.s.ConvertToShared(ctx, f.admin, johanna, ConvertOptions{}); err != nil {
		t.Fatal(err)
	}
	f.termsConsistent()
	if got := f.sharedNames("joh"); len(got) != 1 {
		t.Fatalf("the converted mailbox is not found: %v", got)
	}
	if got := f.searchNames("joh"); len(got) != 1 {
		t.Fatalf("the converted mailbox's person is not found among people: %v", got)
	}
	if err := f.s.ConvertToRegular(ctx, f.admin, f.mailbox("johannal@contoso.com").ID); err != nil {
		t.Fatal(err)
	}
	f.termsConsistent()
	if got := f.sharedNames("joh"); len(got) != 0 {
		t.Fatalf("converted back, still found among shared mailboxes: %v", got)
	}
	if err := f.s.DeleteSharedMailbox(ctx, f.admin, id); err != nil {
		t.Fatal(err)
	}
	f.termsConsistent()
	if got := f.sharedNames("xy"); len(got) != 0 {
		t.Fatalf("a deleted shared mailbox is found: %v", got)
	}
}

func TestSharedSearchPagesInNameOrder(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	ctx := context.Background()
	for i := 0; i < 23; i++ {
		name := fmt.Sprintf("Queue %c %d", 'W'-rune(i%7), i)
		if _, err := f.s.CreateSharedMailbox(ctx, f.admin, name, fmt.Sprintf("queue%d", i), "contoso.com"); err != nil {
			t.Fatal(err)
		}
	}
	// The list without a search pages through the same terms' name index.
	for _, q := range []string{"", "q", "qu", "que", "queue"} {
		all := f.sharedNames(q)
		want := 23
		if q == "" {
			want = 23 + 2 // and Info and Reception
		}
		var paged []string
		page := Page{Size: 10}
		for {
			list, err := f.s.SharedMailboxes(ctx, SharedMailboxQuery{Search: q, Page: page})
			if err != nil {
				t.Fatal(err)
			}
			for _, r := range list.Rows {
				paged = append(paged, r.DisplayName)
			}
			// A search's page that more matches follow is not counted: "11-20 of
			// more than 20"; its last page is.
			total := want
			if list.Uncounted {
				total = len(paged)
			}
			if list.First != len(paged)-len(list.Rows)+1 || list.Total != total || list.Uncounted != (q != "" && list.Next != "") ||
				list.Uncounted && !list.TotalAtLeast {
				t.Fatalf("%q: page starts at %d of %d (uncounted %v), want %d of %d", q, list.First, list.Total, list.Uncounted, len(paged)-len(list.Rows)+1, total)
			}
			if list.Next == "" {
				break
			}
			page.After = list.Next
		}
		if len(all) != want || fmt.Sprint(paged) != fmt.Sprint(all) || !slices.IsSortedFunc(all, func(a, b string) int {
			return strings.Compare(sortName(a), sortName(b))
		}) {
			t.Fatalf("%q: paged %v, one page %v", q, paged, all)
		}
	}
}

// TestSearchPagesPastAnOwnerWithManyTerms: a person or shared mailbox that matches
// a search by many terms (aliases) is one row, and the pages around it neither
// repeat nor skip anyone, in either direction.
func TestSearchPagesPastAnOwnerWithManyTerms(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	ctx := context.Background()
	var boxes []uint
	for i := 0; i < 5; i++ {
		id, err := f.s.CreateSharedMailbox(ctx, f.admin, fmt.Sprintf("Zulu %c", 'A'+i), fmt.Sprintf("zulu%d", i), "contoso.com")
		if err != nil {
			t.Fatal(err)
		}
		boxes = append(boxes, id)
	}
	for i := 0; i < 12; i++ {
		if err := f.s.AddSharedAlias(ctx, f.admin, boxes[1], fmt.Sprintf("zulu-b-%d", i), "contoso.com"); err != nil {
			t.Fatal(err)
		}
		if err := f.s.AddAlias(ctx, f.admin, f.user("alexw@contoso.com"), fmt.Sprintf("zulu-alex-%d", i), "contoso.com"); err != nil {
			t.Fatal(err)
		}
	}
	want := []string{"Zulu A", "Zulu B", "Zulu C", "Zulu D", "Zulu E"}
	for _, q := range []string{"z", "zu", "zul", "zulu"} {
		var fwd []string
		page := Page{Size: 2}
		for {
			list, err := f.s.SharedMailboxes(ctx, SharedMailboxQuery{Search: q, Page: page})
			if err != nil {
				t.Fatal(err)
			}
			for _, r := range list.Rows {
				fwd = append(fwd, r.DisplayName)
			}
			if list.Next == "" {
				// And back from the last page.
				var back []string
				prev := list.Prev
				for prev != "" {
					l, err := f.s.SharedMailboxes(ctx, SharedMailboxQuery{Search: q, Page: Page{Size: 2, Before: prev}})
					if err != nil {
						t.Fatal(err)
					}
					back = append(sharedRowNames(l.Rows), back...)
					prev = l.Prev
				}
				if got := append(back, sharedRowNames(list.Rows)...); fmt.Sprint(got) != fmt.Sprint(want) {
					t.Errorf("%q backwards: %v", q, got)
				}
				break
			}
			page.After = list.Next
		}
		if fmt.Sprint(fwd) != fmt.Sprint(want) {
			t.Errorf("%q: %v, want %v", q, fwd, want)
		}
		if got := f.searchNames(q); fmt.Sprint(got) != "[Alex Wilber]" {
			t.Errorf("people %q: %v", q, got)
		}
	}
}

func sharedRowNames(rows []SharedMailboxRow) []string {
	var out []string
	for _, r := range rows {
		out = append(out, r.DisplayName)
	}
	return out
}
