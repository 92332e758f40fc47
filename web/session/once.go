package session

import (
	"crypto/rand"
	"encoding/base64"
	"fmt"

	"github.com/labstack/echo/v4"
)

// keyOnce holds the one-time secrets waiting for the page a creation redirects to.
const keyOnce = "once"

// maxOnce bounds the secrets a session holds: a page that was never opened leaves
// its secret behind until the session ends, or until newer ones push it out.
const maxOnce = 8

// PutOnce keeps a one-time secret (a new person's password, a new app's client
// secret) in the server-side session for the page the creating POST redirects to,
// and returns the random id that page's URL carries. forWhat names the object the
// secret belongs to ("user:12"), so an id can't show one object's secret on
// another's page.
func (s *Store) PutOnce(c echo.Context, forWhat, secret string) (string, error) {
	sess, err := s.Current(c)
	if err != nil {
		return "", err
	}
	if sess.IsNew {
		return "", fmt.Errorf("one-time secret: no session")
	}
	b := make([]byte, 16)
	if _, err := rand.Read(b); err != nil {
		return "", fmt.Errorf("one-time secret: %w", err)
	}
	id := base64.RawURLEncoding.EncodeToString(b)
	held, _ := sess.Values[keyOnce].([]any)
	if len(held) >= maxOnce {
		held = held[len(held)-maxOnce+1:]
	}
	sess.Values[keyOnce] = append(held, map[string]any{"id": id, "for": forWhat, "secret": secret})
	if err := s.Save(c.Request(), c.Response(), sess); err != nil {
		return "", err
	}
	return id, nil
}

// TakeOnce returns the secret kept under id for forWhat and forgets it, so it is
// shown once: a reload of the page finds nothing. ok is false when there is none.
func (s *Store) TakeOnce(c echo.Context, id, forWhat string) (secret string, ok bool) {
	if id == "" {
		return "", false
	}
	sess, err := s.Current(c)
	if err != nil || sess.IsNew {
		return "", false
	}
	held, _ := sess.Values[keyOnce].([]any)
	for i, h := range held {
		m, _ := h.(map[string]any)
		if m == nil || m["id"] != id {
			continue
		}
		rest := append(append([]any{}, held[:i]...), held[i+1:]...)
		if len(rest) == 0 {
			delete(sess.Values, keyOnce)
		} else {
			sess.Values[keyOnce] = rest
		}
		if err := s.Save(c.Request(), c.Response(), sess); err != nil {
			return "", false
		}
		// Asked for on another object's page, it is used up and shows nothing.
		if secret, _ = m["secret"].(string); m["for"] != forWhat || secret == "" {
			return "", false
		}
		return secret, true
	}
	return "", false
}
