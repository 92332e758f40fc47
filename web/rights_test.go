package web

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/contoso/admincenter/models"
)

// The rights on targets (issue 12): every role against every kind of person on
// every route that changes one person (or the mailbox converted from theirs). The
// table of who may act on whose account is Entra's ("Who can reset passwords",
// "Who can perform sensitive actions"), written out here on its own so the test
// does not take the model's word for it.

// targetKinds are the kinds of person a change can be aimed at: no admin role, or
// one of the six.
var targetKinds = append([]string{"user"}, func() []string {
	var out []string
	for _, r := range models.Roles {
		out = append(out, string(r))
	}
	return out
}()...)

// accountReach: per role that changes accounts, the kinds of person it may change.
var accountReach = map[models.Role][]string{
	models.RoleGlobalAdmin:   targetKinds,
	models.RoleUserAdmin:     {"user", string(models.RoleUserAdmin), string(models.RoleHelpdeskAdmin)},
	models.RoleHelpdeskAdmin: {"user", string(models.RoleHelpdeskAdmin)},
}

// account: the role allows the action and reaches the person's account.
func account(act models.Action) func(models.Role, string) bool {
	return func(r models.Role, kind string) bool { return r.Can(act) && slices.Contains(accountReach[r], kind) }
}

// anyone: the role allows the action, whoever the person is (mailbox settings,
// licenses, roles).
func anyone(act models.Action) func(models.Role, string) bool {
	return func(r models.Role, _ string) bool { return r.Can(act) }
}

func both(a, b func(models.Role, string) bool) func(models.Role, string) bool {
	return func(r models.Role, kind string) bool { return a(r, kind) && b(r, kind) }
}

// target is a fresh person of a kind, with a licensed mailbox, an alias and a Read
// and manage grant on their mailbox; converted when the route acts on the shared
// mailbox made from theirs, deleted for the deleted kinds.
type target struct {
	id, mailbox uint
	kind        string
	n           int
	alias       string
	deleted     bool
}

type rightsRoute struct {
	name string
	// path and form for a target.
	path func(a *app, t *target) string
	form func(a *app, t *target) url.Values
	// allowed says who may, for a live target of a kind.
	allowed func(models.Role, string) bool
	// converted routes act on the target's mailbox converted to shared; restore
	// acts only on deleted targets.
	converted, restore bool
}

func personPath(suffix string) func(*app, *target) string {
	return func(_ *app, t *target) string { return "/users/" + itoa(t.id) + suffix }
}

func sharedPath(suffix string) func(*app, *target) string {
	return func(_ *app, t *target) string { return "/shared-mailboxes/" + itoa(t.mailbox) + suffix }
}

func values(kv ...string) func(*app, *target) url.Values {
	return func(*app, *target) url.Values {
		v := url.Values{}
		for i := 0; i+1 < len(kv); i += 2 {
			v.Add(kv[i], kv[i+1])
		}
		return v
	}
}

// mailboxVersion is the version the target's mailbox forms are based on.
func (a *app) mailboxVersion(t *target) string {
	a.t.Helper()
	mb, err := a.store.Mailbox(context.Background(), t.mailbox)
	if err != nil {
		a.t.Fatal(err)
	}
	return itoa(uint(mb.Version))
}

