package handlers

import (
	"errors"
	"net/http"
	"net/url"
	"time"

	"github.com/labstack/echo/v4"

	"github.com/contoso/admincenter/models"
	"github.com/contoso/admincenter/views"
	"github.com/contoso/admincenter/views/i18n"
	"github.com/contoso/admincenter/web/session"
)

// Auth signs admins in and out and switches the interface language.
type Auth struct {
	store    *models.Store
	sessions *session.Store
	secure   bool
}

// NewAuth returns the sign-in handlers.
func NewAuth(store *models.Store, sessions *session.Store, secure bool) *Auth {
	return &Auth{store: store, sessions: sessions, secure: secure}
}

// ShowSignIn renders the sign-in form, or goes home when already signed in.
func (h *Auth) ShowSignIn(c echo.Context) error {
	if session.Admin(c) != nil {
		return c.Redirect(http.StatusSeeOther, "/")
	}
	return render(c, http.StatusOK, views.SignInPage(views.SignInView{Next: LocalPath(c.QueryParam("next"))}), nil)
}

// SignIn checks the credentials and starts a fresh session.
func (h *Auth) SignIn(c echo.Context) error {
	email := c.FormValue("email")
	next := LocalPath(c.FormValue("next"))
	v := views.SignInView{Email: email, Next: next}
	ctx := c.Request().Context()
	ip := c.RealIP()
	throttled, until, err := h.store.SignInThrottled(ctx, email, ip)
	if err != nil {
		return err
	}
	if throttled {
		if err := h.store.RecordSignIn(ctx, email, ip, nil, "throttled"); err != nil {
			return err
		}
		v.Error, v.Until = "signin.error.throttled", until.UTC().Format("15:04 UTC")
		return render(c, http.StatusTooManyRequests, views.SignInPage(v), nil)
	}
	admin, err := h.store.Authenticate(ctx, email, c.FormValue("password"))
	status := http.StatusOK
	switch {
	case err == nil:
		if err := h.store.RecordSignIn(ctx, email, ip, admin, "success"); err != nil {
			return err
		}
		if err := h.sessions.SignIn(c, admin.UserID); err != nil {
			return err
		}
		return redirect(c, next)
	case errors.Is(err, models.ErrInvalidCredentials):
		v.Error, status = "signin.error.invalid", http.StatusUnauthorized
	case errors.Is(err, models.ErrNotAdmin):
		v.Error, status = "signin.error.not_admin", http.StatusForbidden
	case errors.Is(err, models.ErrSignInBlocked):
		v.Error, status = "signin.error.blocked", http.StatusForbidden
	default:
		return err
	}
	if err := h.store.RecordSignIn(ctx, email, ip, nil, "failure"); err != nil {
		return err
	}
	return render(c, status, views.SignInPage(v), nil)
}

// SignOut ends the session and returns to the sign-in page.
func (h *Auth) SignOut(c echo.Context) error {
	if err := h.sessions.SignOut(c); err != nil {
		return err
	}
	return redirect(c, "/signin")
}

// SignOutEverywhere ends every session of the signed-in admin, on every device.
func (h *Auth) SignOutEverywhere(c echo.Context) error {
	admin := session.Admin(c)
	if admin == nil {
		return redirect(c, "/signin")
	}
	if err := h.store.DeleteUserSessions(c.Request().Context(), admin.UserID); err != nil {
		return err
	}
	if err := h.sessions.SignOut(c); err != nil {
		return err
	}
	return redirect(c, "/signin")
}

// SetLanguage remembers the chosen language for a year and returns to the page the
// person was on.
func (h *Auth) SetLanguage(c echo.Context) error {
	lang := i18n.Match(c.FormValue("lang"), "")
	c.SetCookie(&http.Cookie{
		Name: i18n.CookieName, Value: lang, Path: "/", Expires: time.Now().Add(365 * 24 * time.Hour),
		HttpOnly: true, Secure: h.secure, SameSite: http.SameSiteLaxMode,
	})
	next := LocalPath(c.FormValue("next"))
	if u, err := url.Parse(next); err != nil || u.Path == "/language" {
		next = "/"
	}
	return redirect(c, next)
}
