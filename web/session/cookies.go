package session

import (
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/base64"
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/labstack/echo/v4"

	"github.com/contoso/admincenter/models"
)

// Cookies besides the session's. Over TLS every cookie name carries the __Host-
// prefix: the browser then only accepts it Secure, for the whole site and from this
// host, so a neighbouring subdomain can't plant one.
const (
	// PreSessionCookie binds the CSRF token of a visitor who has not signed in.
	PreSessionCookie = "admincenter_presession"
	// DeviceCookie marks a browser its person has signed in from before.
	DeviceCookie = "admincenter_device"
	hostPrefix   = "__Host-"
)

type secureKey struct{}

// WithSecure records whether the request reached the visitor over TLS (directly,
// or through a proxy the server trusts to say so).
func WithSecure(ctx context.Context, secure bool) context.Context {
	return context.WithValue(ctx, secureKey{}, secure)
}

// Secure reports whether the request reached the visitor over TLS: cookies are then
// Secure and __Host- prefixed, and HSTS is sent.
func Secure(r *http.Request) bool {
	s, _ := r.Context().Value(secureKey{}).(bool)
	return s
}

// Cookie returns the name a cookie goes by on this request.
func Cookie(r *http.Request, base string) string {
	if Secure(r) {
		return hostPrefix + base
	}
	return base
}

// SetCookie sets a cookie for the whole site, HttpOnly, Secure over TLS, under the
// name it goes by on this request. maxAge 0 makes it last until the browser closes.
func SetCookie(c echo.Context, base, value string, maxAge time.Duration, sameSite http.SameSite) {
	r := c.Request()
	ck := &http.Cookie{Name: Cookie(r, base), Value: value, Path: "/", HttpOnly: true, Secure: Secure(r), SameSite: sameSite}
	if maxAge > 0 {
		ck.MaxAge = int(maxAge / time.Second)
		ck.Expires = time.Now().Add(maxAge)
	}
	c.SetCookie(ck)
}

// keyring derives the keys the store signs with from the installation's server key,
// loaded on first use (and retried after a failure).
type keyring struct {
	db     *models.Store
	mu     sync.Mutex
	master []byte
}

func newKeyring(db *models.Store) *keyring { return &keyring{db: db} }

// mac signs the parts for one purpose.
func (k *keyring) mac(ctx context.Context, purpose string, parts ...string) ([]byte, error) {
	k.mu.Lock()
	if k.master == nil {
		key, err := k.db.ServerKey(ctx, "web")
		if err != nil {
			k.mu.Unlock()
			return nil, err
		}
		k.master = key
	}
	master := k.master
	k.mu.Unlock()
	m := hmac.New(sha256.New, master)
	m.Write([]byte(purpose))
	for _, p := range parts {
		m.Write([]byte{0})
		m.Write([]byte(p))
	}
	return m.Sum(nil), nil
}

// CSRFToken returns the token the request's forms and htmx requests must send back.
// For a signed-in visitor it is their session's, kept on the server; for anyone
// else it is bound to a pre-session cookie (set here when missing) by the server's
// signature, so nothing is stored for them.
func (s *Store) CSRFToken(c echo.Context) (string, error) {
	sess, err := s.Current(c)
	if err != nil {
		return "", err
	}
	if _, ok := UserIDOf(sess); ok {
		if tok, ok := sess.Values[keyCSRF].(string); ok && tok != "" {
			return tok, nil
		}
		// A session from before tokens were kept in it gets one now.
		tok, err := newToken()
		if err != nil {
			return "", err
		}
		sess.Values[keyCSRF] = tok
		if err := s.Save(c.Request(), c.Response(), sess); err != nil {
			return "", err
		}
		if sess.IsNew { // it ended meanwhile
			return s.preSessionToken(c, true)
		}
		return tok, nil
	}
	return s.preSessionToken(c, true)
}

