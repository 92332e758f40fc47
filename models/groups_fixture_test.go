package models

import (
	"context"
	"errors"
	"testing"
)

// Helpers for the group and contact tests.

// as is an admin holding one role.
func as(role Role) *Admin {
	return &Admin{UserID: 1, Username: string(role) + "@contoso.com", Roles: []Role{role}}
}

// group returns the id of the group with the address or name.
func (f *fixture) group(name string) uint {
	f.t.Helper()
	for _, t := range GroupTypes {
		list, err := f.s.Groups(context.Background(), GroupQuery{Type: t, Search: name, Page: Page{Size: 100}})
		if err != nil {
			f.t.Fatal(err)
		}
		for _, r := range list.Rows {
			if r.DisplayName == name || r.Address == name {
				return r.ID
			}
		}
	}
	f.t.Fatalf("no group %s", name)
	return 0
}

// contact returns the id of the mail contact with the address.
func (f *fixture) contact(addr string) uint {
	f.t.Helper()
	id, err := f.s.MailContactIDOfRecipient(context.Background(), f.recipient(addr))
	if err != nil {
		f.t.Fatalf("%s: %v", addr, err)
	}
	return id
}

// newGroup creates a group as the Global administrator and fails the test on an error.
func (f *fixture) newGroup(t GroupType, name, alias string, owners []string, members ...string) uint {
	f.t.Helper()
	req := NewGroup{Type: t, Name: name, Alias: alias, Domain: "contoso.com"}
	for _, o := range owners {
		req.OwnerIDs = append(req.OwnerIDs, f.recipient(o))
	}
	for _, m := range members {
		req.MemberIDs = append(req.MemberIDs, f.recipient(m))
	}
	id, err := f.s.CreateGroup(context.Background(), f.admin, req)
	if err != nil {
		f.t.Fatalf("create %s: %v", name, err)
	}
	return id
}

// newContact creates a mail contact as the Global administrator.
func (f *fixture) newContact(name, addr string) uint {
	f.t.Helper()
	id, err := f.s.CreateMailContact(context.Background(), f.admin, MailContactForm{DisplayName: name, Address: addr})
	if err != nil {
		f.t.Fatalf("create contact %s: %v", addr, err)
	}
	return id
}

// fingerprint is the database's fingerprint, for proving nothing changed.
func (f *fixture) fingerprint() string {
	f.t.Helper()
	fp, err := f.s.Fingerprint(context.Background())
	if err != nil {
		f.t.Fatal(err)
	}
	return fp
}

// unchanged runs fn and fails when it changed the database.
func (f *fixture) unchanged(fn func()) {
	f.t.Helper()
	before := f.fingerprint()
	fn()
	if f.fingerprint() != before {
		f.t.Fatal("a refused change changed the database")
	}
}

func wantField(t *testing.T, err error, field, key string) {
	t.Helper()
	ve, ok := AsValidation(err)
	if !ok {
		t.Fatalf("got %v, want %s on %s", err, key, field)
	}
	if got := ve.Fields[field].Key; got != key {
		t.Fatalf("%s: got %q, want %q (%v)", field, got, key, ve)
	}
}

func wantErr(t *testing.T, err, want error) {
	t.Helper()
	if !errors.Is(err, want) {
		t.Fatalf("got %v, want %v", err, want)
	}
}

func candidateNames(cs []Candidate) []string {
	out := make([]string, len(cs))
	for i, c := range cs {
		out[i] = c.DisplayName
	}
	return out
}
