package web

import (
	"context"
	"net/http"
	"net/url"
	"sort"
	"strings"
	"testing"

	"github.com/contoso/admincenter/models"
)

// selfService routes act on the caller's own session, so every visitor may use them
// (My settings, /settings/personal, changes only the signed-in admin's own choices:
// TestClassicPanePreference checks it).
var selfService = map[string]bool{"/signin": true, "/signout": true, "/signout-everywhere": true, "/language": true, "/settings/personal": true}

// requiredAction is the role matrix: the action each mutating route needs. A route
// missing here fails the test, so a new route can't skip its authorization check.
func requiredAction(path string) (models.Action, bool) {
	switch {
	case strings.HasPrefix(path, "/exchange/groups"):
		// Filled with a distribution list, as /groups is.
		return models.ActionManageGroups, true
	case strings.HasPrefix(path, "/exchange/contacts"):
		return models.ActionManageContacts, true
	case strings.HasPrefix(path, "/exchange/shared"):
		return models.ActionManageSharedMailboxes, true
	case strings.HasPrefix(path, "/exchange/mailboxes/") && (strings.HasSuffix(path, "/general") || strings.HasSuffix(path, "/addresses")):
		// Filled with a shared mailbox, whose name and addresses need the rights on
		// shared mailboxes (a person's need the rights on people).
		return models.ActionManageSharedMailboxes, true
	case strings.HasPrefix(path, "/exchange/mailboxes"):
		return models.ActionManagePermissions, true
	case strings.HasPrefix(path, "/settings/apps"):
		return models.ActionManageRoles, true
	case strings.HasPrefix(path, "/groups"):
		// Filled with a distribution list, which only the Exchange roles may change.
		return models.ActionManageGroups, true
	case path == "/reports/mailbox-access/grant":
		return models.ActionManagePermissions, true
	case path == "/users/bulk-all":
		return models.ActionBlockSignIn, true
	case strings.HasPrefix(path, "/contacts"):
		return models.ActionManageContacts, true
	case strings.Contains(path, "/mailbox-permissions/"):
		return models.ActionManagePermissions, true
	case strings.HasSuffix(path, "/forwarding") && strings.HasPrefix(path, "/settings/"):
		return models.ActionManageOrgMailPolicy, true
	case strings.HasSuffix(path, "/forwarding"):
		return models.ActionManageForwarding, true
	case strings.HasSuffix(path, "/auto-replies"):
		return models.ActionManageAutoReplies, true
	case strings.HasPrefix(path, "/shared-mailboxes"), strings.HasSuffix(path, "/convert"):
		return models.ActionManageSharedMailboxes, true
	case strings.HasSuffix(path, "/licenses"):
		return models.ActionManageLicenses, true
	case strings.HasSuffix(path, "/block"), path == "/users/bulk":
		return models.ActionBlockSignIn, true
	case strings.HasSuffix(path, "/reset-password"):
		return models.ActionResetPassword, true
	case strings.HasSuffix(path, "/roles"):
		return models.ActionManageRoles, true
	case path == "/users", strings.HasSuffix(path, "/contact"), strings.Contains(path, "/addresses"), strings.HasSuffix(path, "/username"),
		strings.HasSuffix(path, "/delete") && strings.HasPrefix(path, "/users/"), strings.HasSuffix(path, "/restore"):
		return models.ActionManageUsers, true
	}
	return "", false
}

