package models

import (
	"context"
	"testing"
)

// Seed 004, troubleshooting: a second shared mailbox named Info is refused with the
// proxy-address message, even on another domain; another name with the address
// wanted works.
func TestSharedMailboxNamesAreUnique(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	ctx := context.Background()
	for _, name := range []string{"Info", "INFO", " info "} {
		_, err := f.s.CreateSharedMailbox(ctx, f.admin, name, "info", "contoso.nl")
		ve, ok := AsValidation(err)
		if !ok || ve.Fields["name"].Key != "shared14.error.name_taken" {
			t.Fatalf("%q: %v", name, err)
		}
		if a := ve.Fields["name"].Args; a["Proxy"] != "info@contoso.com" || a["Owner"] != "Info" || a["Suggestion"] == "" {
			t.Fatalf("%q: args %v", name, a)
		}
	}
	id, err := f.s.CreateSharedMailbox(ctx, f.admin, "Info NL", "info", "contoso.nl")
	if err != nil {
		t.Fatal(err)
	}
	mb, _ := f.s.Mailbox(ctx, id)
	if mb.Address != "info@contoso.nl" || mb.DisplayName != "Info NL" {
		t.Fatalf("created %q %q", mb.DisplayName, mb.Address)
	}
	// Renaming follows the same rule; a mailbox may change the case of its own name.
	err = f.s.RenameSharedMailbox(ctx, f.admin, id, "info", mb.Version)
	if ve, ok := AsValidation(err); !ok || ve.Fields["name"].Key != "shared14.error.name_taken" {
		t.Fatalf("rename to another's name: %v", err)
	}
	if err := f.s.RenameSharedMailbox(ctx, f.admin, id, "INFO nl", mb.Version); err != nil {
		t.Fatalf("rename own case: %v", err)
	}
}
