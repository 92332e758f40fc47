package models

import (
	"context"
	"encoding/base64"
	"encoding/json"
	"errors"
	"regexp"
	"strings"
	"testing"
	"time"
)

func (f *fixture) newApp(name string, roles ...Role) *CreatedApp {
	f.t.Helper()
	app, err := f.s.CreateApp(context.Background(), f.admin, NewApp{Name: name, Roles: roles, LifetimeDays: DefaultAppLifetime})
	if err != nil {
		f.t.Fatal(err)
	}
	return app
}

func TestCreateApp(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	app := f.newApp("CIPP sync", RoleGlobalReader, RoleExchangeAdmin)
	if !regexp.MustCompile(`^[A-Za-z0-9]{3}8Q~[A-Za-z0-9_.~-]{34}$`).MatchString(app.Secret) {
		t.Errorf("secret %q is not shaped like Entra's", app.Secret)
	}
	if !isGUID(app.ClientID) || !isGUID(app.ObjectID) || app.SecretHint != app.Secret[:3] {
		t.Errorf("app = %+v", app.App)
	}
	if got := app.RoleList(); len(got) != 2 || got[0] != RoleExchangeAdmin || got[1] != RoleGlobalReader {
		t.Errorf("roles = %v, want most powerful first", got)
	}
	stored, err := f.s.App(ctx, app.ID)
	if err != nil {
		t.Fatal(err)
	}
	if strings.Contains(string(stored.SecretHash), app.Secret) || len(stored.SecretHash) != 32 {
		t.Error("the secret is stored as it is")
	}
	if d := stored.ExpiresAt.Sub(stored.CreatedAt); d != 180*24*time.Hour {
		t.Errorf("lifetime %s", d)
	}
	ev := lastAudit(t, f.s)
	if ev.Action != "app.create" || ev.Actor != "admin@contoso.com" || ev.Target != "CIPP sync" || strings.Contains(ev.After, app.Secret) {
		t.Errorf("audit = %+v", ev)
	}

	cases := []struct {
		in    NewApp
		field string
		key   string
	}{
		{NewApp{Name: " ", Roles: []Role{RoleGlobalReader}, LifetimeDays: 90}, "name", "apps.error.name_required"},
		{NewApp{Name: strings.Repeat("x", 121), Roles: []Role{RoleGlobalReader}, LifetimeDays: 90}, "name", "apps.error.name_invalid"},
		{NewApp{Name: "a\u202eb", Roles: []Role{RoleGlobalReader}, LifetimeDays: 90}, "name", "apps.error.name_invalid"},
		{NewApp{Name: "cipp SYNC", Roles: []Role{RoleGlobalReader}, LifetimeDays: 90}, "name", "apps.error.name_taken"},
		{NewApp{Name: "x", LifetimeDays: 90}, "roles", "apps.error.roles_required"},
		{NewApp{Name: "x", Roles: []Role{"owner"}, LifetimeDays: 90}, "roles", "roles.error.unknown"},
		{NewApp{Name: "x", Roles: []Role{RoleGlobalReader}, LifetimeDays: 7}, "lifetime", "apps.error.lifetime"},
	}
	before := fingerprint(t, f.s)
	for _, c := range cases {
		_, err := f.s.CreateApp(ctx, f.admin, c.in)
		ve, ok := AsValidation(err)
		if !ok || ve.Fields[c.field].Key != c.key {
			t.Errorf("%+v: %v, want %s on %s", c.in, err, c.key, c.field)
		}
	}
	for _, who := range []string{"pattif@contoso.com", "miriamg@contoso.com"} {
		actor := f.as(who)
		if _, err := f.s.CreateApp(ctx, actor, NewApp{Name: "mine", Roles: []Role{RoleGlobalReader}, LifetimeDays: 90}); !errors.Is(err, ErrForbidden) {
			t.Errorf("%s created an app: %v", who, err)
		}
		if err := f.s.RevokeApp(ctx, actor, app.ID); !errors.Is(err, ErrForbidden) {
			t.Errorf("%s revoked an app: %v", who, err)
		}
	}
	if fingerprint(t, f.s) != before {
		t.Error("a refused change wrote something")
	}
}

