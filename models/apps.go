package models

import (
	"context"
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"crypto/subtle"
	"database/sql"
	"errors"
	"fmt"
	"math/big"
	"slices"
	"strings"
	"sync"
	"time"
	"unicode"
	"unicode/utf8"

	"gorm.io/gorm"
)

// App is an API credential: what Entra calls an app registration with one client
// secret. A program signs in with the client id and secret at the token endpoint
// and then acts with the admin roles the app was given, never as a person.
type App struct {
	ID uint `gorm:"primaryKey"`
	// ClientID is the Application (client) ID programs send, a GUID.
	ClientID string `gorm:"not null;uniqueIndex;size:36"`
	// ObjectID is the app's own object id, the oid and sub of its tokens.
	ObjectID string `gorm:"not null;size:36"`
	Name     string `gorm:"not null"`
	// Roles are the admin roles the app acts with, comma-separated, most powerful first.
	Roles string `gorm:"not null"`
	// SecretHash is the keyed hash of the client secret (see hashSecret); the secret
	// itself is shown once, when the app is created, and never stored.
	SecretHash []byte `gorm:"not null"`
	// SecretHint is the secret's first three characters, as Entra shows them, so an
	// admin can tell which secret a program holds.
	SecretHint string    `gorm:"not null"`
	ExpiresAt  time.Time `gorm:"not null"`
	CreatedAt  time.Time `gorm:"not null"`
	CreatedBy  string    `gorm:"not null"`
	// RevokedAt is set once the app is revoked: its secret and every token it holds
	// stop working at once.
	RevokedAt *time.Time
	RevokedBy string
	// LastUsedAt is when a token was last issued to the app or used by it, written
	// at most once a minute.
	LastUsedAt *time.Time
}

// RoleList returns the admin roles the app acts with.
func (a *App) RoleList() []Role {
	var out []Role
	for _, r := range strings.Split(a.Roles, ",") {
		if Role(r).Valid() {
			out = append(out, Role(r))
		}
	}
	return out
}

// AppStatus is whether an app's secret still works.
type AppStatus string

// The states of an app.
const (
	AppActive  AppStatus = "active"
	AppExpired AppStatus = "expired"
	AppRevoked AppStatus = "revoked"
)

// Status says whether the app's secret works at the time given.
func (a *App) Status(now time.Time) AppStatus {
	switch {
	case a.RevokedAt != nil:
		return AppRevoked
	case !now.Before(a.ExpiresAt):
		return AppExpired
	}
	return AppActive
}

// Actor returns the admin an app acts as: no person, the app's roles, its name (which
// the audit log records as the actor) and the channel the request came through.
func (a *App) Actor(channel Channel) *Admin {
	return &Admin{DisplayName: a.Name, Roles: a.RoleList(), App: a.Name, Channel: channel}
}

// AppLifetimes are the secret lifetimes an admin can choose, in days, as Entra
// offers them; DefaultAppLifetime is Entra's recommendation.
var AppLifetimes = []int{90, 180, 365, 545, 730}

// DefaultAppLifetime is the preselected lifetime, in days.
const DefaultAppLifetime = 180

// MaxAppNameLength bounds an app's display name (Entra's limit).
const MaxAppNameLength = 120

// NewApp is the New app form.
type NewApp struct {
	Name  string
	Roles []Role
	// LifetimeDays is one of AppLifetimes.
	LifetimeDays int
}

// CreatedApp is a new app with its secret, which is shown this once.
type CreatedApp struct {
	App
	Secret string
}

// Errors of app sign-in and tokens. The token endpoint and the APIs turn them into
// their own wire formats.
var (
	// ErrAppNotFound: no app has this client id (or it is malformed).
	ErrAppNotFound = errors.New("no app with this client id")
	// ErrAppSecret: the client secret is wrong.
	ErrAppSecret = errors.New("invalid client secret")
	// ErrAppExpired: the app's secret has expired.
	ErrAppExpired = errors.New("the app's secret has expired")
	// ErrAppRevoked: the app was revoked.
	ErrAppRevoked = errors.New("the app was revoked")
)

