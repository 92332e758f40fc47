package web

import (
	"context"
	"testing"
)

// groupID is the group with the address.
func groupID(t *testing.T, a *app, addr string) uint {
	t.Helper()
	rid, err := a.store.RecipientByAddress(context.Background(), addr)
	if err != nil {
		t.Fatal(err)
	}
	id, err := a.store.GroupIDOfRecipient(context.Background(), rid)
	if err != nil {
		t.Fatal(err)
	}
	return id
}

// contactID is the mail contact with the address.
func contactID(t *testing.T, a *app, addr string) uint {
	t.Helper()
	rid, err := a.store.RecipientByAddress(context.Background(), addr)
	if err != nil {
		t.Fatal(err)
	}
	id, err := a.store.MailContactIDOfRecipient(context.Background(), rid)
	if err != nil {
		t.Fatal(err)
	}
	return id
}
