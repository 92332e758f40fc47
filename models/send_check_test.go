package models

import (
	"context"
	"testing"
)

func TestCheckSend(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	ctx := context.Background()
	f.grant("meganb@contoso.com", RightSendOnBehalf, "alexw@contoso.com")
	f.grant("meganb@contoso.com", RightFullAccess, "joniS@contoso.com")
	f.grant("meganb@contoso.com", RightSendOnBehalf, "salesteam@contoso.com")
	f.grant("johannal@contoso.com", RightSendAs, "marketingsg@contoso.com")
	f.grant("johannal@contoso.com", RightSendOnBehalf, "alexw@contoso.com")
	for _, tc := range []struct {
		sender, from string
		want         SendOutcome
		via          string
		fullOnly     bool
	}{
		{"alexw@contoso.com", "meganb@contoso.com", SendOnBehalfOf, "", false},
		{"jonis@contoso.com", "meganb@contoso.com", SendRefusedRight, "", true},
		{"diegos@contoso.com", "meganb@contoso.com", SendOnBehalfOf, "Sales Team", false},
		{"alexw@contoso.com", "johannal@contoso.com", SendAsMailbox, "MarketingSG", false}, // Send as wins
		{"adelev@contoso.com", "info@contoso.com", SendAsMailbox, "", false},
		{"adelev@contoso.com", "adele.vance@contoso.com", SendOwn, "", false},
		{"lynner@contoso.com", "meganb@contoso.com", SendRefusedRight, "", false},
	} {
		got, err := f.s.CheckSend(ctx, tc.sender, tc.from)
		if err != nil {
			t.Fatalf("%s from %s: %v", tc.sender, tc.from, err)
		}
		if got.Outcome != tc.want || got.Via != tc.via || got.FullAccessOnly != tc.fullOnly {
			t.Errorf("%s from %s = %s via %q fullOnly=%v, want %s via %q", tc.sender, tc.from, got.Outcome, got.Via, got.FullAccessOnly, tc.want, tc.via)
		}
	}
	_, err := f.s.CheckSend(ctx, "someone@gmail.com", "nobox@contoso.com")
	ve, ok := AsValidation(err)
	if !ok || ve.Fields["sender"].Key != "send.error.unknown_sender" || ve.Fields["from"].Key != "send.error.unknown_mailbox" {
		t.Fatalf("unknown addresses: %v", err)
	}
	_, err = f.s.CheckSend(ctx, "alexw@contoso.com", "salesteam@contoso.com")
	if ve, ok := AsValidation(err); !ok || ve.Fields["from"].Key != "send.error.unknown_mailbox" {
		t.Fatalf("a group is not a mailbox: %v", err)
	}
}
