package models

import (
	"context"
	"errors"
	"fmt"
	"reflect"
	"slices"
	"sync"
	"testing"
	"time"
)

func TestGrantIsASetOperation(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	n, err := f.grant("meganb@contoso.com", RightSendAs, "alexw@contoso.com", "diegos@contoso.com")
	if err != nil || n != 2 {
		t.Fatalf("grant = %d, %v", n, err)
	}
	n, err = f.grant("meganb@contoso.com", RightSendAs, "alexw@contoso.com")
	if err != nil || n != 0 {
		t.Fatalf("repeat grant = %d, %v; want a no-op", n, err)
	}
	if got := fmt.Sprint(f.holders("meganb@contoso.com", RightSendAs)); got != "[Alex Wilber Diego Siciliani]" {
		t.Fatalf("holders = %s", got)
	}
	// Full Access does not imply Send as or Send on behalf.
	if _, err := f.grant("meganb@contoso.com", RightFullAccess, "joniS@contoso.com"); err != nil {
		t.Fatal(err)
	}
	if got := f.holders("meganb@contoso.com", RightSendOnBehalf); len(got) != 0 {
		t.Fatalf("send on behalf holders = %v", got)
	}
	var events int64
	f.s.db.Model(&AuditEvent{}).Where("action = 'mailbox_permission.add'").Count(&events)
	if events != 3 {
		t.Fatalf("audit events = %d, want 3", events)
	}
}

func TestGrantRules(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	ctx := context.Background()
	mb := f.mailbox("meganb@contoso.com")

	t.Run("who may hold which right", func(t *testing.T) {
		f := f.on(t)
		_, err := f.s.GrantPermissions(ctx, f.admin, GrantRequest{MailboxID: mb.ID, Right: RightSendAs, TrusteeIDs: []uint{999999}})
		wantKey(t, err, "perm.error.outside")
		_, err = f.grant("meganb@contoso.com", RightFullAccess, "meganb@contoso.com")
		wantKey(t, err, "perm.error.owner")
		_, err = f.grant("meganb@contoso.com", RightSendAs, "info@contoso.com")
		wantKey(t, err, "perm.error.not_person")
		_, err = f.grant("meganb@contoso.com", RightFullAccess, "salesteam@contoso.com")
		wantKey(t, err, "perm.error.distribution_list")
		_, err = f.grant("meganb@contoso.com", RightSendAs, "salesteam@contoso.com")
		wantKey(t, err, "perm.error.distribution_list")
		if _, err := f.grant("meganb@contoso.com", RightSendOnBehalf, "salesteam@contoso.com"); err != nil {
			t.Fatalf("a distribution list may get Send on behalf: %v", err)
		}
		// A security group that is not mail-enabled gets nothing.
		r := Recipient{Kind: KindGroup, DisplayName: "Plain SG", SortName: "plain sg"}
		f.s.db.Create(&r)
		f.s.db.Create(&Group{RecipientID: r.ID, Type: GroupSecurity})
		_, err = f.s.GrantPermissions(ctx, f.admin, GrantRequest{MailboxID: mb.ID, Right: RightFullAccess, TrusteeIDs: []uint{r.ID}})
		wantKey(t, err, "perm.error.not_mail_enabled")
	})
	t.Run("one bad trustee saves none", func(t *testing.T) {
		f := f.on(t)
		// All or nothing: one bad trustee saves none of the others.
		before := f.count(RightSendAs)
		_, err := f.grant("meganb@contoso.com", RightSendAs, "alexw@contoso.com", "meganb@contoso.com")
		wantKey(t, err, "perm.error.owner")
		if f.count(RightSendAs) != before {
			t.Fatal("a refused grant saved part of the request")
		}
		_, err = f.s.GrantPermissions(ctx, f.admin, GrantRequest{MailboxID: mb.ID, Right: RightSendAs})
		wantKey(t, err, "perm.error.none_selected")
	})
	t.Run("only roles that may change permissions can", func(t *testing.T) {
		f := f.on(t)
		// Only roles that may change permissions can.
		reader, _ := f.s.Authenticate(ctx, "miriamg@contoso.com", testPassword)
		helpdesk, _ := f.s.Authenticate(ctx, "leeg@contoso.com", testPassword)
		for _, a := range []*Admin{reader, helpdesk, nil} {
			if _, err := f.s.GrantPermissions(ctx, a, GrantRequest{MailboxID: mb.ID, Right: RightSendAs, TrusteeIDs: []uint{f.recipient("alexw@contoso.com")}}); !errors.Is(err, ErrForbidden) {
				t.Fatalf("%v granted: %v", a, err)
			}
			if err := f.s.RemovePermission(ctx, a, mb.ID, RightSendOnBehalf, f.recipient("salesteam@contoso.com")); !errors.Is(err, ErrForbidden) {
				t.Fatalf("%v removed: %v", a, err)
			}
		}
		patti, _ := f.s.Authenticate(ctx, "pattif@contoso.com", testPassword)
		if _, err := f.s.GrantPermissions(ctx, patti, GrantRequest{MailboxID: mb.ID, Right: RightSendAs, TrusteeIDs: []uint{f.recipient("alexw@contoso.com")}}); err != nil {
			t.Fatalf("Exchange administrator: %v", err)
		}
	})
}

