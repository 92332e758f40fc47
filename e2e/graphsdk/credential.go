// Package graphsdk drives the server's Microsoft Graph endpoint with Microsoft's own
// Go SDK (github.com/microsoftgraph/msgraph-sdk-go), unchanged but for the base
// address and the token credential. The SDK is large, so it lives in this module of
// its own and the product's build never compiles it.
package graphsdk

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"time"

	"github.com/Azure/azure-sdk-for-go/sdk/azcore"
	"github.com/Azure/azure-sdk-for-go/sdk/azcore/policy"
)

// Credential is an azcore.TokenCredential that gets app tokens from the server's
// token endpoint, /{tenant}/oauth2/v2.0/token, with client credentials, as
// azidentity's ClientSecretCredential does from Entra. A token is kept until five
// minutes before it expires.
type Credential struct {
	BaseURL, Tenant, ClientID, Secret string
	HTTP                              *http.Client

	mu    sync.Mutex
	token azcore.AccessToken
}

// GetToken returns a token for the scopes (one resource's /.default).
func (c *Credential) GetToken(ctx context.Context, opts policy.TokenRequestOptions) (azcore.AccessToken, error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.token.Token != "" && time.Until(c.token.ExpiresOn) > 5*time.Minute {
		return c.token, nil
	}
	form := url.Values{"grant_type": {"client_credentials"}, "client_id": {c.ClientID}, "client_secret": {c.Secret},
		"scope": {strings.Join(opts.Scopes, " ")}}
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, c.BaseURL+"/"+url.PathEscape(c.Tenant)+"/oauth2/v2.0/token",
		strings.NewReader(form.Encode()))
	if err != nil {
		return azcore.AccessToken{}, err
	}
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	hc := c.HTTP
	if hc == nil {
		hc = http.DefaultClient
	}
	res, err := hc.Do(req)
	if err != nil {
		return azcore.AccessToken{}, err
	}
	defer res.Body.Close()
	var body struct {
		AccessToken string `json:"access_token"`
		ExpiresIn   int    `json:"expires_in"`
		Error       string `json:"error"`
		Description string `json:"error_description"`
	}
	if err := json.NewDecoder(res.Body).Decode(&body); err != nil {
		return azcore.AccessToken{}, fmt.Errorf("token endpoint: %d: %w", res.StatusCode, err)
	}
	if res.StatusCode != http.StatusOK || body.AccessToken == "" {
		return azcore.AccessToken{}, fmt.Errorf("token endpoint: %d %s: %s", res.StatusCode, body.Error, body.Description)
	}
	c.token = azcore.AccessToken{Token: body.AccessToken, ExpiresOn: time.Now().Add(time.Duration(body.ExpiresIn) * time.Second)}
	return c.token, nil
}