func TestTokensAndRevocation(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	app := f.newApp("Provisioning", RoleExchangeAdmin)

	if _, _, err := f.s.IssueToken(ctx, app.ClientID, app.Secret+"x", AudienceExchange); !errors.Is(err, ErrAppSecret) {
		t.Errorf("wrong secret: %v", err)
	}
	if _, _, err := f.s.IssueToken(ctx, "not-a-guid", app.Secret, AudienceExchange); !errors.Is(err, ErrAppNotFound) {
		t.Errorf("bad client id: %v", err)
	}
	if _, _, err := f.s.IssueToken(ctx, strings.ToUpper(app.ClientID), app.Secret, AudienceExchange); err != nil {
		t.Errorf("client id in capitals: %v", err)
	}
	_, tok, err := f.s.IssueToken(ctx, app.ClientID, app.Secret, AudienceExchange)
	if err != nil || tok.ExpiresIn != 3599 {
		t.Fatalf("issue: %v %+v", err, tok)
	}
	claims := decodeClaims(t, tok.Raw)
	tid, _ := f.s.TenantID(ctx)
	if claims["aud"] != "https://outlook.office365.com" || claims["appid"] != app.ClientID || claims["tid"] != tid ||
		claims["app_displayname"] != "Provisioning" || claims["ver"] != "1.0" {
		t.Errorf("claims = %v", claims)
	}

	actor, err := f.s.AppForToken(ctx, tok.Raw, AudienceExchange, ChannelExchangeREST)
	if err != nil || actor.App != "Provisioning" || !actor.Can(ActionManagePermissions) || actor.Can(ActionManageRoles) || actor.Channel != ChannelExchangeREST {
		t.Fatalf("actor = %+v, %v", actor, err)
	}
	if a, _ := f.s.App(ctx, app.ID); a.LastUsedAt == nil {
		t.Error("last use not recorded")
	}
	if _, err := f.s.AppForToken(ctx, tok.Raw, AudienceGraph, ChannelGraph); !errors.Is(err, ErrTokenAudience) {
		t.Errorf("an Exchange token at Graph: %v", err)
	}
	parts := strings.Split(tok.Raw, ".")
	for name, bad := range map[string]string{
		"garbage":      "garbage",
		"empty":        "",
		"tampered":     parts[0] + "." + base64.RawURLEncoding.EncodeToString([]byte(`{"aud":"https://outlook.office365.com","appid":"`+app.ClientID+`","exp":9999999999}`)) + "." + parts[2],
		"alg none":     base64.RawURLEncoding.EncodeToString([]byte(`{"typ":"JWT","alg":"none"}`)) + "." + parts[1] + ".",
		"no signature": parts[0] + "." + parts[1] + ".",
	} {
		if _, err := f.s.AppForToken(ctx, bad, AudienceExchange, ""); !errors.Is(err, ErrTokenInvalid) {
			t.Errorf("%s token: %v", name, err)
		}
	}

	// An hour later the token has expired.
	now := time.Now().UTC()
	f.s.Now = func() time.Time { return now.Add(time.Hour) }
	if _, err := f.s.AppForToken(ctx, tok.Raw, AudienceExchange, ""); !errors.Is(err, ErrTokenExpired) {
		t.Errorf("expired token: %v", err)
	}
	f.s.Now = func() time.Time { return now }

	// Revoking stops the token at once, and the secret.
	if err := f.s.RevokeApp(ctx, f.admin, app.ID); err != nil {
		t.Fatal(err)
	}
	if _, err := f.s.AppForToken(ctx, tok.Raw, AudienceExchange, ""); !errors.Is(err, ErrAppRevoked) {
		t.Errorf("revoked app's token: %v", err)
	}
	if _, _, err := f.s.IssueToken(ctx, app.ClientID, app.Secret, AudienceExchange); !errors.Is(err, ErrAppRevoked) {
		t.Errorf("revoked app's secret: %v", err)
	}
	if ev := lastAudit(t, f.s); ev.Action != "app.revoke" || ev.Target != "Provisioning" {
		t.Errorf("audit = %+v", ev)
	}
	// A revoked app's name can be used again.
	f.newApp("Provisioning", RoleGlobalReader)

	// Past its lifetime the secret no longer works.
	old := f.newApp("Old", RoleGlobalReader)
	f.s.Now = func() time.Time { return now.AddDate(0, 0, DefaultAppLifetime) }
	if _, _, err := f.s.IssueToken(ctx, old.ClientID, old.Secret, AudienceGraph); !errors.Is(err, ErrAppExpired) {
		t.Errorf("expired secret: %v", err)
	}
}

