package handlers

import (
	"net/http"
	"net/url"

	"github.com/labstack/echo/v4"

	"github.com/contoso/admincenter/models"
	"github.com/contoso/admincenter/views"
	"github.com/contoso/admincenter/views/i18n"
	"github.com/contoso/admincenter/web/htmx"
	"github.com/contoso/admincenter/web/session"
)

// eacSharedRights are what the EAC's Mailbox delegation offers on a shared
// mailbox: Send on Behalf is given with Set-Mailbox there. A person's mailbox
// offers all three.
var eacSharedRights = []models.Right{models.RightFullAccess, models.RightSendAs}

// mailboxView loads a mailbox's edit page on a section, with the delegation lists
// as the form (with the button op pressed) left them.
func (h *Exchange) mailboxView(c echo.Context, section string, form url.Values, op string) (*views.EACMailboxView, error) {
	id, err := idParam(c, "id")
	if err != nil {
		return nil, err
	}
	ctx := c.Request().Context()
	d, err := h.store.RecipientMailboxDetail(ctx, id)
	if err != nil {
		return nil, err
	}
	admin := session.Admin(c)
	v := &views.EACMailboxView{Mailbox: d.MailboxRef, Alias: d.Alias, Section: section,
		CanEdit: admin.Can(models.ActionManagePermissions), Role: admin.PrimaryRole(), M365URL: views.SharedURL(id)}
	if d.Type == models.MailboxUser && d.UserID != 0 {
		v.M365URL = views.UserURL(d.UserID, views.TabMail)
	}
	if section != views.EACSectionDelegation {
		return v, h.loadIdentity(c, v)
	}
	acc, err := h.store.MailboxAccess(ctx, id)
	if err != nil {
		return nil, err
	}
	rights := models.Rights
	if v.IsShared() {
		rights = eacSharedRights
		v.OnBehalf = directHolders(acc, models.RightSendOnBehalf)
	}
	for _, r := range rights {
		st := readStaged(form, string(r), op)
		added, err := h.store.Candidates(ctx, st.add)
		if err != nil {
			return nil, err
		}
		var cands []models.Candidate
		if st.picking {
			if cands, err = h.store.TrusteeCandidates(ctx, id, r, st.search); err != nil {
				return nil, err
			}
		}
		v.Lists = append(v.Lists, st.list(views.EACRightLabelKey(r), views.EACRightHelpKey(r), directHolders(acc, r), added, cands))
	}
	return v, nil
}

// directHolders are who was given a right on the mailbox themselves and still holds it.
func directHolders(acc *models.MailboxAccess, r models.Right) []models.Candidate {
	var out []models.Candidate
	for _, h := range acc.Direct(r) {
		if h.RevokeEffectiveAt == nil {
			out = append(out, models.Candidate{RecipientID: h.RecipientID, DisplayName: h.DisplayName, Address: h.Address, Kind: h.Kind, GroupType: h.GroupType})
		}
	}
	return out
}

// Mailbox renders a mailbox's edit page on the section the query names.
func (h *Exchange) Mailbox(c echo.Context) error {
	section := c.QueryParam("section")
	if section != views.EACSectionAddresses && section != views.EACSectionDelegation {
		section = views.EACSectionGeneral
	}
	v, err := h.mailboxView(c, section, nil, "")
	if err != nil {
		return err
	}
	return render(c, http.StatusOK, views.EACMailboxPage(*v), nil)
}

