package handlers

import (
	"errors"
	"net/http"
	"strconv"

	"github.com/labstack/echo/v4"

	"github.com/contoso/admincenter/models"
	"github.com/contoso/admincenter/views"
	"github.com/contoso/admincenter/views/i18n"
	"github.com/contoso/admincenter/web/session"
)

// Forwarding serves Manage email forwarding and Check delivery for one kind of pane.
type Forwarding struct {
	store    *models.Store
	sessions *session.Store
	target   MailboxTarget
}

// NewForwarding returns the forwarding panels for one kind of pane.
func NewForwarding(store *models.Store, sessions *session.Store, target MailboxTarget) *Forwarding {
	return &Forwarding{store: store, sessions: sessions, target: target}
}

func formFrom(f *models.Forwarding) views.ForwardingForm {
	return views.ForwardingForm{Enabled: f.Address != "" && f.Stopped == "", Address: f.Address, KeepCopy: f.KeepCopy, Version: f.Version}
}

// Show renders the forwarding panel with the mailbox's current settings.
func (h *Forwarding) Show(c echo.Context) error {
	pc, err := h.target.PanelContext(c)
	if err != nil {
		return err
	}
	state, err := h.store.Forwarding(c.Request().Context(), pc.Mailbox.ID)
	if err != nil {
		return err
	}
	v := views.ForwardingView{Ctx: pc, State: state, Form: formFrom(state)}
	return renderPane(c, h.target, http.StatusOK, pc.OwnerName, views.ForwardingPanel(v))
}

// Save applies the panel: forwarding on with its address and copy choice, or off.
func (h *Forwarding) Save(c echo.Context) error {
	pc, err := h.target.PanelContext(c)
	if err != nil {
		return err
	}
	ctx := c.Request().Context()
	version, _ := strconv.Atoi(c.FormValue("version"))
	form := views.ForwardingForm{
		Enabled: c.FormValue("forward") == "on", Address: c.FormValue("address"),
		KeepCopy: c.FormValue("keep_copy") == "on", Version: version,
	}
	err = h.store.SetForwarding(ctx, session.Admin(c), pc.Mailbox.ID, models.ForwardingRequest{
		Enabled: form.Enabled, Address: form.Address, KeepCopy: form.KeepCopy, Version: form.Version,
		AcceptBounce: c.FormValue("accept_bounce") == "on",
	})
	if err != nil && !errors.Is(err, models.ErrStale) {
		if _, ok := models.AsValidation(err); !ok {
			return err
		}
	}
	state, serr := h.store.Forwarding(ctx, pc.Mailbox.ID)
	if serr != nil {
		return serr
	}
	v := views.ForwardingView{Ctx: pc, State: state, Form: form}
	if errors.Is(err, models.ErrStale) {
		v.Stale = true
		return renderPane(c, h.target, http.StatusConflict, pc.OwnerName, views.ForwardingPanel(v))
	}
	if ve, ok := models.AsValidation(err); ok {
		v.Errors = ve.Fields
		v.ConfirmBounce = ve.Fields["address"].Key == "fwd.warn.external_blocked"
		return renderPane(c, h.target, http.StatusUnprocessableEntity, pc.OwnerName, views.ForwardingPanel(v))
	}
	v.Form = formFrom(state)
	toast := i18n.T(ctx, "fwd.toast.off")
	if state.Address != "" {
		toast = i18n.T(ctx, "fwd.toast.on", "Address", state.Address)
	}
	return done(c, h.sessions, toast, pc.ForwardingURL(), views.ForwardingPanel(v))
}

// DeliveryCheck renders Check delivery and, once asked, where a message goes.
func (h *Forwarding) DeliveryCheck(c echo.Context) error {
	pc, err := h.target.PanelContext(c)
	if err != nil {
		return err
	}
	v := views.DeliveryView{Ctx: pc, Address: pc.Mailbox.Address}
	status := http.StatusOK
	if addr, asked := c.QueryParams()["address"]; asked {
		v.Address = addr[0]
		trace, err := h.store.TraceDelivery(c.Request().Context(), v.Address)
		if ve, ok := models.AsValidation(err); ok {
			v.Errors, status = ve.Fields, http.StatusUnprocessableEntity
		} else if err != nil {
			return err
		} else {
			v.Trace = trace
		}
	}
	return renderPane(c, h.target, status, pc.OwnerName, views.DeliveryPanel(v))
}

// Settings serves the organization-wide mail settings.
type Settings struct {
	store    *models.Store
	sessions *session.Store
}

// NewSettings returns the settings handlers.
func NewSettings(store *models.Store, sessions *session.Store) *Settings {
	return &Settings{store: store, sessions: sessions}
}

// ShowForwardingPolicy renders Settings > Automatic forwarding.
func (h *Settings) ShowForwardingPolicy(c echo.Context) error {
	org, err := h.store.Organization(c.Request().Context())
	if err != nil {
		return err
	}
	admin := session.Admin(c)
	v := views.PolicyView{Policy: org.ExternalForwarding, CanEdit: admin.Can(models.ActionManageOrgMailPolicy), Role: admin.PrimaryRole()}
	return render(c, http.StatusOK, views.ForwardingPolicyPage(v), nil)
}

// SaveForwardingPolicy changes the automatic forwarding policy.
func (h *Settings) SaveForwardingPolicy(c echo.Context) error {
	ctx := c.Request().Context()
	admin := session.Admin(c)
	p := models.ForwardingPolicy(c.FormValue("policy"))
	err := h.store.SetForwardingPolicy(ctx, admin, p)
	if ve, ok := models.AsValidation(err); ok {
		fe := ve.Fields["policy"]
		org, oerr := h.store.Organization(ctx)
		if oerr != nil {
			return oerr
		}
		v := views.PolicyView{Policy: org.ExternalForwarding, CanEdit: true, Role: admin.PrimaryRole(), Error: &fe}
		return render(c, http.StatusUnprocessableEntity, views.ForwardingPolicyPage(v), nil)
	}
	if err != nil {
		return err
	}
	if err := h.sessions.AddFlash(c, i18n.T(ctx, "policy.saved", "Policy", i18n.T(ctx, "policy."+string(p)))); err != nil {
		return err
	}
	return c.Redirect(http.StatusSeeOther, "/settings/forwarding")
}
