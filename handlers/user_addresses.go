package handlers

import (
	"net/http"

	"github.com/labstack/echo/v4"

	"github.com/contoso/admincenter/models"
	"github.com/contoso/admincenter/views"
	"github.com/contoso/admincenter/views/i18n"
	"github.com/contoso/admincenter/web/session"
)

// ShowAddresses renders Manage username and email.
func (h *Users) ShowAddresses(c echo.Context) error {
	u, acts, err := h.personPanel(c, canEdit)
	if err != nil {
		return err
	}
	return h.addressesPanel(c, u, acts, http.StatusOK, nil, "", "")
}

// addressesPanel renders Manage username and email with what was typed and its errors.
func (h *Users) addressesPanel(c echo.Context, u *models.UserDetail, acts views.PaneActions, status int, errs map[string]models.FieldError, alias, domain string) error {
	domains, domain, err := h.store.AddressDomains(c.Request().Context(), domain)
	if err != nil {
		return err
	}
	return h.pane(c, status, u, views.AddressesPanel(views.PersonPanelView{User: u, Actions: acts, Errors: errs, Domains: domains, Alias: alias, Domain: domain}))
}

// changeAddresses runs one change to a person's addresses and shows the panel again.
func (h *Users) changeAddresses(c echo.Context, change func(*models.UserDetail) error, toastKey string) error {
	u, acts, err := h.person(c)
	if err != nil {
		return err
	}
	err = change(u)
	if ve, ok := models.AsValidation(err); ok {
		return h.addressesPanel(c, u, acts, http.StatusUnprocessableEntity, ve.Fields, c.FormValue("alias"), c.FormValue("domain"))
	}
	if err != nil {
		return err
	}
	ctx := c.Request().Context()
	if u, err = h.store.User(ctx, u.ID); err != nil {
		return err
	}
	domains, domain, err := h.store.AddressDomains(ctx, "")
	if err != nil {
		return err
	}
	pane := views.AddressesPanel(views.PersonPanelView{User: u, Actions: acts, Domains: domains, Domain: domain})
	return done(c, h.sessions, i18n.T(ctx, toastKey), views.UserPanelURL(u.ID, views.PanelAddresses), pane)
}

// AddAddress gives the person an alias.
func (h *Users) AddAddress(c echo.Context) error {
	return h.changeAddresses(c, func(u *models.UserDetail) error {
		return h.store.AddAlias(c.Request().Context(), session.Admin(c), u.ID, c.FormValue("alias"), c.FormValue("domain"))
	}, "addr.added")
}

// RemoveAddress takes an alias away.
func (h *Users) RemoveAddress(c echo.Context) error {
	return h.changeAddresses(c, func(u *models.UserDetail) error {
		return h.store.RemoveAlias(c.Request().Context(), session.Admin(c), u.ID, c.FormValue("address"))
	}, "addr.removed")
}

// PrimaryAddress makes an alias the primary address and username.
func (h *Users) PrimaryAddress(c echo.Context) error {
	return h.changeAddresses(c, func(u *models.UserDetail) error {
		return h.store.SetPrimaryAddress(c.Request().Context(), session.Admin(c), u.ID, c.FormValue("address"))
	}, "addr.primary_set")
}
