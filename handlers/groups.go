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

// Groups serves Teams & groups > Active teams & groups: the list (this file), Add a
// group (groups_new.go), and a group's pane with its panels (this file and
// group_members.go).
type Groups struct {
	store    *models.Store
	sessions *session.Store
}

// NewGroups returns the handlers of /groups.
func NewGroups(store *models.Store, sessions *session.Store) *Groups {
	return &Groups{store: store, sessions: sessions}
}

func groupsParams(c echo.Context) views.GroupsParams {
	t, ok := models.ParseGroupType(c.QueryParam("type"))
	if !ok {
		t = models.GroupM365
	}
	return views.GroupsParams{
		Type:   t,
		Search: c.QueryParam("q"),
		Size:   models.NormalizePageSize(intQuery(c, "size")),
		After:  c.QueryParam("after"),
		Before: c.QueryParam("before"),
	}
}

func (h *Groups) page(c echo.Context, p views.GroupsParams) (views.GroupsPageView, error) {
	ctx := c.Request().Context()
	list, err := h.store.Groups(ctx, models.GroupQuery{Type: p.Type, Search: p.Search,
		Page: models.Page{After: p.After, Before: p.Before, Size: p.Size}})
	if err != nil {
		return views.GroupsPageView{}, err
	}
	counts, err := h.store.CountGroups(ctx)
	if err != nil {
		return views.GroupsPageView{}, err
	}
	admin := session.Admin(c)
	return views.GroupsPageView{Params: p, List: list, Counts: counts, CanCreate: models.CanCreateGroups(admin), Role: admin.PrimaryRole()}, nil
}

// List renders a tab of Active teams & groups; search and paging swap only the results.
func (h *Groups) List(c echo.Context) error {
	v, err := h.page(c, groupsParams(c))
	if err != nil {
		return err
	}
	return render(c, http.StatusOK, views.GroupsPage(v), views.GroupsResults(v))
}

// paneView loads the group of the request for its pane on a tab.
func (h *Groups) paneView(c echo.Context, tab string) (*views.GroupPaneView, error) {
	id, err := idParam(c, "id")
	if err != nil {
		return nil, err
	}
	ctx := c.Request().Context()
	g, err := h.store.GroupDetail(ctx, id)
	if err != nil {
		return nil, err
	}
	admin := session.Admin(c)
	v := &views.GroupPaneView{Group: g, Tab: views.ParseGroupTab(tab), CanManage: models.CanManageGroup(admin, g.Type),
		Role: admin.PrimaryRole(), Name: g.DisplayName, Description: g.Description,
		Settings: models.GroupSettings{AllowExternalSenders: g.AllowExternalSenders, HiddenFromGAL: g.HiddenFromGAL, Version: g.Version}}
	if g.Type.MailEnabled() && v.Tab == views.TabGroupGeneral {
		if v.Delegates, err = h.store.GroupDelegates(ctx, g.ID); err != nil {
			return nil, err
		}
	}
	return v, nil
}

// show answers with the pane or a panel: alone for htmx, otherwise on the list of
// the group's type.
func (h *Groups) show(c echo.Context, status int, v *views.GroupPaneView, pane templ.Component) error {
	if htmx.IsPartial(c.Request()) {
		return render(c, status, pane, pane)
	}
	p, err := h.page(c, views.GroupsParams{Type: v.Group.Type, Size: models.DefaultPageSize})
	if err != nil {
		return err
	}
	p.Pane, p.PaneTitle = pane, v.Group.DisplayName
	return render(c, status, views.GroupsPage(p), nil)
}

// Show renders a group's pane on the tab the address names.
func (h *Groups) Show(c echo.Context) error {
	v, err := h.paneView(c, c.QueryParam("tab"))
	if err != nil {
		return err
	}
	return h.show(c, http.StatusOK, v, views.GroupPane(*v))
}

// panel renders one of the pane's edit panels; an admin who may not change the
// group gets 403.
func (h *Groups) panel(c echo.Context, prepare func(*views.GroupPaneView) error, panel func(views.GroupPaneView) templ.Component) error {
	v, err := h.paneView(c, "")
	if err != nil {
		return err
	}
	if !v.CanManage {
		return echo.NewHTTPError(http.StatusForbidden)
	}
	if prepare != nil {
		if err := prepare(v); err != nil {
			return err
		}
	}
	return h.show(c, http.StatusOK, v, panel(*v))
}

// change runs a change from a panel or tab: on a rule violation the panel comes back
// with its errors (422), on a stale form with the reload message (409); done, the
// pane on tab with a toast.
func (h *Groups) change(c echo.Context, panel func(views.GroupPaneView) templ.Component, prepare func(*views.GroupPaneView),
	do func(*views.GroupPaneView) error, tab string, toast func(*views.GroupPaneView) string) error {
	v, err := h.paneView(c, tab)
	if err != nil {
		return err
	}
	if prepare != nil {
		prepare(v)
	}
	err = do(v)
	switch {
	case errors.Is(err, models.ErrStale):
		v.Stale = true
		return h.show(c, http.StatusConflict, v, panel(*v))
	case err != nil:
		ve, ok := models.AsValidation(err)
		if !ok {
			return err
		}
		v.Errors = ve.Fields
		return h.show(c, http.StatusUnprocessableEntity, v, panel(*v))
	}
	nv, err := h.paneView(c, tab)
	if err != nil {
		return err
	}
	return done(c, h.sessions, toast(nv), views.GroupURL(nv.Group.ID, tab), views.GroupPane(*nv))
}

func (h *Groups) savedToast(c echo.Context) func(*views.GroupPaneView) string {
	return func(v *views.GroupPaneView) string {
		return i18n.T(c.Request().Context(), "group.toast.saved", "Name", v.Group.DisplayName)
	}
}

