package handlers

import (
	"net/http"

	"github.com/labstack/echo/v4"

	"github.com/contoso/admincenter/models"
	"github.com/contoso/admincenter/views"
	"github.com/contoso/admincenter/views/i18n"
	"github.com/contoso/admincenter/web/session"
)

// MembersPicker renders Add members.
func (h *SharedMailboxes) MembersPicker(c echo.Context) error {
	v, err := h.paneView(c)
	if err != nil {
		return err
	}
	if !v.CanManage {
		return echo.NewHTTPError(http.StatusForbidden)
	}
	if err := h.loadCandidates(c, v); err != nil {
		return err
	}
	return h.show(c, http.StatusOK, v, views.MembersPicker(*v))
}

// loadCandidates fills the members picker: the people who may become members.
func (h *SharedMailboxes) loadCandidates(c echo.Context, v *views.SharedPaneView) error {
	v.Search = c.QueryParam("q")
	var err error
	v.Candidates, err = h.store.MemberCandidates(c.Request().Context(), v.Mailbox.ID, v.Search)
	return err
}

// AddMembers adds the checked people and shows Members again.
func (h *SharedMailboxes) AddMembers(c echo.Context) error {
	v, err := h.paneView(c)
	if err != nil {
		return err
	}
	ids, err := checkedIDs(c, "trustee")
	if err != nil {
		return err
	}
	ctx := c.Request().Context()
	n, err := h.store.AddMembers(ctx, session.Admin(c), v.Mailbox.ID, ids)
	if ve, ok := models.AsValidation(err); ok {
		v.Errors = ve.Fields
		if err := h.loadCandidates(c, v); err != nil {
			return err
		}
		return h.show(c, http.StatusUnprocessableEntity, v, views.MembersPicker(*v))
	}
	if err != nil {
		return err
	}
	nv, err := h.paneView(c)
	if err != nil {
		return err
	}
	return done(c, h.sessions, i18n.N(ctx, "members.added", n, "Name", nv.Mailbox.DisplayName), nv.Ctx.PanelURL(views.PanelMembers), views.MembersPanel(*nv))
}

// RemoveMember takes a person's membership away.
func (h *SharedMailboxes) RemoveMember(c echo.Context) error {
	v, err := h.paneView(c)
	if err != nil {
		return err
	}
	ctx := c.Request().Context()
	member, ok := formID(c, "member")
	if !ok {
		return echo.NewHTTPError(http.StatusBadRequest)
	}
	name := ""
	for _, m := range v.Mailbox.Members {
		if m.RecipientID == member {
			name = m.DisplayName
		}
	}
	if err := h.store.RemoveMember(ctx, session.Admin(c), v.Mailbox.ID, member); err != nil {
		return err
	}
	nv, err := h.paneView(c)
	if err != nil {
		return err
	}
	return done(c, h.sessions, i18n.T(ctx, "members.removed", "Name", name), nv.Ctx.PanelURL(views.PanelMembers), views.MembersPanel(*nv))
}
