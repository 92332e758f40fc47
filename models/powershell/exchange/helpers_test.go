package exchange

import (
	"context"
	"strings"
	"testing"

	"golang.org/x/crypto/bcrypt"

	"github.com/contoso/admincenter/models"
	"github.com/contoso/admincenter/models/dbtest"
	"github.com/contoso/admincenter/models/powershell"
)

const testPassword = "Test-Pass-1234"

// tenant is the demo tenant in a fresh database with an engine over it.
type tenant struct {
	t      *testing.T
	store  *models.Store
	engine *powershell.Engine
	admins map[string]*models.Admin
}

func newTenant(t *testing.T) *tenant {
	t.Helper()
	ctx := context.Background()
	s, err := models.Open(ctx, dbtest.DSN(t, "ps"), models.WithPasswordCost(bcrypt.MinCost))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	if err := s.SeedDemo(ctx, testPassword); err != nil {
		t.Fatal(err)
	}
	return &tenant{t: t, store: s, engine: powershell.New(NewRegistry(s)), admins: map[string]*models.Admin{}}
}

// as returns the admin signed in with an address.
func (tn *tenant) as(addr string) *models.Admin {
	tn.t.Helper()
	if a, ok := tn.admins[addr]; ok {
		return a
	}
	a, err := tn.store.Authenticate(context.Background(), addr, testPassword)
	if err != nil {
		tn.t.Fatalf("%s: %v", addr, err)
	}
	tn.admins[addr] = a
	return a
}

const (
	globalAdmin  = "admin@contoso.com"
	exchangeAdm  = "pattif@contoso.com"
	globalReader = "miriamg@contoso.com"
	helpdesk     = "leeg@contoso.com"
)

// run runs a line as an admin.
func (tn *tenant) run(who, line string) *powershell.Result {
	tn.t.Helper()
	return tn.engine.Run(context.Background(), tn.as(who), line)
}

// ok runs a line that must not fail and returns its console text.
func (tn *tenant) ok(who, line string) string {
	tn.t.Helper()
	res := tn.run(who, line)
	if res.Failed() {
		tn.t.Fatalf("%s: %s", line, res.Text())
	}
	return res.Text()
}

// fails runs a line that must fail with an error whose message contains want.
func (tn *tenant) fails(who, line, want string) *powershell.ErrorRecord {
	tn.t.Helper()
	res := tn.run(who, line)
	if !res.Failed() {
		tn.t.Fatalf("%s succeeded: %s", line, res.Text())
	}
	if !strings.Contains(res.Errors[0].Message, want) {
		tn.t.Fatalf("%s: error %q, want %q", line, res.Errors[0].Message, want)
	}
	return res.Errors[0]
}

func (tn *tenant) fingerprint() string {
	tn.t.Helper()
	fp, err := tn.store.Fingerprint(context.Background())
	if err != nil {
		tn.t.Fatal(err)
	}
	return fp
}

// prop returns a property of the only output object, as text.
func prop(t *testing.T, res *powershell.Result, name string) any {
	t.Helper()
	if len(res.Output) != 1 {
		t.Fatalf("%d objects: %s", len(res.Output), res.Text())
	}
	o, ok := res.Output[0].(*powershell.Object)
	if !ok {
		t.Fatalf("output %T", res.Output[0])
	}
	v, _ := o.Get(name)
	return v
}