// ValidCSRF reports whether sent is the token bound to the request's session. The
// pre-session token is accepted only when preSessionOK (signing in, where a visitor
// may still hold a sign-in page from before) or when there is no session.
func (s *Store) ValidCSRF(c echo.Context, sent string, preSessionOK bool) (bool, error) {
	if sent == "" || len(sent) > 128 {
		return false, nil
	}
	sess, err := s.Current(c)
	if err != nil {
		return false, err
	}
	if _, ok := UserIDOf(sess); ok {
		if tok, _ := sess.Values[keyCSRF].(string); tok != "" && equal(tok, sent) {
			return true, nil
		}
		if !preSessionOK {
			return false, nil
		}
	}
	want, err := s.preSessionToken(c, false)
	if err != nil || want == "" {
		return false, err
	}
	return equal(want, sent), nil
}

// preSessionToken signs the pre-session cookie; with create, a visitor without one
// gets one.
func (s *Store) preSessionToken(c echo.Context, create bool) (string, error) {
	r := c.Request()
	value := ""
	if ck, err := r.Cookie(Cookie(r, PreSessionCookie)); err == nil && validRandom(ck.Value) {
		value = ck.Value
	}
	if value == "" {
		if !create {
			return "", nil
		}
		v, err := newToken()
		if err != nil {
			return "", err
		}
		value = v
		SetCookie(c, PreSessionCookie, value, 0, http.SameSiteStrictMode)
		// Later reads in this request see it too.
		r.AddCookie(&http.Cookie{Name: Cookie(r, PreSessionCookie), Value: value})
	}
	sum, err := s.keys.mac(r.Context(), "csrf-presession", value)
	if err != nil {
		return "", err
	}
	return base64.RawURLEncoding.EncodeToString(sum), nil
}

// FamiliarDevice returns the familiar device the request's cookie proves, or nil.
func (s *Store) FamiliarDevice(c echo.Context) *models.FamiliarDevice {
	r := c.Request()
	ck, err := r.Cookie(Cookie(r, DeviceCookie))
	if err != nil || len(ck.Value) > 256 {
		return nil
	}
	parts := strings.Split(ck.Value, ".")
	if len(parts) != 4 || !validRandom(parts[1]) {
		return nil
	}
	uid, err1 := strconv.ParseUint(parts[0], 10, 32)
	issued, err2 := strconv.ParseInt(parts[2], 10, 64)
	if err1 != nil || err2 != nil || uid == 0 {
		return nil
	}
	if age := s.db.Now().Sub(time.Unix(issued, 0)); age < -time.Hour || age > s.DeviceLifetime {
		return nil
	}
	want, err := s.keys.mac(r.Context(), "familiar-device", parts[0], parts[1], parts[2])
	if err != nil || !equal(base64.RawURLEncoding.EncodeToString(want), parts[3]) {
		return nil
	}
	return &models.FamiliarDevice{UserID: uint(uid), ID: parts[1]}
}

// RememberDevice marks the browser as a familiar device of the user who just
// signed in, keeping its id when it already was one of theirs.
func (s *Store) RememberDevice(c echo.Context, userID uint, known *models.FamiliarDevice) error {
	id := ""
	if known != nil && known.UserID == userID {
		id = known.ID
	} else {
		v, err := newToken()
		if err != nil {
			return err
		}
		id = v
	}
	uid := strconv.FormatUint(uint64(userID), 10)
	issued := strconv.FormatInt(s.db.Now().Unix(), 10)
	sum, err := s.keys.mac(c.Request().Context(), "familiar-device", uid, id, issued)
	if err != nil {
		return fmt.Errorf("sign device cookie: %w", err)
	}
	SetCookie(c, DeviceCookie, uid+"."+id+"."+issued+"."+base64.RawURLEncoding.EncodeToString(sum), s.DeviceLifetime, http.SameSiteStrictMode)
	return nil
}

// validRandom reports whether v looks like a token newToken made.
func validRandom(v string) bool {
	if len(v) != 43 {
		return false
	}
	_, err := base64.RawURLEncoding.DecodeString(v)
	return err == nil
}

func equal(a, b string) bool {
	return subtle.ConstantTimeCompare([]byte(a), []byte(b)) == 1
}
