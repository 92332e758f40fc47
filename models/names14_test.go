package models

import (
	"context"
	"testing"
)

// nameTaken reports whether err is the name-in-use error with key on field.
func nameTaken(err error, field, key string) bool {
	ve, ok := AsValidation(err)
	return ok && ve.Fields[field].Key == key
}

// TestNamesAreUniqueForEveryRecipient: a second recipient can't get a name another
// has, whichever path creates or renames it (the one rule, nameFree): groups (Add a
// group, New-DistributionGroup and the EAC call CreateGroup / UpdateGroupBasics),
// mail contacts (CreateMailContact / UpdateMailContact), shared mailboxes (create,
// rename, the EAC's General section) and converting a person's mailbox to shared.
// People, security groups that aren't mail-enabled and Graph's groups may share a
// name, as in the real services (issue 14).
func TestNamesAreUniqueForEveryRecipient(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	ctx := context.Background()
	const groupKey, sharedKey = "name14.error.taken", "shared14.error.name_taken"

	t.Run("a mail-enabled group named like a shared mailbox", func(t *testing.T) {
		for _, typ := range []GroupType{GroupDistribution, GroupMailSecurity, GroupM365} {
			_, err := f.s.CreateGroup(ctx, f.admin, NewGroup{Type: typ, Name: "info", Alias: "info-" + string(typ), Domain: "contoso.com",
				OwnerIDs: []uint{f.recipient("meganb@contoso.com")}})
			if !nameTaken(err, "name", groupKey) {
				t.Errorf("%s: %v", typ, err)
			}
			// The wizard's Basics step says so before the last step.
			if err := f.s.CheckGroupStep(ctx, f.admin, NewGroup{Type: typ, Name: "INFO"}, StepGroupBasics); !nameTaken(err, "name", groupKey) {
				t.Errorf("%s basics step: %v", typ, err)
			}
		}
	})
	t.Run("a security group, not mail-enabled, and Graph's groups may share a name", func(t *testing.T) {
		if _, err := f.s.CreateGroup(ctx, f.admin, NewGroup{Type: GroupSecurity, Name: "Info", OwnerIDs: []uint{f.recipient("meganb@contoso.com")}}); err != nil {
			t.Errorf("security group: %v", err)
		}
		if _, err := f.s.CreateGroup(ctx, f.admin, NewGroup{Type: GroupM365, Name: "Info", Alias: "info-graph", Domain: "contoso.com",
			OwnerIDs: []uint{f.recipient("meganb@contoso.com")}, DuplicateNameAllowed: true}); err != nil {
			t.Errorf("Graph group: %v", err)
		}
	})
	t.Run("renaming a group to a name in use", func(t *testing.T) {
		id, err := f.s.CreateGroup(ctx, f.admin, NewGroup{Type: GroupDistribution, Name: "Volunteers", Alias: "volunteers", Domain: "contoso.com",
			OwnerIDs: []uint{f.recipient("meganb@contoso.com")}})
		if err != nil {
			t.Fatal(err)
		}
		if err := f.s.UpdateGroupBasics(ctx, f.admin, id, "Sales Team", "", 1); !nameTaken(err, "name", groupKey) {
			t.Errorf("rename to Sales Team: %v", err)
		}
		if err := f.s.UpdateGroupBasics(ctx, f.admin, id, "VOLUNTEERS", "", 1); err != nil {
			t.Errorf("its own name in another case: %v", err)
		}
	})
	t.Run("a mail contact, created and renamed", func(t *testing.T) {
		_, err := f.s.CreateMailContact(ctx, f.admin, MailContactForm{DisplayName: "Sales Team", Address: "sales@fabrikam.com"})
		if !nameTaken(err, "display_name", groupKey) {
			t.Errorf("create: %v", err)
		}
		id, err := f.s.CreateMailContact(ctx, f.admin, MailContactForm{DisplayName: "Ann Lee", Address: "ann@fabrikam.com"})
		if err != nil {
			t.Fatal(err)
		}
		err = f.s.UpdateMailContact(ctx, f.admin, id, MailContactForm{DisplayName: "Ben Smith", Address: "ann@fabrikam.com", Version: 1})
		if !nameTaken(err, "display_name", groupKey) {
			t.Errorf("rename to Ben Smith: %v", err)
		}
	})
	t.Run("a shared mailbox, created, renamed and in the EAC", func(t *testing.T) {
		if _, err := f.s.CreateSharedMailbox(ctx, f.admin, "Sales Team", "salesdesk", "contoso.com"); !nameTaken(err, "name", sharedKey) {
			t.Errorf("create: %v", err)
		}
		reception := f.mailbox("reception@contoso.com")
		if err := f.s.RenameSharedMailbox(ctx, f.admin, reception.ID, "Ben Smith", 1); !nameTaken(err, "name", sharedKey) {
			t.Errorf("rename: %v", err)
		}
		err := f.s.UpdateMailboxGeneral(ctx, f.admin, reception.ID, MailboxGeneral{DisplayName: "info", Version: 1})
		if !nameTaken(err, "display_name", sharedKey) {
			t.Errorf("EAC General: %v", err)
		}
	})
	t.Run("two people may share a name, but not as shared mailboxes", func(t *testing.T) {
		e5 := f.license("O365_BUSINESS_PREMIUM")
		id, _, err := f.s.CreateUser(ctx, f.admin, NewUser{DisplayName: "Info", Alias: "info.person", Domain: "contoso.com",
			Password: TypedPassword("Info-Pass-123"), LicenseIDs: []uint{e5.ID}})
		if err != nil {
			t.Fatalf("a person named Info: %v", err)
		}
		if err := f.s.ConvertToShared(ctx, f.admin, id, ConvertOptions{}); !nameTaken(err, "", sharedKey) {
			t.Errorf("convert: %v", err)
		}
	})
}