func TestGroupHoldersAndBothDirections(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	ctx := context.Background()
	t.Run("a group holds for its members, without automapping", func(t *testing.T) {
		f := f.on(t)
		if _, err := f.grant("johannal@contoso.com", RightFullAccess, "marketingsg@contoso.com", "lidiah@contoso.com"); err != nil {
			t.Fatal(err)
		}
		got := fmt.Sprint(f.holders("johannal@contoso.com", RightFullAccess))
		if got != "[Lidia Holloway MarketingSG Alex Wilber via MarketingSG Megan Bowen via MarketingSG]" {
			t.Fatalf("holders = %s", got)
		}
		acc, _ := f.s.MailboxAccess(ctx, f.mailbox("johannal@contoso.com").ID)
		for _, h := range acc.Direct(RightFullAccess) {
			if h.IsGroup() && h.AutoMapping {
				t.Fatal("a group grant must not automap")
			}
			if !h.IsGroup() && !h.AutoMapping {
				t.Fatal("a user grant automaps by default")
			}
		}
	})
	t.Run("nested groups pass the right on and a cycle ends", func(t *testing.T) {
		f := f.on(t)
		// Nested groups: a group inside MarketingSG passes the right on, and a cycle ends.
		nested := Recipient{Kind: KindGroup, DisplayName: "Design", SortName: "design", Addresses: []EmailAddress{{Address: "design@contoso.com", Normalized: "design@contoso.com", IsPrimary: true}}}
		f.s.db.Create(&nested)
		ng := Group{RecipientID: nested.ID, Type: GroupMailSecurity}
		f.s.db.Create(&ng)
		var mg Group
		f.s.db.Where("recipient_id = ?", f.recipient("marketingsg@contoso.com")).First(&mg)
		f.s.db.Create(&GroupMember{GroupID: mg.ID, MemberID: nested.ID})
		f.s.db.Create(&GroupMember{GroupID: ng.ID, MemberID: f.recipient("gradya@contoso.com")})
		f.s.db.Create(&GroupMember{GroupID: ng.ID, MemberID: mg.RecipientID}) // a cycle
		got := fmt.Sprint(f.holders("johannal@contoso.com", RightFullAccess))
		if got != "[Lidia Holloway MarketingSG Alex Wilber via MarketingSG Grady Archie via MarketingSG Megan Bowen via MarketingSG]" {
			t.Fatalf("nested holders = %s", got)
		}
	})
	t.Run("the other direction: what a member can access and through which group", func(t *testing.T) {
		f := f.on(t)
		// The other direction: what Grady can access, and through which group.
		access, err := f.s.AccessibleMailboxes(ctx, f.recipient("gradya@contoso.com"))
		if err != nil {
			t.Fatal(err)
		}
		if len(access) != 1 || access[0].MailboxName != "Johanna Lorenz" || access[0].ViaName != "MarketingSG" || access[0].Right != RightFullAccess {
			t.Fatalf("Grady's access = %+v", access)
		}
		access, _ = f.s.AccessibleMailboxes(ctx, f.recipient("adelev@contoso.com"))
		if len(access) != 2 || access[0].MailboxName != "Info" || access[0].ViaID != 0 {
			t.Fatalf("Adele's access = %+v", access)
		}
		// Every column comes through (the rows are scanned by hand): the shared
		// mailbox's address, a person's mailbox's account, when the grant held.
		for _, a := range access {
			if a.MailboxAddress == "" || a.MailboxType == "" || a.EffectiveAt.IsZero() || a.PermissionID == 0 || a.RevokeEffectiveAt != nil {
				t.Errorf("incomplete row: %+v", a)
			}
			if (a.MailboxType == MailboxShared) != (a.MailboxUserID == 0) {
				t.Errorf("a shared mailbox has no account, a person's has one: %+v", a)
			}
		}
	})
}

