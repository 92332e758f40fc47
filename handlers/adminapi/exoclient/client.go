// Package exoclient is a client of the Exchange REST endpoint (InvokeCommand): it
// posts a cmdlet and its parameters as the ExchangeOnlineManagement module does,
// follows @odata.nextLink by posting the same body again, and reads Exchange's
// error shape. The CLI's --url URL --token TOKEN mode, the benchmark and the tests
// use it; it also fetches a token from the token endpoint with client credentials.
package exoclient

import (
	"bytes"
	"context"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/contoso/admincenter/models/powershell"
)

// Client calls one tenant's InvokeCommand.
type Client struct {
	// Endpoint is https://host/adminapi/beta/{tenant}/InvokeCommand.
	Endpoint string
	// Token is the bearer token (from the token endpoint, for the scope
	// https://outlook.office365.com/.default).
	Token string
	// PageSize is sent as Prefer: odata.maxpagesize; 0 leaves it to the server.
	PageSize int
	// MaxRetries is how often a request answered 429 is tried again, after the
	// Retry-After the server gave.
	MaxRetries int
	HTTP       *http.Client
}

// New returns a client for the server at baseURL (http://127.0.0.1:8080, or a full
// https://host/adminapi/beta/{tenant} address). Without a tenant in the address, the
// tenant is the one the token was issued in (its tid claim).
func New(baseURL, token string) (*Client, error) {
	u, err := url.Parse(strings.TrimRight(baseURL, "/"))
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return nil, fmt.Errorf("exoclient: %q is not an http(s) address", baseURL)
	}
	if !strings.Contains(u.Path, "/adminapi/beta/") {
		tid, err := tenantOf(token)
		if err != nil {
			return nil, err
		}
		u.Path = strings.TrimRight(u.Path, "/") + "/adminapi/beta/" + tid
	}
	u.Path = strings.TrimSuffix(u.Path, "/InvokeCommand") + "/InvokeCommand"
	return &Client{Endpoint: u.String(), Token: token, MaxRetries: 3, HTTP: http.DefaultClient}, nil
}

// tenantOf reads the tid claim of an access token.
func tenantOf(token string) (string, error) {
	parts := strings.Split(token, ".")
	if len(parts) != 3 {
		return "", errors.New("exoclient: the token is not a JWT; give the tenant in the address (/adminapi/beta/{tenant})")
	}
	b, err := base64.RawURLEncoding.DecodeString(parts[1])
	var c struct {
		TID string `json:"tid"`
	}
	if err != nil || json.Unmarshal(b, &c) != nil || c.TID == "" {
		return "", errors.New("exoclient: the token names no tenant; give it in the address (/adminapi/beta/{tenant})")
	}
	return c.TID, nil
}

// Page is one answer of InvokeCommand.
type Page struct {
	// Values are the output objects, as JSON.
	Values   []json.RawMessage `json:"value"`
	Warnings []string          `json:"@adminapi.warnings"`
	NextLink string            `json:"@odata.nextLink"`
	Context  string            `json:"@odata.context"`
}

// Error is an error answer: the HTTP status and Exchange's error, with its detail
// split as clients split it ("Ex6F9304|Exception.Type|message").
type Error struct {
	Status    int
	Code      string
	Message   string
	ErrorCode string
	Exception string
	Text      string
	// RetryAfter is set on a 429.
	RetryAfter time.Duration
}

func (e *Error) Error() string {
	if e.Text != "" {
		return e.Text
	}
	if e.Message != "" {
		return e.Message
	}
	return http.StatusText(e.Status)
}

// Select sets $select, the properties to return.
type Select []string

// Invoke runs a cmdlet and returns every object it wrote, following nextLinks.
func (c *Client) Invoke(ctx context.Context, cmdlet string, params powershell.Parameters, sel Select) ([]json.RawMessage, []string, error) {
	var values []json.RawMessage
	var warnings []string
	err := c.Pages(ctx, cmdlet, params, sel, func(p *Page) error {
		values = append(values, p.Values...)
		warnings = append(warnings, p.Warnings...)
		return nil
	})
	return values, warnings, err
}

// Pages runs a cmdlet and calls fn with each page as it arrives.
func (c *Client) Pages(ctx context.Context, cmdlet string, params powershell.Parameters, sel Select, fn func(*Page) error) error {
	body, err := json.Marshal(powershell.InvokeRequest{CmdletInput: powershell.CmdletInput{CmdletName: cmdlet, Parameters: params}})
	if err != nil {
		return err
	}
	next := c.Endpoint
	if len(sel) > 0 {
		next += "?$select=" + url.QueryEscape(strings.Join(sel, ","))
	}
	for next != "" {
		p, err := c.post(ctx, next, cmdlet, body)
		if err != nil {
			return err
		}
		if err := fn(p); err != nil {
			return err
		}
		next = p.NextLink
	}
	return nil
}

