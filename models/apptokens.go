package models

import (
	"bytes"
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
	"encoding/json"
	"errors"
	"strings"
	"time"

	"gorm.io/gorm"
)

// Audience is the API an access token is for. A token for one API is refused by the
// other, as Entra's tokens are.
type Audience string

// The APIs programs get tokens for, named as Entra's tokens name them (aud).
const (
	AudienceExchange Audience = "https://outlook.office365.com"
	AudienceGraph    Audience = "https://graph.microsoft.com"
)

// TokenLifetime is how long an access token lasts; the token endpoint says 3599
// seconds, as Entra does.
const TokenLifetime = 3599 * time.Second

// Errors of an access token presented to an API.
var (
	// ErrTokenInvalid: not a token this installation signed (garbage, tampered).
	ErrTokenInvalid = errors.New("access token is malformed or its signature is invalid")
	// ErrTokenExpired: the token's lifetime is over (or has not begun).
	ErrTokenExpired = errors.New("access token has expired or is not yet valid")
	// ErrTokenAudience: the token is for another API.
	ErrTokenAudience = errors.New("access token is for another API")
)

// AccessToken is an issued token: what the token endpoint answers with.
type AccessToken struct {
	Raw       string
	ExpiresIn int
}

// tokenClaims are the claims of an app-only access token, named and shaped as in
// Entra's v1.0 tokens, so a client that reads its token (exp, appid, roles) finds
// what it expects.
type tokenClaims struct {
	Aud            string   `json:"aud"`
	Iss            string   `json:"iss"`
	Iat            int64    `json:"iat"`
	Nbf            int64    `json:"nbf"`
	Exp            int64    `json:"exp"`
	AppDisplayName string   `json:"app_displayname"`
	AppID          string   `json:"appid"`
	AppIDACR       string   `json:"appidacr"`
	IDP            string   `json:"idp"`
	IDType         string   `json:"idtyp"`
	OID            string   `json:"oid"`
	Roles          []string `json:"roles,omitempty"`
	Sub            string   `json:"sub"`
	TID            string   `json:"tid"`
	UTI            string   `json:"uti"`
	Ver            string   `json:"ver"`
	WIDs           []string `json:"wids,omitempty"`
}

// roleTemplateIDs are Entra's role template ids, which tokens list in wids.
var roleTemplateIDs = map[Role]string{
	RoleGlobalAdmin:            "62e90394-69f5-4237-9190-012177145e10",
	RoleExchangeAdmin:          "29232cdf-9323-42fd-ade2-1d097af3e4de",
	RoleExchangeRecipientAdmin: "31392ffb-586c-42d1-9346-e59415a2cc4e",
	RoleUserAdmin:              "fe930be7-5e62-47db-91af-98c3a49a38b1",
	RoleHelpdeskAdmin:          "729827e3-9c14-49f7-bb1b-9608f156bbb8",
	RoleGlobalReader:           "f2ef992c-3afb-46b9-b7cf-a126ee74c451",
}

// TenantID returns the organization's tenant id, a GUID made once per installation
// and kept with the server keys, so every instance (and a reset tenant) keeps it.
func (s *Store) TenantID(ctx context.Context) (string, error) {
	if id := s.tenantID.Load(); id != nil {
		return *id, nil
	}
	k, err := s.ServerKey(ctx, "tenant-id")
	if err != nil {
		return "", err
	}
	var b [16]byte
	copy(b[:], k)
	id := formatGUID(b)
	s.tenantID.Store(&id)
	return id, nil
}

// IsTenant reports whether name names this organization, as Entra and Exchange
// accept it in their addresses: the tenant id or any accepted domain.
func (s *Store) IsTenant(ctx context.Context, name string) (bool, error) {
	name = strings.ToLower(strings.TrimSpace(name))
	id, err := s.TenantID(ctx)
	if err != nil {
		return false, err
	}
	if name == id {
		return true, nil
	}
	var n int64
	if err := s.db.WithContext(ctx).Model(&Domain{}).Where("LOWER(name) = ?", name).Count(&n).Error; err != nil {
		return false, err
	}
	return n > 0, nil
}

// IssueToken signs in an app with its client id and secret (AuthenticateApp) and
// issues an access token for the audience. The issue is audited under the app's
// name and counts as a use of the app.
func (s *Store) IssueToken(ctx context.Context, clientID, secret string, aud Audience) (*App, *AccessToken, error) {
	a, err := s.AuthenticateApp(ctx, clientID, secret)
	if err != nil {
		return a, nil, err
	}
	tid, err := s.TenantID(ctx)
	if err != nil {
		return nil, nil, err
	}
	uti, err := randomFrom(alnum, 22)
	if err != nil {
		return nil, nil, err
	}
	now := s.Now()
	c := tokenClaims{
		Aud: string(aud), Iss: "https://sts.windows.net/" + tid + "/", Iat: now.Unix(), Nbf: now.Unix(),
		Exp: now.Add(TokenLifetime).Unix(), AppDisplayName: a.Name, AppID: a.ClientID, AppIDACR: "1",
		IDP: "https://sts.windows.net/" + tid + "/", IDType: "app", OID: a.ObjectID, Sub: a.ObjectID,
		TID: tid, UTI: uti, Ver: "1.0",
	}
	if aud == AudienceExchange {
		c.Roles = []string{"Exchange.ManageAsApp"}
	}
	for _, r := range a.RoleList() {
		c.WIDs = append(c.WIDs, roleTemplateIDs[r])
	}
	raw, err := s.signToken(ctx, c)
	if err != nil {
		return nil, nil, err
	}
	err = s.write(ctx, func(tx *gorm.DB) error {
		if err := tx.Model(&App{}).Where("id = ?", a.ID).Update("last_used_at", now).Error; err != nil {
			return err
		}
		return s.audit(tx, a.Actor(""), "app.token", nil, a.Name, nil, map[string]any{"audience": aud})
	})
	if err != nil {
		return nil, nil, err
	}
	return a, &AccessToken{Raw: raw, ExpiresIn: int(TokenLifetime / time.Second)}, nil
}

