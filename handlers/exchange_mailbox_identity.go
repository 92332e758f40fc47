package handlers

import (
	"errors"
	"net/http"
	"net/url"
	"slices"
	"strings"

	"github.com/labstack/echo/v4"

	"github.com/contoso/admincenter/models"
	"github.com/contoso/admincenter/views"
	"github.com/contoso/admincenter/views/i18n"
	"github.com/contoso/admincenter/web/htmx"
	"github.com/contoso/admincenter/web/session"
)

// A mailbox's General and Email address sections in the Exchange admin center.
// General saves the names at once; Email address stages its list in the form
// (addr, primary) the way Mailbox delegation does, and Save applies it.

// loadIdentity fills the General or Email address section of a mailbox's edit page.
func (h *Exchange) loadIdentity(c echo.Context, v *views.EACMailboxView) error {
	ctx := c.Request().Context()
	v.CanEditIdentity = models.CanEditMailboxIdentity(session.Admin(c), v.Mailbox.Type)
	if v.Section == views.EACSectionAddresses {
		cur, err := h.store.MailboxAddressesOf(ctx, v.Mailbox.ID)
		if err != nil {
			return err
		}
		v.Addresses = views.EACAddressesView{Primary: cur.Primary}
		for _, a := range cur.Addresses {
			v.Addresses.List = append(v.Addresses.List, views.EACAddress{Address: a, Primary: a == cur.Primary})
		}
		v.Addresses.Domains, v.Addresses.Domain, err = h.store.AddressDomains(ctx, "")
		return err
	}
	g, err := h.store.MailboxGeneralOf(ctx, v.Mailbox.ID)
	if err != nil {
		return err
	}
	v.General = *g
	return nil
}

// identityView loads a mailbox's edit page on a section, refusing (403) an admin
// who may not change the mailbox's name and addresses.
func (h *Exchange) identityView(c echo.Context, section string) (*views.EACMailboxView, error) {
	v, err := h.mailboxView(c, section, nil, "")
	if err != nil {
		return nil, err
	}
	if !v.CanEditIdentity {
		return nil, models.ErrForbidden
	}
	return v, nil
}

// SaveGeneral saves a mailbox's General section.
func (h *Exchange) SaveGeneral(c echo.Context) error {
	if _, err := formParams(c); err != nil {
		return err
	}
	v, err := h.identityView(c, views.EACSectionGeneral)
	if err != nil {
		return err
	}
	ctx := c.Request().Context()
	g := models.MailboxGeneral{DisplayName: c.FormValue("display_name"), FirstName: c.FormValue("first_name"), LastName: c.FormValue("last_name"),
		JobTitle: c.FormValue("job_title"), Department: c.FormValue("department"), Person: v.General.Person, Version: formVersion(c)}
	err = h.store.UpdateMailboxGeneral(ctx, session.Admin(c), v.Mailbox.ID, g)
	if errors.Is(err, models.ErrStale) {
		v.General, v.Stale = g, true
		return render(c, http.StatusConflict, views.EACMailboxPage(*v), views.EACGeneralForm(*v))
	}
	if ve, ok := models.AsValidation(err); ok {
		v.General, v.Errors = g, ve.Fields
		return render(c, http.StatusUnprocessableEntity, views.EACMailboxPage(*v), views.EACGeneralForm(*v))
	}
	if err != nil {
		return err
	}
	return h.identitySaved(c, views.EACSectionGeneral, i18n.T(ctx, "eac.gen.saved", "Name", strings.TrimSpace(g.DisplayName)))
}

// identitySaved answers a saved section: the Email address form again with a toast
// for htmx, otherwise a redirect to the section with the toast as a flash (General
// is a plain form: the page's heading names the mailbox, so all of it is new).
func (h *Exchange) identitySaved(c echo.Context, section, toast string) error {
	v, err := h.mailboxView(c, section, nil, "")
	if err != nil {
		return err
	}
	if section != views.EACSectionAddresses || !htmx.IsPartial(c.Request()) {
		return flashAndRedirect(c, h.sessions, toast, views.EACMailboxURL(v.Mailbox.ID, section))
	}
	htmx.Toast(c.Response().Header(), toast)
	return render(c, http.StatusOK, views.EACAddressesForm(*v), nil)
}

