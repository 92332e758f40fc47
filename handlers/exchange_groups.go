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

// groupList reads the :list of a group's edit page route: members, owners or a
// right of Group delegation; anything else is a 404.
func groupList(c echo.Context) (string, error) {
	list := c.Param("list")
	if list == "members" || list == "owners" {
		return list, nil
	}
	if r, ok := models.ParseRight(list); ok && r != models.RightFullAccess {
		return string(r), nil
	}
	return "", echo.ErrNotFound
}

// groupView loads a group's edit page, with the picker of list open when pick is set.
func (h *Exchange) groupView(c echo.Context, pick, search string) (*views.EACGroupView, error) {
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
	v := &views.EACGroupView{Group: g, CanEdit: models.CanManageGroup(admin, g.Type), Role: admin.PrimaryRole()}
	if g.Type.MailEnabled() {
		if v.Delegates, err = h.store.GroupDelegates(ctx, id); err != nil {
			return nil, err
		}
	}
	if !v.CanEdit {
		return v, nil
	}
	v.Picking, v.Search = pick, search
	switch pick {
	case "members":
		v.Candidates, err = h.store.GroupMemberCandidates(ctx, id, search)
	case "owners":
		v.Candidates, err = h.store.GroupOwnerCandidates(ctx, id, search)
	default:
		if r, ok := models.ParseRight(pick); ok && r != models.RightFullAccess && g.Type.MailEnabled() {
			v.Picking = string(r)
			v.Candidates, err = h.store.GroupDelegateCandidates(ctx, id, r, search)
		} else {
			v.Picking = ""
		}
	}
	return v, err
}

// Group renders a group's edit page; ?pick= opens a picker.
func (h *Exchange) Group(c echo.Context) error {
	v, err := h.groupView(c, c.QueryParam("pick"), c.QueryParam("q"))
	if err != nil {
		return err
	}
	return render(c, http.StatusOK, views.EACGroupPage(*v), nil)
}

// groupChange runs one change of a group's edit page: refused, the page comes back
// with the message at the list (422); done, a toast and the page again.
func (h *Exchange) groupChange(c echo.Context, list string, do func(admin *models.Admin, groupID uint) error) error {
	id, err := idParam(c, "id")
	if err != nil {
		return err
	}
	if _, err := formParams(c); err != nil {
		return err
	}
	admin := session.Admin(c)
	err = do(admin, id)
	var fe *models.FieldError
	if ve, ok := models.AsValidation(err); ok {
		fe = ve.First()
	} else if errors.Is(err, models.ErrStale) {
		fe = &models.FieldError{Key: "group.stale"}
	} else if err != nil {
		return err
	}
	if fe != nil {
		v, verr := h.groupView(c, list, "")
		if verr != nil {
			return verr
		}
		v.Errors = map[string]models.FieldError{list: *fe}
		return render(c, http.StatusUnprocessableEntity, views.EACGroupPage(*v), nil)
	}
	ctx := c.Request().Context()
	g, err := h.store.GroupDetail(ctx, id)
	if err != nil {
		return err
	}
	return flashAndRedirect(c, h.sessions, i18n.T(ctx, "eac.group.saved", "Name", g.DisplayName), views.EACGroupURL(id))
}

// AddToGroup adds the ticked recipients to the group's members, owners or a
// right of Group delegation.
func (h *Exchange) AddToGroup(c echo.Context) error {
	list, err := groupList(c)
	if err != nil {
		return err
	}
	return h.groupChange(c, list, func(admin *models.Admin, groupID uint) error {
		ids, err := checkedIDs(c, "recipient")
		if err != nil {
			return err
		}
		ctx := c.Request().Context()
		switch list {
		case "members":
			_, err = h.store.AddGroupMembers(ctx, admin, groupID, ids)
		case "owners":
			_, err = h.store.AddGroupOwners(ctx, admin, groupID, ids)
		default:
			_, err = h.store.GrantGroupPermission(ctx, admin, groupID, models.Right(list), ids)
		}
		return err
	})
}

// RemoveFromGroup removes one recipient from the group's members, owners or a
// right of Group delegation.
func (h *Exchange) RemoveFromGroup(c echo.Context) error {
	list, err := groupList(c)
	if err != nil {
		return err
	}
	return h.groupChange(c, list, func(admin *models.Admin, groupID uint) error {
		rid, ok := formID(c, "recipient")
		if !ok {
			return models.Invalid(list, "group.error.none_selected", nil)
		}
		ctx := c.Request().Context()
		switch list {
		case "members":
			return h.store.RemoveGroupMember(ctx, admin, groupID, rid)
		case "owners":
			return h.store.RemoveGroupOwner(ctx, admin, groupID, rid)
		}
		return h.store.RemoveGroupPermission(ctx, admin, groupID, models.Right(list), rid)
	})
}

// GroupDelivery saves Delivery management: whether people outside the
// organization may send to the group.
func (h *Exchange) GroupDelivery(c echo.Context) error {
	return h.groupChange(c, "delivery", func(admin *models.Admin, groupID uint) error {
		ctx := c.Request().Context()
		g, err := h.store.GroupDetail(ctx, groupID)
		if err != nil {
			return err
		}
		return h.store.SetGroupSettings(ctx, admin, groupID, models.GroupSettings{
			AllowExternalSenders: c.FormValue("outside") == "on", HiddenFromGAL: g.HiddenFromGAL, Version: formVersion(c)})
	})
}
