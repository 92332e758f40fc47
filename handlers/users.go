package handlers

import (
	"net/http"

	"github.com/a-h/templ"
	"github.com/labstack/echo/v4"

	"github.com/contoso/admincenter/models"
	"github.com/contoso/admincenter/views"
	"github.com/contoso/admincenter/web/htmx"
	"github.com/contoso/admincenter/web/session"
)

// Users serves everything under /users: Active users (this file; users_*.go: Add
// a user, bulk actions and export, Deleted users) and a person's properties pane
// with its panels (user_*.go, one file per panel, named as the models name the
// rules). It is the MailboxTarget of the mailbox panels on a person's Mail tab.
type Users struct {
	store    *models.Store
	sessions *session.Store
}

// NewUsers returns the handlers of /users.
func NewUsers(store *models.Store, sessions *session.Store) *Users {
	return &Users{store: store, sessions: sessions}
}

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

// listPage loads Active users in the state p, with the list's actions.
func (h *Users) listPage(c echo.Context, p views.UsersParams) (views.UsersPageView, error) {
	ctx := c.Request().Context()
	list, err := h.store.Users(ctx, models.UserQuery{
		Search: p.Search, Filter: p.Filter,
		Page: models.Page{After: p.After, Before: p.Before, Desc: p.Desc, Size: p.Size},
	})
	if err != nil {
		return views.UsersPageView{}, err
	}
	lics, err := h.store.LicenseProducts(ctx)
	if err != nil {
		return views.UsersPageView{}, err
	}
	return listView(c, p, list, lics), nil
}

// listView is the Active users page with what the list's actions may do for the
// signed-in admin.
func listView(c echo.Context, p views.UsersParams, list *models.UserList, lics []models.LicenseUsage) views.UsersPageView {
	admin := session.Admin(c)
	return views.UsersPageView{Params: p, List: list, Licenses: lics, Role: admin.PrimaryRole(),
		CanAdd: admin.Can(models.ActionManageUsers), CanBulk: models.CanUseBulkActions(admin)}
}

// List renders the Active users page; search, filter, sort and paging swap only the
// results for htmx.
func (h *Users) List(c echo.Context) error {
	v, err := h.listPage(c, usersParams(c))
	if err != nil {
		return err
	}
	return render(c, http.StatusOK, views.UsersPage(v), views.UsersResults(v))
}

// FullPage renders Active users, first page, with the pane open.
func (h *Users) FullPage(c echo.Context, status int, title string, pane templ.Component) error {
	v, err := h.listPage(c, views.UsersParams{Filter: models.FilterAll, Size: models.DefaultPageSize})
	if err != nil {
		return err
	}
	v.Pane, v.PaneTitle = pane, title
	return render(c, status, views.UsersPage(v), nil)
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
	pane := &views.UserPaneView{User: u, Tab: views.ParseTab(tab), Now: h.store.Now(), Actions: paneActions(admin, u)}
	prefs, err := h.store.Preferences(ctx, admin)
	if err != nil {
		return nil, err
	}
	pane.Classic = prefs.ClassicPane
	// The classic pane's Mail settings show forwarding and automatic replies
	// whichever section is open; the Mail tab shows them too.
	if u.Mailbox != nil && (pane.Tab == views.TabMail || pane.Classic && pane.Tab != views.TabLicenses) {
		if pane.Forwarding, pane.AutoReply, err = h.store.MailSettingsOf(ctx, u); err != nil {
			return nil, err
		}
	}
	switch pane.Tab {
	case views.TabMail:
		if pane.Groups, pane.Access, err = h.store.GroupsAndAccessOf(ctx, u.RecipientID); err != nil {
			return nil, err
		}
	case views.TabLicenses:
		lics, err := h.store.Licenses(ctx)
		if err != nil {
			return nil, err
		}
		lv := &views.LicensesView{User: u, Licenses: lics, CanEdit: pane.Actions.Licenses, Role: admin.PrimaryRole(), Version: u.LicensesVersion}
		for _, l := range u.Licenses {
			lv.Checked = append(lv.Checked, l.ID)
		}
		pane.LicensesForm = lv
	}
	return pane, nil
}

// paneActions says what the admin may do to the person, for the pane's buttons.
func paneActions(admin *models.Admin, u *models.UserDetail) views.PaneActions {
	return views.PaneActions{PersonRights: models.RightsOn(admin, u.Roles), Role: admin.PrimaryRole(),
		CanConvert: admin.Can(models.ActionManageSharedMailboxes)}
}

// PanelContext resolves the person's mailbox for the mailbox panels.
func (h *Users) PanelContext(c echo.Context) (views.MailboxPanelContext, error) {
	id, err := idParam(c, "id")
	if err != nil {
		return views.MailboxPanelContext{}, err
	}
	mb, err := h.store.MailboxOfUser(c.Request().Context(), id)
	if err != nil {
		return views.MailboxPanelContext{}, err
	}
	admin := session.Admin(c)
	base := views.UserURL(id, "")
	prefs, err := h.store.Preferences(c.Request().Context(), admin)
	if err != nil {
		return views.MailboxPanelContext{}, err
	}
	return views.MailboxPanelContext{
		Classic: prefs.ClassicPane,
		Mailbox: *mb, OwnerName: mb.DisplayName, BaseURL: base, BackURL: views.UserURL(id, views.TabMail),
		CanEdit: admin.Can(models.ActionManagePermissions), CanForward: admin.Can(models.ActionManageForwarding),
		Role: admin.PrimaryRole(), LicensesURL: base + "#sec-licenses",
		PropagationDelay: h.store.PropagationDelay(),
	}, nil
}

// person loads the person of the request with what the admin may do to them.
func (h *Users) person(c echo.Context) (*models.UserDetail, views.PaneActions, error) {
	id, err := idParam(c, "id")
	if err != nil {
		return nil, views.PaneActions{}, err
	}
	u, err := h.store.User(c.Request().Context(), id)
	if err != nil {
		return nil, views.PaneActions{}, err
	}
	return u, paneActions(session.Admin(c), u), nil
}

// personPanel loads the person of a panel's GET request, refused (403) when the
// admin may not use that panel on them.
func (h *Users) personPanel(c echo.Context, allowed func(views.PaneActions) bool) (*models.UserDetail, views.PaneActions, error) {
	u, acts, err := h.person(c)
	if err != nil {
		return nil, acts, err
	}
	if !allowed(acts) {
		return nil, acts, echo.NewHTTPError(http.StatusForbidden)
	}
	return u, acts, nil
}

// pane answers with one of the person's panels.
func (h *Users) pane(c echo.Context, status int, u *models.UserDetail, panel templ.Component) error {
	return renderPane(c, h, status, u.DisplayName, panel)
}

// afterChange shows the person's pane again on a tab with a toast.
func (h *Users) afterChange(c echo.Context, userID uint, tab, toast string) error {
	pane, err := h.paneView(c, userID, tab)
	if err != nil {
		return err
	}
	return done(c, h.sessions, toast, views.UserURL(userID, tab), views.UserPane(*pane))
}
