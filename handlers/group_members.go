package handlers

import (
	"context"
	"net/http"

	"github.com/a-h/templ"
	"github.com/labstack/echo/v4"

	"github.com/contoso/admincenter/models"
	"github.com/contoso/admincenter/views"
	"github.com/contoso/admincenter/views/i18n"
	"github.com/contoso/admincenter/web/session"
)

// A group's owners and members: the pickers (Add owners, Add members), adding the
// ticked ones and removing one.

// memberRole is what differs between the owners and the members pickers.
type memberRole struct {
	field      string
	picker     func(views.GroupPaneView) templ.Component
	candidates func(ctx context.Context, groupID uint, search string) ([]models.Candidate, error)
	add        func(ctx context.Context, actor *models.Admin, groupID uint, ids []uint) (*models.GroupChange, error)
	remove     func(ctx context.Context, actor *models.Admin, groupID, id uint) error
	addedKey   string
	removedKey string
}

func (h *Groups) members() memberRole {
	return memberRole{field: "member", picker: views.GroupMembersPicker, candidates: h.store.GroupMemberCandidates,
		add: h.store.AddGroupMembers, remove: h.store.RemoveGroupMember,
		addedKey: "group.toast.members_added", removedKey: "group.toast.member_removed"}
}

func (h *Groups) owners() memberRole {
	return memberRole{field: "owner", picker: views.GroupOwnersPicker, candidates: h.store.GroupOwnerCandidates,
		add: h.store.AddGroupOwners, remove: h.store.RemoveGroupOwner,
		addedKey: "group.toast.owners_added", removedKey: "group.toast.owner_removed"}
}

// picker renders a picker with what the search finds.
func (h *Groups) picker(c echo.Context, r memberRole) error {
	return h.panel(c, func(v *views.GroupPaneView) error {
		v.Search = c.QueryParam("q")
		var err error
		v.Candidates, err = r.candidates(c.Request().Context(), v.Group.ID, v.Search)
		return err
	}, r.picker)
}

// MembersPicker renders Add members.
func (h *Groups) MembersPicker(c echo.Context) error { return h.picker(c, h.members()) }

// OwnersPicker renders Add owners.
func (h *Groups) OwnersPicker(c echo.Context) error { return h.picker(c, h.owners()) }

// addTicked adds the ticked recipients and shows the Members tab with a toast; a
// refused request shows the picker again with the reason (422).
func (h *Groups) addTicked(c echo.Context, r memberRole) error {
	v, err := h.paneView(c, views.TabGroupMembers)
	if err != nil {
		return err
	}
	ids, err := checkedIDs(c, r.field)
	if err != nil {
		return err
	}
	ctx := c.Request().Context()
	res, err := r.add(ctx, session.Admin(c), v.Group.ID, ids)
	if ve, ok := models.AsValidation(err); ok {
		v.Errors = ve.Fields
		if v.Candidates, err = r.candidates(ctx, v.Group.ID, ""); err != nil {
			return err
		}
		return h.show(c, http.StatusUnprocessableEntity, v, r.picker(*v))
	}
	if err != nil {
		return err
	}
	nv, err := h.paneView(c, views.TabGroupMembers)
	if err != nil {
		return err
	}
	return done(c, h.sessions, i18n.N(ctx, r.addedKey, res.Added, "Name", nv.Group.DisplayName),
		views.GroupURL(nv.Group.ID, views.TabGroupMembers), views.GroupPane(*nv))
}

// AddMembers adds the ticked members.
func (h *Groups) AddMembers(c echo.Context) error { return h.addTicked(c, h.members()) }

// AddOwners adds the ticked owners.
func (h *Groups) AddOwners(c echo.Context) error { return h.addTicked(c, h.owners()) }

// removeOne removes one owner or member and shows the Members tab.
func (h *Groups) removeOne(c echo.Context, r memberRole) error {
	id, ok := formID(c, r.field)
	if !ok {
		v, err := h.paneView(c, "")
		if err != nil {
			return err
		}
		if !v.CanManage {
			return echo.NewHTTPError(http.StatusForbidden)
		}
		return echo.NewHTTPError(http.StatusBadRequest)
	}
	name := ""
	return h.change(c, views.GroupPane, func(v *views.GroupPaneView) {
		for _, m := range append(v.Group.Owners, v.Group.Members...) {
			if m.RecipientID == id {
				name = m.DisplayName
			}
		}
	}, func(v *views.GroupPaneView) error {
		return r.remove(c.Request().Context(), session.Admin(c), v.Group.ID, id)
	}, views.TabGroupMembers, func(*views.GroupPaneView) string {
		return i18n.T(c.Request().Context(), r.removedKey, "Name", name)
	})
}

// RemoveMember takes a member out of the group.
func (h *Groups) RemoveMember(c echo.Context) error { return h.removeOne(c, h.members()) }

// RemoveOwner takes an owner away.
func (h *Groups) RemoveOwner(c echo.Context) error { return h.removeOne(c, h.owners()) }
