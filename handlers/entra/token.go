// Package entra is the part of Microsoft Entra ID that programs talk to: the token
// endpoint, POST /{tenant}/oauth2/v2.0/token, where an app trades its client id and
// secret (the client credentials grant) for an access token to the Exchange REST
// endpoint or Microsoft Graph. Its answers, errors included, are shaped as Entra's,
// so the client-credential flows of client libraries (MSAL and the SDKs built on it,
// curl scripts) work against it unchanged but for the host.
package entra

import (
	"crypto/rand"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/labstack/echo/v4"

	"github.com/contoso/admincenter/models"
)

// Tokens serves the token endpoint.
type Tokens struct {
	store *models.Store
}

// NewTokens returns the token endpoint.
func NewTokens(store *models.Store) *Tokens { return &Tokens{store: store} }

// TokenResponse is Entra's answer to a client credentials grant.
type TokenResponse struct {
	TokenType    string `json:"token_type"`
	ExpiresIn    int    `json:"expires_in"`
	ExtExpiresIn int    `json:"ext_expires_in"`
	AccessToken  string `json:"access_token"`
}

// ErrorResponse is Entra's error answer, e.g. {"error":"invalid_client",
// "error_description":"AADSTS7000215: Invalid client secret provided. ...\r\nTrace ID:
// ...\r\nCorrelation ID: ...\r\nTimestamp: 2024-05-01 08:30:00Z","error_codes":[7000215],
// "timestamp":"2024-05-01 08:30:00Z","trace_id":"...","correlation_id":"...",
// "error_uri":"https://login.microsoftonline.com/error?code=7000215"}.
type ErrorResponse struct {
	Error            string `json:"error"`
	ErrorDescription string `json:"error_description"`
	ErrorCodes       []int  `json:"error_codes"`
	Timestamp        string `json:"timestamp"`
	TraceID          string `json:"trace_id"`
	CorrelationID    string `json:"correlation_id"`
	ErrorURI         string `json:"error_uri"`
}

// refusal is one of Entra's errors: the HTTP status, the OAuth error code, the
// AADSTS number and its text.
type refusal struct {
	status int
	oauth  string
	code   int
	text   string
}

func missing(param string) refusal {
	return refusal{http.StatusBadRequest, "invalid_request", 900144,
		"The request body must contain the following parameter: '" + param + "'."}
}

// Token answers POST /{tenant}/oauth2/v2.0/token.
func (h *Tokens) Token(c echo.Context) error {
	r := c.Request()
	ctx := r.Context()
	tenant := c.Param("tenant")
	if ok, err := h.store.IsTenant(ctx, tenant); err != nil {
		return err
	} else if !ok {
		return refuse(c, refusal{http.StatusBadRequest, "invalid_request", 90002, "Tenant '" + tenant + "' not found. " +
			"Check to make sure you have the correct tenant ID and are signing into the correct cloud. " +
			"Check with your subscription administrator, this may happen if there are no active subscriptions for the tenant."})
	}
	form, err := url.ParseQuery(readBody(r))
	if err != nil || !strings.HasPrefix(strings.ToLower(r.Header.Get(echo.HeaderContentType)), echo.MIMEApplicationForm) {
		return refuse(c, refusal{http.StatusBadRequest, "invalid_request", 900144,
			"The request body must contain the following parameter: 'grant_type'. " +
				"Send the parameters form-encoded (Content-Type: application/x-www-form-urlencoded)."})
	}
	grant := form.Get("grant_type")
	switch {
	case grant == "":
		return refuse(c, missing("grant_type"))
	case grant != "client_credentials":
		return refuse(c, refusal{http.StatusBadRequest, "unsupported_grant_type", 70003,
			"The app requested an unsupported grant type '" + grant + "'. This endpoint issues tokens to apps: use client_credentials."})
	}
	clientID, secret, ok := clientCredentials(r, form)
	if !ok {
		return refuse(c, refusal{http.StatusUnauthorized, "invalid_client", 7000218,
			"The request body must contain the following parameter: 'client_assertion' or 'client_secret'. " +
				"Send each credential once, in the body or as HTTP Basic authentication."})
	}
	if clientID == "" {
		return refuse(c, missing("client_id"))
	}
	if secret == "" {
		return refuse(c, refusal{http.StatusUnauthorized, "invalid_client", 7000218,
			"The request body must contain the following parameter: 'client_assertion' or 'client_secret'."})
	}
	scope := strings.TrimSpace(form.Get("scope"))
	if scope == "" {
		return refuse(c, missing("scope"))
	}
	aud, rf := audienceOf(scope, tenant)
	if rf != nil {
		return refuse(c, *rf)
	}
	app, tok, err := h.store.IssueToken(ctx, clientID, secret, aud)
	switch {
	case errors.Is(err, models.ErrAppNotFound):
		return refuse(c, refusal{http.StatusBadRequest, "unauthorized_client", 700016,
			"Application with identifier '" + clientID + "' was not found in the directory '" + tenant + "'. " +
				"This can happen if the application has not been installed by the administrator of the tenant or consented to by any user in the tenant. " +
				"You may have sent your authentication request to the wrong tenant."})
	case errors.Is(err, models.ErrAppSecret):
		return refuse(c, refusal{http.StatusUnauthorized, "invalid_client", 7000215,
			"Invalid client secret provided. Ensure the secret being sent in the request is the client secret value, " +
				"not the client secret ID, for a secret added to app '" + app.ClientID + "'."})
	case errors.Is(err, models.ErrAppExpired):
		return refuse(c, refusal{http.StatusUnauthorized, "invalid_client", 7000222,
			"The provided client secret keys for app '" + app.ClientID + "' are expired. " +
				"Create a new app in the admin center (Settings > Apps and API access)."})
	case errors.Is(err, models.ErrAppRevoked):
		return refuse(c, refusal{http.StatusBadRequest, "unauthorized_client", 7000112,
			"Application '" + app.ClientID + "'(" + app.Name + ") is disabled."})
	case err != nil:
		return err
	}
	noStore(c)
	return c.JSON(http.StatusOK, TokenResponse{TokenType: "Bearer", ExpiresIn: tok.ExpiresIn, ExtExpiresIn: tok.ExpiresIn, AccessToken: tok.Raw})
}

