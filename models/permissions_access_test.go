package models

import (
	"context"
	"fmt"
	"reflect"
	"strings"
	"testing"
	"time"
)

// TestGroupsAndAccessOfAsApart checks that the Mail tab's one expansion of a
// person's groups gives what GroupsOf and AccessibleMailboxes give on their own,
// for every recipient, with nested groups (a diamond, and a chain deeper than
// GroupsOf follows), grants to groups, pending grants, removals still
// propagating and ones done, a deleted and a blocked holder's mailbox.
func TestGroupsAndAccessOfAsApart(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	ctx := context.Background()
	mailTabStates(t, f)
	db := f.s.db
	now := f.s.Now()
	newGroup := func(name string) Group {
		t.Helper()
		r := Recipient{Kind: KindGroup, DisplayName: name, SortName: name,
			Addresses: []EmailAddress{{Address: name + "@contoso.com", Normalized: name + "@contoso.com", IsPrimary: true}}}
		if err := db.Create(&r).Error; err != nil {
			t.Fatal(err)
		}
		g := Group{RecipientID: r.ID, Type: GroupMailSecurity}
		if err := db.Create(&g).Error; err != nil {
			t.Fatal(err)
		}
		return g
	}
	member := func(g Group, rid uint) {
		t.Helper()
		if err := db.Create(&GroupMember{GroupID: g.ID, MemberID: rid}).Error; err != nil {
			t.Fatal(err)
		}
	}
	grant := func(mailbox string, trustee uint, right Right, effective time.Time, revoke *time.Time) {
		t.Helper()
		p := MailboxPermission{MailboxID: f.mailbox(mailbox).ID, TrusteeID: trustee, Right: right,
			GrantedAt: now.Add(-time.Hour), EffectiveAt: effective, RevokeEffectiveAt: revoke}
		if err := db.Create(&p).Error; err != nil {
			t.Fatal(err)
		}
	}
	later, earlier := now.Add(time.Hour), now.Add(-time.Minute)

	// A diamond: Grady is in Design and Print, both in Studio.
	grady := f.recipient("gradya@contoso.com")
	studio, design, print := newGroup("studio"), newGroup("design"), newGroup("print")
	member(design, grady)
	member(print, grady)
	member(studio, design.RecipientID)
	member(studio, print.RecipientID)
	grant("info@contoso.com", studio.RecipientID, RightFullAccess, earlier, nil)
	grant("info@contoso.com", grady, RightSendAs, later, nil)                     // pending
	grant("meganb@contoso.com", design.RecipientID, RightSendAs, earlier, &later) // removal propagating
	grant("meganb@contoso.com", print.RecipientID, RightFullAccess, earlier, &earlier)
	// A chain deeper than GroupsOf follows, with a grant at its top.
	var chain []Group
	for i := range maxNesting + 3 {
		g := newGroup(fmt.Sprintf("chain%02d", i))
		if i == 0 {
			member(g, f.recipient("pradeepg@contoso.com"))
		} else {
			member(g, chain[i-1].RecipientID)
		}
		chain = append(chain, g)
	}
	grant("diegos@contoso.com", chain[len(chain)-1].RecipientID, RightFullAccess, earlier, nil)
	grant("diegos@contoso.com", chain[3].RecipientID, RightSendAs, earlier, nil)
	member(chain[5], f.recipient("nestorw@contoso.com"))
	// The mailboxes of a deleted and of a blocked person.
	grant("alexw@contoso.com", grady, RightFullAccess, earlier, nil)
	grant("isaiahl@contoso.com", grady, RightFullAccess, earlier, nil)
	if err := f.s.DeleteUser(ctx, f.admin, f.user("alexw@contoso.com")); err != nil {
		t.Fatal(err)
	}
	if err := f.s.SetSignInBlocked(ctx, f.admin, f.user("isaiahl@contoso.com"), true, true); err != nil {
		t.Fatal(err)
	}

	var rids []uint
	if err := db.Raw(`SELECT id FROM recipients ORDER BY id`).Scan(&rids).Error; err != nil {
		t.Fatal(err)
	}
	seen := map[string]bool{}
	for _, rid := range rids {
		wantGroups, err := f.s.GroupsOf(ctx, rid)
		if err != nil {
			t.Fatal(err)
		}
		wantAccess, err := f.s.AccessibleMailboxes(ctx, rid)
		if err != nil {
			t.Fatal(err)
		}
		groups, access, err := f.s.GroupsAndAccessOf(ctx, rid)
		if err != nil {
			t.Fatal(err)
		}
		if !reflect.DeepEqual(groups, wantGroups) {
			t.Errorf("recipient %d: groups %+v, want %+v", rid, groups, wantGroups)
		}
		if !reflect.DeepEqual(access, wantAccess) {
			t.Errorf("recipient %d: access %+v, want %+v", rid, access, wantAccess)
		}
		for _, a := range access {
			seen[fmt.Sprint(a.ViaID != 0, a.Pending(now), a.RevokeEffectiveAt != nil)] = true
		}
		if rid == f.recipient("pradeepg@contoso.com") {
			n := 0
			for _, g := range groups {
				if strings.HasPrefix(g.DisplayName, "chain") {
					n++
				}
			}
			if n != maxNesting || len(access) != 2 {
				t.Errorf("the chain's foot: in %d of its groups (want %d), %d rights (want 2)", n, maxNesting, len(access))
			}
		}
	}
	// The cases above all came through.
	for _, c := range []string{"false false false", "false true false", "true false false", "true false true"} {
		if !seen[c] {
			t.Errorf("no right with (via, pending, removal) = %s", c)
		}
	}
}

