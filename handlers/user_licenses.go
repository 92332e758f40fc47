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
// mailbox from someone it matters to comes back as a confirmation first.
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
	err = h.store.SetLicenses(ctx, session.Admin(c), u.ID, ids, formChecked(c, "confirm"))
	if err == nil {
		return h.afterChange(c, u.ID, views.TabLicenses, i18n.T(ctx, "lic.saved", "Name", u.DisplayName))
	}
	ve, invalid := models.AsValidation(err)
	if !invalid && !errors.Is(err, models.ErrNeedsConfirmation) {
		return err
	}
	pane, perr := h.paneView(c, u.ID, views.TabLicenses)
	if perr != nil {
		return perr
	}
	pane.LicensesForm.Checked = ids
	status := http.StatusUnprocessableEntity
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
