package models

import (
	"context"
	"errors"
	"sync"
	"testing"
)

// Rules that hold inside one write transaction (issue 12): a refused step of a
// conversion leaves nothing behind, the forwarding-loop rule sees forwards saved
// at the same moment, and deleted people are given nothing.

// TestConvertIsOneTransaction: a conversion whose follow-up step is refused, by a
// rule or by the actor's rights, leaves the mailbox as it was.
func TestConvertIsOneTransaction(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	ctx := context.Background()
	patti, err := f.s.Authenticate(ctx, "pattif@contoso.com", testPassword)
	if err != nil {
		t.Fatal(err)
	}
	admin := f.user("admin@contoso.com")
	for _, c := range []struct {
		name  string
		actor *Admin
		opt   ConvertOptions
		want  string
	}{
		{"blocking the only Global administrator", f.admin, ConvertOptions{BlockSignIn: true}, "roles.error.last_global_block"},
		{"an Exchange administrator removing the license", patti, ConvertOptions{RemoveLicense: true}, "forbidden"},
		{"an Exchange administrator blocking sign-in", patti, ConvertOptions{BlockSignIn: true}, "forbidden"},
	} {
		before, _ := f.s.Fingerprint(ctx)
		err := f.s.ConvertToShared(ctx, c.actor, admin, c.opt)
		if fieldKey(err, "") != c.want {
			t.Errorf("%s: %v", c.name, err)
		}
		if after, _ := f.s.Fingerprint(ctx); after != before {
			t.Errorf("%s: refused, but something changed", c.name)
		}
	}
	// The conversion alone is a mailbox setting, which the Exchange roles change
	// for admins' mailboxes too.
	if err := f.s.ConvertToShared(ctx, patti, admin, ConvertOptions{}); err != nil {
		t.Fatalf("an Exchange administrator converts a mailbox: %v", err)
	}
	u, _ := f.s.User(ctx, admin)
	if u.Mailbox.Type != MailboxShared || u.SignInBlocked || !u.HasMailboxLicense() {
		t.Fatalf("after converting: %+v", u.Mailbox)
	}
	// Its name and addresses are the Global administrator's: out of her reach.
	if err := f.s.AddSharedAlias(ctx, patti, u.Mailbox.ID, "takeover", "contoso.com"); !errors.Is(err, ErrForbidden) {
		t.Fatalf("an Exchange administrator adds an address to the Global administrator's mailbox: %v", err)
	}
	if err := f.s.SetSharedPrimary(ctx, patti, u.Mailbox.ID, "admin@contoso.com"); !errors.Is(err, ErrForbidden) {
		t.Fatalf("set primary: %v", err)
	}
	if err := f.s.RenameSharedMailbox(ctx, patti, u.Mailbox.ID, "Not the admin", 2); !errors.Is(err, ErrForbidden) {
		t.Fatalf("rename: %v", err)
	}
	// Its settings are the mailbox's.
	if err := f.s.SetSentItems(ctx, patti, u.Mailbox.ID, true, true, 2); err != nil {
		t.Fatalf("sent items of a converted admin mailbox: %v", err)
	}
}

// TestOppositeForwardsSavedAtOnceMakeNoLoop: the loop rule reads the forwards inside
// the write transaction, so of two opposite forwards saved at the same moment one
// is refused. Many rounds, each starting both together.
func TestOppositeForwardsSavedAtOnceMakeNoLoop(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	ctx := context.Background()
	const rounds = 60
	a, b := f.mailbox("alexw@contoso.com"), f.mailbox("meganb@contoso.com")
	for round := 0; round < rounds; round++ {
		reqs := make([]ForwardingRequest, 2)
		for i, mb := range []*MailboxRef{a, b} {
			cur, err := f.s.Forwarding(ctx, mb.ID)
			if err != nil {
				t.Fatal(err)
			}
			to := []string{"meganb@contoso.com", "alexw@contoso.com"}[i]
			reqs[i] = ForwardingRequest{Enabled: true, Address: to, Version: cur.Version}
		}
		errs := make([]error, 2)
		var wg sync.WaitGroup
		start := make(chan struct{})
		for i, mb := range []*MailboxRef{a, b} {
			wg.Add(1)
			go func() {
				defer wg.Done()
				<-start
				errs[i] = f.s.SetForwarding(ctx, f.admin, mb.ID, reqs[i])
			}()
		}
		close(start)
		wg.Wait()
		loops := 0
		for _, err := range errs {
			switch {
			case err == nil:
			case fieldKey(err, "address") == "fwd.error.loop":
				loops++
			default:
				t.Fatalf("round %d: %v", round, err)
			}
		}
		if loops != 1 {
			t.Fatalf("round %d: %d of the two opposite forwards refused as a loop (errors %v)", round, loops, errs)
		}
		// Both off again for the next round.
		for _, mb := range []*MailboxRef{a, b} {
			cur, _ := f.s.Forwarding(ctx, mb.ID)
			if err := f.s.SetForwarding(ctx, f.admin, mb.ID, ForwardingRequest{Version: cur.Version}); err != nil {
				t.Fatal(err)
			}
		}
	}
}

// TestDeletedPeopleAreRefusedLikeUnknownIDs: a deleted person can't be given a
// right, a membership or someone's forwarded mail.
func TestDeletedPeopleAreRefusedLikeUnknownIDs(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	ctx := context.Background()
	grady := f.recipient("gradya@contoso.com")
	if err := f.s.DeleteUser(ctx, f.admin, f.user("gradya@contoso.com")); err != nil {
		t.Fatal(err)
	}
	for _, r := range Rights {
		_, err := f.s.GrantPermissions(ctx, f.admin, GrantRequest{MailboxID: f.mailbox("meganb@contoso.com").ID, Right: r, TrusteeIDs: []uint{grady}})
		wantKey(t, err, "perm.error.outside")
	}
	_, err := f.s.AddMembers(ctx, f.admin, f.mailbox("info@contoso.com").ID, []uint{grady})
	wantKey(t, err, "perm.error.outside")
	if err := f.forward("meganb@contoso.com", "gradya@contoso.com", false); fieldKey(err, "address") != "fwd.error.unknown_internal" {
		t.Fatalf("forwarding to a deleted person: %v", err)
	}
}
