package handlers

import (
	"net/http"

	"github.com/labstack/echo/v4"

	"github.com/contoso/admincenter/models"
	"github.com/contoso/admincenter/views"
	"github.com/contoso/admincenter/views/i18n"
	"github.com/contoso/admincenter/web/session"
)

// Deleted renders Users > Deleted users.
func (h *Users) Deleted(c echo.Context) error {
	users, err := h.store.DeletedUsers(c.Request().Context())
	if err != nil {
		return err
	}
	admin := session.Admin(c)
	v := views.DeletedUsersView{Users: users, CanEdit: admin.Can(models.ActionManageUsers), Role: admin.PrimaryRole(), Restorable: map[uint]bool{}}
	for _, u := range users {
		v.Restorable[u.ID] = models.RightsOn(admin, u.Roles).Delete
	}
	return render(c, http.StatusOK, views.DeletedUsersPage(v), nil)
}

// Restore brings a deleted person back and opens their pane.
func (h *Users) Restore(c echo.Context) error {
	id, err := idParam(c, "id")
	if err != nil {
		return err
	}
	ctx := c.Request().Context()
	if err := h.store.RestoreUser(ctx, session.Admin(c), id); err != nil {
		return err
	}
	u, err := h.store.User(ctx, id)
	if err != nil {
		return err
	}
	return flashAndRedirect(c, h.sessions, i18n.T(ctx, "deleted.restored", "Name", u.DisplayName), views.UserURL(id, ""))
}
