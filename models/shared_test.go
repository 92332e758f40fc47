package models

import (
	"context"
	"errors"
	"fmt"
	"testing"
	"time"
)

func TestCreateSharedMailboxAndMembers(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	ctx := context.Background()
	// The seed's own case: info@contoso.com is taken, info@contoso.nl is free.
	_, err := f.s.CreateSharedMailbox(ctx, f.admin, "Info", "", "contoso.com")
	if ve, _ := AsValidation(err); ve == nil || ve.Fields["alias"].Key != "addr.error.taken" || ve.Fields["alias"].Args["Owner"] != "Info" {
		t.Fatalf("taken: %v", err)
	}
	// The name is Info's too, so another name takes the address on the other domain
	// (seed 004, troubleshooting; TestSharedMailboxNamesAreUnique).
	id, err := f.s.CreateSharedMailbox(ctx, f.admin, "Info NL", "info", "contoso.nl")
	if err != nil {
		t.Fatal(err)
	}
	d, err := f.s.SharedMailboxDetail(ctx, id)
	if err != nil || d.Address != "info@contoso.nl" || !d.CopySentAs || !d.CopySentOnBehalf || d.QuotaBytes != SharedMailboxQuota {
		t.Fatalf("new shared mailbox = %+v %v", d, err)
	}
	if s, _ := f.s.SuggestAlias(ctx, "Info", "contoso.com"); s != "info2" {
		t.Fatalf("suggestion = %q", s)
	}
	if _, err := f.s.CreateSharedMailbox(ctx, f.admin, " ", "", "contoso.com"); fieldKey(err, "name") != "shared.error.name_required" {
		t.Fatalf("no name: %v", err)
	}

	t.Run("members get both rights; groups and outsiders are refused", func(t *testing.T) {
		f := f.on(t)
		n, err := f.s.AddMembers(ctx, f.admin, id, []uint{f.recipient("alexw@contoso.com"), f.recipient("meganb@contoso.com")})
		if err != nil || n != 2 {
			t.Fatalf("add members = %d %v", n, err)
		}
		d, _ = f.s.SharedMailboxDetail(ctx, id)
		if len(d.Members) != 2 || !d.Members[0].AutoMapping {
			t.Fatalf("members = %+v", d.Members)
		}
		check, _ := f.s.CheckSend(ctx, "alexw@contoso.com", "info@contoso.nl")
		if check.Outcome != SendAsMailbox {
			t.Fatalf("a member sends as the mailbox: %s", check.Outcome)
		}
		if _, err := f.s.AddMembers(ctx, f.admin, id, []uint{f.recipient("marketingsg@contoso.com")}); fieldKey(err, "trustee") != "shared.error.group" {
			t.Fatalf("group member: %v", err)
		}
		if _, err := f.s.AddMembers(ctx, f.admin, id, []uint{424242}); fieldKey(err, "trustee") != "perm.error.outside" {
			t.Fatalf("outside member: %v", err)
		}
	})
	t.Run("removing a member removes both rights", func(t *testing.T) {
		f := f.on(t)
		if err := f.s.RemoveMember(ctx, f.admin, id, f.recipient("alexw@contoso.com")); err != nil {
			t.Fatal(err)
		}
		d, _ = f.s.SharedMailboxDetail(ctx, id)
		acc, _ := f.s.MailboxAccess(ctx, id)
		if len(d.Members) != 1 || len(acc.Direct(RightSendAs)) != 1 || len(acc.Direct(RightFullAccess)) != 1 {
			t.Fatal("removing a member must remove both rights")
		}
	})
	t.Run("delete frees the addresses", func(t *testing.T) {
		f := f.on(t)
		// Delete frees the addresses.
		if err := f.s.DeleteSharedMailbox(ctx, f.admin, id); err != nil {
			t.Fatal(err)
		}
		if _, fe, _ := f.s.AddressAvailable(ctx, "info", "contoso.nl"); fe != nil {
			t.Fatalf("address still taken after delete: %v", fe)
		}
	})
	t.Run("a reader creates nothing", func(t *testing.T) {
		f := f.on(t)
		reader, _ := f.s.Authenticate(ctx, "miriamg@contoso.com", testPassword)
		if _, err := f.s.CreateSharedMailbox(ctx, reader, "X", "x", "contoso.com"); !errors.Is(err, ErrForbidden) {
			t.Fatalf("reader creates: %v", err)
		}
	})
}

