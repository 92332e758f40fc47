package web

import (
	"context"
	"encoding/base64"
	"encoding/json"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/contoso/admincenter/handlers/adminapi/exoclient"
	"github.com/contoso/admincenter/models"
)

// The server verifies a Graph token once (before reading the body) and hands it to
// Graph's middleware through the request's context; every refusal still answers
// 401 with Graph's error, and a token that expired or whose app was revoked in the
// meantime is refused.
func TestGraphTokensThroughTheServer(t *testing.T) {
	t.Parallel()
	a := newAPIApp(t, nil)
	ctx := context.Background()
	id, secret := a.newAPICredential("Graph reader", models.RoleGlobalReader)
	tok := a.token(id, secret, exoclient.ScopeGraph)
	exo := a.token(id, secret, exoclient.ScopeExchange)

	get := func(token string) response {
		t.Helper()
		req, _ := http.NewRequest(http.MethodGet, a.srv.URL+"/v1.0/users?$top=2", nil)
		if token != "" {
			req.Header.Set("Authorization", "Bearer "+token)
		}
		return a.do(a.client, req)
	}
	refused := func(what, token, message string) {
		t.Helper()
		r := get(token)
		var e struct {
			Error struct {
				Code    string `json:"code"`
				Message string `json:"message"`
			} `json:"error"`
		}
		if err := json.Unmarshal([]byte(r.body), &e); err != nil || r.status != http.StatusUnauthorized ||
			e.Error.Code != "InvalidAuthenticationToken" || e.Error.Message != message {
			t.Errorf("%s: %d %s, want 401 %q", what, r.status, r.body, message)
		}
		if !strings.HasPrefix(r.header.Get("WWW-Authenticate"), `Bearer realm=""`) {
			t.Errorf("%s: headers %v", what, r.header)
		}
	}

	if r := get(tok); r.status != http.StatusOK || !strings.Contains(r.body, `"value":[`) {
		t.Fatalf("a good token: %d %s", r.status, r.body)
	}
	parts := strings.Split(tok, ".")
	refused("no token", "", "Access token is empty.")
	refused("garbage", "garbage", "Access token validation failure. Invalid signature.")
	refused("tampered", parts[0]+"."+base64.RawURLEncoding.EncodeToString([]byte(`{"aud":"https://graph.microsoft.com","appid":"`+id+`","exp":9999999999}`))+"."+parts[2],
		"Access token validation failure. Invalid signature.")
	refused("bad signature", parts[0]+"."+parts[1]+"."+base64.RawURLEncoding.EncodeToString([]byte("not the signature")),
		"Access token validation failure. Invalid signature.")
	refused("an Exchange token", exo, "Access token validation failure. Invalid audience.")

	now := time.Now().UTC()
	a.store.Now = func() time.Time { return now.Add(61 * time.Minute) }
	refused("an expired token", tok, "Lifetime validation failed, the token is expired.")
	a.store.Now = func() time.Time { return time.Now().UTC() }

	admin, _ := a.store.Authenticate(ctx, "admin@contoso.com", testPassword)
	apps, _ := a.store.Apps(ctx)
	for _, app := range apps {
		if app.ClientID == id {
			if err := a.store.RevokeApp(ctx, admin, app.ID); err != nil {
				t.Fatal(err)
			}
		}
	}
	refused("a revoked app's token", tok, "Access token validation failure. The app has been revoked or has expired.")
}
