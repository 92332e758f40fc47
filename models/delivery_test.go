package models

import (
	"context"
	"testing"
)

func TestTraceDelivery(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	ctx := context.Background()
	// Sales Team holds Diego and Johanna, and a nested list that holds Johanna again.
	nested := Recipient{Kind: KindGroup, DisplayName: "Sales NL", SortName: "sales nl", Addresses: []EmailAddress{{Address: "salesnl@contoso.nl", Normalized: "salesnl@contoso.nl", IsPrimary: true}}}
	f.s.db.Create(&nested)
	ng := Group{RecipientID: nested.ID, Type: GroupDistribution}
	f.s.db.Create(&ng)
	var sales Group
	f.s.db.Where("recipient_id = ?", f.recipient("salesteam@contoso.com")).First(&sales)
	f.s.db.Create(&GroupMember{GroupID: sales.ID, MemberID: nested.ID})
	f.s.db.Create(&GroupMember{GroupID: ng.ID, MemberID: f.recipient("johannal@contoso.com")})
	f.s.db.Create(&GroupMember{GroupID: ng.ID, MemberID: f.recipient("flips@contoso.com")})
	f.s.db.Create(&GroupMember{GroupID: ng.ID, MemberID: sales.RecipientID}) // a cycle of lists
	if err := f.forward("diegos@contoso.com", "info@contoso.com", true); err != nil {
		t.Fatal(err)
	}
	if err := f.forward("flips@contoso.com", "adelev@contoso.com", false); err != nil {
		t.Fatal(err)
	}
	for addr, want := range map[string]string{
		"salesteam@contoso.com": "expanded:Sales Team mailbox:Diego Siciliani forwarded:Diego Siciliani mailbox:Johanna Lorenz expanded:Sales NL mailbox:Info skipped:Flip Schoonen forwarded:Flip Schoonen mailbox:Adele Vance",
		"flip@contoso.nl":       "skipped:Flip Schoonen forwarded:Flip Schoonen mailbox:Adele Vance",
		"info@contoso.com":      "mailbox:Info",
		"someone@fabrikam.com":  "external:someone@fabrikam.com",
		"ghost@contoso.com":     "unknown:ghost@contoso.com",
	} {
		tr, err := f.s.TraceDelivery(ctx, addr)
		if err != nil {
			t.Fatal(err)
		}
		if got := kinds(tr); got != want {
			t.Errorf("%s:\n got %s\nwant %s", addr, got, want)
		}
	}
	if _, err := f.s.TraceDelivery(ctx, "a@b.com, c@d.com"); fieldKey(err, "address") != "delivery.error.one_address" {
		t.Fatalf("two addresses: %v", err)
	}
}