func TestAppChangesAreAuditedUnderTheAppsName(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	app := f.newApp("CIPP", RoleExchangeAdmin)
	_, tok, err := f.s.IssueToken(ctx, app.ClientID, app.Secret, AudienceExchange)
	if err != nil {
		t.Fatal(err)
	}
	if ev := lastAudit(t, f.s); ev.Action != "app.token" || ev.Actor != "CIPP" || ev.ActorID != nil {
		t.Errorf("token audit = %+v", ev)
	}
	actor, err := f.s.AppForToken(ctx, tok.Raw, AudienceExchange, ChannelExchangeREST)
	if err != nil {
		t.Fatal(err)
	}
	req := GrantRequest{MailboxID: f.mailbox("info@contoso.com").ID, Right: RightSendAs, TrusteeIDs: []uint{f.recipient("alexw@contoso.com")}}
	if _, err := f.s.GrantPermissions(ctx, actor, req); err != nil {
		t.Fatal(err)
	}
	if ev := lastAudit(t, f.s); ev.Action != "mailbox_permission.add" || ev.Actor != "CIPP" || ev.ActorID != nil {
		t.Errorf("change audit = %+v", ev)
	}
	reader := f.newApp("Reporting", RoleGlobalReader)
	_, rtok, _ := f.s.IssueToken(ctx, reader.ClientID, reader.Secret, AudienceExchange)
	ractor, err := f.s.AppForToken(ctx, rtok.Raw, AudienceExchange, ChannelExchangeREST)
	if err != nil {
		t.Fatal(err)
	}
	before := fingerprint(t, f.s)
	req.TrusteeIDs = []uint{f.recipient("meganb@contoso.com")}
	if _, err := f.s.GrantPermissions(ctx, ractor, req); !errors.Is(err, ErrForbidden) {
		t.Errorf("a Global reader app granted: %v", err)
	}
	if fingerprint(t, f.s) != before {
		t.Error("the refused change wrote something")
	}
}

func TestTenant(t *testing.T) {
	s := newDemoStore(t)
	ctx := context.Background()
	id, err := s.TenantID(ctx)
	if err != nil || !isGUID(id) {
		t.Fatalf("tenant id %q %v", id, err)
	}
	for name, want := range map[string]bool{id: true, strings.ToUpper(id): true, "contoso.com": true, "Contoso.NL": true,
		"fabrikam.com": false, "": false, "00000000-0000-0000-0000-000000000000": false} {
		if got, err := s.IsTenant(ctx, name); err != nil || got != want {
			t.Errorf("IsTenant(%q) = %v %v", name, got, err)
		}
	}
}

func TestResetDemo(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	fresh := newDemoStore(t)
	want := demoContent(t, fresh)
	tid, _ := f.s.TenantID(ctx)

	// Change a few things: a new person, a removed grant, a new password, an app.
	app := f.newApp("Suite", RoleGlobalAdmin)
	if _, err := f.grant("info@contoso.com", RightSendAs, "meganb@contoso.com"); err != nil {
		t.Fatal(err)
	}
	if err := f.s.SetPassword(ctx, f.admin.UserID, "Changed-Pass-99"); err != nil {
		t.Fatal(err)
	}
	if demoContent(t, f.s) == want {
		t.Fatal("nothing changed")
	}
	for _, keepApps := range []bool{true, false} {
		if err := f.s.ResetDemo(ctx, keepApps); err != nil {
			t.Fatal(err)
		}
		if got := demoContent(t, f.s); got != want {
			t.Errorf("after reset:\n%s\nwant\n%s", got, want)
		}
		if _, err := f.s.Authenticate(ctx, "admin@contoso.com", testPassword); err != nil {
			t.Errorf("the demo password: %v", err)
		}
		_, _, err := f.s.IssueToken(ctx, app.ClientID, app.Secret, AudienceGraph)
		if keepApps != (err == nil) {
			t.Errorf("keepApps %v: token %v", keepApps, err)
		}
	}
	if got, _ := f.s.TenantID(ctx); got != tid {
		t.Error("the tenant id changed")
	}
	if ev, err := f.s.AuditEvents(ctx, AuditQuery{}); err != nil || len(ev.Events) != 0 {
		t.Errorf("audit after reset: %+v %v", ev, err)
	}
}

// demoContent lists the demo tenant's people, addresses, grants and roles with
// their ids: what a test suite sees of it.
func demoContent(t *testing.T, s *Store) string {
	t.Helper()
	var b strings.Builder
	for _, q := range []string{
		"SELECT u.id, r.display_name, u.first_name, u.job_title, u.sign_in_blocked FROM users u JOIN recipients r ON r.id = u.recipient_id ORDER BY u.id",
		"SELECT recipient_id, address, is_primary FROM email_addresses ORDER BY id",
		"SELECT mailbox_id, trustee_id, access_right FROM mailbox_permissions ORDER BY id",
		"SELECT user_id, role FROM role_assignments ORDER BY user_id, role",
		"SELECT id, type, hidden_from_gal, forwarding_address FROM mailboxes ORDER BY id",
		"SELECT COUNT(*) FROM search_terms",
		"SELECT COUNT(*) FROM audit_events",
	} {
		rows, err := s.db.Raw(q).Rows()
		if err != nil {
			t.Fatal(err)
		}
		cols, _ := rows.Columns()
		vals := make([]any, len(cols))
		ptrs := make([]any, len(cols))
		for i := range vals {
			ptrs[i] = &vals[i]
		}
		for rows.Next() {
			if err := rows.Scan(ptrs...); err != nil {
				t.Fatal(err)
			}
			for i, v := range vals {
				if bs, ok := v.([]byte); ok {
					vals[i] = string(bs)
				}
			}
			line, _ := json.Marshal(vals)
			b.Write(line)
			b.WriteByte('\n')
		}
		if err := rows.Err(); err != nil {
			t.Fatal(err)
		}
		rows.Close()
	}
	return b.String()
}

