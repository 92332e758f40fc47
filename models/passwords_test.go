package models

import (
	"context"
	"testing"
)

func TestPasswordAndAliasRules(t *testing.T) {
	t.Parallel()
	for pw, want := range map[string]string{"Short1!": "pw.error.length", "alllowercase": "pw.error.weak", "lower1234": "pw.error.weak", "Lower1234": "", "lower-12345": ""} {
		got := ""
		if fe := CheckPassword(pw); fe != nil {
			got = fe.Key
		}
		if got != want {
			t.Errorf("CheckPassword(%q) = %q, want %q", pw, got, want)
		}
	}
	for i := 0; i < 20; i++ {
		pw, err := GeneratePassword()
		if err != nil || CheckPassword(pw) != nil {
			t.Fatalf("generated %q: %v", pw, err)
		}
	}
	for alias, want := range map[string]string{"": "addr.error.alias_required", "a b": "addr.error.alias_invalid", ".a": "addr.error.alias_invalid", "a..b": "addr.error.alias_invalid", "jan.de-vries": "", "é": "addr.error.alias_invalid"} {
		got := ""
		if fe := CheckAlias(alias); fe != nil {
			got = fe.Key
		}
		if got != want {
			t.Errorf("CheckAlias(%q) = %q, want %q", alias, got, want)
		}
	}
}

func TestTypedPasswordsAreNeverReplaced(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	ctx := context.Background()
	patti := f.user("pattif@contoso.com")
	for _, typed := range []string{"", "   ", "        "} {
		before, _ := f.s.Fingerprint(ctx)
		_, err := f.s.ResetPassword(ctx, f.admin, patti, TypedPassword(typed), false)
		if key := fieldKey(err, "password"); key != "pw.error.length" && key != "pw.error.weak" {
			t.Errorf("typed %q: %v", typed, err)
		}
		if after, _ := f.s.Fingerprint(ctx); after != before {
			t.Errorf("typed %q: a refused password changed something", typed)
		}
		_, _, err = f.s.CreateUser(ctx, f.admin, NewUser{DisplayName: "Typed", Alias: "typed", Domain: "contoso.com", Password: TypedPassword(typed)})
		if key := fieldKey(err, "password"); key != "pw.error.length" && key != "pw.error.weak" {
			t.Errorf("new user, typed %q: %v", typed, err)
		}
	}
	if _, err := f.s.Authenticate(ctx, "pattif@contoso.com", testPassword); err != nil {
		t.Fatalf("the old password stopped working: %v", err)
	}
	pw, err := f.s.ResetPassword(ctx, f.admin, patti, TypedPassword("Typed-Pass-1"), false)
	if err != nil || pw != "Typed-Pass-1" {
		t.Fatalf("a good typed password: %q %v", pw, err)
	}
	if ParsePasswordMode("manual") != PasswordTyped || ParsePasswordMode("") != PasswordGenerated || ParsePasswordMode("x") != PasswordGenerated {
		t.Fatal("password modes")
	}
}
