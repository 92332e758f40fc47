package models

import (
	"context"
	"errors"
	"slices"
	"testing"

	"github.com/contoso/admincenter/models/dbtest"
)

// stored reads a recipient's stored alias and addresses as they are in
// the tables.
func (f *fixture) stored(recipientID uint) (string, []string) {
	f.t.Helper()
	var alias string
	if err := f.s.db.Model(&Recipient{}).Where("id = ?", recipientID).Select("alias").Scan(&alias).Error; err != nil {
		f.t.Fatal(err)
	}
	var addrs []string
	if err := f.s.db.Model(&EmailAddress{}).Where("recipient_id = ?", recipientID).Order("is_primary DESC, address").
		Pluck("address", &addrs).Error; err != nil {
		f.t.Fatal(err)
	}
	return alias, addrs
}

func TestAddressesAreStoredLowerCaseAliasAsTyped(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	ctx := context.Background()

	t.Run("a person: address and username lower-case, alias as typed; renaming the primary keeps the alias", func(t *testing.T) {
		f := f.on(t)
		id, _, err := f.s.CreateUser(ctx, f.admin, NewUser{DisplayName: "Jo Dekker", Alias: "Jo.Dekker", Domain: "Contoso.com",
			Password: TypedPassword("Jo-Pass-12345")})
		if err != nil {
			t.Fatal(err)
		}
		u, err := f.s.User(ctx, id)
		if err != nil {
			t.Fatal(err)
		}
		if u.PrimaryAddress != "jo.dekker@contoso.com" || u.Username != "jo.dekker@contoso.com" {
			t.Fatalf("primary %q, username %q", u.PrimaryAddress, u.Username)
		}
		if err := f.s.AddAlias(ctx, f.admin, id, "Jo.Sales", "contoso.nl"); err != nil {
			t.Fatal(err)
		}
		if err := f.s.SetPrimaryAddress(ctx, f.admin, id, "JO.SALES@CONTOSO.NL"); err != nil {
			t.Fatal(err)
		}
		alias, addrs := f.stored(u.RecipientID)
		if alias != "Jo.Dekker" || !slices.Equal(addrs, []string{"jo.sales@contoso.nl", "jo.dekker@contoso.com"}) {
			t.Fatalf("alias %q, addresses %v", alias, addrs)
		}
		// The same address in another case is the same address.
		err = f.s.AddAlias(ctx, f.admin, id, "JO.DEKKER", "contoso.com")
		var ve *ValidationError
		if !errors.As(err, &ve) || ve.Fields["alias"].Key != "addr.error.taken" {
			t.Fatalf("the own address in capitals: %v", err)
		}
		entries, err := f.s.DirectoryByIDs(ctx, []uint{u.RecipientID})
		if err != nil {
			t.Fatal(err)
		}
		if got := entries[u.RecipientID].Alias(); got != "Jo.Dekker" {
			t.Fatalf("directory alias %q", got)
		}
	})

	t.Run("a shared mailbox and its proxy address", func(t *testing.T) {
		f := f.on(t)
		id, err := f.s.CreateSharedMailbox(ctx, f.admin, "Verkoop Team", "VerkoopTeam", "contoso.com")
		if err != nil {
			t.Fatal(err)
		}
		if err := f.s.AddSharedAlias(ctx, f.admin, id, "Verkoop.NL", "contoso.nl"); err != nil {
			t.Fatal(err)
		}
		rid := f.recipient("verkoopteam@contoso.com")
		alias, addrs := f.stored(rid)
		if alias != "VerkoopTeam" || !slices.Equal(addrs, []string{"verkoopteam@contoso.com", "verkoop.nl@contoso.nl"}) {
			t.Fatalf("alias %q, addresses %v", alias, addrs)
		}
		// Info@Contoso.com is info@contoso.com: the proxy-address error.
		_, err = f.s.CreateSharedMailbox(ctx, f.admin, "Info two", "INFO", "contoso.com")
		var ve *ValidationError
		if !errors.As(err, &ve) || ve.Fields["alias"].Key != "addr.error.taken" {
			t.Fatalf("INFO@contoso.com: %v", err)
		}
	})

	t.Run("a group", func(t *testing.T) {
		f := f.on(t)
		id, err := f.s.CreateGroup(ctx, f.admin, NewGroup{Type: GroupDistribution, Name: "Field Team", Alias: "FieldTeam", Domain: "contoso.com",
			OwnerIDs: []uint{f.recipient("admin@contoso.com")}})
		if err != nil {
			t.Fatal(err)
		}
		var g Group
		if err := f.s.db.First(&g, id).Error; err != nil {
			t.Fatal(err)
		}
		alias, addrs := f.stored(g.RecipientID)
		if alias != "FieldTeam" || !slices.Equal(addrs, []string{"fieldteam@contoso.com"}) {
			t.Fatalf("alias %q, addresses %v", alias, addrs)
		}
	})

	t.Run("a contact's outside address and a forwarding address", func(t *testing.T) {
		f := f.on(t)
		if _, err := f.s.CreateMailContact(ctx, f.admin, MailContactForm{DisplayName: "Pat Smith", Address: "Pat.Smith@Fabrikam.COM"}); err != nil {
			t.Fatal(err)
		}
		rid := f.recipient("pat.smith@fabrikam.com")
		alias, addrs := f.stored(rid)
		if alias != "Pat.Smith" || !slices.Equal(addrs, []string{"pat.smith@fabrikam.com"}) {
			t.Fatalf("alias %q, addresses %v", alias, addrs)
		}
		mb := f.mailbox("alexw@contoso.com")
		cur, err := f.s.Forwarding(ctx, mb.ID)
		if err != nil {
			t.Fatal(err)
		}
		if err := f.s.SetForwarding(ctx, f.admin, mb.ID, ForwardingRequest{Enabled: true, Address: "Someone@Tailspin.example", Version: cur.Version}); err != nil {
			t.Fatal(err)
		}
		if cur, _ = f.s.Forwarding(ctx, mb.ID); cur.Address != "someone@tailspin.example" {
			t.Fatalf("forwarding address %q", cur.Address)
		}
	})
}