// AppForToken checks an access token presented to the API aud and returns the admin
// its app acts as, for the channel. The app is read on every call, so a revoked or
// expired app is refused at once, on every instance. The errors are ErrTokenInvalid,
// ErrTokenExpired, ErrTokenAudience, ErrAppNotFound, ErrAppRevoked and ErrAppExpired.
func (s *Store) AppForToken(ctx context.Context, raw string, aud Audience, channel Channel) (*Admin, error) {
	c, err := s.verifiedClaims(ctx, raw)
	if err != nil {
		return nil, err
	}
	if c.Aud != string(aud) {
		return nil, ErrTokenAudience
	}
	a, err := s.appByClientID(ctx, c.AppID)
	if err != nil {
		return nil, err
	}
	if a.ObjectID != c.OID {
		return nil, ErrAppNotFound // a token of an app that no longer exists
	}
	if err := appUsable(a, s.Now()); err != nil {
		return nil, err
	}
	if err := s.touchApp(ctx, a); err != nil {
		return nil, err
	}
	return a.Actor(channel), nil
}

// VerifiedToken is an access token whose signature VerifyToken checked and whose
// claims it read. Put in a request's context (WithVerifiedToken), it spares
// AppForToken checking the signature and reading the claims a second time.
type VerifiedToken struct {
	store  *Store
	raw    string
	claims tokenClaims
}

// VerifyToken checks a token's signature and lifetime, without asking the database
// whether its app still may act; the server calls it before reading a request's
// body, to treat requests with a genuine token like signed-in ones.
func (s *Store) VerifyToken(ctx context.Context, raw string) (*VerifiedToken, error) {
	c, err := s.verifyToken(ctx, raw)
	if err != nil {
		return nil, err
	}
	return &VerifiedToken{store: s, raw: raw, claims: *c}, nil
}

type verifiedTokenKey struct{}

// WithVerifiedToken returns ctx carrying the verified token, for AppForToken.
func WithVerifiedToken(ctx context.Context, t *VerifiedToken) context.Context {
	return context.WithValue(ctx, verifiedTokenKey{}, t)
}

// verifiedClaims are the claims of raw: those of the token verified earlier in
// the request (WithVerifiedToken) when it is the same token and store, its
// lifetime checked again (time has passed), and otherwise verifyToken's. Either
// way a token is refused with the same error.
func (s *Store) verifiedClaims(ctx context.Context, raw string) (*tokenClaims, error) {
	if t, _ := ctx.Value(verifiedTokenKey{}).(*VerifiedToken); t != nil && t.store == s && t.raw == raw {
		if err := s.checkLifetime(&t.claims); err != nil {
			return nil, err
		}
		return &t.claims, nil
	}
	return s.verifyToken(ctx, raw)
}

func (s *Store) verifyToken(ctx context.Context, raw string) (*tokenClaims, error) {
	if len(raw) > 4096 {
		return nil, ErrTokenInvalid
	}
	parts := strings.Split(raw, ".")
	if len(parts) != 3 || parts[0] != tokenHeader {
		return nil, ErrTokenInvalid
	}
	key, err := s.appKey(ctx, "access-token")
	if err != nil {
		return nil, err
	}
	sig, err := base64.RawURLEncoding.DecodeString(parts[2])
	if err != nil || !hmac.Equal(sig, tokenMAC(key, parts[0]+"."+parts[1])) {
		return nil, ErrTokenInvalid
	}
	body, err := base64.RawURLEncoding.DecodeString(parts[1])
	if err != nil {
		return nil, ErrTokenInvalid
	}
	var c tokenClaims
	dec := json.NewDecoder(bytes.NewReader(body))
	if err := dec.Decode(&c); err != nil {
		return nil, ErrTokenInvalid
	}
	if err := s.checkLifetime(&c); err != nil {
		return nil, err
	}
	return &c, nil
}

// checkLifetime refuses a token whose lifetime is over or has not begun.
func (s *Store) checkLifetime(c *tokenClaims) error {
	now := s.Now().Unix()
	// Five minutes of leeway for a clock that runs behind, as Entra allows.
	if now >= c.Exp || now+300 < c.Nbf {
		return ErrTokenExpired
	}
	return nil
}

// tokenHeader is the JOSE header of every token: {"typ":"JWT","alg":"HS256"}. Only
// tokens with exactly this header are checked, so no one can choose the algorithm.
var tokenHeader = base64.RawURLEncoding.EncodeToString([]byte(`{"typ":"JWT","alg":"HS256"}`))

// signToken writes the claims as a JWT signed with HMAC-SHA256 under the
// installation's token key. Clients treat access tokens as opaque (some read exp);
// only this server checks them, so a shared key needs no published key set.
func (s *Store) signToken(ctx context.Context, c tokenClaims) (string, error) {
	key, err := s.appKey(ctx, "access-token")
	if err != nil {
		return "", err
	}
	body, err := json.Marshal(c)
	if err != nil {
		return "", err
	}
	signed := tokenHeader + "." + base64.RawURLEncoding.EncodeToString(body)
	return signed + "." + base64.RawURLEncoding.EncodeToString(tokenMAC(key, signed)), nil
}

func tokenMAC(key []byte, signed string) []byte {
	m := hmac.New(sha256.New, key)
	m.Write([]byte(signed))
	return m.Sum(nil)
}
