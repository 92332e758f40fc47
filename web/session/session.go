// Package session keeps sign-in sessions on the server, in the application's
// database, behind the gorilla/sessions Store interface. The cookie holds only a
// random token; the database holds its SHA-256, so signing out ends the session
// everywhere and a copy of the database hands out no live sessions.
//
// Only signing in creates a session. Every other write updates a session that is
// still there, so a session ended by sign-out, "Sign out everywhere", a password
// reset, a block or a role removal stays ended even when a request that loaded it
// earlier saves it afterwards.
package session

import (
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"strconv"
	"time"

	"github.com/gorilla/sessions"
	"github.com/labstack/echo/v4"

	"github.com/contoso/admincenter/models"
)

// CookieName is the session cookie's name (with the __Host- prefix over TLS).
const CookieName = "admincenter_session"

const (
	keyUserID  = "uid"
	keyCSRF    = "csrf"
	keyFlash   = "flash"
	keyCreated = "_created"
	keySeen    = "_seen"
)

// Store is a gorilla/sessions Store backed by the models store.
type Store struct {
	db   *models.Store
	keys *keyring
	// IdleTimeout ends a session that has not been used for this long.
	IdleTimeout time.Duration
	// AbsoluteTimeout ends a session this long after sign-in, however busy.
	AbsoluteTimeout time.Duration
	// TouchInterval is how often at most a session's activity is written.
	TouchInterval time.Duration
	// DeviceLifetime is how long a familiar-device cookie is honoured.
	DeviceLifetime time.Duration
}

// NewStore returns a session store with the given timeouts.
func NewStore(db *models.Store, idle, absolute time.Duration) *Store {
	return &Store{db: db, keys: newKeyring(db), IdleTimeout: idle, AbsoluteTimeout: absolute,
		TouchInterval: time.Minute, DeviceLifetime: 90 * 24 * time.Hour}
}

var _ sessions.Store = (*Store)(nil)

// Get returns the request's session, cached for the rest of the request.
func (s *Store) Get(r *http.Request, name string) (*sessions.Session, error) {
	return sessions.GetRegistry(r).Get(s, name)
}

// New loads the session named by the request's cookie, or an empty one when there
// is none, it has ended or it has expired. An empty session is never stored.
func (s *Store) New(r *http.Request, name string) (*sessions.Session, error) {
	sess := sessions.NewSession(s, name)
	sess.Options = s.options(r)
	sess.IsNew = true
	c, err := r.Cookie(name)
	if err != nil || c.Value == "" || len(c.Value) > 128 {
		return sess, nil
	}
	row, err := s.db.LoadSession(r.Context(), hashToken(c.Value))
	if errors.Is(err, models.ErrNotFound) {
		return sess, nil
	}
	if err != nil {
		return sess, err
	}
	now := s.db.Now()
	if now.Sub(row.LastSeenAt) > s.IdleTimeout || now.Sub(row.CreatedAt) > s.AbsoluteTimeout {
		_ = s.db.DeleteSession(r.Context(), row.ID)
		return sess, nil
	}
	var values map[string]any
	if err := json.Unmarshal(row.Data, &values); err != nil {
		return sess, nil
	}
	for k, v := range values {
		sess.Values[k] = v
	}
	sess.Values[keyCreated] = row.CreatedAt.Unix()
	sess.Values[keySeen] = row.LastSeenAt.Unix()
	sess.ID = c.Value
	sess.IsNew = false
	return sess, nil
}

// Save writes a live session and refreshes its cookie; a negative MaxAge deletes
// both. It never creates a session: an empty one is not stored, and one that has
// ended since the request loaded it stays ended (its cookie is cleared).
func (s *Store) Save(r *http.Request, w http.ResponseWriter, sess *sessions.Session) error {
	if sess.Options.MaxAge < 0 {
		if sess.ID != "" {
			if err := s.db.DeleteSession(r.Context(), hashToken(sess.ID)); err != nil {
				return err
			}
		}
		http.SetCookie(w, sessions.NewCookie(sess.Name(), "", sess.Options))
		return nil
	}
	if sess.IsNew || sess.ID == "" {
		return nil
	}
	row, err := s.row(sess)
	if err != nil {
		return err
	}
	err = s.db.UpdateSession(r.Context(), row)
	if errors.Is(err, models.ErrNotFound) {
		s.forget(sess)
		opts := *sess.Options
		opts.MaxAge = -1
		http.SetCookie(w, sessions.NewCookie(sess.Name(), "", &opts))
		return nil
	}
	if err != nil {
		return err
	}
	sess.Values[keySeen] = row.LastSeenAt.Unix()
	http.SetCookie(w, sessions.NewCookie(sess.Name(), sess.ID, sess.Options))
	return nil
}

// row is the database row of a session, its activity now.
func (s *Store) row(sess *sessions.Session) (*models.Session, error) {
	now := s.db.Now()
	created := now
	if v, ok := sess.Values[keyCreated].(int64); ok {
		created = time.Unix(v, 0).UTC()
	}
	values := map[string]any{}
	for k, v := range sess.Values {
		if ks, ok := k.(string); ok && ks != keyCreated && ks != keySeen {
			values[ks] = v
		}
	}
	data, err := json.Marshal(values)
	if err != nil {
		return nil, fmt.Errorf("encode session: %w", err)
	}
	row := &models.Session{ID: hashToken(sess.ID), Data: data, CreatedAt: created, LastSeenAt: now,
		ExpiresAt: minTime(created.Add(s.AbsoluteTimeout), now.Add(s.IdleTimeout))}
	if uid, ok := UserIDOf(sess); ok {
		row.UserID = &uid
	}
	return row, nil
}

