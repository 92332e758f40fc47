package handlers

import (
	"errors"
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
	return h.pane(c, http.StatusOK, u, views.RolesPanel(views.PersonPanelView{User: u, Actions: acts, Roles: u.Roles, Version: u.RolesVersion}))
}

// SaveRoles sets the person's admin roles; a form someone else's change made stale
// comes back with the reload message (409).
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
	version := formVersion(c)
	err = h.store.SetRoles(ctx, session.Admin(c), u.ID, roles, version)
	v := views.PersonPanelView{User: u, Actions: acts, Roles: roles, Version: version}
	if errors.Is(err, models.ErrStale) {
		v.Stale = true
		return h.pane(c, http.StatusConflict, u, views.RolesPanel(v))
	}
	if ve, ok := models.AsValidation(err); ok {
		v.Errors = ve.Fields
		return h.pane(c, http.StatusUnprocessableEntity, u, views.RolesPanel(v))
	}
	if err != nil {
		return err
	}
	return h.afterChange(c, u.ID, views.TabAccount, i18n.T(ctx, "roles.saved", "Name", u.DisplayName))
}
