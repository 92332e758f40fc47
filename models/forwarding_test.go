package models

import (
	"context"
	"errors"
	"strings"
	"testing"
)

func TestParseForwardingAddress(t *testing.T) {
	t.Parallel()
	for in, want := range map[string]string{
		"alexw@contoso.com":                 "",
		"  Alex.Wilber@Fabrikam.com  ":      "",
		"":                                  "fwd.error.required",
		"a@x.com, b@x.com":                  "fwd.error.one_address",
		"a@x.com;b@x.com":                   "fwd.error.one_address",
		"a@x.com b@x.com":                   "fwd.error.one_address",
		"not an address":                    "fwd.error.one_address",
		"nope":                              "fwd.error.invalid",
		"a@":                                "fwd.error.invalid",
		"@b.com":                            "fwd.error.invalid",
		"a@b":                               "fwd.error.invalid",
		"a@b..com":                          "fwd.error.invalid",
		"Alex <alexw@contoso.com>":          "fwd.error.one_address",
		"<alexw@contoso.com>":               "fwd.error.invalid",
		"a\"b@x.com":                        "fwd.error.invalid",
		"a@[10.0.0.1]":                      "fwd.error.invalid",
		strings.Repeat("a", 400) + "@x.com": "fwd.error.invalid",
	} {
		_, fe := ParseForwardingAddress(in)
		got := ""
		if fe != nil {
			got = fe.Key
		}
		if got != want {
			t.Errorf("ParseForwardingAddress(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestForwardingRules(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	ctx := context.Background()
	if err := f.forward("meganb@contoso.com", "alexw@contoso.com", true); err != nil {
		t.Fatal(err)
	}
	fw, _ := f.s.Forwarding(ctx, f.mailbox("meganb@contoso.com").ID)
	if !fw.Active() || fw.Address != "alexw@contoso.com" || !fw.KeepCopy || fw.External {
		t.Fatalf("forwarding = %+v", fw)
	}
	t.Run("a refused target saves nothing", func(t *testing.T) {
		f := f.on(t)
		for _, tc := range []struct {
			mailbox, to, field, key string
		}{
			{"lynner@contoso.com", "alexw@contoso.com", "forward", "fwd.error.no_license"},
			{"meganb@contoso.com", "meganb@contoso.com", "address", "fwd.error.own"},
			{"adelev@contoso.com", "ADELE.VANCE@contoso.com", "address", "fwd.error.own"},
			{"meganb@contoso.com", "nobody@contoso.com", "address", "fwd.error.unknown_internal"},
			{"meganb@contoso.com", "nobody@contoso.nl", "address", "fwd.error.unknown_internal"},
			{"meganb@contoso.com", "a@x.com; b@x.com", "address", "fwd.error.one_address"},
			{"alexw@contoso.com", "meganb@contoso.com", "address", "fwd.error.loop"},
		} {
			before, _ := f.s.Forwarding(ctx, f.mailbox(tc.mailbox).ID)
			err := f.forward(tc.mailbox, tc.to, false)
			if got := fieldKey(err, tc.field); got != tc.key {
				t.Errorf("%s -> %s: %s, want %s", tc.mailbox, tc.to, got, tc.key)
			}
			after, _ := f.s.Forwarding(ctx, f.mailbox(tc.mailbox).ID)
			if after.Address != before.Address || after.Version != before.Version {
				t.Errorf("%s -> %s: a refused change was saved", tc.mailbox, tc.to)
			}
		}
	})
	t.Run("a loop names its chain, also a longer one and one through a list", func(t *testing.T) {
		f := f.on(t)
		err := f.forward("alexw@contoso.com", "meganb@contoso.com", false)
		if ve, _ := AsValidation(err); ve.Fields["address"].Args["Chain"] != "Alex Wilber → Megan Bowen → Alex Wilber" {
			t.Fatalf("loop chain = %v", ve.Fields["address"].Args)
		}
		// A longer loop, and one through a distribution list.
		if err := f.forward("alexw@contoso.com", "diegos@contoso.com", false); err != nil {
			t.Fatal(err)
		}
		err = f.forward("diegos@contoso.com", "meganb@contoso.com", false)
		if ve, _ := AsValidation(err); ve == nil || ve.Fields["address"].Args["Chain"] != "Diego Siciliani → Megan Bowen → Alex Wilber → Diego Siciliani" {
			t.Fatalf("three-step loop: %v", err)
		}
		err = f.forward("johannal@contoso.com", "meganb@contoso.com", false)
		if err != nil {
			t.Fatal(err)
		}
		err = f.forward("alexw@contoso.com", "salesteam@contoso.com", false)
		if got := fieldKey(err, "address"); got != "fwd.error.loop" {
			t.Fatalf("loop through a list: %s", got)
		}
	})
	t.Run("turning forwarding off clears it", func(t *testing.T) {
		f := f.on(t)
		// Turning forwarding off clears it.
		if err := f.forward("meganb@contoso.com", "", false); err != nil {
			t.Fatal(err)
		}
		if fw, _ := f.s.Forwarding(ctx, f.mailbox("meganb@contoso.com").ID); fw.Address != "" || fw.Active() {
			t.Fatalf("after turning off: %+v", fw)
		}
	})
	t.Run("a shared mailbox forwards without a license", func(t *testing.T) {
		f := f.on(t)
		// A shared mailbox forwards without a license.
		if err := f.forward("info@contoso.com", "adelev@contoso.com", true); err != nil {
			t.Fatalf("shared mailbox: %v", err)
		}
		var n int64
		f.s.db.Model(&AuditEvent{}).Where("action = 'forwarding.set'").Count(&n)
		if n != 5 {
			t.Fatalf("audit events = %d", n)
		}
	})
}

func TestExternalForwardingPolicy(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	ctx := context.Background()
	// Seed 000 step 4 followed literally: Save changes saves an outside address while
	// the policy (Automatic) blocks it, as Exchange Online does; the copies bounce.
	if err := f.forward("meganb@contoso.com", "megan@fabrikam.com", false); err != nil {
		t.Fatalf("external while policy is Automatic: %v", err)
	}
	fw, _ := f.s.Forwarding(ctx, f.mailbox("meganb@contoso.com").ID)
	if !fw.External || !fw.BlockedByPolicy() {
		t.Fatalf("state = %+v", fw)
	}
	trace, _ := f.s.TraceDelivery(ctx, "meganb@contoso.com")
	if got := kinds(trace); got != "skipped:Megan Bowen bounced:megan@fabrikam.com" || !strings.Contains(trace.Steps[1].Detail, "5.7.520 Access denied, Your organization does not allow external forwarding") {
		t.Fatalf("trace = %s %q", got, trace.Steps[1].Detail)
	}
	reader, _ := f.s.Authenticate(ctx, "miriamg@contoso.com", testPassword)
	if err := f.s.SetForwardingPolicy(ctx, reader, ForwardingOn); !errors.Is(err, ErrForbidden) {
		t.Fatalf("reader changed the policy: %v", err)
	}
	if err := f.s.SetForwardingPolicy(ctx, f.admin, ForwardingOn); err != nil {
		t.Fatal(err)
	}
	if fw, _ := f.s.Forwarding(ctx, f.mailbox("meganb@contoso.com").ID); fw.BlockedByPolicy() {
		t.Fatal("still blocked with the policy On")
	}
	trace, _ = f.s.TraceDelivery(ctx, "meganb@contoso.com")
	if got := kinds(trace); got != "skipped:Megan Bowen external:megan@fabrikam.com" {
		t.Fatalf("trace with policy On = %s", got)
	}
	if err := f.s.SetForwardingPolicy(ctx, f.admin, "sometimes"); fieldKey(err, "policy") != "policy.error.invalid" {
		t.Fatalf("bad policy: %v", err)
	}
}

func TestForwardingStaleFormAndRoles(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	ctx := context.Background()
	mb := f.mailbox("meganb@contoso.com")
	cur, _ := f.s.Forwarding(ctx, mb.ID)
	if err := f.s.SetForwarding(ctx, f.admin, mb.ID, ForwardingRequest{Enabled: true, Address: "alexw@contoso.com", Version: cur.Version}); err != nil {
		t.Fatal(err)
	}
	// A second admin still holding the old form is refused, not silently applied.
	err := f.s.SetForwarding(ctx, f.admin, mb.ID, ForwardingRequest{Enabled: true, Address: "diegos@contoso.com", Version: cur.Version})
	if !errors.Is(err, ErrStale) {
		t.Fatalf("stale form: %v", err)
	}
	helpdesk, _ := f.s.Authenticate(ctx, "leeg@contoso.com", testPassword)
	if err := f.s.SetForwarding(ctx, helpdesk, mb.ID, ForwardingRequest{Version: cur.Version + 1}); !errors.Is(err, ErrForbidden) {
		t.Fatalf("helpdesk: %v", err)
	}
}

// A person's forwarding knows its owner and whether a licence of theirs includes a
// mailbox (forwarding needs one), read in one query.
func TestForwardingOwnerAndLicence(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	ctx := context.Background()
	uid := f.user("meganb@contoso.com")
	fw, err := f.s.Forwarding(ctx, f.mailbox("meganb@contoso.com").ID)
	if err != nil {
		t.Fatal(err)
	}
	if fw.OwnerUserID != uid || !fw.Licensed {
		t.Fatalf("licensed person: owner %d licensed %v, want %d true", fw.OwnerUserID, fw.Licensed, uid)
	}
	u, err := f.s.User(ctx, uid)
	if err != nil {
		t.Fatal(err)
	}
	if err := f.s.SetLicenses(ctx, f.admin, uid, nil, true, u.LicensesVersion); err != nil {
		t.Fatal(err)
	}
	if fw, err = f.s.Forwarding(ctx, f.mailbox("meganb@contoso.com").ID); err != nil {
		t.Fatal(err)
	}
	if fw.OwnerUserID != uid || fw.Licensed {
		t.Fatalf("without licences: owner %d licensed %v, want %d false", fw.OwnerUserID, fw.Licensed, uid)
	}
}
