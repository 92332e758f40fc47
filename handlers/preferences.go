package handlers

import (
	"net/http"

	"github.com/labstack/echo/v4"

	"github.com/contoso/admincenter/views"
	"github.com/contoso/admincenter/views/i18n"
	"github.com/contoso/admincenter/web/session"
)

// ShowPreferences renders My settings: the signed-in admin's own display choices.
func (h *Settings) ShowPreferences(c echo.Context) error {
	p, err := h.store.Preferences(c.Request().Context(), session.Admin(c))
	if err != nil {
		return err
	}
	return render(c, http.StatusOK, views.PreferencesPage(views.PreferencesView{ClassicPane: p.ClassicPane}), nil)
}

// SavePreferences keeps the admin's display choices and returns to My settings.
func (h *Settings) SavePreferences(c echo.Context) error {
	ctx := c.Request().Context()
	on := formChecked(c, "classic_pane")
	if err := h.store.SetClassicPane(ctx, session.Admin(c), on); err != nil {
		return err
	}
	return flashAndRedirect(c, h.sessions, i18n.T(ctx, "prefs.saved"), views.PreferencesURL)
}