// CreateApp registers an app acting with the given roles and returns it with its
// client secret. Only a Global administrator may: an app's roles are admin roles,
// and only they assign those.
func (s *Store) CreateApp(ctx context.Context, actor *Admin, in NewApp) (*CreatedApp, error) {
	if !actor.Can(ActionManageRoles) {
		return nil, ErrForbidden
	}
	name := strings.TrimSpace(in.Name)
	ve := &ValidationError{}
	switch {
	case name == "":
		ve.Add("name", "apps.error.name_required", nil)
	case utf8.RuneCountInString(name) > MaxAppNameLength || !utf8.ValidString(name) ||
		strings.ContainsFunc(name, func(r rune) bool { return unicode.IsControl(r) || unicode.Is(unicode.Bidi_Control, r) }):
		ve.Add("name", "apps.error.name_invalid", map[string]any{"Max": MaxAppNameLength})
	}
	var roles []Role
	for _, r := range Roles {
		if slices.Contains(in.Roles, r) {
			roles = append(roles, r)
		}
	}
	switch {
	case slices.ContainsFunc(in.Roles, func(r Role) bool { return !r.Valid() }):
		ve.Add("roles", "roles.error.unknown", nil)
	case len(roles) == 0:
		ve.Add("roles", "apps.error.roles_required", nil)
	}
	if !slices.Contains(AppLifetimes, in.LifetimeDays) {
		ve.Add("lifetime", "apps.error.lifetime", nil)
	}
	if err := ve.OrNil(); err != nil {
		return nil, err
	}
	secret, err := newClientSecret()
	if err != nil {
		return nil, err
	}
	hash, err := s.hashSecret(ctx, secret)
	if err != nil {
		return nil, err
	}
	clientID, err := newGUID()
	if err != nil {
		return nil, err
	}
	objectID, err := newGUID()
	if err != nil {
		return nil, err
	}
	roleNames := make([]string, len(roles))
	for i, r := range roles {
		roleNames[i] = string(r)
	}
	now := s.Now()
	app := App{ClientID: clientID, ObjectID: objectID, Name: name, Roles: strings.Join(roleNames, ","),
		SecretHash: hash, SecretHint: secret[:3], ExpiresAt: now.AddDate(0, 0, in.LifetimeDays), CreatedAt: now,
		CreatedBy: actorName(actor)}
	err = s.write(ctx, func(tx *gorm.DB) error {
		var taken int64
		if err := tx.Model(&App{}).Where("LOWER(name) = ? AND revoked_at IS NULL", strings.ToLower(name)).Count(&taken).Error; err != nil {
			return fmt.Errorf("check app name: %w", err)
		}
		if taken > 0 {
			return Invalid("name", "apps.error.name_taken", map[string]any{"Name": name})
		}
		if err := tx.Create(&app).Error; err != nil {
			return fmt.Errorf("create app: %w", err)
		}
		return s.audit(tx, actor, "app.create", nil, name, nil, map[string]any{
			"client_id": clientID, "roles": roles, "expires": app.ExpiresAt.Format(time.RFC3339)})
	})
	if err != nil {
		return nil, err
	}
	return &CreatedApp{App: app, Secret: secret}, nil
}

// Apps lists every app, the newest first, revoked ones included.
func (s *Store) Apps(ctx context.Context) ([]App, error) {
	var apps []App
	if err := s.db.WithContext(ctx).Order("created_at DESC, id DESC").Find(&apps).Error; err != nil {
		return nil, fmt.Errorf("list apps: %w", err)
	}
	return apps, nil
}

// App returns one app.
func (s *Store) App(ctx context.Context, id uint) (*App, error) {
	var a App
	if err := s.db.WithContext(ctx).Where("id = ?", id).Take(&a).Error; err != nil {
		return nil, notFound(err, "app")
	}
	return &a, nil
}