// NotPost answers a token request that is not a POST, as Entra does.
func (h *Tokens) NotPost(c echo.Context) error {
	return refuse(c, refusal{http.StatusBadRequest, "invalid_request", 900561,
		"The endpoint only accepts POST requests. Received a " + c.Request().Method + " request."})
}

// The resources a client credentials scope may name, by their application ID URIs
// and app ids.
var resources = map[string]models.Audience{
	"https://outlook.office365.com":        models.AudienceExchange,
	"https://outlook.office.com":           models.AudienceExchange,
	"00000002-0000-0ff1-ce00-000000000000": models.AudienceExchange,
	"https://graph.microsoft.com":          models.AudienceGraph,
	"00000003-0000-0000-c000-000000000000": models.AudienceGraph,
}

// audienceOf reads a client credentials scope: one resource with /.default.
func audienceOf(scope, tenant string) (models.Audience, *refusal) {
	fields := strings.Fields(scope)
	if len(fields) != 1 {
		return "", &refusal{http.StatusBadRequest, "invalid_scope", 70011,
			"The provided value for the input parameter 'scope' is not valid. The scope " + scope + " is not valid. " +
				"Ask for one resource's /.default scope."}
	}
	res, ok := strings.CutSuffix(fields[0], "/.default")
	if !ok {
		return "", &refusal{http.StatusBadRequest, "invalid_scope", 1002012,
			"The provided value for scope " + scope + " is not valid. " +
				"Client credential flows must have a scope value with /.default suffixed to the resource identifier (application ID URI)."}
	}
	aud, ok := resources[strings.ToLower(strings.TrimSuffix(res, "/"))]
	if !ok {
		return "", &refusal{http.StatusBadRequest, "invalid_resource", 500011,
			"The resource principal named " + res + " was not found in the tenant named " + tenant + ". " +
				"This can happen if the application has not been installed by the administrator of the tenant or consented to by any user in the tenant. " +
				"You might have sent your authentication request to the wrong tenant."}
	}
	return aud, nil
}

// clientCredentials takes the client id and secret from the form or from HTTP Basic
// authentication (whose parts are form-encoded, RFC 6749 section 2.3.1). Sending the
// secret both ways is refused, as OAuth requires.
func clientCredentials(r *http.Request, form url.Values) (id, secret string, ok bool) {
	id, secret = form.Get("client_id"), form.Get("client_secret")
	user, pass, basic := r.BasicAuth()
	if !basic {
		return id, secret, true
	}
	if secret != "" {
		return "", "", false
	}
	u, err1 := url.QueryUnescape(user)
	p, err2 := url.QueryUnescape(pass)
	if err1 != nil || err2 != nil || (id != "" && id != u) {
		return "", "", false
	}
	return u, p, true
}

// refuse writes Entra's error JSON: the AADSTS text followed by the trace id,
// correlation id (the client's client-request-id when it sent one) and timestamp.
func refuse(c echo.Context, rf refusal) error {
	now := time.Now().UTC()
	trace := guid()
	corr := c.Request().Header.Get("client-request-id")
	if !isGUID(corr) {
		corr = guid()
	}
	ts := now.Format("2006-01-02 15:04:05Z")
	desc := fmt.Sprintf("AADSTS%d: %s\r\nTrace ID: %s\r\nCorrelation ID: %s\r\nTimestamp: %s", rf.code, rf.text, trace, corr, ts)
	noStore(c)
	c.Response().Header().Set("client-request-id", corr)
	c.Response().Header().Set("x-ms-request-id", trace)
	body, err := json.Marshal(ErrorResponse{
		Error: rf.oauth, ErrorDescription: desc, ErrorCodes: []int{rf.code}, Timestamp: ts, TraceID: trace,
		CorrelationID: corr, ErrorURI: fmt.Sprintf("https://login.microsoftonline.com/error?code=%d", rf.code),
	})
	if err != nil {
		return err
	}
	return c.Blob(rf.status, "application/json; charset=utf-8", body)
}

func noStore(c echo.Context) {
	h := c.Response().Header()
	h.Set("Cache-Control", "no-store, no-cache")
	h.Set("Pragma", "no-cache")
}

// readBody returns the request body (the server has read and bounded it already).
func readBody(r *http.Request) string {
	if r.Body == nil {
		return ""
	}
	b, _ := io.ReadAll(r.Body)
	return string(b)
}

func guid() string {
	var b [16]byte
	_, _ = rand.Read(b[:])
	b[6] = b[6]&0x0f | 0x40
	b[8] = b[8]&0x3f | 0x80
	return fmt.Sprintf("%x-%x-%x-%x-%x", b[0:4], b[4:6], b[6:8], b[8:10], b[10:16])
}

func isGUID(s string) bool {
	if len(s) != 36 {
		return false
	}
	for i, r := range strings.ToLower(s) {
		if i == 8 || i == 13 || i == 18 || i == 23 {
			if r != '-' {
				return false
			}
		} else if !(r >= '0' && r <= '9' || r >= 'a' && r <= 'f') {
			return false
		}
	}
	return true
}
