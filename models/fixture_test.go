package models

import (
	"context"
	"fmt"
	"strings"
	"testing"

	"golang.org/x/crypto/bcrypt"

	"github.com/contoso/admincenter/models/dbtest"
)

const testPassword = "Test-Pass-1234"

// fastHashing lowers bcrypt's work factor: it only slows guessing, and tests need speed.
var fastHashing = WithPasswordCost(bcrypt.MinCost)

// newDemoStore opens a fresh SQLite file in a temp dir with the demo tenant.
func newDemoStore(t *testing.T) *Store {
	t.Helper()
	ctx := context.Background()
	s, err := Open(ctx, dbtest.DSN(t, "test"), fastHashing)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	if err := s.SeedDemo(ctx, testPassword); err != nil {
		t.Fatal(err)
	}
	return s
}

// fixture looks up demo people, groups and mailboxes by address.
type fixture struct {
	t     *testing.T
	s     *Store
	admin *Admin
}

func newFixture(t *testing.T) *fixture {
	t.Helper()
	s := newDemoStore(t)
	admin, err := s.Authenticate(context.Background(), "admin@contoso.com", testPassword)
	if err != nil {
		t.Fatal(err)
	}
	return &fixture{t: t, s: s, admin: admin}
}

// on is the fixture for a subtest: its helpers fail the subtest, not the parent.
func (f *fixture) on(t *testing.T) *fixture { return &fixture{t: t, s: f.s, admin: f.admin} }

func (f *fixture) recipient(addr string) uint {
	f.t.Helper()
	id, err := f.s.RecipientByAddress(context.Background(), addr)
	if err != nil {
		f.t.Fatalf("%s: %v", addr, err)
	}
	return id
}

func (f *fixture) mailbox(addr string) *MailboxRef {
	f.t.Helper()
	mb, err := f.s.mailboxRef(context.Background(), "m.recipient_id = ?", f.recipient(addr))
	if err != nil {
		f.t.Fatalf("%s: %v", addr, err)
	}
	return mb
}

func (f *fixture) grant(mailbox string, right Right, trustees ...string) (int, error) {
	f.t.Helper()
	req := GrantRequest{MailboxID: f.mailbox(mailbox).ID, Right: right, AutoMapping: true}
	for _, t := range trustees {
		req.TrusteeIDs = append(req.TrusteeIDs, f.recipient(t))
	}
	res, err := f.s.GrantPermissions(context.Background(), f.admin, req)
	if err != nil {
		return 0, err
	}
	return res.Added, nil
}

func (f *fixture) holders(mailbox string, right Right) []string {
	f.t.Helper()
	acc, err := f.s.MailboxAccess(context.Background(), f.mailbox(mailbox).ID)
	if err != nil {
		f.t.Fatal(err)
	}
	var out []string
	for _, h := range acc.Holders[right] {
		if h.Direct() {
			out = append(out, h.DisplayName)
		} else {
			out = append(out, h.DisplayName+" via "+h.ViaName)
		}
	}
	return out
}

func (f *fixture) count(right Right) int64 {
	var n int64
	f.s.db.Model(&MailboxPermission{}).Where("access_right = ?", right).Count(&n)
	return n
}

func wantKey(t *testing.T, err error, key string) {
	t.Helper()
	ve, ok := AsValidation(err)
	if !ok {
		t.Fatalf("got %v, want validation error %s", err, key)
	}
	if got := ve.Fields["trustee"].Key; got != key {
		t.Fatalf("got %s, want %s", got, key)
	}
}

func (f *fixture) user(addr string) uint {
	f.t.Helper()
	id, err := f.s.UserIDByAddress(context.Background(), addr)
	if err != nil {
		f.t.Fatalf("%s: %v", addr, err)
	}
	return id
}

func (f *fixture) license(sku string) LicenseUsage {
	f.t.Helper()
	ls, err := f.s.Licenses(context.Background())
	if err != nil {
		f.t.Fatal(err)
	}
	for _, l := range ls {
		if l.SKU == sku {
			return l
		}
	}
	f.t.Fatalf("no license %s", sku)
	return LicenseUsage{}
}

func (f *fixture) forward(mailbox, to string, keep bool, opts ...func(*ForwardingRequest)) error {
	f.t.Helper()
	ctx := context.Background()
	mb := f.mailbox(mailbox)
	cur, err := f.s.Forwarding(ctx, mb.ID)
	if err != nil {
		f.t.Fatal(err)
	}
	req := ForwardingRequest{Enabled: to != "", Address: to, KeepCopy: keep, Version: cur.Version}
	for _, o := range opts {
		o(&req)
	}
	return f.s.SetForwarding(ctx, f.admin, mb.ID, req)
}

func fieldKey(err error, field string) string {
	if ve, ok := AsValidation(err); ok {
		return ve.Fields[field].Key
	}
	return fmt.Sprint(err)
}

func names(rows []UserRow) []string {
	out := make([]string, len(rows))
	for i, r := range rows {
		out[i] = r.DisplayName
	}
	return out
}

func mustUsers(t *testing.T, s *Store, q UserQuery) *UserList {
	t.Helper()
	list, err := s.Users(context.Background(), q)
	if err != nil {
		t.Fatal(err)
	}
	return list
}

func lower(ss []string) []string {
	out := make([]string, len(ss))
	for i, s := range ss {
		out[i] = sortName(s)
	}
	return out
}

func kinds(tr *DeliveryTrace) string {
	var out []string
	for _, s := range tr.Steps {
		who := s.Name
		if who == "" {
			who = s.Address
		}
		out = append(out, string(s.Kind)+":"+who)
	}
	return strings.Join(out, " ")
}
