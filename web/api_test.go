package web

import (
	"context"
	"encoding/json"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"

	"github.com/contoso/admincenter/handlers/adminapi/exoclient"
	"github.com/contoso/admincenter/models"
	"github.com/contoso/admincenter/models/dbtest"
)

// newAPIApp is the real server over a fresh demo database, its Exchange REST
// endpoint running the seed cmdlets (the Exchange registry, once it exists);
// change adjusts the configuration.
func newAPIApp(t *testing.T, change func(*Config)) *app {
	t.Helper()
	ctx := context.Background()
	store, err := models.Open(ctx, dbtest.DSN(t, "web"), fastHashing)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { store.Close() })
	if err := store.SeedDemo(ctx, testPassword); err != nil {
		t.Fatal(err)
	}
	cfg := DefaultConfig()
	cfg.Cmdlets = apiCmdlets(store)
	if change != nil {
		change(&cfg)
	}
	e := New(cfg, store, slog.New(slog.NewTextHandler(io.Discard, nil)))
	srv := httptest.NewServer(e)
	t.Cleanup(srv.Close)
	return &app{t: t, echo: e, store: store, srv: srv, client: newClient()}
}

// newAPICredential makes an app with the roles (as the demo's Global administrator)
// and returns its client id and secret.
func (a *app) newAPICredential(name string, roles ...models.Role) (clientID, secret string) {
	a.t.Helper()
	ctx := context.Background()
	admin, err := a.store.Authenticate(ctx, "admin@contoso.com", testPassword)
	if err != nil {
		a.t.Fatal(err)
	}
	app, err := a.store.CreateApp(ctx, admin, models.NewApp{Name: name, Roles: roles, LifetimeDays: 180})
	if err != nil {
		a.t.Fatal(err)
	}
	return app.ClientID, app.Secret
}

// token gets an access token from the token endpoint, as a program does.
func (a *app) token(clientID, secret, scope string) string {
	a.t.Helper()
	tok, err := exoclient.GetToken(context.Background(), nil, a.srv.URL, "contoso.com", clientID, secret, scope)
	if err != nil {
		a.t.Fatal(err)
	}
	return tok
}

// appToken makes an app and returns an Exchange token for it.
func (a *app) appToken(name string, roles ...models.Role) string {
	a.t.Helper()
	id, secret := a.newAPICredential(name, roles...)
	return a.token(id, secret, exoclient.ScopeExchange)
}

// invoke posts a body to InvokeCommand with a bearer token and headers.
func (a *app) invoke(token, query, body string, headers ...string) response {
	a.t.Helper()
	u := a.srv.URL + "/adminapi/beta/contoso.com/InvokeCommand"
	if query != "" {
		u += "?" + query
	}
	return a.postJSON(u, token, body, headers...)
}

func (a *app) postJSON(u, token, body string, headers ...string) response {
	a.t.Helper()
	req, _ := http.NewRequest(http.MethodPost, u, strings.NewReader(body))
	req.Header.Set("Content-Type", "application/json")
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	for i := 0; i+1 < len(headers); i += 2 {
		req.Header.Set(headers[i], headers[i+1])
	}
	return a.do(a.client, req)
}

// exoClient is the CLI's client for the endpoint, with a token.
func (a *app) exoClient(token string) *exoclient.Client {
	a.t.Helper()
	c, err := exoclient.New(a.srv.URL, token)
	if err != nil {
		a.t.Fatal(err)
	}
	return c
}

// exoPage is an InvokeCommand answer.
type exoPage struct {
	Context  string           `json:"@odata.context"`
	Warnings []string         `json:"@adminapi.warnings"`
	Value    []map[string]any `json:"value"`
	NextLink string           `json:"@odata.nextLink"`
}

func (a *app) page(r response) exoPage {
	a.t.Helper()
	if r.status != http.StatusOK {
		a.t.Fatalf("status %d: %s", r.status, r.body)
	}
	var p exoPage
	if err := json.Unmarshal([]byte(r.body), &p); err != nil {
		a.t.Fatalf("%v: %s", err, r.body)
	}
	return p
}

// exoError is Exchange's error body.
type exoError struct {
	Error struct {
		Code    string `json:"code"`
		Message string `json:"message"`
		Details []struct {
			Code    string `json:"code"`
			Target  string `json:"target"`
			Message string `json:"message"`
		} `json:"details"`
		InnerError struct {
			Type string `json:"type"`
		} `json:"innererror"`
	} `json:"error"`
}

// exoFailure checks an error answer's status and envelope and returns its detail
// split on '|' as clients split it.
func (a *app) exoFailure(r response, status int) []string {
	a.t.Helper()
	if r.status != status {
		a.t.Fatalf("status %d, want %d: %s", r.status, status, r.body)
	}
	var e exoError
	if err := json.Unmarshal([]byte(r.body), &e); err != nil || len(e.Error.Details) != 1 || e.Error.Details[0].Code != "Client" ||
		e.Error.InnerError.Type == "" || e.Error.Code == "" || e.Error.Message == "" {
		a.t.Fatalf("error shape: %v %s", err, r.body)
	}
	return strings.SplitN(e.Error.Details[0].Message, "|", 3)
}

func form(kv ...string) url.Values {
	f := url.Values{}
	for i := 0; i+1 < len(kv); i += 2 {
		f.Add(kv[i], kv[i+1])
	}
	return f
}
