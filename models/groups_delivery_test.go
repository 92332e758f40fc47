package models

import (
	"context"
	"testing"
)

// Seed 000, step 4: forward to several addresses by forwarding to a distribution
// list. Exchange applies the outbound policy to automatically forwarded mail at each
// outside recipient the list expands to; mail sent to the list itself goes out.
func TestForwardingToADistributionListWithOutsideContacts(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	ctx := context.Background()
	f.newGroup(GroupDistribution, "Alex forwards", "alexforwards", []string{"meganb@contoso.com"},
		"meganb@contoso.com", "ben.smith@fabrikam.com", "yara@tailspintoys.com")
	if err := f.forward("alexw@contoso.com", "alexforwards@contoso.com", false); err != nil {
		t.Fatalf("forwarding to a list is internal, no bounce to accept: %v", err)
	}
	trace := func() string {
		tr, err := f.s.TraceDelivery(ctx, "alexw@contoso.com")
		if err != nil {
			t.Fatal(err)
		}
		return kinds(tr)
	}
	want := "skipped:Alex Wilber forwarded:Alex Wilber expanded:Alex forwards contact_bounced:Ben Smith mailbox:Megan Bowen contact_bounced:Yara Haddad"
	if got := trace(); got != want {
		t.Fatalf("policy Automatic:\n got %s\nwant %s", got, want)
	}
	target, err := f.s.ForwardTarget(ctx, "alexforwards@contoso.com")
	if err != nil || !target.IsGroup() || target.External || len(target.Stopped()) != 2 {
		t.Fatalf("target %+v %v", target, err)
	}
	// Mail sent to the list itself isn't forwarded: the contacts get it.
	tr, _ := f.s.TraceDelivery(ctx, "alexforwards@contoso.com")
	if got := kinds(tr); got != "expanded:Alex forwards contact:Ben Smith mailbox:Megan Bowen contact:Yara Haddad" {
		t.Fatalf("direct: %s", got)
	}
	// With automatic forwarding to outside addresses on, the forwarded copies go out.
	if err := f.s.SetForwardingPolicy(ctx, f.admin, ForwardingOn); err != nil {
		t.Fatal(err)
	}
	want = "skipped:Alex Wilber forwarded:Alex Wilber expanded:Alex forwards contact:Ben Smith mailbox:Megan Bowen contact:Yara Haddad"
	if got := trace(); got != want {
		t.Fatalf("policy On:\n got %s\nwant %s", got, want)
	}
}

func TestForwardingToAContactIsExternal(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	ctx := context.Background()
	// The policy blocks outside forwarding by default: a contact is outside, and the
	// forward is saved all the same (its copies bounce).
	if err := f.forward("meganb@contoso.com", "ben.smith@fabrikam.com", true); err != nil {
		t.Fatal(err)
	}
	fw, _ := f.s.Forwarding(ctx, f.mailbox("meganb@contoso.com").ID)
	if !fw.External || !fw.BlockedByPolicy() {
		t.Fatalf("forwarding %+v", fw)
	}
	tr, _ := f.s.TraceDelivery(ctx, "meganb@contoso.com")
	if got := kinds(tr); got != "mailbox:Megan Bowen forwarded:Megan Bowen contact_bounced:Ben Smith" {
		t.Fatalf("trace %s", got)
	}
	target, _ := f.s.ForwardTarget(ctx, "ben.smith@fabrikam.com")
	if !target.IsContact() || !target.External || target.DisplayName != "Ben Smith" {
		t.Fatalf("target %+v", target)
	}
	// An unknown outside address is no contact.
	target, _ = f.s.ForwardTarget(ctx, "someone@example.org")
	if target.Kind != "" || !target.External {
		t.Fatalf("target %+v", target)
	}
}

func TestForwardingCandidates(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	ctx := context.Background()
	alex := f.mailbox("alexw@contoso.com").ID
	for _, tc := range []struct {
		q    string
		want []string
	}{
		{"ben", []string{"Ben Smith"}},
		{"sales", []string{"Sales Team"}},
		{"info", []string{"Info"}},
		{"alex", nil},      // itself
		{"all staff", nil}, // no address
		{"", nil},          // nothing until something is typed
		{"project", []string{"Project Falcon"}},
	} {
		cs, err := f.s.ForwardingCandidates(ctx, alex, tc.q)
		if err != nil {
			t.Fatal(err)
		}
		if got := candidateNames(cs); len(got) != len(tc.want) || (len(got) > 0 && got[0] != tc.want[0]) {
			t.Errorf("%q: %v, want %v", tc.q, got, tc.want)
		}
	}
}