// forget turns a session the request holds into an empty one, for the rest of the
// request.
func (s *Store) forget(sess *sessions.Session) {
	for k := range sess.Values {
		delete(sess.Values, k)
	}
	sess.ID = ""
	sess.IsNew = true
}

func (s *Store) options(r *http.Request) *sessions.Options {
	// Set explicitly: gorilla/sessions' defaults have changed between releases.
	return &sessions.Options{Path: "/", MaxAge: 0, HttpOnly: true, Secure: Secure(r), SameSite: http.SameSiteLaxMode}
}

func minTime(a, b time.Time) time.Time {
	if a.Before(b) {
		return a
	}
	return b
}

func newToken() (string, error) {
	b := make([]byte, 32)
	if _, err := rand.Read(b); err != nil {
		return "", fmt.Errorf("session token: %w", err)
	}
	return base64.RawURLEncoding.EncodeToString(b), nil
}

func hashToken(token string) string {
	sum := sha256.Sum256([]byte(token))
	return hex.EncodeToString(sum[:])
}

// UserIDOf returns the signed-in user of a session.
func UserIDOf(sess *sessions.Session) (uint, bool) {
	s, ok := sess.Values[keyUserID].(string)
	if !ok || sess.IsNew {
		return 0, false
	}
	id, err := strconv.ParseUint(s, 10, 64)
	if err != nil {
		return 0, false
	}
	return uint(id), true
}

// Current returns the request's session.
func (s *Store) Current(c echo.Context) (*sessions.Session, error) {
	return s.Get(c.Request(), Cookie(c.Request(), CookieName))
}

// SignedIn returns the user of the request's live session, without checking their
// roles (loadAdmin does that).
func (s *Store) SignedIn(c echo.Context) (uint, bool, error) {
	sess, err := s.Current(c)
	if err != nil {
		return 0, false, err
	}
	uid, ok := UserIDOf(sess)
	return uid, ok, nil
}

// SignIn starts a fresh session for the user: a new id and a new CSRF token, so a
// session token or CSRF token planted before sign-in is worthless after it. The old
// session, if any, is deleted. This is the only place a session is created.
func (s *Store) SignIn(c echo.Context, userID uint) error {
	r := c.Request()
	old, err := s.Current(c)
	if err == nil && !old.IsNew && old.ID != "" {
		_ = s.db.DeleteSession(r.Context(), hashToken(old.ID))
		s.forget(old)
	}
	token, err := newToken()
	if err != nil {
		return err
	}
	csrf, err := newToken()
	if err != nil {
		return err
	}
	sess := sessions.NewSession(s, Cookie(r, CookieName))
	sess.Options = s.options(r)
	sess.ID = token
	sess.IsNew = false
	sess.Values[keyUserID] = strconv.FormatUint(uint64(userID), 10)
	sess.Values[keyCSRF] = csrf
	row, err := s.row(sess)
	if err != nil {
		return err
	}
	if err := s.db.CreateSession(r.Context(), row); err != nil {
		return err
	}
	http.SetCookie(c.Response(), sessions.NewCookie(sess.Name(), sess.ID, sess.Options))
	return nil
}

// SignOut ends the request's session and clears its cookie.
func (s *Store) SignOut(c echo.Context) error {
	sess, err := s.Current(c)
	if err != nil {
		return err
	}
	sess.Options.MaxAge = -1
	err = s.Save(c.Request(), c.Response(), sess)
	s.forget(sess)
	return err
}

// Touch records activity on a signed-in session so the idle timeout starts over. It
// writes at most once per TouchInterval.
func (s *Store) Touch(c echo.Context) error {
	sess, err := s.Current(c)
	if err != nil || sess.IsNew {
		return err
	}
	if seen, ok := sess.Values[keySeen].(int64); ok && s.db.Now().Sub(time.Unix(seen, 0)) < s.TouchInterval {
		return nil
	}
	return s.Save(c.Request(), c.Response(), sess)
}

// AddFlash queues a toast message to show on the next page of a signed-in session.
func (s *Store) AddFlash(c echo.Context, msg string) error {
	sess, err := s.Current(c)
	if err != nil || sess.IsNew {
		return err
	}
	var flashes []any
	if v, ok := sess.Values[keyFlash].([]any); ok {
		flashes = v
	}
	sess.Values[keyFlash] = append(flashes, msg)
	return s.Save(c.Request(), c.Response(), sess)
}

// Flashes returns and clears the queued toast messages.
func (s *Store) Flashes(c echo.Context) []string {
	sess, err := s.Current(c)
	if err != nil {
		return nil
	}
	v, ok := sess.Values[keyFlash].([]any)
	if !ok || len(v) == 0 {
		return nil
	}
	delete(sess.Values, keyFlash)
	if err := s.Save(c.Request(), c.Response(), sess); err != nil {
		return nil
	}
	out := make([]string, 0, len(v))
	for _, m := range v {
		if s, ok := m.(string); ok {
			out = append(out, s)
		}
	}
	return out
}

const adminKey = "admincenter.admin"

// SetAdmin records the signed-in admin on the request.
func SetAdmin(c echo.Context, a *models.Admin) { c.Set(adminKey, a) }

// Admin returns the signed-in admin of the request, or nil.
func Admin(c echo.Context) *models.Admin {
	a, _ := c.Get(adminKey).(*models.Admin)
	return a
}
