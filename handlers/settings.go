package handlers

import (
	"net/http"

	"github.com/labstack/echo/v4"

	"github.com/contoso/admincenter/models"
	"github.com/contoso/admincenter/views"
	"github.com/contoso/admincenter/views/i18n"
	"github.com/contoso/admincenter/web/session"
)

// Settings serves the organization-wide mail settings.
type Settings struct {
	store    *models.Store
	sessions *session.Store
}

// NewSettings returns the settings handlers.
func NewSettings(store *models.Store, sessions *session.Store) *Settings {
	return &Settings{store: store, sessions: sessions}
}

// ShowForwardingPolicy renders Settings > Automatic forwarding.
func (h *Settings) ShowForwardingPolicy(c echo.Context) error {
	org, err := h.store.Organization(c.Request().Context())
	if err != nil {
		return err
	}
	admin := session.Admin(c)
	v := views.PolicyView{Policy: org.ExternalForwarding, CanEdit: admin.Can(models.ActionManageOrgMailPolicy), Role: admin.PrimaryRole()}
	return render(c, http.StatusOK, views.ForwardingPolicyPage(v), nil)
}

// SaveForwardingPolicy changes the automatic forwarding policy.
func (h *Settings) SaveForwardingPolicy(c echo.Context) error {
	ctx := c.Request().Context()
	admin := session.Admin(c)
	p := models.ForwardingPolicy(c.FormValue("policy"))
	err := h.store.SetForwardingPolicy(ctx, admin, p)
	if ve, ok := models.AsValidation(err); ok {
		org, oerr := h.store.Organization(ctx)
		if oerr != nil {
			return oerr
		}
		v := views.PolicyView{Policy: org.ExternalForwarding, CanEdit: true, Role: admin.PrimaryRole(), Error: ve.First()}
		return render(c, http.StatusUnprocessableEntity, views.ForwardingPolicyPage(v), nil)
	}
	if err != nil {
		return err
	}
	if err := h.sessions.AddFlash(c, i18n.T(ctx, "policy.saved", "Policy", i18n.T(ctx, "policy."+string(p)))); err != nil {
		return err
	}
	return c.Redirect(http.StatusSeeOther, views.PolicyURL)
}