// post sends one request, trying again after a 429 as the server asks.
func (c *Client) post(ctx context.Context, to, cmdlet string, body []byte) (*Page, error) {
	for try := 0; ; try++ {
		p, err := c.postOnce(ctx, to, cmdlet, body)
		var e *Error
		if err == nil || !errors.As(err, &e) || e.Status != http.StatusTooManyRequests || try >= c.MaxRetries {
			return p, err
		}
		select {
		case <-ctx.Done():
			return nil, ctx.Err()
		case <-time.After(max(e.RetryAfter, 100*time.Millisecond)):
		}
	}
}

func (c *Client) postOnce(ctx context.Context, to, cmdlet string, body []byte) (*Page, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, to, bytes.NewReader(body))
	if err != nil {
		return nil, err
	}
	req.Header.Set("Authorization", "Bearer "+c.Token)
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("X-CmdletName", cmdlet)
	req.Header.Set("X-ResponseFormat", "json")
	if c.PageSize > 0 {
		req.Header.Set("Prefer", "odata.maxpagesize="+strconv.Itoa(c.PageSize))
	}
	httpc := c.HTTP
	if httpc == nil {
		httpc = http.DefaultClient
	}
	res, err := httpc.Do(req)
	if err != nil {
		return nil, err
	}
	defer res.Body.Close()
	b, err := io.ReadAll(res.Body)
	if err != nil {
		return nil, err
	}
	if res.StatusCode != http.StatusOK {
		return nil, errorOf(res, b)
	}
	var p Page
	if err := json.Unmarshal(b, &p); err != nil {
		return nil, fmt.Errorf("exoclient: the answer is not JSON: %w", err)
	}
	return &p, nil
}

// errorOf reads an error answer.
func errorOf(res *http.Response, b []byte) *Error {
	e := &Error{Status: res.StatusCode}
	if s, err := strconv.Atoi(res.Header.Get("Retry-After")); err == nil {
		e.RetryAfter = time.Duration(s) * time.Second
	}
	var body powershell.ErrorResponse
	if json.Unmarshal(b, &body) != nil {
		return e
	}
	e.Code, e.Message = body.Error.Code, body.Error.Message
	if len(body.Error.Details) > 0 {
		parts := strings.SplitN(body.Error.Details[0].Message, "|", 3)
		if len(parts) == 3 {
			e.ErrorCode, e.Exception, e.Text = parts[0], parts[1], parts[2]
		} else {
			e.Text = body.Error.Details[0].Message
		}
	}
	return e
}

// TokenResponse is the token endpoint's answer.
type TokenResponse struct {
	TokenType   string `json:"token_type"`
	ExpiresIn   int    `json:"expires_in"`
	AccessToken string `json:"access_token"`
}

// TokenError is the token endpoint's error answer.
type TokenError struct {
	Status      int
	Code        string `json:"error"`
	Description string `json:"error_description"`
	ErrorCodes  []int  `json:"error_codes"`
}

func (e *TokenError) Error() string { return e.Code + ": " + e.Description }

// Exchange's and Graph's client credentials scopes.
const (
	ScopeExchange = "https://outlook.office365.com/.default"
	ScopeGraph    = "https://graph.microsoft.com/.default"
)

// GetToken asks the token endpoint at baseURL for an access token with client
// credentials (the client credentials grant).
func GetToken(ctx context.Context, httpc *http.Client, baseURL, tenant, clientID, secret, scope string) (string, error) {
	form := url.Values{"grant_type": {"client_credentials"}, "client_id": {clientID}, "client_secret": {secret}, "scope": {scope}}
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, strings.TrimRight(baseURL, "/")+"/"+url.PathEscape(tenant)+"/oauth2/v2.0/token",
		strings.NewReader(form.Encode()))
	if err != nil {
		return "", err
	}
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	if httpc == nil {
		httpc = http.DefaultClient
	}
	res, err := httpc.Do(req)
	if err != nil {
		return "", err
	}
	defer res.Body.Close()
	b, err := io.ReadAll(res.Body)
	if err != nil {
		return "", err
	}
	if res.StatusCode != http.StatusOK {
		te := &TokenError{Status: res.StatusCode}
		_ = json.Unmarshal(b, te)
		return "", te
	}
	var tr TokenResponse
	if err := json.Unmarshal(b, &tr); err != nil || tr.AccessToken == "" {
		return "", fmt.Errorf("exoclient: the token endpoint's answer has no token")
	}
	return tr.AccessToken, nil
}
