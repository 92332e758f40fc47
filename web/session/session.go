// Package session keeps sign-in sessions on the server, in the application's
// database, behind the gorilla/sessions Store interface. The cookie holds only a
// random token; the database holds its SHA-256, so signing out ends the session
// everywhere and a copy of the database hands out no live sessions.
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

// CookieName is the session cookie's name.
const CookieName = "admincenter_session"

const (
	keyUserID  = "uid"
	keyCreated = "_created"
	keySeen    = "_seen"
)

// Store is a gorilla/sessions Store backed by the models store.
type Store struct {
	db *models.Store
	// IdleTimeout ends a session that has not been used for this long.
	IdleTimeout time.Duration
	// AbsoluteTimeout ends a session this long after sign-in, however busy.
	AbsoluteTimeout time.Duration
	// Secure marks the cookie Secure (set when served over TLS).
	Secure bool
}

// NewStore returns a session store with the given timeouts.
func NewStore(db *models.Store, idle, absolute time.Duration, secure bool) *Store {
	return &Store{db: db, IdleTimeout: idle, AbsoluteTimeout: absolute, Secure: secure}
}

var _ sessions.Store = (*Store)(nil)

// Get returns the request's session, cached for the rest of the request.
func (s *Store) Get(r *http.Request, name string) (*sessions.Session, error) {
	return sessions.GetRegistry(r).Get(s, name)
}

// New loads the session named by the request's cookie, or starts an empty one when
// there is none or it has expired.
func (s *Store) New(r *http.Request, name string) (*sessions.Session, error) {
	sess := sessions.NewSession(s, name)
	sess.Options = s.options()
	sess.IsNew = true
	c, err := r.Cookie(name)
	if err != nil || c.Value == "" {
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

// Save writes the session and its cookie; a negative MaxAge deletes both.
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
	now := s.db.Now()
	created := now
	if v, ok := sess.Values[keyCreated].(int64); ok {
		created = time.Unix(v, 0).UTC()
	}
	if sess.ID == "" {
		token, err := newToken()
		if err != nil {
			return err
		}
		sess.ID = token
	}
	values := map[string]any{}
	for k, v := range sess.Values {
		if ks, ok := k.(string); ok && ks != keyCreated && ks != keySeen {
			values[ks] = v
		}
	}
	data, err := json.Marshal(values)
	if err != nil {
		return fmt.Errorf("encode session: %w", err)
	}
	row := &models.Session{ID: hashToken(sess.ID), Data: data, CreatedAt: created, LastSeenAt: now,
		ExpiresAt: minTime(created.Add(s.AbsoluteTimeout), now.Add(s.IdleTimeout))}
	if uid, ok := UserIDOf(sess); ok {
		row.UserID = &uid
	}
	if err := s.db.SaveSession(r.Context(), row); err != nil {
		return err
	}
	sess.Values[keyCreated] = created.Unix()
	sess.Values[keySeen] = now.Unix()
	http.SetCookie(w, sessions.NewCookie(sess.Name(), sess.ID, sess.Options))
	return nil
}

func (s *Store) options() *sessions.Options {
	// Set explicitly: gorilla/sessions' defaults have changed between releases.
	return &sessions.Options{Path: "/", MaxAge: 0, HttpOnly: true, Secure: s.Secure, SameSite: http.SameSiteLaxMode}
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
	if !ok {
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
	return s.Get(c.Request(), CookieName)
}

// SignIn starts a fresh session for the user: a new id, so a session token planted
// before sign-in is worthless after it. The old session, if any, is deleted.
func (s *Store) SignIn(c echo.Context, userID uint) error {
	old, err := s.Current(c)
	if err == nil && !old.IsNew {
		_ = s.db.DeleteSession(c.Request().Context(), hashToken(old.ID))
	}
	sess := sessions.NewSession(s, CookieName)
	sess.Options = s.options()
	sess.IsNew = true
	sess.Values[keyUserID] = strconv.FormatUint(uint64(userID), 10)
	return s.Save(c.Request(), c.Response(), sess)
}

// SignOut ends the request's session and clears its cookie.
func (s *Store) SignOut(c echo.Context) error {
	sess, err := s.Current(c)
	if err != nil {
		return err
	}
	sess.Options.MaxAge = -1
	return s.Save(c.Request(), c.Response(), sess)
}

// Touch records activity on a signed-in session so the idle timeout starts over. It
// writes at most once a minute per session.
func (s *Store) Touch(c echo.Context) error {
	sess, err := s.Current(c)
	if err != nil || sess.IsNew {
		return err
	}
	if seen, ok := sess.Values[keySeen].(int64); ok && s.db.Now().Sub(time.Unix(seen, 0)) < time.Minute {
		return nil
	}
	return s.Save(c.Request(), c.Response(), sess)
}

// AddFlash queues a toast message to show on the next page.
func (s *Store) AddFlash(c echo.Context, msg string) error {
	sess, err := s.Current(c)
	if err != nil {
		return err
	}
	var flashes []any
	if v, ok := sess.Values["flash"].([]any); ok {
		flashes = v
	}
	sess.Values["flash"] = append(flashes, msg)
	return s.Save(c.Request(), c.Response(), sess)
}

// Flashes returns and clears the queued toast messages.
func (s *Store) Flashes(c echo.Context) []string {
	sess, err := s.Current(c)
	if err != nil {
		return nil
	}
	v, ok := sess.Values["flash"].([]any)
	if !ok || len(v) == 0 {
		return nil
	}
	delete(sess.Values, "flash")
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
