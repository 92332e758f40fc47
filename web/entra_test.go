package web

import (
	"context"
	"encoding/base64"
	"encoding/json"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/contoso/admincenter/models"
)

type entraError struct {
	Error            string `json:"error"`
	ErrorDescription string `json:"error_description"`
	ErrorCodes       []int  `json:"error_codes"`
	Timestamp        string `json:"timestamp"`
	TraceID          string `json:"trace_id"`
	CorrelationID    string `json:"correlation_id"`
	ErrorURI         string `json:"error_uri"`
}

var guidRE = regexp.MustCompile(`^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$`)

func TestTokenEndpoint(t *testing.T) {
	t.Parallel()
	a := newAPIApp(t, nil)
	ctx := context.Background()
	clientID, secret := a.newAPICredential("Provisioning", models.RoleExchangeAdmin)
	tid, _ := a.store.TenantID(ctx)

	tokenURL := func(tenant string) string { return a.srv.URL + "/" + tenant + "/oauth2/v2.0/token" }
	good := form("grant_type", "client_credentials", "client_id", clientID, "client_secret", secret, "scope", "https://outlook.office365.com/.default")

	t.Run("issues tokens as Entra does", func(t *testing.T) {
		a := a.on(t)
		for _, tenant := range []string{tid, "contoso.com", "Contoso.NL", strings.ToUpper(tid)} {
			r := a.post("/"+tenant+"/oauth2/v2.0/token", good)
			var tr struct {
				TokenType    string `json:"token_type"`
				ExpiresIn    int    `json:"expires_in"`
				ExtExpiresIn int    `json:"ext_expires_in"`
				AccessToken  string `json:"access_token"`
			}
			if r.status != http.StatusOK || json.Unmarshal([]byte(r.body), &tr) != nil || tr.TokenType != "Bearer" ||
				tr.ExpiresIn != 3599 || tr.ExtExpiresIn != 3599 || strings.Count(tr.AccessToken, ".") != 2 {
				t.Fatalf("%s: %d %s", tenant, r.status, r.body)
			}
			if !strings.Contains(r.header.Get("Cache-Control"), "no-store") || !strings.HasPrefix(r.header.Get("Content-Type"), "application/json") {
				t.Errorf("headers %v", r.header)
			}
			var keys map[string]any
			_ = json.Unmarshal([]byte(r.body), &keys)
			if len(keys) != 4 {
				t.Errorf("answer has %d members: %s", len(keys), r.body)
			}
		}
		// Client authentication by HTTP Basic (form-encoded parts), as OAuth allows.
		req, _ := http.NewRequest(http.MethodPost, tokenURL("contoso.com"), strings.NewReader(form("grant_type", "client_credentials", "scope", "https://graph.microsoft.com/.default").Encode()))
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		req.SetBasicAuth(url.QueryEscape(clientID), url.QueryEscape(secret))
		if r := a.do(newClient(), req); r.status != http.StatusOK {
			t.Errorf("basic auth: %d %s", r.status, r.body)
		}
		// The token says which API it is for, which app and which tenant.
		tok := a.token(clientID, secret, "https://graph.microsoft.com/.default")
		b, _ := base64.RawURLEncoding.DecodeString(strings.Split(tok, ".")[1])
		var claims map[string]any
		_ = json.Unmarshal(b, &claims)
		if claims["aud"] != "https://graph.microsoft.com" || claims["appid"] != clientID || claims["tid"] != tid ||
			claims["iss"] != "https://sts.windows.net/"+tid+"/" || claims["idtyp"] != "app" {
			t.Errorf("claims %v", claims)
		}
		exp, _ := claims["exp"].(float64)
		if d := time.Until(time.Unix(int64(exp), 0)); d < 59*time.Minute || d > time.Hour {
			t.Errorf("expires in %s", d)
		}
	})

	revoked, revokedSecret := a.newAPICredential("Old integration", models.RoleGlobalReader)
	admin, _ := a.store.Authenticate(ctx, "admin@contoso.com", testPassword)
	apps, _ := a.store.Apps(ctx)
	for _, app := range apps {
		if app.ClientID == revoked {
			if err := a.store.RevokeApp(ctx, admin, app.ID); err != nil {
				t.Fatal(err)
			}
		}
	}
	with := func(kv ...string) url.Values {
		f := url.Values{}
		for k, v := range good {
			f[k] = v
		}
		for i := 0; i+1 < len(kv); i += 2 {
			if kv[i+1] == "" {
				f.Del(kv[i])
			} else {
				f.Set(kv[i], kv[i+1])
			}
		}
		return f
	}
	cases := []struct {
		name   string
		tenant string
		form   url.Values
		status int
		error  string
		code   int
		text   string
	}{
		{"unknown tenant", "fabrikam.com", good, 400, "invalid_request", 90002, "Tenant 'fabrikam.com' not found."},
		{"no grant type", "contoso.com", with("grant_type", ""), 400, "invalid_request", 900144, "The request body must contain the following parameter: 'grant_type'."},
		{"password grant", "contoso.com", with("grant_type", "password"), 400, "unsupported_grant_type", 70003, "The app requested an unsupported grant type 'password'."},
		{"no client id", "contoso.com", with("client_id", ""), 400, "invalid_request", 900144, "'client_id'"},
		{"no secret", "contoso.com", with("client_secret", ""), 401, "invalid_client", 7000218, "'client_assertion' or 'client_secret'"},
		{"no scope", "contoso.com", with("scope", ""), 400, "invalid_request", 900144, "'scope'"},
		{"scope without .default", "contoso.com", with("scope", "https://graph.microsoft.com/User.Read.All"), 400, "invalid_scope", 1002012, "Client credential flows must have a scope value with /.default"},
		{"two resources", "contoso.com", with("scope", "https://graph.microsoft.com/.default https://outlook.office365.com/.default"), 400, "invalid_scope", 70011, "is not valid"},
		{"unknown resource", "contoso.com", with("scope", "https://management.azure.com/.default"), 400, "invalid_resource", 500011, "The resource principal named https://management.azure.com was not found"},
		{"unknown client", "contoso.com", with("client_id", "6f2c1c4e-8a11-4b7e-9c1d-2f0b7a1e3d55"), 400, "unauthorized_client", 700016, "Application with identifier '6f2c1c4e-8a11-4b7e-9c1d-2f0b7a1e3d55' was not found in the directory 'contoso.com'."},
		{"wrong secret", "contoso.com", with("client_secret", secret+"x"), 401, "invalid_client", 7000215, "Invalid client secret provided."},
		{"revoked app", "contoso.com", with("client_id", revoked, "client_secret", revokedSecret), 400, "unauthorized_client", 7000112, "(Old integration) is disabled."},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			a := a.on(t)
			r := a.post("/"+c.tenant+"/oauth2/v2.0/token", c.form, "client-request-id", "0b9c3a52-6a3e-4a4e-9d6d-4f0d2f3f2a11")
			a.entraFailure(r, c.status, c.error, c.code, c.text)
			var e entraError
			_ = json.Unmarshal([]byte(r.body), &e)
			if e.CorrelationID != "0b9c3a52-6a3e-4a4e-9d6d-4f0d2f3f2a11" || r.header.Get("client-request-id") != e.CorrelationID {
				t.Errorf("correlation id %q", e.CorrelationID)
			}
		})
	}

	t.Run("expired secret", func(t *testing.T) {
		a := a.on(t)
		now := time.Now().UTC()
		a.store.Now = func() time.Time { return now.AddDate(0, 0, 181) }
		defer func() { a.store.Now = func() time.Time { return time.Now().UTC() } }()
		a.entraFailure(a.post("/contoso.com/oauth2/v2.0/token", good), 401, "invalid_client", 7000222, "are expired")
	})
	t.Run("not a form, not a POST", func(t *testing.T) {
		a := a.on(t)
		b, _ := json.Marshal(map[string]string{"grant_type": "client_credentials", "client_id": clientID, "client_secret": secret})
		r := a.postJSON(tokenURL("contoso.com"), "", string(b))
		a.entraFailure(r, 400, "invalid_request", 900144, "'grant_type'")
		a.entraFailure(a.get("/contoso.com/oauth2/v2.0/token"), 400, "invalid_request", 900561, "The endpoint only accepts POST requests. Received a GET request.")
	})
	t.Run("the secret is audited nowhere", func(t *testing.T) {
		page, err := a.store.AuditEvents(ctx, models.AuditQuery{Size: 100})
		if err != nil {
			t.Fatal(err)
		}
		found := false
		for _, ev := range page.Events {
			if strings.Contains(ev.Before+ev.After+ev.Target, secret) {
				t.Errorf("the secret is in the audit log: %+v", ev)
			}
			found = found || (ev.Action == "app.token" && ev.Actor == "Provisioning")
		}
		if !found {
			t.Error("token issue not audited under the app's name")
		}
	})
}

