package handlers

import (
	"context"
	"errors"
	"net/http"
	"strconv"

	"github.com/a-h/templ"
	"github.com/labstack/echo/v4"

	"github.com/contoso/admincenter/models"
	"github.com/contoso/admincenter/views"
	"github.com/contoso/admincenter/views/i18n"
	"github.com/contoso/admincenter/web/session"
)

// SharedMailboxes serves Teams & groups > Shared mailboxes, the shared mailbox pane
// and its panels. It is the MailboxTarget the permission and forwarding panels use
// for shared mailboxes.
type SharedMailboxes struct {
	store    *models.Store
	sessions *session.Store
}

// NewSharedMailboxes returns the shared mailbox handlers.
func NewSharedMailboxes(store *models.Store, sessions *session.Store) *SharedMailboxes {
	return &SharedMailboxes{store: store, sessions: sessions}
}

func sharedParams(c echo.Context) views.SharedParams {
	return views.SharedParams{
		Search: c.QueryParam("q"),
		Size:   models.NormalizePageSize(intQuery(c, "size")),
		After:  c.QueryParam("after"),
		Before: c.QueryParam("before"),
	}
}

func (h *SharedMailboxes) page(c echo.Context, p views.SharedParams) (views.SharedPageView, error) {
	list, err := h.store.SharedMailboxes(c.Request().Context(), models.SharedMailboxQuery{
		Search: p.Search, Page: models.Page{After: p.After, Before: p.Before, Size: p.Size},
	})
	if err != nil {
		return views.SharedPageView{}, err
	}
	admin := session.Admin(c)
	return views.SharedPageView{Params: p, List: list, CanCreate: admin.Can(models.ActionManageSharedMailboxes), Role: admin.PrimaryRole()}, nil
}

// List renders the shared mailbox list; search and paging swap only the results.
func (h *SharedMailboxes) List(c echo.Context) error {
	v, err := h.page(c, sharedParams(c))
	if err != nil {
		return err
	}
	return render(c, http.StatusOK, views.SharedMailboxesPage(v), views.SharedMailboxesResults(v))
}

// FullPage renders the shared mailbox list with a pane open.
func (h *SharedMailboxes) FullPage(c echo.Context, status int, title string, pane templ.Component) error {
	v, err := h.page(c, views.SharedParams{Size: models.DefaultPageSize})
	if err != nil {
		return err
	}
	v.Pane, v.PaneTitle = pane, title
	return render(c, status, views.SharedMailboxesPage(v), nil)
}

// PanelContext resolves the shared mailbox of the request for the mailbox panels.
func (h *SharedMailboxes) PanelContext(c echo.Context) (views.MailboxPanelContext, error) {
	id, err := idParam(c, "id")
	if err != nil {
		return views.MailboxPanelContext{}, err
	}
	mb, err := h.store.SharedMailboxRef(c.Request().Context(), id)
	if err != nil {
		return views.MailboxPanelContext{}, err
	}
	admin := session.Admin(c)
	base := views.SharedURL(id)
	return views.MailboxPanelContext{
		Mailbox: *mb, OwnerName: mb.DisplayName, BaseURL: base, BackURL: base,
		CanEdit: admin.Can(models.ActionManagePermissions), CanForward: admin.Can(models.ActionManageForwarding),
		Role: admin.PrimaryRole(), PropagationDelay: h.store.PropagationDelay(),
	}, nil
}

// paneView loads the shared mailbox of the request for its pane and panels.
func (h *SharedMailboxes) paneView(c echo.Context) (*views.SharedPaneView, error) {
	pc, err := h.PanelContext(c)
	if err != nil {
		return nil, err
	}
	ctx := c.Request().Context()
	d, err := h.store.SharedMailboxDetail(ctx, pc.Mailbox.ID)
	if err != nil {
		return nil, err
	}
	admin := session.Admin(c)
	domains, domain, err := h.store.AddressDomains(ctx, "")
	if err != nil {
		return nil, err
	}
	return &views.SharedPaneView{Ctx: pc, Mailbox: d, CanManage: admin.Can(models.ActionManageSharedMailboxes),
		CanReply: admin.Can(models.ActionManageAutoReplies), CanEditIdentity: d.CanChangeIdentity(admin), Name: d.DisplayName, Reply: d.AutoReply,
		CanLicense: admin.Can(models.ActionManageSharedMailboxes) && admin.Can(models.ActionManageLicenses),
		Domains:    domains, Domain: domain, Now: h.store.Now()}, nil
}