// RevokeApp revokes an app: its secret stops working and so does every token issued
// to it, on the next request (each API request checks the app). Revoking a revoked
// app changes nothing.
func (s *Store) RevokeApp(ctx context.Context, actor *Admin, id uint) error {
	if !actor.Can(ActionManageRoles) {
		return ErrForbidden
	}
	return s.write(ctx, func(tx *gorm.DB) error {
		var a App
		if err := tx.Where("id = ?", id).Take(&a).Error; err != nil {
			return notFound(err, "app")
		}
		if a.RevokedAt != nil {
			return nil
		}
		now := s.Now()
		if err := tx.Model(&a).Updates(map[string]any{"revoked_at": now, "revoked_by": actorName(actor)}).Error; err != nil {
			return fmt.Errorf("revoke app: %w", err)
		}
		return s.audit(tx, actor, "app.revoke", nil, a.Name, nil, map[string]any{"client_id": a.ClientID})
	})
}

// AuthenticateApp checks a client id and secret and returns the app. The secret is
// checked first, so only someone holding it learns that an app was revoked or has
// expired.
func (s *Store) AuthenticateApp(ctx context.Context, clientID, secret string) (*App, error) {
	a, err := s.appByClientID(ctx, clientID)
	if err != nil {
		return nil, err
	}
	want, err := s.hashSecret(ctx, secret)
	if err != nil {
		return nil, err
	}
	if subtle.ConstantTimeCompare(want, a.SecretHash) != 1 {
		return a, ErrAppSecret
	}
	return a, appUsable(a, s.Now())
}

// appByClientID loads an app by its client id; a malformed id is no app's.
func (s *Store) appByClientID(ctx context.Context, clientID string) (*App, error) {
	clientID = strings.ToLower(strings.TrimSpace(clientID))
	if !isGUID(clientID) {
		return nil, ErrAppNotFound
	}
	// Every Graph and PowerShell request reads its app: scanned without reflection.
	rows, err := s.db.WithContext(ctx).Raw(`SELECT id, client_id, object_id, name, roles, secret_hash, secret_hint, expires_at,
		created_at, created_by, revoked_at, revoked_by, last_used_at FROM apps WHERE client_id = ? LIMIT 1`, clientID).Rows()
	if err != nil {
		return nil, fmt.Errorf("load app: %w", err)
	}
	defer rows.Close()
	if !rows.Next() {
		if err := rows.Err(); err != nil {
			return nil, fmt.Errorf("load app: %w", err)
		}
		return nil, ErrAppNotFound
	}
	var (
		a                 App
		revokedAt, usedAt sql.NullTime
		revokedBy         sql.NullString
	)
	if err := rows.Scan(&a.ID, &a.ClientID, &a.ObjectID, &a.Name, &a.Roles, &a.SecretHash, &a.SecretHint, &a.ExpiresAt,
		&a.CreatedAt, &a.CreatedBy, &revokedAt, &revokedBy, &usedAt); err != nil {
		return nil, fmt.Errorf("load app: %w", err)
	}
	if revokedAt.Valid {
		a.RevokedAt = &revokedAt.Time
	}
	if usedAt.Valid {
		a.LastUsedAt = &usedAt.Time
	}
	a.RevokedBy = revokedBy.String
	return &a, nil
}

// appUsable refuses a revoked app and one whose secret has expired.
func appUsable(a *App, now time.Time) error {
	switch a.Status(now) {
	case AppRevoked:
		return ErrAppRevoked
	case AppExpired:
		return ErrAppExpired
	}
	return nil
}

// lastUseInterval is how often at most an app's last use is written.
const lastUseInterval = time.Minute

// touchApp records that the app was used, at most once a lastUseInterval (also
// across instances: the update only applies to an older value).
func (s *Store) touchApp(ctx context.Context, a *App) error {
	now := s.Now()
	if a.LastUsedAt != nil && now.Sub(*a.LastUsedAt) < lastUseInterval {
		return nil
	}
	return s.write(ctx, func(tx *gorm.DB) error {
		return tx.Model(&App{}).Where("id = ? AND (last_used_at IS NULL OR last_used_at < ?)", a.ID, now.Add(-lastUseInterval)).
			Update("last_used_at", now).Error
	})
}

