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

// contactView loads a contact's edit page in the Exchange admin center.
func (h *Exchange) contactView(c echo.Context) (*views.EACContactView, error) {
	id, err := idParam(c, "id")
	if err != nil {
		return nil, err
	}
	d, err := h.store.MailContactDetail(c.Request().Context(), id)
	if err != nil {
		return nil, err
	}
	admin := session.Admin(c)
	return &views.EACContactView{Contact: d, Form: d.Form(), CanEdit: admin.Can(models.ActionManageContacts), Role: admin.PrimaryRole()}, nil
}

// Contact renders Recipients > Contacts > Edit: the contact's names, company and
// external address.
func (h *Exchange) Contact(c echo.Context) error {
	v, err := h.contactView(c)
	if err != nil {
		return err
	}
	return render(c, http.StatusOK, views.EACContactPage(*v), nil)
}

// SaveContact saves a contact's edit page with the method the Microsoft 365 admin
// center's Edit contact information uses.
func (h *Exchange) SaveContact(c echo.Context) error {
	v, err := h.contactView(c)
	if err != nil {
		return err
	}
	if !v.CanEdit {
		return models.ErrForbidden
	}
	ctx := c.Request().Context()
	f := contactForm(c)
	err = h.store.UpdateMailContact(ctx, session.Admin(c), v.Contact.ID, f)
	if errors.Is(err, models.ErrStale) {
		v.Form, v.Stale = f, true
		return render(c, http.StatusConflict, views.EACContactPage(*v), nil)
	}
	if ve, ok := models.AsValidation(err); ok {
		v.Form, v.Errors = f, ve.Fields
		return render(c, http.StatusUnprocessableEntity, views.EACContactPage(*v), nil)
	}
	if err != nil {
		return err
	}
	d, err := h.store.MailContactDetail(ctx, v.Contact.ID)
	if err != nil {
		return err
	}
	return flashAndRedirect(c, h.sessions, i18n.T(ctx, "contact.toast.saved", "Name", d.DisplayName), views.EACContactURL(d.ID))
}