func (h *SharedMailboxes) show(c echo.Context, status int, v *views.SharedPaneView, pane templ.Component) error {
	return renderPane(c, h, status, v.Mailbox.DisplayName, pane)
}

// Show renders the shared mailbox pane.
func (h *SharedMailboxes) Show(c echo.Context) error {
	v, err := h.paneView(c)
	if err != nil {
		return err
	}
	if v.Forwarding, err = h.store.Forwarding(c.Request().Context(), v.Mailbox.ID); err != nil {
		return err
	}
	if v.GroupAccess, err = h.store.GroupsWithAccess(c.Request().Context(), v.Mailbox.ID); err != nil {
		return err
	}
	return h.show(c, http.StatusOK, v, views.SharedPane(*v))
}

// panel renders one of the pane's panels, for GET requests.
func (h *SharedMailboxes) panel(c echo.Context, panel func(views.SharedPaneView) templ.Component) error {
	v, err := h.paneView(c)
	if err != nil {
		return err
	}
	return h.show(c, http.StatusOK, v, panel(*v))
}

// ShowName renders Basic information.
func (h *SharedMailboxes) ShowName(c echo.Context) error { return h.panel(c, views.SharedNamePanel) }

// ShowAddresses renders Email addresses.
func (h *SharedMailboxes) ShowAddresses(c echo.Context) error {
	return h.panel(c, views.SharedAddressesPanel)
}

// ShowMembers renders Members.
func (h *SharedMailboxes) ShowMembers(c echo.Context) error { return h.panel(c, views.MembersPanel) }

// ShowAutoReplies renders Automatic replies.
func (h *SharedMailboxes) ShowAutoReplies(c echo.Context) error {
	return h.panel(c, views.AutoRepliesPanel)
}

// ShowSentItems renders Sent items.
func (h *SharedMailboxes) ShowSentItems(c echo.Context) error {
	return h.panel(c, views.SentItemsPanel)
}

// ShowAddressList renders Show in global address list.
func (h *SharedMailboxes) ShowAddressList(c echo.Context) error {
	return h.panel(c, views.AddressListPanel)
}

// ShowDelete renders Delete shared mailbox.
func (h *SharedMailboxes) ShowDelete(c echo.Context) error {
	return h.panel(c, views.DeleteSharedPanel)
}

// ShowConvert renders Convert to regular mailbox.
func (h *SharedMailboxes) ShowConvert(c echo.Context) error {
	return h.panel(c, views.ConvertBackPanel)
}

// change runs a change from one of the panels: on a rule violation the panel comes
// back with its errors (422), on a stale form with the reload message (409), and on
// success the pane with a toast.
func (h *SharedMailboxes) change(c echo.Context, panel func(views.SharedPaneView) templ.Component, prepare func(*views.SharedPaneView), do func(*views.SharedPaneView) error, toastKey string) error {
	v, err := h.paneView(c)
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
	case errors.Is(err, models.ErrNeedsConfirmation):
		v.Confirm = true
		return h.show(c, http.StatusOK, v, panel(*v))
	case err != nil:
		ve, ok := models.AsValidation(err)
		if !ok {
			return err
		}
		v.Errors = ve.Fields
		return h.show(c, http.StatusUnprocessableEntity, v, panel(*v))
	}
	nv, err := h.paneView(c)
	if err != nil {
		return err
	}
	if nv.Forwarding, err = h.store.Forwarding(c.Request().Context(), nv.Mailbox.ID); err != nil {
		return err
	}
	if nv.GroupAccess, err = h.store.GroupsWithAccess(c.Request().Context(), nv.Mailbox.ID); err != nil {
		return err
	}
	return done(c, h.sessions, i18n.T(c.Request().Context(), toastKey, "Name", nv.Mailbox.DisplayName), nv.Ctx.BaseURL, views.SharedPane(*nv))
}

// Rename saves Basic information.
func (h *SharedMailboxes) Rename(c echo.Context) error {
	return h.change(c, views.SharedNamePanel, func(v *views.SharedPaneView) { v.Name = c.FormValue("name") },
		func(v *views.SharedPaneView) error {
			return h.store.RenameSharedMailbox(c.Request().Context(), session.Admin(c), v.Mailbox.ID, c.FormValue("name"), formVersion(c))
		}, "shared.toast.saved")
}

