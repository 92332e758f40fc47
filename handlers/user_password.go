package handlers

import (
	"net/http"
	"strconv"

	"github.com/labstack/echo/v4"

	"github.com/contoso/admincenter/models"
	"github.com/contoso/admincenter/views"
	"github.com/contoso/admincenter/web/session"
)

func canReset(a views.PaneActions) bool { return a.Reset }

// ShowReset renders Reset password.
func (h *Users) ShowReset(c echo.Context) error {
	u, acts, err := h.personPanel(c, canReset)
	if err != nil {
		return err
	}
	v := views.PersonPanelView{User: u, Actions: acts, MustChange: true}
	if key := c.QueryParam("once"); key != "" {
		// The page a reset redirected to: the password the first time only.
		c.Response().Header().Set("Cache-Control", "no-store")
		pw, ok := h.sessions.TakeOnce(c, key, onceForReset(u.ID))
		v.Password, v.PasswordGone = pw, !ok
	}
	return h.pane(c, http.StatusOK, u, views.ResetPasswordPanel(v))
}

// onceForReset names a reset password in the session.
func onceForReset(id uint) string { return "reset:" + strconv.FormatUint(uint64(id), 10) }

// Reset sets a new password, generated or as typed, and shows it once. A typed
// password that breaks the rules comes back with its message and changes nothing.
func (h *Users) Reset(c echo.Context) error {
	u, acts, err := h.person(c)
	if err != nil {
		return err
	}
	choice := models.PasswordChoice{Mode: models.ParsePasswordMode(c.FormValue("password_mode")), Typed: c.FormValue("password")}
	mustChange := formChecked(c, "must_change")
	pw, err := h.store.ResetPassword(c.Request().Context(), session.Admin(c), u.ID, choice, mustChange)
	if ve, ok := models.AsValidation(err); ok {
		return h.pane(c, http.StatusUnprocessableEntity, u, views.ResetPasswordPanel(views.PersonPanelView{User: u, Actions: acts, Errors: ve.Fields, MustChange: mustChange}))
	}
	if err != nil {
		return err
	}
	// Post/Redirect/Get: the password waits in the server-side session for the
	// panel this redirects to, which shows it once; a reload resets nothing and
	// shows it no more. htmx's request follows the redirect and swaps the panel.
	once, err := h.sessions.PutOnce(c, onceForReset(u.ID), pw)
	if err != nil {
		return err
	}
	return c.Redirect(http.StatusSeeOther, views.UserPanelURL(u.ID, views.PanelResetPassword)+"?once="+once)
}
