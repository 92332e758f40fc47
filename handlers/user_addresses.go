package handlers

import (
	"errors"
	"net/http"
	"strings"

	"github.com/labstack/echo/v4"

	"github.com/contoso/admincenter/models"
	"github.com/contoso/admincenter/views"
	"github.com/contoso/admincenter/views/i18n"
	"github.com/contoso/admincenter/web/session"
)

// ShowAddresses renders Manage username and email: the username (the sign-in name)
// and the email addresses.
func (h *Users) ShowAddresses(c echo.Context) error {
	u, acts, err := h.personPanel(c, canEdit)
	if err != nil {
		return err
	}
	return h.addressesPanel(c, http.StatusOK, addressesView(u, acts))
}

// addressesView is the panel for a person as they are, with the username form
// based on their current version.
func addressesView(u *models.UserDetail, acts views.PaneActions) views.PersonPanelView {
	alias, domain, _ := strings.Cut(u.Username, "@")
	return views.PersonPanelView{User: u, Actions: acts, Version: u.Version, UsernameAlias: alias, UsernameDomain: domain}
}

// addressesPanel renders Manage username and email with the domains to choose from.
func (h *Users) addressesPanel(c echo.Context, status int, v views.PersonPanelView) error {
	domains, domain, err := h.store.AddressDomains(c.Request().Context(), v.Domain)
	if err != nil {
		return err
	}
	v.Domains, v.Domain = domains, domain
	return h.pane(c, status, v.User, views.AddressesPanel(v))
}

// changeAddresses runs one change to a person's addresses or username and shows the
// panel again: with the errors (422), the reload message (409), or a toast.
func (h *Users) changeAddresses(c echo.Context, change func(*models.UserDetail) error, toast func(*models.UserDetail) string) error {
	u, acts, err := h.person(c)
	if err != nil {
		return err
	}
	err = change(u)
	v := addressesView(u, acts)
	if c.FormValue("upn_alias") != "" || c.FormValue("upn_domain") != "" {
		v.UsernameAlias, v.UsernameDomain, v.Version = c.FormValue("upn_alias"), c.FormValue("upn_domain"), formVersion(c)
	}
	if errors.Is(err, models.ErrStale) {
		v.Stale = true
		return h.addressesPanel(c, http.StatusConflict, v)
	}
	if ve, ok := models.AsValidation(err); ok {
		v.Errors, v.Alias, v.Domain = ve.Fields, c.FormValue("alias"), c.FormValue("domain")
		return h.addressesPanel(c, http.StatusUnprocessableEntity, v)
	}
	if err != nil {
		return err
	}
	ctx := c.Request().Context()
	if u, err = h.store.User(ctx, u.ID); err != nil {
		return err
	}
	v = addressesView(u, acts)
	if v.Domains, v.Domain, err = h.store.AddressDomains(ctx, ""); err != nil {
		return err
	}
	return done(c, h.sessions, toast(u), views.UserPanelURL(u.ID, views.PanelAddresses), views.AddressesPanel(v))
}

// toastKey is a change's toast that names nothing.
func toastKey(c echo.Context, key string) func(*models.UserDetail) string {
	return func(*models.UserDetail) string { return i18n.T(c.Request().Context(), key) }
}

// SaveUsername changes the person's username, their sign-in name.
func (h *Users) SaveUsername(c echo.Context) error {
	return h.changeAddresses(c, func(u *models.UserDetail) error {
		return h.store.SetUserPrincipalName(c.Request().Context(), session.Admin(c), u.ID,
			c.FormValue("upn_alias"), c.FormValue("upn_domain"), formVersion(c))
	}, func(u *models.UserDetail) string {
		return i18n.T(c.Request().Context(), "upn.saved", "Username", u.Username)
	})
}

// AddAddress gives the person an alias.
func (h *Users) AddAddress(c echo.Context) error {
	return h.changeAddresses(c, func(u *models.UserDetail) error {
		return h.store.AddAlias(c.Request().Context(), session.Admin(c), u.ID, c.FormValue("alias"), c.FormValue("domain"))
	}, toastKey(c, "addr.added"))
}

// RemoveAddress takes an alias away.
func (h *Users) RemoveAddress(c echo.Context) error {
	return h.changeAddresses(c, func(u *models.UserDetail) error {
		return h.store.RemoveAlias(c.Request().Context(), session.Admin(c), u.ID, c.FormValue("address"))
	}, toastKey(c, "addr.removed"))
}

// PrimaryAddress makes an alias the primary email address; the username stays.
func (h *Users) PrimaryAddress(c echo.Context) error {
	return h.changeAddresses(c, func(u *models.UserDetail) error {
		return h.store.SetPrimaryAddress(c.Request().Context(), session.Admin(c), u.ID, c.FormValue("address"))
	}, toastKey(c, "addr.primary_set"))
}
