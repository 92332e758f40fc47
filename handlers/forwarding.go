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
	return views.ForwardingForm{Enabled: f.Active(), Address: f.Address, KeepCopy: f.KeepCopy, Version: f.Version}
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
	if err := h.withTarget(c, &v); err != nil {
		return err
	}
	return renderPane(c, h.target, http.StatusOK, pc.OwnerName, views.ForwardingPanel(v))
}

// Save applies the panel: forwarding on with its address and copy choice, or off.
func (h *Forwarding) Save(c echo.Context) error {
	pc, err := h.target.PanelContext(c)
	if err != nil {
		return err
	}
	ctx := c.Request().Context()
	form := views.ForwardingForm{
		Enabled: formChecked(c, "forward"), Address: c.FormValue("address"),
		KeepCopy: formChecked(c, "keep_copy"), Version: formVersion(c),
	}
	err = h.store.SetForwarding(ctx, session.Admin(c), pc.Mailbox.ID, models.ForwardingRequest{
		Enabled: form.Enabled, Address: form.Address, KeepCopy: form.KeepCopy, Version: form.Version,
	})
	ve, invalid := models.AsValidation(err)
	if err != nil && !errors.Is(err, models.ErrStale) && !invalid {
		return err
	}
	state, serr := h.store.Forwarding(ctx, pc.Mailbox.ID)
	if serr != nil {
		return serr
	}
	v := views.ForwardingView{Ctx: pc, State: state, Form: form}
	if err := h.withTarget(c, &v); err != nil {
		return err
	}
	switch {
	case errors.Is(err, models.ErrStale):
		v.Stale = true
		return renderPane(c, h.target, http.StatusConflict, pc.OwnerName, views.ForwardingPanel(v))
	case invalid:
		v.Errors = ve.Fields
		return renderPane(c, h.target, http.StatusUnprocessableEntity, pc.OwnerName, views.ForwardingPanel(v))
	}
	v.Form = formFrom(state)
	if err := h.withTarget(c, &v); err != nil {
		return err
	}
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
