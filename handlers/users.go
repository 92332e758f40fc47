package handlers

import (
	"fmt"
	"net/http"

	"github.com/a-h/templ"
	"github.com/labstack/echo/v4"

	"github.com/contoso/admincenter/models"
	"github.com/contoso/admincenter/views"
	"github.com/contoso/admincenter/web/htmx"
	"github.com/contoso/admincenter/web/session"
)

// Users serves Users > Active users and the properties pane.
type Users struct {
	store *models.Store
}

// NewUsers returns the Active users handlers.
func NewUsers(store *models.Store) *Users { return &Users{store: store} }

func usersParams(c echo.Context) views.UsersParams {
	return views.UsersParams{
		Search: c.QueryParam("q"),
		Filter: models.ParseUserFilter(c.QueryParam("filter")),
		Desc:   c.QueryParam("sort") == "desc",
		Size:   models.NormalizePageSize(intQuery(c, "size")),
		After:  c.QueryParam("after"),
		Before: c.QueryParam("before"),
	}
}

func (h *Users) list(c echo.Context, p views.UsersParams) (*models.UserList, error) {
	return h.store.Users(c.Request().Context(), models.UserQuery{
		Search: p.Search, Filter: p.Filter,
		Page: models.Page{After: p.After, Before: p.Before, Desc: p.Desc, Size: p.Size},
	})
}

// List renders the Active users page; search, filter, sort and paging swap only the
// results for htmx.
func (h *Users) List(c echo.Context) error {
	p := usersParams(c)
	list, err := h.list(c, p)
	if err != nil {
		return err
	}
	lics, err := h.store.LicenseProducts(c.Request().Context())
	if err != nil {
		return err
	}
	v := views.UsersPageView{Params: p, List: list, Licenses: lics}
	setUserActions(c, &v)
	return render(c, http.StatusOK, views.UsersPage(v), views.UsersResults(v))
}

// Show renders a person's properties pane: for htmx the pane alone, otherwise the
// Active users page with the pane open, so the URL can be reloaded and shared.
func (h *Users) Show(c echo.Context) error {
	id, err := idParam(c, "id")
	if err != nil {
		return err
	}
	pane, err := h.paneView(c, id, c.QueryParam("tab"))
	if err != nil {
		return err
	}
	if htmx.IsPartial(c.Request()) {
		return render(c, http.StatusOK, views.UserPane(*pane), views.UserPane(*pane))
	}
	return h.FullPage(c, http.StatusOK, pane.User.DisplayName, views.UserPane(*pane))
}

// paneView loads what the pane shows on a tab.
func (h *Users) paneView(c echo.Context, id uint, tab string) (*views.UserPaneView, error) {
	ctx := c.Request().Context()
	u, err := h.store.User(ctx, id)
	if err != nil {
		return nil, err
	}
	admin := session.Admin(c)
	pane := &views.UserPaneView{User: u, Tab: views.ParseTab(tab), Now: h.store.Now(),
		Actions: views.PaneActions{PersonRights: models.RightsOn(admin, u.Roles), Role: admin.PrimaryRole(),
			CanConvert: admin.Can(models.ActionManageSharedMailboxes)}}
	switch pane.Tab {
	case views.TabMail:
		if pane.Access, err = h.store.AccessibleMailboxes(ctx, u.RecipientID); err != nil {
			return nil, err
		}
		if u.Mailbox != nil {
			if pane.Forwarding, err = h.store.Forwarding(ctx, u.Mailbox.ID); err != nil {
				return nil, err
			}
		}
	case views.TabLicenses:
		lics, err := h.store.Licenses(ctx)
		if err != nil {
			return nil, err
		}
		lv := &views.LicensesView{User: u, Licenses: lics, CanEdit: pane.Actions.Licenses, Role: admin.PrimaryRole()}
		for _, l := range u.Licenses {
			lv.Checked = append(lv.Checked, l.ID)
		}
		pane.LicensesForm = lv
	}
	return pane, nil
}

// FullPage renders Active users, first page, with the pane open.
func (h *Users) FullPage(c echo.Context, status int, title string, pane templ.Component) error {
	p := views.UsersParams{Filter: models.FilterAll, Size: models.DefaultPageSize}
	list, err := h.list(c, p)
	if err != nil {
		return err
	}
	lics, err := h.store.LicenseProducts(c.Request().Context())
	if err != nil {
		return err
	}
	v := views.UsersPageView{Params: p, List: list, Pane: pane, PaneTitle: title, Licenses: lics}
	setUserActions(c, &v)
	return render(c, status, views.UsersPage(v), nil)
}

// PanelContext resolves the person's mailbox for the mailbox panels.
func (h *Users) PanelContext(c echo.Context) (views.MailboxPanelContext, error) {
	id, err := idParam(c, "id")
	if err != nil {
		return views.MailboxPanelContext{}, err
	}
	ctx := c.Request().Context()
	mb, err := h.store.MailboxOfUser(ctx, id)
	if err != nil {
		return views.MailboxPanelContext{}, err
	}
	admin := session.Admin(c)
	base := views.UserURL(id, "")
	return views.MailboxPanelContext{
		Mailbox: *mb, OwnerName: mb.DisplayName, BaseURL: base, BackURL: views.UserURL(id, views.TabMail),
		CanEdit: admin.Can(models.ActionManagePermissions), CanForward: admin.Can(models.ActionManageForwarding),
		Role: admin.PrimaryRole(), LicensesURL: base + "#sec-licenses",
		PropagationDelay: h.store.PropagationDelay,
	}, nil
}

// setUserActions says what the list's actions may do for the signed-in admin.
func setUserActions(c echo.Context, v *views.UsersPageView) {
	admin := session.Admin(c)
	v.CanAdd = admin.Can(models.ActionManageUsers)
	v.CanBulk = admin.Can(models.ActionBlockSignIn) || admin.Can(models.ActionManageLicenses) || admin.Can(models.ActionManageUsers)
	v.Role = admin.PrimaryRole()
}

// Baseline renders the Active users page from 50 rows held in memory: the cost of
// the layout and the middleware without the database, which the benchmark measures
// the real pages against. It is routed only with --bench-baseline.
func (h *Users) Baseline(c echo.Context) error {
	list := &models.UserList{PageInfo: models.PageInfo{Total: 100000, First: 1, Next: "bench"}}
	for i := 0; i < 50; i++ {
		list.Rows = append(list.Rows, models.UserRow{ID: uint(i + 1), DisplayName: fmt.Sprintf("Baseline Person %02d", i),
			Username: fmt.Sprintf("baseline%02d@contoso.com", i), Licenses: []string{"Microsoft 365 Business Standard"}})
	}
	v := views.UsersPageView{Params: views.UsersParams{Filter: models.FilterAll, Size: 50}, List: list}
	setUserActions(c, &v)
	return render(c, http.StatusOK, views.UsersPage(v), views.UsersResults(v))
}
