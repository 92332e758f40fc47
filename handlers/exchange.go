package handlers

import (
	"net/http"

	"github.com/labstack/echo/v4"

	"github.com/contoso/admincenter/models"
	"github.com/contoso/admincenter/views"
	"github.com/contoso/admincenter/web/session"
)

// Exchange serves the Exchange admin center: Recipients > Mailboxes, Groups,
// Contacts and Shared, Add a shared mailbox, a mailbox's edit page with Mailbox
// delegation, bulk delegation and a group's edit page. It calls the same models
// methods as the Microsoft 365 admin center's pages.
type Exchange struct {
	store    *models.Store
	sessions *session.Store
}

// NewExchange returns the Exchange admin center's handlers.
func NewExchange(store *models.Store, sessions *session.Store) *Exchange {
	return &Exchange{store: store, sessions: sessions}
}

// Home opens Recipients > Mailboxes.
func (h *Exchange) Home(c echo.Context) error {
	return c.Redirect(http.StatusSeeOther, views.EACMailboxesURL)
}

func eacParams(c echo.Context, base string) views.EACListParams {
	return views.EACListParams{Base: base, Search: c.QueryParam("q"), Size: models.NormalizePageSize(intQuery(c, "size")),
		After: c.QueryParam("after"), Before: c.QueryParam("before"), Desc: c.QueryParam("sort") == "desc"}
}

func eacModelPage(p views.EACListParams) models.Page {
	return models.Page{After: p.After, Before: p.Before, Desc: p.Desc, Size: p.Size}
}

func (h *Exchange) listView(c echo.Context, section string, params views.EACListParams) views.EACListView {
	admin := session.Admin(c)
	return views.EACListView{Section: section, Params: params, CanEdit: admin.Can(models.ActionManagePermissions), Role: admin.PrimaryRole()}
}

// Mailboxes renders Recipients > Mailboxes: every mailbox, multi-selectable.
func (h *Exchange) Mailboxes(c echo.Context) error {
	ctx := c.Request().Context()
	p := eacParams(c, views.EACMailboxesURL)
	list, err := h.store.RecipientMailboxes(ctx, models.MailboxListQuery{Search: p.Search, Page: eacModelPage(p)})
	if err != nil {
		return err
	}
	v := h.listView(c, "mailboxes", p)
	v.PageInfo, v.Selectable = list.PageInfo, true
	for _, r := range list.Rows {
		v.Rows = append(v.Rows, views.EACRow{ID: r.ID, Name: r.DisplayName, Address: r.Address,
			Type: views.EACMailboxType(ctx, r.Type), EditURL: views.EACMailboxURL(r.ID, "")})
	}
	return render(c, http.StatusOK, views.EACListPage(v), views.EACListResults(v))
}

// Shared renders Recipients > Shared: the shared mailboxes, multi-selectable.
func (h *Exchange) Shared(c echo.Context) error {
	ctx := c.Request().Context()
	p := eacParams(c, views.EACSharedURL)
	list, err := h.store.SharedMailboxes(ctx, models.SharedMailboxQuery{Search: p.Search, Page: eacModelPage(p)})
	if err != nil {
		return err
	}
	v := h.listView(c, "shared", p)
	v.CanEdit = v.CanEdit && session.Admin(c).Can(models.ActionManageSharedMailboxes)
	v.PageInfo, v.Selectable = list.PageInfo, true
	for _, r := range list.Rows {
		v.Rows = append(v.Rows, views.EACRow{ID: r.ID, Name: r.DisplayName, Address: r.Address,
			Type: views.EACMailboxType(ctx, models.MailboxShared), EditURL: views.EACMailboxURL(r.ID, "")})
	}
	return render(c, http.StatusOK, views.EACListPage(v), views.EACListResults(v))
}

// Groups renders Recipients > Groups on a group type's tab.
func (h *Exchange) Groups(c echo.Context) error {
	ctx := c.Request().Context()
	p := eacParams(c, views.EACGroupsURL)
	t, ok := models.ParseGroupType(c.QueryParam("type"))
	if !ok {
		t = models.GroupM365
	}
	p.Type = t
	list, err := h.store.Groups(ctx, models.GroupQuery{Type: t, Search: p.Search, Page: eacModelPage(p)})
	if err != nil {
		return err
	}
	v := h.listView(c, "groups", p)
	v.CanEdit = models.CanManageGroup(session.Admin(c), t)
	v.PageInfo = list.PageInfo
	for _, r := range list.Rows {
		v.Rows = append(v.Rows, views.EACRow{ID: r.ID, Name: r.DisplayName, Address: r.Address,
			Type: views.EACGroupType(ctx, r.Type), EditURL: views.EACGroupURL(r.ID)})
	}
	return render(c, http.StatusOK, views.EACListPage(v), views.EACListResults(v))
}

// Contacts renders Recipients > Contacts.
func (h *Exchange) Contacts(c echo.Context) error {
	p := eacParams(c, views.EACContactsURL)
	list, err := h.store.MailContacts(c.Request().Context(), models.MailContactQuery{Search: p.Search, Page: eacModelPage(p)})
	if err != nil {
		return err
	}
	v := h.listView(c, "contacts", p)
	v.CanEdit = session.Admin(c).Can(models.ActionManageContacts)
	v.PageInfo = list.PageInfo
	for _, r := range list.Rows {
		v.Rows = append(v.Rows, views.EACRow{ID: r.ID, Name: r.DisplayName, Address: r.Address, Type: r.Company,
			EditURL: views.EACContactURL(r.ID)})
	}
	return render(c, http.StatusOK, views.EACListPage(v), views.EACListResults(v))
}
