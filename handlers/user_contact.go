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

func canEdit(a views.PaneActions) bool { return a.Edit }

// ShowContact renders Manage contact information.
func (h *Users) ShowContact(c echo.Context) error {
	u, acts, err := h.personPanel(c, canEdit)
	if err != nil {
		return err
	}
	v, err := h.store.UserVersion(c.Request().Context(), u.ID)
	if err != nil {
		return err
	}
	contact := models.Contact{FirstName: u.FirstName, LastName: u.LastName, DisplayName: u.DisplayName, JobTitle: u.JobTitle, Department: u.Department, Version: v}
	return h.pane(c, http.StatusOK, u, views.ContactPanel(views.PersonPanelView{User: u, Actions: acts, Contact: contact}))
}

// SaveContact saves names and contact details; a form someone else's change made
// stale comes back with the reload message (409).
func (h *Users) SaveContact(c echo.Context) error {
	u, acts, err := h.person(c)
	if err != nil {
		return err
	}
	ctx := c.Request().Context()
	contact := models.Contact{FirstName: c.FormValue("first_name"), LastName: c.FormValue("last_name"), DisplayName: c.FormValue("display_name"),
		JobTitle: c.FormValue("job_title"), Department: c.FormValue("department"), Version: formVersion(c)}
	err = h.store.UpdateContact(ctx, session.Admin(c), u.ID, contact)
	v := views.PersonPanelView{User: u, Actions: acts, Contact: contact}
	switch {
	case errors.Is(err, models.ErrStale):
		v.Stale = true
		return h.pane(c, http.StatusConflict, u, views.ContactPanel(v))
	case err == nil:
		return h.afterChange(c, u.ID, views.TabAccount, i18n.T(ctx, "people.contact_saved", "Name", strings.TrimSpace(contact.DisplayName)))
	}
	ve, ok := models.AsValidation(err)
	if !ok {
		return err
	}
	v.Errors = ve.Fields
	return h.pane(c, http.StatusUnprocessableEntity, u, views.ContactPanel(v))
}
