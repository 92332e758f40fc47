package handlers

import (
	"net/http"

	"github.com/labstack/echo/v4"

	"github.com/contoso/admincenter/models"
	"github.com/contoso/admincenter/views"
)

// Home serves the start page and Teams & groups > Shared mailboxes.
type Home struct {
	store *models.Store
}

// NewHome returns the home page handlers.
func NewHome(store *models.Store) *Home { return &Home{store: store} }

// Show renders the home page.
func (h *Home) Show(c echo.Context) error {
	ctx := c.Request().Context()
	total, licensed, err := h.store.CountUsers(ctx)
	if err != nil {
		return err
	}
	shared, err := h.store.CountSharedMailboxes(ctx)
	if err != nil {
		return err
	}
	return render(c, http.StatusOK, views.HomePage(views.HomeView{Users: total, LicensedUsers: licensed, Shared: shared}), nil)
}