// Delegation is every button of Mailbox delegation: Add and Remove change the
// staged lists; Save applies them in one models call.
func (h *Exchange) Delegation(c echo.Context) error {
	admin := session.Admin(c)
	if !admin.Can(models.ActionManagePermissions) {
		return models.ErrForbidden
	}
	form, err := formParams(c)
	if err != nil {
		return err
	}
	op := form.Get("op")
	v, err := h.mailboxView(c, views.EACSectionDelegation, form, op)
	if err != nil {
		return err
	}
	if op != "save" {
		return render(c, http.StatusOK, views.EACMailboxPage(*v), views.EACDelegationForm(*v))
	}
	change := models.DelegationChange{Add: map[models.Right][]uint{}, Remove: map[models.Right][]uint{}}
	for _, l := range v.Lists {
		r := models.Right(l.Key)
		change.Add[r], change.Remove[r] = l.Add, l.Remove
	}
	ctx := c.Request().Context()
	_, err = h.store.ApplyMailboxDelegation(ctx, admin, v.Mailbox.ID, change)
	if ve, ok := models.AsValidation(err); ok {
		v.Error = *ve.First()
		return render(c, http.StatusUnprocessableEntity, views.EACMailboxPage(*v), views.EACDelegationForm(*v))
	}
	if err != nil {
		return err
	}
	toast := i18n.T(ctx, "eac.deleg.saved", "Name", v.Mailbox.DisplayName)
	next := views.EACMailboxURL(v.Mailbox.ID, views.EACSectionDelegation)
	if htmx.IsPartial(c.Request()) {
		nv, err := h.mailboxView(c, views.EACSectionDelegation, nil, "")
		if err != nil {
			return err
		}
		htmx.Toast(c.Response().Header(), toast)
		return render(c, http.StatusOK, views.EACDelegationForm(*nv), nil)
	}
	return flashAndRedirect(c, h.sessions, toast, next)
}

// newSharedView is Add a shared mailbox as the form (with the button op pressed)
// left it.
func (h *Exchange) newSharedView(c echo.Context, form url.Values, op string) (*views.EACNewSharedView, error) {
	ctx := c.Request().Context()
	domains, domain, err := h.store.AddressDomains(ctx, form.Get("domain"))
	if err != nil {
		return nil, err
	}
	admin := session.Admin(c)
	v := &views.EACNewSharedView{Name: form.Get("name"), Alias: form.Get("alias"), Domain: domain, Domains: domains,
		CanEdit: admin.Can(models.ActionManageSharedMailboxes) && admin.Can(models.ActionManagePermissions), Role: admin.PrimaryRole()}
	st := readStaged(form, "grant", op)
	added, err := h.store.Candidates(ctx, st.add)
	if err != nil {
		return nil, err
	}
	var cands []models.Candidate
	if st.picking {
		if cands, err = h.store.PeopleCandidates(ctx, st.search, st.add); err != nil {
			return nil, err
		}
	}
	v.Grant = st.list("eac.new.grant", "eac.new.grant_help", nil, added, cands)
	return v, nil
}

// NewShared renders Add a shared mailbox.
func (h *Exchange) NewShared(c echo.Context) error {
	admin := session.Admin(c)
	if !admin.Can(models.ActionManageSharedMailboxes) || !admin.Can(models.ActionManagePermissions) {
		return models.ErrForbidden
	}
	v, err := h.newSharedView(c, url.Values{}, "")
	if err != nil {
		return err
	}
	return render(c, http.StatusOK, views.EACNewSharedPage(*v), nil)
}

// CreateShared is every button of Add a shared mailbox: Add and Remove change the
// people to grant; Save creates the mailbox with their rights in one models call.
func (h *Exchange) CreateShared(c echo.Context) error {
	admin := session.Admin(c)
	if !admin.Can(models.ActionManageSharedMailboxes) || !admin.Can(models.ActionManagePermissions) {
		return models.ErrForbidden
	}
	form, err := formParams(c)
	if err != nil {
		return err
	}
	op := form.Get("op")
	v, err := h.newSharedView(c, form, op)
	if err != nil {
		return err
	}
	if op != "save" {
		return render(c, http.StatusOK, views.EACNewSharedPage(*v), views.EACNewSharedForm(*v))
	}
	ctx := c.Request().Context()
	id, err := h.store.CreateSharedMailboxWithDelegates(ctx, admin, v.Name, v.Alias, v.Domain, v.Grant.Add)
	if ve, ok := models.AsValidation(err); ok {
		v.Errors = ve.Fields
		v.Grant.Error = ve.Fields["trustee"]
		return render(c, http.StatusUnprocessableEntity, views.EACNewSharedPage(*v), views.EACNewSharedForm(*v))
	}
	if err != nil {
		return err
	}
	mb, err := h.store.Mailbox(ctx, id)
	if err != nil {
		return err
	}
	toast := i18n.T(ctx, "eac.new.created", "Name", mb.DisplayName, "Address", mb.Address)
	return flashAndRedirect(c, h.sessions, toast, views.EACSharedURL)
}