func rightsRoutes(a *app) []rightsRoute {
	alex := a.recipient("alexw@contoso.com")
	std, bi := a.licenseID("O365_BUSINESS_PREMIUM"), a.licenseID("POWER_BI_STANDARD")
	alias := func(key string) func(*app, *target) url.Values {
		return func(_ *app, t *target) url.Values { return url.Values{key: {t.alias}} }
	}
	return []rightsRoute{
		{name: "licenses", path: personPath("/licenses"), allowed: anyone(models.ActionManageLicenses),
			form: func(*app, *target) url.Values {
				return url.Values{"license": {std, bi}, "confirm": {"on"}, "version": {"1"}}
			}},
		{name: "block", path: personPath("/block"), allowed: account(models.ActionBlockSignIn),
			form: values("blocked", "true", "confirm", "on")},
		{name: "reset password", path: personPath("/reset-password"), allowed: account(models.ActionResetPassword),
			form: values("password_mode", "auto")},
		{name: "delete", path: personPath("/delete"), allowed: account(models.ActionManageUsers), form: values()},
		{name: "contact", path: personPath("/contact"), allowed: account(models.ActionManageUsers),
			form: values("display_name", "Renamed", "first_name", "Re", "version", "1")},
		{name: "add alias", path: personPath("/addresses"), allowed: account(models.ActionManageUsers),
			form: func(_ *app, t *target) url.Values {
				return url.Values{"alias": {fmt.Sprintf("extra%d", t.n)}, "domain": {"contoso.com"}}
			}},
		{name: "remove alias", path: personPath("/addresses/remove"), allowed: account(models.ActionManageUsers), form: alias("address")},
		{name: "primary address", path: personPath("/addresses/primary"), allowed: account(models.ActionManageUsers), form: alias("address")},
		{name: "username", path: personPath("/username"), allowed: account(models.ActionManageUsers),
			form: func(_ *app, t *target) url.Values {
				return url.Values{"upn_alias": {fmt.Sprintf("signin%d", t.n)}, "upn_domain": {"contoso.nl"}, "version": {"1"}}
			}},
		{name: "roles", path: personPath("/roles"), allowed: anyone(models.ActionManageRoles),
			form: values("role", "global_reader", "role", "helpdesk_admin", "version", "1")},
		{name: "convert", path: personPath("/convert"), allowed: anyone(models.ActionManageSharedMailboxes), form: values()},
		{name: "convert and block", path: personPath("/convert"), form: values("block", "on"),
			allowed: both(anyone(models.ActionManageSharedMailboxes), account(models.ActionBlockSignIn))},
		{name: "convert and remove license", path: personPath("/convert"), form: values("remove_license", "on"),
			allowed: both(anyone(models.ActionManageSharedMailboxes), anyone(models.ActionManageLicenses))},
		{name: "grant send as", path: personPath("/mailbox-permissions/sendas"), allowed: anyone(models.ActionManagePermissions),
			form: values("trustee", alex)},
		{name: "remove read and manage", path: personPath("/mailbox-permissions/fullaccess/remove"), allowed: anyone(models.ActionManagePermissions),
			form: values("trustee", alex)},
		{name: "automapping", path: personPath("/mailbox-permissions/fullaccess/automapping"), allowed: anyone(models.ActionManagePermissions),
			form: values("trustee", alex, "on", "false")},
		{name: "forwarding", path: personPath("/forwarding"), allowed: anyone(models.ActionManageForwarding),
			form: values("forward", "on", "address", "alexw@contoso.com", "version", "1")},
		{name: "bulk block", path: func(*app, *target) string { return "/users/bulk" }, allowed: account(models.ActionBlockSignIn),
			form: func(_ *app, t *target) url.Values {
				return url.Values{"action": {"block"}, "id": {itoa(t.id)}, "confirm": {"on"}}
			}},
		{name: "bulk delete", path: func(*app, *target) string { return "/users/bulk" }, allowed: account(models.ActionManageUsers),
			form: func(_ *app, t *target) url.Values {
				return url.Values{"action": {"delete"}, "id": {itoa(t.id)}, "confirm": {"on"}}
			}},
		{name: "restore", restore: true, path: func(_ *app, t *target) string { return "/users/deleted/" + itoa(t.id) + "/restore" },
			allowed: account(models.ActionManageUsers), form: values()},
		// The shared mailbox converted from the person's: its name and addresses are
		// the person's; its settings are the mailbox's.
		{name: "converted: rename", converted: true, path: sharedPath("/name"),
			allowed: both(anyone(models.ActionManageSharedMailboxes), account(models.ActionManageUsers)),
			form: func(a *app, t *target) url.Values {
				// Names are unique (seed 004): each target gets its own.
				return url.Values{"name": {fmt.Sprintf("Renamed %d", t.n)}, "version": {a.mailboxVersion(t)}}
			}},
		{name: "converted: add address", converted: true, path: sharedPath("/addresses"),
			allowed: both(anyone(models.ActionManageSharedMailboxes), account(models.ActionManageUsers)),
			form: func(_ *app, t *target) url.Values {
				return url.Values{"alias": {fmt.Sprintf("extra%d", t.n)}, "domain": {"contoso.com"}}
			}},
		{name: "converted: remove address", converted: true, path: sharedPath("/addresses/remove"),
			allowed: both(anyone(models.ActionManageSharedMailboxes), account(models.ActionManageUsers)), form: alias("address")},
		{name: "converted: primary address", converted: true, path: sharedPath("/addresses/primary"),
			allowed: both(anyone(models.ActionManageSharedMailboxes), account(models.ActionManageUsers)), form: alias("address")},
		{name: "converted: convert back", converted: true, path: sharedPath("/convert"),
			allowed: anyone(models.ActionManageSharedMailboxes), form: values()},
		{name: "converted: add member", converted: true, path: sharedPath("/members"),
			allowed: anyone(models.ActionManageSharedMailboxes), form: values("trustee", alex)},
		{name: "converted: automatic replies", converted: true, path: sharedPath("/auto-replies"), allowed: anyone(models.ActionManageAutoReplies),
			form: func(a *app, t *target) url.Values {
				return url.Values{"enabled": {"on"}, "internal": {"Away"}, "version": {a.mailboxVersion(t)}}
			}},
		{name: "converted: sent items", converted: true, path: sharedPath("/sent-items"), allowed: anyone(models.ActionManageSharedMailboxes),
			form: func(a *app, t *target) url.Values {
				return url.Values{"sent_as": {"on"}, "version": {a.mailboxVersion(t)}}
			}},
		{name: "converted: grant send as", converted: true, path: sharedPath("/mailbox-permissions/sendas"),
			allowed: anyone(models.ActionManagePermissions), form: values("trustee", alex)},
	}
}