func TestEveryMutatingRouteChecksTheRole(t *testing.T) {
	t.Parallel()
	a := newApp(t)
	ctx := context.Background()
	global, _ := a.store.Authenticate(ctx, "admin@contoso.com", testPassword)
	// Two more admins so every role has someone to sign in as.
	for addr, role := range map[string]models.Role{"nestorw@contoso.com": models.RoleExchangeRecipientAdmin, "isaiahl@contoso.com": models.RoleUserAdmin} {
		id, _ := a.store.UserIDByAddress(ctx, addr)
		if err := a.store.SetRoles(ctx, global, id, []models.Role{role}, models.AnyVersion); err != nil {
			t.Fatal(err)
		}
		if err := a.store.SetPassword(ctx, id, testPassword); err != nil {
			t.Fatal(err)
		}
	}
	// A deleted person to restore.
	gone, _ := a.store.UserIDByAddress(ctx, "gradya@contoso.com")
	if err := a.store.DeleteUser(ctx, global, gone); err != nil {
		t.Fatal(err)
	}
	accounts := map[models.Role]string{
		models.RoleGlobalAdmin: "admin@contoso.com", models.RoleExchangeAdmin: "pattif@contoso.com",
		models.RoleExchangeRecipientAdmin: "nestorw@contoso.com", models.RoleUserAdmin: "isaiahl@contoso.com",
		models.RoleHelpdeskAdmin: "leeg@contoso.com", models.RoleGlobalReader: "miriamg@contoso.com",
	}
	clients := map[models.Role]*http.Client{}
	tokens := map[models.Role]string{}
	for role, addr := range accounts {
		a.client = newClient()
		if r := a.signIn(addr, testPassword); r.status != http.StatusSeeOther {
			t.Fatalf("%s sign-in: %d", addr, r.status)
		}
		clients[role], tokens[role] = a.client, a.csrf("/")
	}

	megan := strings.TrimPrefix(a.userPath("meganb@contoso.com"), "/users/")
	info := strings.TrimPrefix(a.sharedPath("info@contoso.com"), "/shared-mailboxes/")
	fill := strings.NewReplacer(":right", "sendas", ":list", "members")
	form := url.Values{
		"trustee": {a.recipient("alexw@contoso.com")}, "member": {a.recipient("adelev@contoso.com")},
		"license": {a.licenseID("EXCHANGESTANDARD")}, "role": {"global_admin"}, "blocked": {"true"}, "confirm": {"on"},
		"name": {"Changed"}, "display_name": {"Changed"}, "first_name": {"C"}, "alias": {"changed"}, "domain": {"contoso.com"},
		"address": {"alexw@contoso.com"}, "forward": {"on"}, "keep_copy": {"on"}, "version": {"1"}, "policy": {"on"},
		"enabled": {"on"}, "internal": {"Away"}, "sent_as": {"on"}, "password_mode": {"auto"}, "action": {"block"},
		"id": {megan}, "on": {"false"}, "shown": {""},
		"type": {"distribution"}, "owner": {a.recipient("alexw@contoso.com")}, "description": {"Changed"}, "allow_external": {"on"},
		"hidden": {"on"}, "company": {"Changed"}, "step": {"basics"}, "nav": {"next"},
		"op": {"save"}, "recipient": {a.recipient("alexw@contoso.com")}, "add.FullAccess": {a.recipient("alexw@contoso.com")},
		"add.grant": {a.recipient("alexw@contoso.com")}, "add.people": {a.recipient("alexw@contoso.com")}, "outside": {"on"},
	}
	sales := itoa(groupID(t, a, "salesteam@contoso.com"))
	ben := itoa(contactID(t, a, "ben.smith@fabrikam.com"))

	var routes []string
	for _, r := range a.echo.Routes() {
		if r.Method == http.MethodPost && !selfService[r.Path] {
			routes = append(routes, r.Path)
		}
	}
	sort.Strings(routes)
	checked := 0
	var programs []string
	for _, route := range routes {
		if forPrograms(route) {
			programs = append(programs, route)
			continue
		}
		if route == "/powershell" {
			// The console runs cmdlets; each one's change is checked by the models.
			checked += checkConsoleRoles(t, a, clients, tokens)
			continue
		}
		action, ok := requiredAction(route)
		if !ok {
			t.Errorf("%s is not in the role matrix", route)
			continue
		}
		path := fill.Replace(route)
		switch {
		case strings.HasPrefix(route, "/users/deleted/"):
			path = strings.Replace(path, ":id", itoa(gone), 1)
		case strings.HasPrefix(route, "/shared-mailboxes/"), strings.HasPrefix(route, "/exchange/mailboxes/"):
			path = strings.Replace(path, ":id", info, 1)
		case strings.HasPrefix(route, "/groups/"), strings.HasPrefix(route, "/exchange/groups/"):
			path = strings.Replace(path, ":id", sales, 1)
		case strings.HasPrefix(route, "/contacts/"), strings.HasPrefix(route, "/exchange/contacts/"):
			path = strings.Replace(path, ":id", ben, 1)
		default:
			path = strings.Replace(path, ":id", megan, 1)
		}
		for _, role := range append([]models.Role{""}, models.Roles...) {
			if role != "" && role.Can(action) {
				continue
			}
			before, err := a.store.Fingerprint(ctx)
			if err != nil {
				t.Fatal(err)
			}
			client, tok := newClient(), ""
			if role != "" {
				client, tok = clients[role], tokens[role]
			} else {
				// Signed out: a browser would still hold a valid CSRF token.
				a.client = client
				tok = a.csrf("/signin")
			}
			f := url.Values{}
			for k, v := range form {
				f[k] = v
			}
			f.Set("_csrf", tok)
			req, _ := http.NewRequest(http.MethodPost, a.srv.URL+path, strings.NewReader(f.Encode()))
			req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
			res := a.do(client, req)
			want := http.StatusForbidden
			if role == "" {
				want = http.StatusUnauthorized
			}
			if res.status != want {
				t.Errorf("%s as %q: %d, want %d", path, role, res.status, want)
			}
			after, err := a.store.Fingerprint(ctx)
			if err != nil {
				t.Fatal(err)
			}
			if after != before {
				t.Errorf("%s as %q changed the database", path, role)
			}
			checked++
		}
	}
	checked += cookiesNeverReachPrograms(t, a, clients, tokens, programs)
	t.Logf("role matrix: %d mutating routes, %d forbidden (route, role) pairs checked", len(routes), checked)
	if checked < 100 {
		t.Fatalf("only %d pairs checked", checked)
	}
}