// actorName is how the audit log and an app's record name an admin.
func actorName(a *Admin) string {
	if a == nil {
		return "-"
	}
	if a.App != "" {
		return a.App
	}
	return a.Username
}

// appKeys holds the installation's secret for apps, loaded on first use: client
// secrets are hashed and access tokens signed with keys derived from it. Instances
// sharing a database share it (server_keys), so a token one issues the others accept.
type appKeys struct {
	mu     sync.Mutex
	master []byte
}

// appKey derives the key for one purpose ("client-secret", "access-token").
func (s *Store) appKey(ctx context.Context, purpose string) ([]byte, error) {
	s.apps.mu.Lock()
	defer s.apps.mu.Unlock()
	if s.apps.master == nil {
		k, err := s.ServerKey(ctx, "apps")
		if err != nil {
			return nil, err
		}
		s.apps.master = k
	}
	m := hmac.New(sha256.New, s.apps.master)
	m.Write([]byte(purpose))
	return m.Sum(nil), nil
}

// hashSecret is HMAC-SHA256 of a client secret under the installation's key.
//
// A client secret is 40 characters chosen at random by the server (over 200 bits),
// not something a person picked, so no dictionary or brute force can find it from
// its hash: a slow hash such as bcrypt adds nothing but cost, and at bcrypt's cost
// 12 every token request would take a quarter of a second of CPU, which would make
// the token endpoint the easiest way to load the server. The key means a copy of the
// apps table alone (without server_keys) cannot even confirm a guess.
func (s *Store) hashSecret(ctx context.Context, secret string) ([]byte, error) {
	key, err := s.appKey(ctx, "client-secret")
	if err != nil {
		return nil, err
	}
	m := hmac.New(sha256.New, key)
	m.Write([]byte(secret))
	return m.Sum(nil), nil
}

const (
	alnum       = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789"
	secretChars = alnum + "_-.~"
)

// newClientSecret makes a secret shaped like Entra's: three characters, "8Q~", then
// 34 more (40 in all, about 220 random bits).
func newClientSecret() (string, error) {
	head, err := randomFrom(alnum, 3)
	if err != nil {
		return "", err
	}
	tail, err := randomFrom(secretChars, 34)
	if err != nil {
		return "", err
	}
	return head + "8Q~" + tail, nil
}

func randomFrom(alphabet string, n int) (string, error) {
	b := make([]byte, n)
	max := big.NewInt(int64(len(alphabet)))
	for i := range b {
		k, err := rand.Int(rand.Reader, max)
		if err != nil {
			return "", fmt.Errorf("make secret: %w", err)
		}
		b[i] = alphabet[k.Int64()]
	}
	return string(b), nil
}

// newGUID returns a random (version 4) GUID in its lower-case text form.
func newGUID() (string, error) {
	var b [16]byte
	if _, err := rand.Read(b[:]); err != nil {
		return "", fmt.Errorf("make id: %w", err)
	}
	return formatGUID(b), nil
}

func formatGUID(b [16]byte) string {
	b[6] = b[6]&0x0f | 0x40
	b[8] = b[8]&0x3f | 0x80
	return fmt.Sprintf("%x-%x-%x-%x-%x", b[0:4], b[4:6], b[6:8], b[8:10], b[10:16])
}

// isGUID reports whether s is a GUID in its lower-case 8-4-4-4-12 text form.
func isGUID(s string) bool {
	if len(s) != 36 {
		return false
	}
	for i, r := range s {
		switch i {
		case 8, 13, 18, 23:
			if r != '-' {
				return false
			}
		default:
			if !(r >= '0' && r <= '9' || r >= 'a' && r <= 'f') {
				return false
			}
		}
	}
	return true
}