func lastAudit(t *testing.T, s *Store) AuditEvent {
	t.Helper()
	page, err := s.AuditEvents(context.Background(), AuditQuery{Size: 10})
	if err != nil || len(page.Events) == 0 {
		t.Fatalf("audit: %v", err)
	}
	return page.Events[0]
}

func fingerprint(t *testing.T, s *Store) string {
	t.Helper()
	fp, err := s.Fingerprint(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	return fp
}

// as signs in a demo admin.
func (f *fixture) as(address string) *Admin {
	f.t.Helper()
	a, err := f.s.Authenticate(context.Background(), address, testPassword)
	if err != nil {
		f.t.Fatal(err)
	}
	return a
}

func decodeClaims(t *testing.T, raw string) map[string]any {
	t.Helper()
	parts := strings.Split(raw, ".")
	if len(parts) != 3 {
		t.Fatalf("token %q", raw)
	}
	b, err := base64.RawURLEncoding.DecodeString(parts[1])
	if err != nil {
		t.Fatal(err)
	}
	var m map[string]any
	if err := json.Unmarshal(b, &m); err != nil {
		t.Fatal(err)
	}
	return m
}

func TestAppForTokenUsesTheTokenVerifiedInTheContext(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	app := f.newApp("Sync", RoleGlobalReader)
	_, tok, err := f.s.IssueToken(ctx, app.ClientID, app.Secret, AudienceGraph)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := f.s.VerifyToken(ctx, "garbage"); !errors.Is(err, ErrTokenInvalid) {
		t.Errorf("verify garbage: %v", err)
	}
	vt, err := f.s.VerifyToken(ctx, tok.Raw)
	if err != nil {
		t.Fatal(err)
	}
	vctx := WithVerifiedToken(ctx, vt)
	actor, err := f.s.AppForToken(vctx, tok.Raw, AudienceGraph, ChannelGraph)
	if err != nil || actor.App != "Sync" || actor.Channel != ChannelGraph {
		t.Fatalf("actor = %+v, %v", actor, err)
	}
	// The verified claims are used for the same token only, and by the same store:
	// a verified token whose raw form is not this request's, or another store's, is
	// checked afresh (here: refused, as its signature does not match).
	forged := &VerifiedToken{store: f.s, raw: "forged", claims: vt.claims}
	if _, err := f.s.AppForToken(WithVerifiedToken(ctx, forged), "forged", AudienceGraph, ""); err != nil {
		t.Errorf("the claims verified earlier were not used: %v", err)
	}
	if _, err := f.s.AppForToken(WithVerifiedToken(ctx, forged), "other", AudienceGraph, ""); !errors.Is(err, ErrTokenInvalid) {
		t.Errorf("another token's claims were used: %v", err)
	}
	other := &VerifiedToken{store: &Store{}, raw: "forged", claims: vt.claims}
	if _, err := f.s.AppForToken(WithVerifiedToken(ctx, other), "forged", AudienceGraph, ""); !errors.Is(err, ErrTokenInvalid) {
		t.Errorf("another store's claims were used: %v", err)
	}
	// Every other refusal is the same with a verified token.
	if _, err := f.s.AppForToken(vctx, tok.Raw, AudienceExchange, ""); !errors.Is(err, ErrTokenAudience) {
		t.Errorf("a Graph token at Exchange: %v", err)
	}
	now := time.Now().UTC()
	f.s.Now = func() time.Time { return now.Add(time.Hour) }
	if _, err := f.s.AppForToken(vctx, tok.Raw, AudienceGraph, ""); !errors.Is(err, ErrTokenExpired) {
		t.Errorf("a token that expired after it was verified: %v", err)
	}
	f.s.Now = func() time.Time { return now }
	if err := f.s.RevokeApp(ctx, f.admin, app.ID); err != nil {
		t.Fatal(err)
	}
	if _, err := f.s.AppForToken(vctx, tok.Raw, AudienceGraph, ""); !errors.Is(err, ErrAppRevoked) {
		t.Errorf("a revoked app's verified token: %v", err)
	}
}