// entraFailure checks an error of the token endpoint: status and Entra's shape.
func (a *app) entraFailure(r response, status int, oauthErr string, code int, text string) {
	a.t.Helper()
	if r.status != status {
		a.t.Fatalf("status %d, want %d: %s", r.status, status, r.body)
	}
	var e entraError
	if err := json.Unmarshal([]byte(r.body), &e); err != nil {
		a.t.Fatalf("%v: %s", err, r.body)
	}
	prefix := "AADSTS" + itoa(uint(code)) + ": "
	if e.Error != oauthErr || len(e.ErrorCodes) != 1 || e.ErrorCodes[0] != code || !strings.HasPrefix(e.ErrorDescription, prefix) ||
		!strings.Contains(e.ErrorDescription, text) {
		a.t.Errorf("error %q %v %q, want %s AADSTS%d %q", e.Error, e.ErrorCodes, e.ErrorDescription, oauthErr, code, text)
	}
	if !regexp.MustCompile(`\r\nTrace ID: [0-9a-f-]{36}\r\nCorrelation ID: [0-9a-f-]{36}\r\nTimestamp: \d{4}-\d\d-\d\d \d\d:\d\d:\d\dZ$`).MatchString(e.ErrorDescription) {
		a.t.Errorf("description tail: %q", e.ErrorDescription)
	}
	if !guidRE.MatchString(e.TraceID) || !regexp.MustCompile(`^\d{4}-\d\d-\d\d \d\d:\d\d:\d\dZ$`).MatchString(e.Timestamp) ||
		e.ErrorURI != "https://login.microsoftonline.com/error?code="+itoa(uint(code)) {
		a.t.Errorf("trace %q timestamp %q uri %q", e.TraceID, e.Timestamp, e.ErrorURI)
	}
}
