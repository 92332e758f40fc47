package handlers

import (
	"net/http"

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
	return h.pane(c, http.StatusOK, u, views.ResetPasswordPanel(views.PersonPanelView{User: u, Actions: acts, MustChange: true}))
}

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
	// The password is rendered in this response only, never stored or flashed.
	c.Response().Header().Set("Cache-Control", "no-store")
	return h.pane(c, http.StatusOK, u, views.ResetPasswordPanel(views.PersonPanelView{User: u, Actions: acts, Password: pw}))
}