// ShowBasics renders Edit name and description.
func (h *Groups) ShowBasics(c echo.Context) error { return h.panel(c, nil, views.GroupBasicsPanel) }

// SaveBasics saves the name and description.
func (h *Groups) SaveBasics(c echo.Context) error {
	return h.change(c, views.GroupBasicsPanel, func(v *views.GroupPaneView) {
		v.Name, v.Description = c.FormValue("name"), c.FormValue("description")
	}, func(v *views.GroupPaneView) error {
		return h.store.UpdateGroupBasics(c.Request().Context(), session.Admin(c), v.Group.ID, c.FormValue("name"), c.FormValue("description"), formVersion(c))
	}, views.TabGroupGeneral, h.savedToast(c))
}

// addressPrepare fills the address panel's domain choice.
func (h *Groups) addressPrepare(c echo.Context, v *views.GroupPaneView, domain string) error {
	domains, d, err := h.store.AddressDomains(c.Request().Context(), domain)
	if err != nil {
		return err
	}
	v.Domains, v.Domain = domains, d
	return nil
}

// ShowAddresses renders Manage email addresses.
func (h *Groups) ShowAddresses(c echo.Context) error {
	return h.panel(c, func(v *views.GroupPaneView) error {
		if !v.Group.Type.MailEnabled() {
			return echo.ErrNotFound
		}
		return h.addressPrepare(c, v, "")
	}, views.GroupAddressesPanel)
}

// addressChange runs a change to the addresses and shows the panel again.
func (h *Groups) addressChange(c echo.Context, do func(*views.GroupPaneView) error) error {
	v, err := h.paneView(c, "")
	if err != nil {
		return err
	}
	ctx := c.Request().Context()
	v.Alias = c.FormValue("alias")
	if err := h.addressPrepare(c, v, c.FormValue("domain")); err != nil {
		return err
	}
	if err := do(v); err != nil {
		ve, ok := models.AsValidation(err)
		if !ok {
			return err
		}
		v.Errors = ve.Fields
		return h.show(c, http.StatusUnprocessableEntity, v, views.GroupAddressesPanel(*v))
	}
	nv, err := h.paneView(c, "")
	if err != nil {
		return err
	}
	if err := h.addressPrepare(c, nv, ""); err != nil {
		return err
	}
	return done(c, h.sessions, i18n.T(ctx, "group.toast.saved", "Name", nv.Group.DisplayName),
		views.GroupPanelURL(nv.Group.ID, views.PanelAddresses), views.GroupAddressesPanel(*nv))
}

// AddAddress adds an alias.
func (h *Groups) AddAddress(c echo.Context) error {
	return h.addressChange(c, func(v *views.GroupPaneView) error {
		return h.store.AddGroupAlias(c.Request().Context(), session.Admin(c), v.Group.ID, c.FormValue("alias"), c.FormValue("domain"))
	})
}

// RemoveAddress removes an alias.
func (h *Groups) RemoveAddress(c echo.Context) error {
	return h.addressChange(c, func(v *views.GroupPaneView) error {
		return h.store.RemoveGroupAlias(c.Request().Context(), session.Admin(c), v.Group.ID, c.FormValue("address"))
	})
}

// PrimaryAddress makes an alias the primary address.
func (h *Groups) PrimaryAddress(c echo.Context) error {
	return h.addressChange(c, func(v *views.GroupPaneView) error {
		return h.store.SetGroupPrimaryAddress(c.Request().Context(), session.Admin(c), v.Group.ID, c.FormValue("address"))
	})
}

// SaveSettings saves the Settings tab.
func (h *Groups) SaveSettings(c echo.Context) error {
	set := models.GroupSettings{AllowExternalSenders: formChecked(c, "allow_external"), HiddenFromGAL: formChecked(c, "hidden"), Version: formVersion(c)}
	return h.change(c, views.GroupPane, func(v *views.GroupPaneView) {
		v.Settings.AllowExternalSenders, v.Settings.HiddenFromGAL = set.AllowExternalSenders, set.HiddenFromGAL
	}, func(v *views.GroupPaneView) error {
		return h.store.SetGroupSettings(c.Request().Context(), session.Admin(c), v.Group.ID, set)
	}, views.TabGroupSettings, h.savedToast(c))
}

// ShowDelete renders Delete group with what else deleting it removes.
func (h *Groups) ShowDelete(c echo.Context) error {
	return h.panel(c, func(v *views.GroupPaneView) error {
		var err error
		v.Links, err = h.store.GroupDeleteConsequences(c.Request().Context(), v.Group.ID)
		return err
	}, views.GroupDeletePanel)
}

// Delete deletes the group (confirmed when it has links) and returns to its list.
func (h *Groups) Delete(c echo.Context) error {
	v, err := h.paneView(c, "")
	if err != nil {
		return err
	}
	ctx := c.Request().Context()
	err = h.store.DeleteGroup(ctx, session.Admin(c), v.Group.ID, formChecked(c, "confirm"))
	if errors.Is(err, models.ErrNeedsConfirmation) {
		// Links appeared since the panel was opened: show them and ask again.
		if v.Links, err = h.store.GroupDeleteConsequences(ctx, v.Group.ID); err != nil {
			return err
		}
		return h.show(c, http.StatusConflict, v, views.GroupDeletePanel(*v))
	}
	if err != nil {
		return err
	}
	return flashAndRedirect(c, h.sessions, i18n.T(ctx, "group.toast.deleted", "Name", v.Group.DisplayName), views.GroupsParams{Type: v.Group.Type}.URL())
}
