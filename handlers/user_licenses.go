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

// SaveLicenses applies the Licenses and apps tab. Removing the last license with a
// mailbox from someone it matters to comes back as a confirmation first; a form
// someone else's change made stale comes back with the reload message (409).
func (h *Users) SaveLicenses(c echo.Context) error {
	u, _, err := h.person(c)
	if err != nil {
		return err
	}
	ids, err := checkedIDs(c, "license")
	if err != nil {
		return err
	}
	ctx := c.Request().Context()
	version := formVersion(c)
	err = h.store.SetLicenses(ctx, session.Admin(c), u.ID, ids, formChecked(c, "confirm"), version)
	if err == nil {
		return h.afterChange(c, u.ID, views.TabLicenses, i18n.T(ctx, "lic.saved", "Name", u.DisplayName))
	}
	stale := errors.Is(err, models.ErrStale)
	ve, invalid := models.AsValidation(err)
	if !invalid && !stale && !errors.Is(err, models.ErrNeedsConfirmation) {
		return err
	}
	pane, perr := h.paneView(c, u.ID, views.TabLicenses)
	if perr != nil {
		return perr
	}
	pane.LicensesForm.Checked, pane.LicensesForm.Version = ids, version
	status := http.StatusUnprocessableEntity
	if stale {
		// Someone else changed the licenses: say so, and offer to reload.
		pane.LicensesForm.Stale = true
		return h.pane(c, http.StatusConflict, u, views.UserPane(*pane))
	}
	if invalid {
		pane.LicensesForm.Error = ve.First()
	} else {
		if pane.LicensesForm.Confirm, err = h.store.LicenseChangeConsequences(ctx, u.ID, ids); err != nil {
			return err
		}
		status = http.StatusOK
	}
	return h.pane(c, status, u, views.UserPane(*pane))
}