func TestRemoveAndAutomapping(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	ctx := context.Background()
	mb := f.mailbox("meganb@contoso.com")
	f.grant("meganb@contoso.com", RightFullAccess, "alexw@contoso.com")
	if err := f.s.SetAutoMapping(ctx, f.admin, mb.ID, f.recipient("alexw@contoso.com"), false); err != nil {
		t.Fatal(err)
	}
	acc, _ := f.s.MailboxAccess(ctx, mb.ID)
	if acc.Holders[RightFullAccess][0].AutoMapping {
		t.Fatal("automapping still on")
	}
	if err := f.s.RemovePermission(ctx, f.admin, mb.ID, RightFullAccess, f.recipient("alexw@contoso.com")); err != nil {
		t.Fatal(err)
	}
	if got := f.holders("meganb@contoso.com", RightFullAccess); len(got) != 0 {
		t.Fatalf("after removal: %v", got)
	}
	// Removing what is not held is a no-op.
	if err := f.s.RemovePermission(ctx, f.admin, mb.ID, RightFullAccess, f.recipient("alexw@contoso.com")); err != nil {
		t.Fatal(err)
	}
}

func TestPropagationDelay(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	ctx := context.Background()
	now := time.Date(2026, 11, 21, 9, 0, 0, 0, time.UTC)
	f.s.Now = func() time.Time { return now }
	f.s.SetPropagationDelay(time.Hour)
	f.grant("meganb@contoso.com", RightSendAs, "alexw@contoso.com")

	t.Run("a grant holds only once it takes effect", func(t *testing.T) {
		f := f.on(t)
		check, err := f.s.CheckSend(ctx, "alexw@contoso.com", "meganb@contoso.com")
		if err != nil {
			t.Fatal(err)
		}
		if check.Outcome != SendRefusedRight || check.PendingAt == nil || !check.PendingAt.Equal(now.Add(time.Hour)) {
			t.Fatalf("pending grant: %+v", check)
		}
		acc, _ := f.s.MailboxAccess(ctx, f.mailbox("meganb@contoso.com").ID)
		if !acc.Holders[RightSendAs][0].Pending(now) {
			t.Fatal("the grant should show as pending")
		}
		now = now.Add(61 * time.Minute)
		if check, _ = f.s.CheckSend(ctx, "alexw@contoso.com", "meganb@contoso.com"); check.Outcome != SendAsMailbox {
			t.Fatalf("after the delay: %+v", check)
		}
	})
	t.Run("a removal holds until it takes effect", func(t *testing.T) {
		f := f.on(t)
		// A removal is pending too: the right holds until it takes effect.
		mb := f.mailbox("meganb@contoso.com")
		if err := f.s.RemovePermission(ctx, f.admin, mb.ID, RightSendAs, f.recipient("alexw@contoso.com")); err != nil {
			t.Fatal(err)
		}
		if check, _ := f.s.CheckSend(ctx, "alexw@contoso.com", "meganb@contoso.com"); check.Outcome != SendAsMailbox {
			t.Fatalf("during removal: %+v", check)
		}
		acc, _ := f.s.MailboxAccess(ctx, mb.ID)
		if !acc.Holders[RightSendAs][0].RemovalPending(now) {
			t.Fatal("the removal should show as pending")
		}
		now = now.Add(2 * time.Hour)
		if check, _ := f.s.CheckSend(ctx, "alexw@contoso.com", "meganb@contoso.com"); check.Outcome != SendRefusedRight || check.PendingAt != nil {
			t.Fatalf("after the removal: %+v", check)
		}
	})
	t.Run("granting again after the removal works", func(t *testing.T) {
		f := f.on(t)
		// Granting again after the removal took effect works.
		if n, err := f.grant("meganb@contoso.com", RightSendAs, "alexw@contoso.com"); err != nil || n != 1 {
			t.Fatalf("re-grant = %d, %v", n, err)
		}
	})
}