// TestAccessFromCoveringIndexesAsBefore checks that the grants query, with each
// mailbox's primary address and live account read from their indexes on SQLite,
// gives what the query without them gives, for every recipient, both with its
// groups followed in the statement and given as a list: mailboxes of a deleted, a
// blocked and a live person, a shared one, one with an alias besides its primary
// address, and one with no primary address at all.
func TestAccessFromCoveringIndexesAsBefore(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	ctx := context.Background()
	db := f.s.db
	now := f.s.Now()
	if (db.Dialector.Name() == "sqlite") != (accessColumnsFor(db) != accessColumns) {
		t.Fatal("the SQLite form of the grants query should name its indexes, and only on SQLite")
	}
	grady := f.recipient("gradya@contoso.com")
	group := Recipient{Kind: KindGroup, DisplayName: "readers", SortName: "readers"}
	if err := db.Create(&group).Error; err != nil {
		t.Fatal(err)
	}
	g := Group{RecipientID: group.ID, Type: GroupMailSecurity}
	if err := db.Create(&g).Error; err != nil {
		t.Fatal(err)
	}
	if err := db.Create(&GroupMember{GroupID: g.ID, MemberID: grady}).Error; err != nil {
		t.Fatal(err)
	}
	for i, mailbox := range []string{"alexw@contoso.com", "isaiahl@contoso.com", "meganb@contoso.com", "info@contoso.com",
		"diegos@contoso.com", "adelev@contoso.com"} {
		trustee := grady
		if i%2 == 1 {
			trustee = group.ID
		}
		p := MailboxPermission{MailboxID: f.mailbox(mailbox).ID, TrusteeID: trustee, Right: RightFullAccess,
			GrantedAt: now.Add(-time.Hour), EffectiveAt: now.Add(-time.Minute)}
		if err := db.Create(&p).Error; err != nil {
			t.Fatal(err)
		}
	}
	alias := EmailAddress{RecipientID: f.recipient("diegos@contoso.com"), Address: "diego.alias@contoso.com",
		Normalized: "diego.alias@contoso.com"}
	if err := db.Create(&alias).Error; err != nil {
		t.Fatal(err)
	}
	adele := f.recipient("adelev@contoso.com")
	if err := f.s.DeleteUser(ctx, f.admin, f.user("alexw@contoso.com")); err != nil {
		t.Fatal(err)
	}
	if err := f.s.SetSignInBlocked(ctx, f.admin, f.user("isaiahl@contoso.com"), true, true); err != nil {
		t.Fatal(err)
	}
	if err := db.Exec(`UPDATE email_addresses SET is_primary = ? WHERE recipient_id = ?`, false, adele).Error; err != nil {
		t.Fatal(err)
	}

	var rids []uint
	if err := db.Raw(`SELECT id FROM recipients ORDER BY id`).Scan(&rids).Error; err != nil {
		t.Fatal(err)
	}
	var deleted, noAddress, live, alive int
	for _, rid := range rids {
		e, err := expandGroups(db.WithContext(ctx), rid)
		if err != nil {
			t.Fatal(err)
		}
		for _, groups := range []*groupExpansion{nil, e} {
			want, err := readAccessWith(db.WithContext(ctx), accessColumns, rid, groups, now)
			if err != nil {
				t.Fatal(err)
			}
			got, err := readAccess(db.WithContext(ctx), rid, groups, now)
			if err != nil {
				t.Fatal(err)
			}
			if !reflect.DeepEqual(got, want) {
				t.Errorf("recipient %d (groups listed: %v): %+v, want %+v", rid, groups != nil, got, want)
			}
			if rid != grady || groups == nil {
				continue
			}
			for _, a := range got {
				switch a.MailboxAddress {
				case "alexw@contoso.com":
					deleted += boolInt(a.MailboxUserID == 0)
				case "":
					noAddress += boolInt(a.MailboxUserID != 0)
				case "isaiahl@contoso.com", "diegos@contoso.com":
					live += boolInt(a.MailboxUserID != 0)
				}
				alive += boolInt(a.MailboxUserID != 0)
			}
		}
	}
	if deleted != 1 || noAddress != 1 || live != 2 || alive != 4 {
		t.Errorf("Grady's rights: %d on a deleted person's mailbox, %d with no primary address, %d on live people's (%d with an account); want 1, 1, 2 (4)",
			deleted, noAddress, live, alive)
	}
}

func boolInt(b bool) int {
	if b {
		return 1
	}
	return 0
}
