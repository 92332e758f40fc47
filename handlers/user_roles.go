package handlers

import (
	"net/http"

	"github.com/labstack/echo/v4"

	"github.com/contoso/admincenter/models"
	"github.com/contoso/admincenter/views"
	"github.com/contoso/admincenter/views/i18n"
	"github.com/contoso/admincenter/web/session"
)

// ShowRoles renders Manage roles.
func (h *Users) ShowRoles(c echo.Context) error {
	u, acts, err := h.personPanel(c, func(a views.PaneActions) bool { return a.Roles })
	if err != nil {
		return err
	}
	return h.pane(c, http.StatusOK, u, views.RolesPanel(views.PersonPanelView{User: u, Actions: acts, Roles: u.Roles}))
}

// SaveRoles sets the person's admin roles.
func (h *Users) SaveRoles(c echo.Context) error {
	u, acts, err := h.person(c)
	if err != nil {
		return err
	}
	ctx := c.Request().Context()
	form, err := formParams(c)
	if err != nil {
		return err
	}
	var roles []models.Role
	for _, r := range form["role"] {
		roles = append(roles, models.Role(r))
	}
	err = h.store.SetRoles(ctx, session.Admin(c), u.ID, roles)
	if ve, ok := models.AsValidation(err); ok {
		return h.pane(c, http.StatusUnprocessableEntity, u, views.RolesPanel(views.PersonPanelView{User: u, Actions: acts, Roles: roles, Errors: ve.Fields}))
	}
	if err != nil {
		return err
	}
	return h.afterChange(c, u.ID, views.TabAccount, i18n.T(ctx, "roles.saved", "Name", u.DisplayName))
}
