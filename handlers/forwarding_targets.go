package handlers

import (
	"net/http"

	"github.com/labstack/echo/v4"

	"github.com/contoso/admincenter/views"
)

// Targets answers as the forwarding address is typed: what it belongs to (a person,
// shared mailbox, group with its members, mail contact or outside address) and the
// people, groups and contacts whose names match, to pick from.
func (h *Forwarding) Targets(c echo.Context) error {
	pc, err := h.target.PanelContext(c)
	if err != nil {
		return err
	}
	ctx := c.Request().Context()
	typed := c.QueryParam("address")
	v := views.ForwardTargetView{Ctx: pc}
	if v.Target, err = h.store.ForwardTarget(ctx, typed); err != nil {
		return err
	}
	if v.Target == nil {
		if v.Suggestions, err = h.store.ForwardingCandidates(ctx, pc.Mailbox.ID, typed); err != nil {
			return err
		}
	}
	org, err := h.store.Organization(ctx)
	if err != nil {
		return err
	}
	v.Policy = org.ExternalForwarding
	return render(c, http.StatusOK, views.ForwardTargetInfo(v), views.ForwardTargetInfo(v))
}

// withTarget says in the panel what the form's address belongs to.
func (h *Forwarding) withTarget(c echo.Context, v *views.ForwardingView) error {
	var err error
	v.Target, err = h.store.ForwardTarget(c.Request().Context(), v.Form.Address)
	return err
}
