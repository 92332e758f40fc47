package models

import (
	"context"
	"testing"
)

func TestUsageLocationCodes(t *testing.T) {
	for typed, want := range map[string]string{"NL": "NL", "nl": "NL", " us ": "US", "": "", "ax": "AX", "GB": "GB"} {
		if got, err := UsageLocation(typed); err != nil || got != want {
			t.Errorf("UsageLocation(%q) = %q, %v; want %q", typed, got, err, want)
		}
	}
	for _, typed := range []string{"XX", "UK", "EU", "NLD", "N", "1A", "N L", "🇳🇱"} {
		_, err := UsageLocation(typed)
		if ve, ok := AsValidation(err); !ok || ve.Fields["usage_location"].Key != "user.error.usage_location" {
			t.Errorf("UsageLocation(%q): %v, want the usage_location error", typed, err)
		}
	}
}

func TestUsageLocationOnCreateAndChange(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	id, _, err := f.s.CreateUser(ctx, f.admin, NewUser{FirstName: "Loc", LastName: "Ated", Alias: "located", Domain: "contoso.com",
		Password: TypedPassword("Located-Pass-2026!"), UsageLocation: "de"})
	if err != nil {
		t.Fatal(err)
	}
	location := func() string {
		var u User
		if err := f.s.db.First(&u, id).Error; err != nil {
			t.Fatal(err)
		}
		return u.UsageLocation
	}
	if got := location(); got != "DE" {
		t.Errorf("created with %q", got)
	}
	bad, good := "XX", "fr"
	if err := f.s.ChangeUser(ctx, f.admin, id, UserChange{UsageLocation: &bad, JobTitle: &good}); err == nil {
		t.Error("a bad code was accepted")
	}
	if got := location(); got != "DE" {
		t.Errorf("after a refused change: %q", got)
	}
	if err := f.s.ChangeUser(ctx, f.admin, id, UserChange{UsageLocation: &good}); err != nil {
		t.Fatal(err)
	}
	if got := location(); got != "FR" {
		t.Errorf("after a change: %q", got)
	}
	if _, _, err := f.s.CreateUser(ctx, f.admin, NewUser{FirstName: "No", LastName: "Where", Alias: "nowhere", Domain: "contoso.com",
		Password: TypedPassword("Located-Pass-2026!"), UsageLocation: "ZZ"}); err == nil {
		t.Error("created with a bad code")
	}
}