// rightsFixture is the demo tenant with someone signed in for every role, and a
// supply of fresh targets.
type rightsFixture struct {
	*app
	global  *models.Admin
	clients map[models.Role]*http.Client
	tokens  map[models.Role]string
	n       int
}

func newRightsFixture(t *testing.T) *rightsFixture {
	a := newApp(t)
	ctx := context.Background()
	global, err := a.store.Authenticate(ctx, "admin@contoso.com", testPassword)
	if err != nil {
		t.Fatal(err)
	}
	// Seats for every target; two more admins so every role signs in.
	a.exec(`UPDATE license_products SET seats = 100000`)
	f := &rightsFixture{app: a, global: global, clients: map[models.Role]*http.Client{}, tokens: map[models.Role]string{}}
	for addr, role := range map[string]models.Role{"nestorw@contoso.com": models.RoleExchangeRecipientAdmin, "isaiahl@contoso.com": models.RoleUserAdmin} {
		id, _ := a.store.UserIDByAddress(ctx, addr)
		a.exec(fmt.Sprintf(`INSERT INTO role_assignments (user_id, role, assigned_at) VALUES (%d, '%s', CURRENT_TIMESTAMP)`, id, role))
		if err := a.store.SetPassword(ctx, id, testPassword); err != nil {
			t.Fatal(err)
		}
	}
	for role, addr := range map[models.Role]string{
		models.RoleGlobalAdmin: "admin@contoso.com", models.RoleExchangeAdmin: "pattif@contoso.com",
		models.RoleExchangeRecipientAdmin: "nestorw@contoso.com", models.RoleUserAdmin: "isaiahl@contoso.com",
		models.RoleHelpdeskAdmin: "leeg@contoso.com", models.RoleGlobalReader: "miriamg@contoso.com",
	} {
		a.client = newClient()
		if r := a.signIn(addr, testPassword); r.status != http.StatusSeeOther {
			t.Fatalf("%s sign-in: %d", addr, r.status)
		}
		f.clients[role], f.tokens[role] = a.client, a.csrf("/")
	}
	return f
}

// newTarget makes a fresh person of a kind.
func (f *rightsFixture) newTarget(kind string, converted, deleted bool) *target {
	f.t.Helper()
	ctx := context.Background()
	f.n++
	t := &target{kind: kind, n: f.n, alias: fmt.Sprintf("t%d.alias@contoso.com", f.n), deleted: deleted}
	id, _, err := f.store.CreateUser(ctx, f.global, models.NewUser{FirstName: "Target", LastName: itoa(uint(f.n)), Alias: fmt.Sprintf("t%d", f.n),
		Domain: "contoso.com", Password: models.TypedPassword("Target-Pass-1"), LicenseIDs: []uint{parseID(f.licenseID("O365_BUSINESS_PREMIUM"))}})
	if err != nil {
		f.t.Fatal(err)
	}
	t.id = id
	if err := f.store.AddAlias(ctx, f.global, id, fmt.Sprintf("t%d.alias", f.n), "contoso.com"); err != nil {
		f.t.Fatal(err)
	}
	mb, err := f.store.MailboxOfUser(ctx, id)
	if err != nil {
		f.t.Fatal(err)
	}
	t.mailbox = mb.ID
	if _, err := f.store.GrantPermissions(ctx, f.global, models.GrantRequest{MailboxID: mb.ID, Right: models.RightFullAccess,
		TrusteeIDs: []uint{parseID(f.recipient("alexw@contoso.com"))}, AutoMapping: true}); err != nil {
		f.t.Fatal(err)
	}
	if kind != "user" {
		f.exec(fmt.Sprintf(`INSERT INTO role_assignments (user_id, role, assigned_at) VALUES (%d, '%s', CURRENT_TIMESTAMP)`, id, kind))
	}
	if converted {
		if err := f.store.ConvertToShared(ctx, f.global, id, models.ConvertOptions{}); err != nil {
			f.t.Fatal(err)
		}
	}
	if deleted {
		if err := f.store.DeleteUser(ctx, f.global, id); err != nil {
			f.t.Fatal(err)
		}
	}
	return t
}