// AddAddress, RemoveAddress and PrimaryAddress change Email addresses.
func (h *SharedMailboxes) AddAddress(c echo.Context) error {
	return h.change(c, views.SharedAddressesPanel, func(v *views.SharedPaneView) { v.Alias, v.Domain = c.FormValue("alias"), c.FormValue("domain") },
		func(v *views.SharedPaneView) error {
			return h.store.AddSharedAlias(c.Request().Context(), session.Admin(c), v.Mailbox.ID, c.FormValue("alias"), c.FormValue("domain"))
		}, "shared.toast.saved")
}

// RemoveAddress removes an alias.
func (h *SharedMailboxes) RemoveAddress(c echo.Context) error {
	return h.change(c, views.SharedAddressesPanel, nil, func(v *views.SharedPaneView) error {
		return h.store.RemoveSharedAlias(c.Request().Context(), session.Admin(c), v.Mailbox.ID, c.FormValue("address"))
	}, "shared.toast.saved")
}

// PrimaryAddress makes an alias primary.
func (h *SharedMailboxes) PrimaryAddress(c echo.Context) error {
	return h.change(c, views.SharedAddressesPanel, nil, func(v *views.SharedPaneView) error {
		return h.store.SetSharedPrimary(c.Request().Context(), session.Admin(c), v.Mailbox.ID, c.FormValue("address"))
	}, "shared.toast.saved")
}

// SaveAutoReplies saves Automatic replies, with the form a person's panel uses.
func (h *SharedMailboxes) SaveAutoReplies(c echo.Context) error {
	reply, formErr := autoReplyForm(c)
	return h.change(c, views.AutoRepliesPanel, func(v *views.SharedPaneView) { v.Reply = reply },
		func(v *views.SharedPaneView) error {
			if formErr != nil {
				return formErr
			}
			return h.store.SetAutoReplies(c.Request().Context(), session.Admin(c), v.Mailbox.ID, reply, formVersion(c))
		}, "shared.toast.saved")
}

// SaveSentItems saves Sent items.
func (h *SharedMailboxes) SaveSentItems(c echo.Context) error {
	return h.change(c, views.SentItemsPanel, nil, func(v *views.SharedPaneView) error {
		return h.store.SetSentItems(c.Request().Context(), session.Admin(c), v.Mailbox.ID,
			formChecked(c, "sent_as"), formChecked(c, "on_behalf"), formVersion(c))
	}, "shared.toast.saved")
}

// SaveAddressList saves Show in global address list.
func (h *SharedMailboxes) SaveAddressList(c echo.Context) error {
	return h.change(c, views.AddressListPanel, nil, func(v *views.SharedPaneView) error {
		return h.store.SetShownInAddressList(c.Request().Context(), session.Admin(c), v.Mailbox.ID,
			formChecked(c, "shown"), formChecked(c, "confirm"), formVersion(c))
	}, "shared.toast.saved")
}

// ShowLicense renders Assign a license: why a shared mailbox over 50 GB needs one,
// and the products that give it 100 GB.
func (h *SharedMailboxes) ShowLicense(c echo.Context) error {
	v, err := h.paneView(c)
	if err != nil {
		return err
	}
	if v.Licenses, err = h.store.SharedMailboxLicenses(c.Request().Context()); err != nil {
		return err
	}
	if len(v.Licenses) > 0 {
		v.LicenseID = v.Licenses[0].ID
	}
	return h.show(c, http.StatusOK, v, views.SharedLicensePanel(*v))
}

// AssignLicense gives the shared mailbox the chosen license (its account is made,
// blocked, when it has none) and returns to the pane.
func (h *SharedMailboxes) AssignLicense(c echo.Context) error {
	ctx := c.Request().Context()
	id, _ := formID(c, "license")
	return h.change(c, views.SharedLicensePanel, func(v *views.SharedPaneView) {
		v.Licenses, _ = h.store.SharedMailboxLicenses(ctx)
		v.LicenseID = id
	}, func(v *views.SharedPaneView) error {
		return h.store.AssignSharedLicense(ctx, session.Admin(c), v.Mailbox.ID, id)
	}, "addr14.license.done")
}