// TestMigrateAddressesOnAnOldDatabase opens a database shaped as before aliases
// were kept (no alias column, addresses as typed) and checks that the alias comes
// from the primary address as typed and that every address is lower-case after.
func TestMigrateAddressesOnAnOldDatabase(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	dsn := dbtest.DSN(t, "old")
	s, err := Open(ctx, dsn, fastHashing)
	if err != nil {
		t.Fatal(err)
	}
	if err := s.SeedDemo(ctx, testPassword); err != nil {
		t.Fatal(err)
	}
	// Make it old: addresses as they were typed, and no alias column.
	for _, stmt := range []string{
		`UPDATE email_addresses SET address = 'Info@Contoso.com' WHERE normalized = 'info@contoso.com'`,
		`UPDATE email_addresses SET address = 'AlexW@Contoso.com' WHERE normalized = 'alexw@contoso.com'`,
		`UPDATE mailboxes SET forwarding_address = 'Someone@Tailspin.example' WHERE recipient_id =
			(SELECT recipient_id FROM email_addresses WHERE normalized = 'meganb@contoso.com')`,
	} {
		if err := s.db.Exec(stmt).Error; err != nil {
			t.Fatal(err)
		}
	}
	// ALTER TABLE, not the migrator: SQLite's migrator copies the table, and dropping
	// the old copy would take the addresses with it (ON DELETE CASCADE).
	if err := s.db.Exec(`ALTER TABLE recipients DROP COLUMN alias`).Error; err != nil {
		t.Fatal(err)
	}
	// A database that old had no schema fingerprint either.
	if err := s.db.Exec(`DROP TABLE schema_states`).Error; err != nil {
		t.Fatal(err)
	}
	s.Close()

	s, err = Open(ctx, dsn, fastHashing)
	if err != nil {
		t.Fatalf("migrating the old database: %v", err)
	}
	defer s.Close()
	f := &fixture{t: t, s: s}
	for addr, want := range map[string]string{"info@contoso.com": "Info", "alexw@contoso.com": "AlexW", "meganb@contoso.com": "meganb"} {
		alias, addrs := f.stored(f.recipient(addr))
		if alias != want {
			t.Errorf("%s: alias %q, want %q", addr, alias, want)
		}
		for _, a := range addrs {
			if a != storedAddress(a) {
				t.Errorf("%s: address %q not lower-case", addr, a)
			}
		}
	}
	var mixed int64
	if err := s.db.Model(&EmailAddress{}).Where("address <> normalized").Count(&mixed).Error; err != nil {
		t.Fatal(err)
	}
	if mixed != 0 {
		t.Errorf("%d addresses differ from their lower-case form", mixed)
	}
	var fwd string
	if err := s.db.Model(&Mailbox{}).Where("recipient_id = ?", f.recipient("meganb@contoso.com")).Select("forwarding_address").Scan(&fwd).Error; err != nil {
		t.Fatal(err)
	}
	if fwd != "someone@tailspin.example" {
		t.Errorf("forwarding address %q", fwd)
	}
	// A security group has no address, so no alias.
	var empty int64
	if err := s.db.Model(&Recipient{}).Where("alias = '' AND EXISTS (SELECT 1 FROM email_addresses e WHERE e.recipient_id = recipients.id)").
		Count(&empty).Error; err != nil {
		t.Fatal(err)
	}
	if empty != 0 {
		t.Errorf("%d recipients with an address and no alias", empty)
	}
	// Opening again changes nothing.
	s2, err := Open(ctx, dsn, fastHashing)
	if err != nil {
		t.Fatal(err)
	}
	s2.Close()
}