// post sends a route's form as a role.
func (f *rightsFixture) post(role models.Role, path string, form url.Values) response {
	f.t.Helper()
	form.Set("_csrf", f.tokens[role])
	req, _ := http.NewRequest(http.MethodPost, f.srv.URL+path, strings.NewReader(form.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	return f.do(f.clients[role], req)
}

func (f *rightsFixture) fingerprint() string {
	f.t.Helper()
	fp, err := f.store.Fingerprint(context.Background())
	if err != nil {
		f.t.Fatal(err)
	}
	return fp
}

// TestRightsOnTargets is the role matrix on targets: every role, against every
// kind of person (no admin role, each admin role, deleted), on every route that
// changes one person or the mailbox converted from theirs. Where the rules refuse,
// the answer is 403 (404 for a deleted person, who is gone) and the database is
// exactly as before; where they allow, the change is made.
func TestRightsOnTargets(t *testing.T) {
	t.Parallel()
	// Each route on a tenant of its own, so each database stays small and the
	// fingerprints quick.
	names := rightsRoutes(newApp(t))
	var cases, allowed atomic.Int64
	t.Run("routes", func(t *testing.T) {
		for i := range names {
			t.Run(names[i].name, func(t *testing.T) {
				t.Parallel()
				f := newRightsFixture(t)
				c, a := f.matrix(t, rightsRoutes(f.app)[i])
				cases.Add(int64(c))
				allowed.Add(int64(a))
			})
		}
	})
	t.Logf("rights on targets: %d routes x %d roles x target kinds = %d cases (%d allowed, %d refused)",
		len(names), len(models.Roles), cases.Load(), allowed.Load(), cases.Load()-allowed.Load())
	if !t.Failed() && cases.Load() < 1000 {
		t.Fatalf("only %d cases", cases.Load())
	}
}

// matrix runs one route as every role against every kind of target and returns
// how many cases it checked and how many of them were allowed.
func (f *rightsFixture) matrix(t *testing.T, rt rightsRoute) (cases, allowedN int) {
	type key struct {
		kind               string
		converted, deleted bool
	}
	// A target of each kind, replaced once a change used it.
	pool := map[key]*target{}
	// The database's fingerprint, known until something changes it.
	known := ""
	get := func(k key) *target {
		if pool[k] == nil {
			pool[k] = f.newTarget(k.kind, k.converted, k.deleted)
			known = ""
		}
		return pool[k]
	}
	// Deleted people: every kind for restore; for the other routes, a person
	// without admin roles and a Global administrator.
	var keys []key
	for _, kind := range targetKinds {
		keys = append(keys, key{kind, rt.converted, rt.restore})
	}
	if !rt.restore {
		keys = append(keys, key{"user", rt.converted, true}, key{string(models.RoleGlobalAdmin), rt.converted, true})
	}
	for _, role := range models.Roles {
		for _, k := range keys {
			tg := get(k)
			want := rt.allowed(role, k.kind) && (rt.restore || !k.deleted)
			path, form := rt.path(f.app, tg), rt.form(f.app, tg)
			before := known
			if before == "" {
				before = f.fingerprint()
			}
			r := f.post(role, path, form)
			after := f.fingerprint()
			known = after
			cases++
			label := fmt.Sprintf("%s as %s on %s (deleted=%v)", rt.name, role, k.kind, k.deleted)
			if want {
				allowedN++
				if (r.status != http.StatusSeeOther && r.status != http.StatusOK) || after == before {
					t.Errorf("%s: %d, changed=%v; want the change made", label, r.status, after != before)
				}
				pool[k] = nil // used up
				continue
			}
			refused := r.status == http.StatusForbidden || (k.deleted && r.status == http.StatusNotFound)
			if !refused || after != before {
				t.Errorf("%s: %d, changed=%v; want refused with nothing changed", label, r.status, after != before)
				pool[k] = nil
			}
		}
	}
	return cases, allowedN
}
