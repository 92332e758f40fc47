package models

import (
	"context"
	"errors"
	"slices"
	"testing"
)

func TestAliasFromName(t *testing.T) {
	t.Parallel()
	for name, want := range map[string]string{
		"Info":                  "info",
		"Sales Team":            "salesteam",
		"Klantenservice België": "klantenservicebelgie",
		"Åse Ødegård":           "aseodegard",
		"Straße & Co.":          "strasseco",
		"  R&D (intern)!  ":     "rdintern",
		"ops.team":              "ops.team",
		"...":                   "",
		"Ünïcödé—Ñame":          "unicodename",
		"日本":                    "",
	} {
		if got := AliasFromName(name); got != want {
			t.Errorf("AliasFromName(%q) = %q, want %q", name, got, want)
		}
	}
}

func TestContactAndAddresses(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	ctx := context.Background()
	alex := f.user("alexw@contoso.com")
	t.Run("contact details change once per version and rename the search", func(t *testing.T) {
		f := f.on(t)
		v, _ := f.s.UserVersion(ctx, alex)
		if err := f.s.UpdateContact(ctx, f.admin, alex, Contact{FirstName: "Alex", LastName: "Wilber", DisplayName: "Alex W. Wilber", JobTitle: "Marketing Lead", Version: v}); err != nil {
			t.Fatal(err)
		}
		if err := f.s.UpdateContact(ctx, f.admin, alex, Contact{DisplayName: "Stale", Version: v}); !errors.Is(err, ErrStale) {
			t.Fatalf("stale contact form: %v", err)
		}
		if list := mustUsers(t, f.s, UserQuery{Search: "alex w."}); len(list.Rows) != 1 || list.Rows[0].DisplayName != "Alex W. Wilber" {
			t.Fatalf("renamed = %v", names(list.Rows))
		}
	})
	t.Run("an alias can become the primary address; the username stays", func(t *testing.T) {
		f := f.on(t)
		if err := f.s.AddAlias(ctx, f.admin, alex, "alex.wilber", "contoso.nl"); err != nil {
			t.Fatal(err)
		}
		if err := f.s.AddAlias(ctx, f.admin, alex, "Info", "contoso.com"); fieldKey(err, "alias") != "addr.error.taken" {
			t.Fatalf("taken alias: %v", err)
		}
		if err := f.s.SetPrimaryAddress(ctx, f.admin, alex, "ALEX.WILBER@contoso.nl"); err != nil {
			t.Fatal(err)
		}
		u, _ := f.s.User(ctx, alex)
		if u.PrimaryAddress != "alex.wilber@contoso.nl" || !slices.Equal(u.Aliases, []string{"alexw@contoso.com"}) {
			t.Fatalf("addresses = %s %v", u.PrimaryAddress, u.Aliases)
		}
		if u.Username != "alexw@contoso.com" {
			t.Fatalf("the primary address changed the username to %s", u.Username)
		}
	})
	t.Run("the primary address stays; a removed alias is free", func(t *testing.T) {
		f := f.on(t)
		if err := f.s.RemoveAlias(ctx, f.admin, alex, "alex.wilber@contoso.nl"); fieldKey(err, "alias") != "addr.error.remove_primary" {
			t.Fatalf("remove primary: %v", err)
		}
		if err := f.s.RemoveAlias(ctx, f.admin, alex, "alexw@contoso.com"); err != nil {
			t.Fatal(err)
		}
		// Still his username: no one else may take it as an address, he may again.
		if _, fe, _ := f.s.AddressAvailable(ctx, "alexw", "contoso.com"); fe == nil || fe.Args["Owner"] != "Alex W. Wilber" {
			t.Fatalf("someone's username is free as an address: %+v", fe)
		}
		if err := f.s.AddAlias(ctx, f.admin, alex, "alexw", "contoso.com"); err != nil {
			t.Fatalf("his own username back as an address: %v", err)
		}
		if err := f.s.RemoveAlias(ctx, f.admin, alex, "alexw@contoso.com"); err != nil {
			t.Fatal(err)
		}
		if _, fe, _ := f.s.AddressAvailable(ctx, "alex.wilber", "contoso.com"); fe != nil {
			t.Fatal("an address no one uses is taken")
		}
	})
}