// stagedAddresses reads the Email address list as the form left it and applies
// the button pressed: add (the alias and domain, checked for a conflict),
// primary:<address>, remove:<address>. It returns the field errors of the button.
func (h *Exchange) stagedAddresses(c echo.Context, v *views.EACMailboxView, form url.Values, op string) (map[string]models.FieldError, error) {
	saved := v.Addresses
	a := &v.Addresses
	if list := form["addr"]; len(list) > 0 {
		a.List, a.Primary = nil, form.Get("primary")
		for _, addr := range list {
			if addr = strings.TrimSpace(addr); addr != "" && !slices.ContainsFunc(a.List, sameAddress(addr)) {
				a.List = append(a.List, views.EACAddress{Address: addr})
			}
		}
	}
	a.Alias, a.Domain = strings.TrimSpace(form.Get("alias")), form.Get("domain")
	if a.Domain == "" {
		a.Domain = saved.Domain
	}
	errs := map[string]models.FieldError{}
	verb, target, _ := strings.Cut(op, ":")
	switch verb {
	case "add":
		addr, fe, err := h.store.CheckNewMailboxAddress(c.Request().Context(), v.Mailbox.ID, a.Alias, a.Domain)
		if err != nil {
			return nil, err
		}
		switch {
		case fe != nil:
			errs["alias"] = *fe
		case slices.ContainsFunc(a.List, sameAddress(addr)):
			errs["alias"] = models.FieldError{Key: "eac.addr.error.listed", Args: map[string]any{"Address": addr}}
		default:
			a.List, a.Alias = append(a.List, views.EACAddress{Address: addr}), ""
		}
	case "primary":
		if slices.ContainsFunc(a.List, sameAddress(target)) {
			a.Primary = target
		}
	case "remove":
		if strings.EqualFold(target, a.Primary) {
			errs["list"] = models.FieldError{Key: "addr.error.remove_primary"}
		} else {
			a.List = slices.DeleteFunc(a.List, func(e views.EACAddress) bool { return strings.EqualFold(e.Address, target) })
		}
	}
	for i := range a.List {
		a.List[i].Primary = strings.EqualFold(a.List[i].Address, a.Primary)
		a.List[i].New = !slices.ContainsFunc(saved.List, func(e views.EACAddress) bool { return strings.EqualFold(e.Address, a.List[i].Address) })
	}
	a.Changed = !strings.EqualFold(a.Primary, saved.Primary) || len(a.List) != len(saved.List) ||
		slices.ContainsFunc(a.List, func(e views.EACAddress) bool { return e.New })
	return errs, nil
}

func sameAddress(addr string) func(views.EACAddress) bool {
	return func(e views.EACAddress) bool { return strings.EqualFold(e.Address, addr) }
}

// Addresses is every button of the Email address section: Add, Set as primary and
// Remove change the list on screen; Save applies it in one models call.
func (h *Exchange) Addresses(c echo.Context) error {
	form, err := formParams(c)
	if err != nil {
		return err
	}
	v, err := h.identityView(c, views.EACSectionAddresses)
	if err != nil {
		return err
	}
	op := form.Get("op")
	errs, err := h.stagedAddresses(c, v, form, op)
	if err != nil {
		return err
	}
	if len(errs) > 0 {
		v.Errors = errs
		return render(c, http.StatusUnprocessableEntity, views.EACMailboxPage(*v), views.EACAddressesForm(*v))
	}
	if op != "save" {
		return render(c, http.StatusOK, views.EACMailboxPage(*v), views.EACAddressesForm(*v))
	}
	want := models.MailboxAddresses{Primary: v.Addresses.Primary}
	for _, a := range v.Addresses.List {
		want.Addresses = append(want.Addresses, a.Address)
	}
	ctx := c.Request().Context()
	if _, err = h.store.SetMailboxAddresses(ctx, session.Admin(c), v.Mailbox.ID, want); err != nil {
		ve, ok := models.AsValidation(err)
		if !ok {
			return err
		}
		v.Errors = map[string]models.FieldError{"list": *ve.First()}
		return render(c, http.StatusUnprocessableEntity, views.EACMailboxPage(*v), views.EACAddressesForm(*v))
	}
	return h.identitySaved(c, views.EACSectionAddresses, i18n.T(ctx, "eac.addr.saved", "Name", v.Mailbox.DisplayName))
}
