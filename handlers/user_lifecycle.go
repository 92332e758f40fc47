package handlers

import (
	"errors"
	"net/http"

	"github.com/a-h/templ"
	"github.com/labstack/echo/v4"

	"github.com/contoso/admincenter/models"
	"github.com/contoso/admincenter/views"
	"github.com/contoso/admincenter/views/i18n"
	"github.com/contoso/admincenter/web/session"
)

// ShowBlock renders the Block sign-in (or Unblock) confirmation.
func (h *Users) ShowBlock(c echo.Context) error {
	return h.confirmation(c, http.StatusOK, canBlock, false, views.BlockPanel, nil)
}

// ShowDelete renders the Delete user confirmation with what happens.
func (h *Users) ShowDelete(c echo.Context) error {
	return h.confirmation(c, http.StatusOK, canDelete, true, views.DeletePanel, nil)
}

func canBlock(a views.PaneActions) bool  { return a.Block }
func canDelete(a views.PaneActions) bool { return a.Delete }

// confirmation renders a panel that lists what an action on the person affects,
// when the admin may take it, with the errors of a refused attempt.
func (h *Users) confirmation(c echo.Context, status int, allowed func(views.PaneActions) bool, deleting bool,
	panel func(views.PersonPanelView) templ.Component, errs map[string]models.FieldError) error {
	u, acts, err := h.personPanel(c, allowed)
	if err != nil {
		return err
	}
	cons, err := h.store.PersonConsequences(c.Request().Context(), u.ID, deleting)
	if err != nil {
		return err
	}
	return h.pane(c, status, u, panel(views.PersonPanelView{User: u, Actions: acts, Confirm: cons, Errors: errs}))
}

// Block blocks or unblocks sign-in.
func (h *Users) Block(c echo.Context) error {
	u, _, err := h.person(c)
	if err != nil {
		return err
	}
	ctx := c.Request().Context()
	blocked := c.FormValue("blocked") == "true"
	err = h.store.SetSignInBlocked(ctx, session.Admin(c), u.ID, blocked, formChecked(c, "confirm"))
	if ve, ok := models.AsValidation(err); ok {
		return h.confirmation(c, http.StatusUnprocessableEntity, canBlock, false, views.BlockPanel, ve.Fields)
	}
	if errors.Is(err, models.ErrNeedsConfirmation) {
		return h.ShowBlock(c)
	}
	if err != nil {
		return err
	}
	key := "people.unblocked"
	if blocked {
		key = "people.blocked"
	}
	return h.afterChange(c, u.ID, views.TabAccount, i18n.T(ctx, key, "Name", u.DisplayName))
}

// Delete deletes the person and returns to Active users.
func (h *Users) Delete(c echo.Context) error {
	u, _, err := h.person(c)
	if err != nil {
		return err
	}
	ctx := c.Request().Context()
	err = h.store.DeleteUser(ctx, session.Admin(c), u.ID)
	if ve, ok := models.AsValidation(err); ok {
		return h.confirmation(c, http.StatusUnprocessableEntity, canDelete, true, views.DeletePanel, ve.Fields)
	}
	if err != nil {
		return err
	}
	return flashAndRedirect(c, h.sessions, i18n.T(ctx, "people.deleted", "Name", u.DisplayName), views.UsersURL)
}
