package handlers

import (
	"errors"
	"net/http"
	"net/url"
	"strconv"
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
}

// NewAuth returns the sign-in handlers.
func NewAuth(store *models.Store, sessions *session.Store) *Auth {
	return &Auth{store: store, sessions: sessions}
}

// ShowSignIn renders the sign-in form, or goes home when already signed in.
func (h *Auth) ShowSignIn(c echo.Context) error {
	if session.Admin(c) != nil {
		return c.Redirect(http.StatusSeeOther, "/")
	}
	return render(c, http.StatusOK, views.SignInPage(views.SignInView{Next: LocalPath(c.QueryParam("next"))}), nil)
}

// SignIn checks the credentials and starts a fresh session. The form is read from
// the body only; the throttle, the checks and the audit entry are the model's.
func (h *Auth) SignIn(c echo.Context) error {
	r := c.Request()
	email := r.PostFormValue("email")
	v := views.SignInView{Email: email, Next: LocalPath(r.PostFormValue("next"))}
	if len(v.Email) > models.MaxAddressLength {
		v.Email = "" // not echoed back
	}
	device := h.sessions.FamiliarDevice(c)
	admin, err := h.store.SignIn(r.Context(), models.SignInAttempt{
		Address: email, Password: r.PostFormValue("password"), ClientIP: c.RealIP(), Device: device,
	})
	status := http.StatusOK
	if ve, ok := models.AsValidation(err); ok {
		v.Fields = ve.Fields
		return render(c, http.StatusUnprocessableEntity, views.SignInPage(v), nil)
	}
	if te, ok := models.AsThrottled(err); ok {
		v.Error, v.Until = "signin.error.throttled", te.Until.UTC().Format("15:04 UTC")
		c.Response().Header().Set("Retry-After", strconv.Itoa(max(1, int(time.Until(te.Until).Seconds()+0.5))))
		return render(c, http.StatusTooManyRequests, views.SignInPage(v), nil)
	}
	switch {
	case err == nil:
		if err := h.sessions.SignIn(c, admin.UserID); err != nil {
			return err
		}
		if err := h.sessions.RememberDevice(c, admin.UserID, device); err != nil {
			return err
		}
		return redirect(c, v.Next)
	case errors.Is(err, models.ErrInvalidCredentials):
		v.Error, status = "signin.error.invalid", http.StatusUnauthorized
	case errors.Is(err, models.ErrNotAdmin):
		v.Error, status = "signin.error.not_admin", http.StatusForbidden
	case errors.Is(err, models.ErrSignInBlocked):
		v.Error, status = "signin.error.blocked", http.StatusForbidden
	default:
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
	r := c.Request()
	lang := i18n.Match(r.PostFormValue("lang"), "")
	session.SetCookie(c, i18n.CookieName, lang, 365*24*time.Hour, http.SameSiteLaxMode)
	next := LocalPath(r.PostFormValue("next"))
	if u, err := url.Parse(next); err != nil || u.Path == "/language" {
		next = "/"
	}
	return redirect(c, next)
}
