package handlers

import (
	"errors"
	"net/http"

	"github.com/a-h/templ"
	"github.com/labstack/echo/v4"

	"github.com/contoso/admincenter/models"
	"github.com/contoso/admincenter/views"
	"github.com/contoso/admincenter/views/i18n"
	"github.com/contoso/admincenter/web/htmx"
	"github.com/contoso/admincenter/web/session"
)

// Contacts serves Users > Contacts: the list, Add a contact, a contact's pane, Edit
// contact information and Delete contact.
type Contacts struct {
	store    *models.Store
	sessions *session.Store
}

// NewContacts returns the handlers of /contacts.
func NewContacts(store *models.Store, sessions *session.Store) *Contacts {
	return &Contacts{store: store, sessions: sessions}
}

func (h *Contacts) page(c echo.Context, p views.ContactsParams) (views.ContactsPageView, error) {
	list, err := h.store.MailContacts(c.Request().Context(), models.MailContactQuery{Search: p.Search,
		Page: models.Page{After: p.After, Before: p.Before, Size: p.Size}})
	if err != nil {
		return views.ContactsPageView{}, err
	}
	admin := session.Admin(c)
	return views.ContactsPageView{Params: p, List: list, CanCreate: admin.Can(models.ActionManageContacts), Role: admin.PrimaryRole()}, nil
}

// List renders Contacts; search and paging swap only the results.
func (h *Contacts) List(c echo.Context) error {
	v, err := h.page(c, views.ContactsParams{Search: c.QueryParam("q"), Size: models.NormalizePageSize(intQuery(c, "size")),
		After: c.QueryParam("after"), Before: c.QueryParam("before")})
	if err != nil {
		return err
	}
	return render(c, http.StatusOK, views.ContactsPage(v), views.ContactsResults(v))
}

// ShowNew renders Add a contact.
func (h *Contacts) ShowNew(c echo.Context) error {
	if !session.Admin(c).Can(models.ActionManageContacts) {
		return echo.NewHTTPError(http.StatusForbidden)
	}
	return render(c, http.StatusOK, views.AddContactPage(views.AddContactView{}), nil)
}

func contactForm(c echo.Context) models.MailContactForm {
	return models.MailContactForm{DisplayName: c.FormValue("display_name"), FirstName: c.FormValue("first_name"),
		LastName: c.FormValue("last_name"), Company: c.FormValue("company"), Address: c.FormValue("address"), Version: formVersion(c)}
}

// Create adds the contact and opens its pane.
func (h *Contacts) Create(c echo.Context) error {
	f := contactForm(c)
	ctx := c.Request().Context()
	id, err := h.store.CreateMailContact(ctx, session.Admin(c), f)
	if ve, ok := models.AsValidation(err); ok {
		return render(c, http.StatusUnprocessableEntity, views.AddContactPage(views.AddContactView{Form: f, Errors: ve.Fields}), nil)
	}
	if err != nil {
		return err
	}
	d, err := h.store.MailContactDetail(ctx, id)
	if err != nil {
		return err
	}
	return flashAndRedirect(c, h.sessions, i18n.T(ctx, "contact.toast.added", "Name", d.DisplayName), views.ContactURL(id))
}

// paneView loads the contact of the request.
func (h *Contacts) paneView(c echo.Context) (*views.ContactPaneView, error) {
	id, err := idParam(c, "id")
	if err != nil {
		return nil, err
	}
	d, err := h.store.MailContactDetail(c.Request().Context(), id)
	if err != nil {
		return nil, err
	}
	admin := session.Admin(c)
	return &views.ContactPaneView{Contact: d, CanManage: admin.Can(models.ActionManageContacts), Role: admin.PrimaryRole(), Form: d.Form()}, nil
}

// show answers with the pane or a panel: alone for htmx, otherwise on Contacts.
func (h *Contacts) show(c echo.Context, status int, v *views.ContactPaneView, pane templ.Component) error {
	if htmx.IsPartial(c.Request()) {
		return render(c, status, pane, pane)
	}
	p, err := h.page(c, views.ContactsParams{Size: models.DefaultPageSize})
	if err != nil {
		return err
	}
	p.Pane, p.PaneTitle = pane, v.Contact.DisplayName
	return render(c, status, views.ContactsPage(p), nil)
}

// Show renders a contact's pane.
func (h *Contacts) Show(c echo.Context) error {
	v, err := h.paneView(c)
	if err != nil {
		return err
	}
	return h.show(c, http.StatusOK, v, views.ContactPane(*v))
}

// ShowEdit renders Edit contact information.
func (h *Contacts) ShowEdit(c echo.Context) error {
	v, err := h.paneView(c)
	if err != nil {
		return err
	}
	if !v.CanManage {
		return echo.NewHTTPError(http.StatusForbidden)
	}
	return h.show(c, http.StatusOK, v, views.ContactEditPanel(*v))
}

// SaveEdit saves Edit contact information.
func (h *Contacts) SaveEdit(c echo.Context) error {
	v, err := h.paneView(c)
	if err != nil {
		return err
	}
	ctx := c.Request().Context()
	f := contactForm(c)
	err = h.store.UpdateMailContact(ctx, session.Admin(c), v.Contact.ID, f)
	switch {
	case errors.Is(err, models.ErrStale):
		v.Form, v.Stale = f, true
		return h.show(c, http.StatusConflict, v, views.ContactEditPanel(*v))
	case err != nil:
		ve, ok := models.AsValidation(err)
		if !ok {
			return err
		}
		v.Form, v.Errors = f, ve.Fields
		return h.show(c, http.StatusUnprocessableEntity, v, views.ContactEditPanel(*v))
	}
	nv, err := h.paneView(c)
	if err != nil {
		return err
	}
	return done(c, h.sessions, i18n.T(ctx, "contact.toast.saved", "Name", nv.Contact.DisplayName), views.ContactURL(nv.Contact.ID), views.ContactPane(*nv))
}

// ShowDelete renders Delete contact with what else goes.
func (h *Contacts) ShowDelete(c echo.Context) error {
	v, err := h.paneView(c)
	if err != nil {
		return err
	}
	if !v.CanManage {
		return echo.NewHTTPError(http.StatusForbidden)
	}
	if v.Links, err = h.store.MailContactDeleteConsequences(c.Request().Context(), v.Contact.ID); err != nil {
		return err
	}
	return h.show(c, http.StatusOK, v, views.ContactDeletePanel(*v))
}

// Delete deletes the contact (confirmed when it has links) and returns to Contacts.
func (h *Contacts) Delete(c echo.Context) error {
	v, err := h.paneView(c)
	if err != nil {
		return err
	}
	ctx := c.Request().Context()
	err = h.store.DeleteMailContact(ctx, session.Admin(c), v.Contact.ID, formChecked(c, "confirm"))
	if errors.Is(err, models.ErrNeedsConfirmation) {
		if v.Links, err = h.store.MailContactDeleteConsequences(ctx, v.Contact.ID); err != nil {
			return err
		}
		return h.show(c, http.StatusConflict, v, views.ContactDeletePanel(*v))
	}
	if err != nil {
		return err
	}
	return flashAndRedirect(c, h.sessions, i18n.T(ctx, "contact.toast.deleted", "Name", v.Contact.DisplayName), views.ContactsURL)
}