func TestConcurrentGrantsAllLand(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	ctx := context.Background()
	mb := f.mailbox("nestorw@contoso.com")
	people := []string{"adelev@contoso.com", "alexw@contoso.com", "diegos@contoso.com", "gradya@contoso.com",
		"isaiahl@contoso.com", "johannal@contoso.com", "jonis@contoso.com", "lidiah@contoso.com"}
	var wg sync.WaitGroup
	errs := make(chan error, len(people))
	for _, p := range people {
		id := f.recipient(p)
		wg.Add(1)
		go func() {
			defer wg.Done()
			_, err := f.s.GrantPermissions(ctx, f.admin, GrantRequest{MailboxID: mb.ID, Right: RightSendAs, TrusteeIDs: []uint{id}})
			errs <- err
		}()
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		if err != nil {
			t.Fatal(err)
		}
	}
	if got := f.holders("nestorw@contoso.com", RightSendAs); len(got) != len(people) {
		t.Fatalf("holders after concurrent grants = %v", got)
	}
}

// The permissions panel expands a group that holds a right into the people who
// really get it, through nested groups too, each listed as through the group that
// was granted (the recursion looks each holder's group up by its recipient).
func TestMailboxAccessExpandsNestedGroups(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	ctx := context.Background()
	f.newGroup(GroupMailSecurity, "Inner team", "innerteam", []string{"alexw@contoso.com"}, "leeg@contoso.com")
	outer := f.newGroup(GroupMailSecurity, "Outer team", "outerteam", []string{"alexw@contoso.com"}, "pattif@contoso.com", "innerteam@contoso.com")
	if _, err := f.grant("meganb@contoso.com", RightFullAccess, "outerteam@contoso.com", "alexw@contoso.com"); err != nil {
		t.Fatal(err)
	}
	acc, err := f.s.MailboxAccess(ctx, f.mailbox("meganb@contoso.com").ID)
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, h := range acc.Holders[RightFullAccess] {
		got = append(got, h.DisplayName+" via "+h.ViaName)
	}
	want := []string{"Alex Wilber via ", "Outer team via ", "Lee Gu via Outer team", "Patti Fernandez via Outer team"}
	if !slices.Equal(got, want) {
		t.Fatalf("holders of Read and manage: got %q, want %q", got, want)
	}
	if v := acc.Holders[RightFullAccess][2].ViaID; v != f.recipient("outerteam@contoso.com") || outer == 0 {
		t.Fatalf("Lee Gu holds it through recipient %d, want the Outer team's", v)
	}
}