// Delete deletes the shared mailbox and returns to the list.
func (h *SharedMailboxes) Delete(c echo.Context) error {
	return h.leave(c, views.DeleteSharedPanel, h.store.DeleteSharedMailbox, func(v *views.SharedPaneView) (string, string) {
		return "shared.toast.deleted", views.SharedListURL
	})
}

// ConvertBack converts the shared mailbox back to a user mailbox and opens the
// person's Mail tab.
func (h *SharedMailboxes) ConvertBack(c echo.Context) error {
	return h.leave(c, views.ConvertBackPanel, h.store.ConvertToRegular, func(v *views.SharedPaneView) (string, string) {
		return "convert.done_back", views.UserURL(v.Mailbox.OwnerUserID, views.TabMail)
	})
}

// leave runs a change after which the pane is gone (delete, convert back): refused,
// the panel comes back with its errors (422); done, a toast and the page to go to.
func (h *SharedMailboxes) leave(c echo.Context, panel func(views.SharedPaneView) templ.Component,
	do func(context.Context, *models.Admin, uint) error, next func(*views.SharedPaneView) (toastKey, url string)) error {
	v, err := h.paneView(c)
	if err != nil {
		return err
	}
	ctx := c.Request().Context()
	err = do(ctx, session.Admin(c), v.Mailbox.ID)
	if ve, ok := models.AsValidation(err); ok {
		v.Errors = ve.Fields
		return h.show(c, http.StatusUnprocessableEntity, v, panel(*v))
	}
	if err != nil {
		return err
	}
	key, url := next(v)
	return flashAndRedirect(c, h.sessions, i18n.T(ctx, key, "Name", v.Mailbox.DisplayName), url)
}

// ShowNew renders Add a shared mailbox; after Add (?created=id), its Next steps.
func (h *SharedMailboxes) ShowNew(c echo.Context) error {
	if !session.Admin(c).Can(models.ActionManageSharedMailboxes) {
		return echo.NewHTTPError(http.StatusForbidden)
	}
	if created := c.QueryParam("created"); created != "" {
		return h.showCreated(c, created)
	}
	v, err := h.addView(c, "", "", "", nil)
	if err != nil {
		return err
	}
	return render(c, http.StatusOK, views.AddSharedPage(*v), nil)
}

// showCreated renders the Next steps after a shared mailbox was added.
func (h *SharedMailboxes) showCreated(c echo.Context, created string) error {
	id, err := strconv.ParseUint(created, 10, 64)
	if err != nil {
		return echo.NewHTTPError(http.StatusNotFound)
	}
	mb, err := h.store.SharedMailboxRef(c.Request().Context(), uint(id))
	if err != nil {
		return err
	}
	v, err := h.addView(c, mb.DisplayName, "", "", nil)
	if err != nil {
		return err
	}
	v.CreatedID, v.Address = mb.ID, mb.Address
	return render(c, http.StatusOK, views.AddSharedPage(*v), nil)
}

func (h *SharedMailboxes) addView(c echo.Context, name, alias, domain string, errs map[string]models.FieldError) (*views.AddSharedView, error) {
	domains, domain, err := h.store.AddressDomains(c.Request().Context(), domain)
	if err != nil {
		return nil, err
	}
	return &views.AddSharedView{Name: name, Alias: alias, Domain: domain, Domains: domains, Errors: errs}, nil
}

// Create saves a new shared mailbox and offers the next steps.
func (h *SharedMailboxes) Create(c echo.Context) error {
	ctx := c.Request().Context()
	name, alias, domain := c.FormValue("name"), c.FormValue("alias"), c.FormValue("domain")
	id, err := h.store.CreateSharedMailbox(ctx, session.Admin(c), name, alias, domain)
	if ve, ok := models.AsValidation(err); ok {
		v, verr := h.addView(c, name, alias, domain, ve.Fields)
		if verr != nil {
			return verr
		}
		return render(c, http.StatusUnprocessableEntity, views.AddSharedPage(*v), nil)
	}
	if err != nil {
		return err
	}
	// Post/Redirect/Get: reloading the Next steps does not add it again.
	return c.Redirect(http.StatusSeeOther, views.NewSharedURL+"?created="+strconv.FormatUint(uint64(id), 10))
}