func TestMemberCandidatesArePeopleOnly(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	ctx := context.Background()
	// Groups whose names sort before every person do not crowd people out.
	for i := 0; i < PickerLimit+5; i++ {
		name := fmt.Sprintf("Aaa group %02d", i)
		r := Recipient{Kind: KindGroup, DisplayName: name, SortName: sortName(name),
			Addresses: []EmailAddress{{Address: fmt.Sprintf("aaa%02d@contoso.com", i), Normalized: fmt.Sprintf("aaa%02d@contoso.com", i), IsPrimary: true}}}
		f.s.db.Create(&r)
		f.s.db.Create(&Group{RecipientID: r.ID, Type: GroupMailSecurity})
	}
	info := f.mailbox("info@contoso.com")
	cands, err := f.s.MemberCandidates(ctx, info.ID, "")
	if err != nil {
		t.Fatal(err)
	}
	if len(cands) != 17 {
		t.Fatalf("member candidates = %d, want everyone but Adele (17)", len(cands))
	}
	for _, c := range cands {
		if c.Kind != KindUser || c.DisplayName == "Adele Vance" {
			t.Fatalf("candidate %+v", c)
		}
	}
	if cands, _ := f.s.MemberCandidates(ctx, info.ID, "meg"); len(cands) != 1 || cands[0].DisplayName != "Megan Bowen" {
		t.Fatalf("search: %+v", cands)
	}
	if all, _ := f.s.TrusteeCandidates(ctx, info.ID, RightSendOnBehalf, ""); len(all) != PickerLimit || all[0].Kind != KindGroup {
		t.Fatalf("the permissions picker still offers groups: %d", len(all))
	}
}

func TestAutoRepliesSentItemsAddressList(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	ctx := context.Background()
	info := f.mailbox("info@contoso.com")
	version := func() int {
		d, _ := f.s.SharedMailboxDetail(ctx, info.ID)
		return d.Version
	}
	t.Run("automatic replies follow the rules", func(t *testing.T) {
		f := f.on(t)
		// An outside-only reply is impossible: the outside reply needs the inside one.
		err := f.s.SetAutoReplies(ctx, f.admin, info.ID, AutoReply{State: AutoReplyEnabled, SendOutside: true, External: "Closed"}, version())
		if fieldKey(err, "internal") != "reply.error.internal_required" {
			t.Fatalf("outside only: %v", err)
		}
		err = f.s.SetAutoReplies(ctx, f.admin, info.ID, AutoReply{State: AutoReplyEnabled, Internal: "Hi", SendOutside: true}, version())
		if fieldKey(err, "external") != "reply.error.external_required" {
			t.Fatalf("outside without text: %v", err)
		}
		start := time.Date(2026, 12, 24, 0, 0, 0, 0, time.UTC)
		end := start.Add(-time.Hour)
		err = f.s.SetAutoReplies(ctx, f.admin, info.ID, AutoReply{State: AutoReplyScheduled, Internal: "Hi", Start: &start, End: &end}, version())
		if fieldKey(err, "end") != "reply.error.end_before_start" {
			t.Fatalf("end before start: %v", err)
		}
		end = start.Add(48 * time.Hour)
		v := version()
		if err := f.s.SetAutoReplies(ctx, f.admin, info.ID, AutoReply{State: AutoReplyScheduled, Internal: "<b>Closed</b> for Christmas", SendOutside: true, External: "We're closed", Start: &start, End: &end}, v); err != nil {
			t.Fatal(err)
		}
		d, _ := f.s.SharedMailboxDetail(ctx, info.ID)
		if d.AutoReply.State != AutoReplyScheduled || d.AutoReply.Internal != "<b>Closed</b> for Christmas" || !d.AutoReply.End.Equal(end) {
			t.Fatalf("auto reply = %+v", d.AutoReply)
		}
		if err := f.s.SetAutoReplies(ctx, f.admin, info.ID, AutoReply{State: AutoReplyDisabled}, v); !errors.Is(err, ErrStale) {
			t.Fatalf("stale: %v", err)
		}
	})
	t.Run("sent items copies", func(t *testing.T) {
		f := f.on(t)
		if err := f.s.SetSentItems(ctx, f.admin, info.ID, false, true, version()); err != nil {
			t.Fatal(err)
		}
		if d, _ := f.s.SharedMailboxDetail(ctx, info.ID); d.CopySentAs || !d.CopySentOnBehalf {
			t.Fatalf("sent items = %v %v", d.CopySentAs, d.CopySentOnBehalf)
		}
	})
	t.Run("hiding from the address list with Send as holders asks first", func(t *testing.T) {
		f := f.on(t)
		// Hiding a mailbox with Send as holders needs confirming.
		if err := f.s.SetShownInAddressList(ctx, f.admin, info.ID, false, false, version()); !errors.Is(err, ErrNeedsConfirmation) {
			t.Fatalf("hide with holders: %v", err)
		}
		if err := f.s.SetShownInAddressList(ctx, f.admin, info.ID, false, true, version()); err != nil {
			t.Fatal(err)
		}
		if check, _ := f.s.CheckSend(ctx, "adelev@contoso.com", "info@contoso.com"); !check.HiddenWarning {
			t.Fatal("the send check should warn about the hidden mailbox")
		}
	})
}

func TestStorageStates(t *testing.T) {
	t.Parallel()
	q := SharedMailboxQuota
	for used, want := range map[int64]StorageState{0: StorageOK, q * 8 / 10: StorageOK, q * 9 / 10: StorageNearLimit, q: StorageSendBlocked, q * 104 / 100: StorageSendBlocked, q * 106 / 100: StorageFull} {
		if got := StorageStateOf(used, q); got != want {
			t.Errorf("StorageStateOf(%d) = %s, want %s", used, got, want)
		}
	}
}