// Every column of a holder comes through the panel's query: a person granted a
// right directly and the members of a group granted one carry their grant's id,
// right, automapping and times, a pending removal its end; and MailboxAccessOf,
// which the panels call with the mailbox they resolved, answers as MailboxAccess.
func TestMailboxAccessCarriesTheGrants(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	ctx := context.Background()
	granted := time.Date(2026, 11, 21, 9, 0, 0, 0, time.UTC)
	now := granted
	f.s.Now = func() time.Time { return now }
	f.s.SetPropagationDelay(time.Hour)
	team := f.newGroup(GroupMailSecurity, "Inner team", "innerteam", []string{"alexw@contoso.com"}, "leeg@contoso.com")
	mb := f.mailbox("meganb@contoso.com")
	if _, err := f.grant("meganb@contoso.com", RightFullAccess, "alexw@contoso.com"); err != nil {
		t.Fatal(err)
	}
	if _, err := f.grant("meganb@contoso.com", RightSendAs, "innerteam@contoso.com"); err != nil {
		t.Fatal(err)
	}
	now = granted.Add(2 * time.Hour)
	if err := f.s.RemovePermission(ctx, f.admin, mb.ID, RightSendAs, f.recipient("innerteam@contoso.com")); err != nil {
		t.Fatal(err)
	}
	acc, err := f.s.MailboxAccess(ctx, mb.ID)
	if err != nil {
		t.Fatal(err)
	}
	effective, revoked := granted.Add(time.Hour), now.Add(time.Hour)
	type row struct {
		name, via        string
		right            Right
		kind             RecipientKind
		automap, removal bool
	}
	var got []row
	perms := map[uint]bool{}
	for _, r := range Rights {
		for _, h := range acc.Holders[r] {
			got = append(got, row{h.DisplayName, h.ViaName, h.Right, h.Kind, h.AutoMapping, h.RevokeEffectiveAt != nil})
			perms[h.PermissionID] = true
			if !h.GrantedAt.Equal(granted) || !h.EffectiveAt.Equal(effective) || h.Address == "" || h.PermissionID == 0 {
				t.Errorf("%s holds %s from %v, effective %v, address %q, grant %d; want %v, %v", h.DisplayName, r, h.GrantedAt, h.EffectiveAt, h.Address, h.PermissionID, granted, effective)
			}
			if h.RevokeEffectiveAt != nil && !h.RevokeEffectiveAt.Equal(revoked) {
				t.Errorf("%s's removal takes effect %v, want %v", h.DisplayName, h.RevokeEffectiveAt, revoked)
			}
		}
	}
	want := []row{
		{"Alex Wilber", "", RightFullAccess, KindUser, true, false},
		{"Inner team", "", RightSendAs, KindGroup, false, true},
		{"Lee Gu", "Inner team", RightSendAs, KindUser, false, true},
	}
	if !slices.Equal(got, want) {
		t.Fatalf("holders:\n got %+v\nwant %+v", got, want)
	}
	if len(perms) != 2 || acc.Holders[RightSendAs][1].ViaID != f.recipient("innerteam@contoso.com") || team == 0 {
		t.Fatalf("grants %v, Lee Gu through %d", perms, acc.Holders[RightSendAs][1].ViaID)
	}
	of, err := f.s.MailboxAccessOf(ctx, *mb)
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(of, acc) {
		t.Fatalf("MailboxAccessOf:\n got %+v\nwant %+v", of, acc)
	}
}

// A mailbox read for a panel has every field, and a shared mailbox's panel finds
// no one's own mailbox.
func TestMailboxRefReadsEveryField(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	ctx := context.Background()
	mb := f.mailbox("meganb@contoso.com")
	if mb.ID == 0 || mb.RecipientID != f.recipient("meganb@contoso.com") || mb.DisplayName != "Megan Bowen" ||
		mb.Address != "meganb@contoso.com" || mb.Type != MailboxUser || mb.Version == 0 {
		t.Fatalf("mailbox = %+v", mb)
	}
	if _, err := f.s.SharedMailboxRef(ctx, mb.ID); !errors.Is(err, ErrNotFound) {
		t.Fatalf("a person's mailbox as a shared one: %v, want ErrNotFound", err)
	}
	if _, err := f.s.Mailbox(ctx, mb.ID+1_000_000); !errors.Is(err, ErrNotFound) {
		t.Fatalf("no mailbox: %v, want ErrNotFound", err)
	}
	if got, err := f.s.Mailbox(ctx, mb.ID); err != nil || *got != *mb {
		t.Fatalf("Mailbox = %+v, %v; want %+v", got, err, mb)
	}
}
