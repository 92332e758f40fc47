package handlers

import (
	"errors"
	"net/http"
	"net/url"

	"github.com/labstack/echo/v4"

	"github.com/contoso/admincenter/models"
	"github.com/contoso/admincenter/views"
	"github.com/contoso/admincenter/views/i18n"
	"github.com/contoso/admincenter/web/htmx"
	"github.com/contoso/admincenter/web/session"
)

// groupListKeys are a list's label and explanation on a group's edit page.
func groupListKeys(list string) (string, string) {
	switch list {
	case "members":
		return "eac.gstage.members", "eac.gstage.members_help"
	case "owners":
		return "eac.gstage.owners", "eac.gstage.owners_help"
	}
	if list == string(models.RightSendOnBehalf) {
		return views.EACRightLabelKey(models.RightSendOnBehalf), "eac.gstage.send_on_behalf_help"
	}
	return views.EACRightLabelKey(models.Right(list)), "eac.gstage.send_as_help"
}

// groupView loads a group's edit page with its lists (members, owners, and Group
// delegation's rights for a mail-enabled group) as the form (with the button op
// pressed) left them.
func (h *Exchange) groupView(c echo.Context, form url.Values, op string) (*views.EACGroupView, error) {
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
	for _, list := range models.GroupStagedLists {
		current := g.Members
		switch list {
		case "members":
		case "owners":
			current = g.Owners
		default:
			if !g.Type.MailEnabled() {
				continue
			}
			current = v.Delegates[models.Right(list)]
		}
		st := readStaged(form, list, op)
		added, err := h.store.Candidates(ctx, st.add)
		if err != nil {
			return nil, err
		}
		var cands []models.Candidate
		if st.picking && v.CanEdit {
			switch list {
			case "members":
				cands, err = h.store.GroupMemberCandidates(ctx, id, st.search)
			case "owners":
				cands, err = h.store.GroupOwnerCandidates(ctx, id, st.search)
			default:
				cands, err = h.store.GroupDelegateCandidates(ctx, id, models.Right(list), st.search)
			}
			if err != nil {
				return nil, err
			}
		}
		label, help := groupListKeys(list)
		v.Lists = append(v.Lists, st.list(label, help, current, added, cands))
	}
	return v, nil
}

// Group renders a group's edit page.
func (h *Exchange) Group(c echo.Context) error {
	v, err := h.groupView(c, nil, "")
	if err != nil {
		return err
	}
	return render(c, http.StatusOK, views.EACGroupPage(*v), nil)
}

// GroupChanges is every button of a group's Membership, Ownership and Group
// delegation: Add and Remove change the staged lists; Save applies them all in
// one models call, all or nothing.
func (h *Exchange) GroupChanges(c echo.Context) error {
	form, err := formParams(c)
	if err != nil {
		return err
	}
	op := form.Get("op")
	v, err := h.groupView(c, form, op)
	if err != nil {
		return err
	}
	if !v.CanEdit {
		return models.ErrForbidden
	}
	if op != "save" {
		return render(c, http.StatusOK, views.EACGroupPage(*v), views.EACGroupChangesForm(*v))
	}
	change := models.GroupStagedChange{Add: map[string][]uint{}, Remove: map[string][]uint{}}
	for _, l := range v.Lists {
		change.Add[l.Key], change.Remove[l.Key] = l.Add, l.Remove
	}
	ctx := c.Request().Context()
	_, err = h.store.ApplyGroupChanges(ctx, session.Admin(c), v.Group.ID, change)
	if ve, ok := models.AsValidation(err); ok {
		for i := range v.Lists {
			if fe, ok := ve.Fields[v.Lists[i].Key]; ok {
				v.Lists[i].Error = fe
			}
		}
		if fe, ok := ve.Fields[""]; ok {
			v.Error = fe
		}
		return render(c, http.StatusUnprocessableEntity, views.EACGroupPage(*v), views.EACGroupChangesForm(*v))
	}
	if err != nil {
		return err
	}
	toast := i18n.T(ctx, "eac.group.saved", "Name", v.Group.DisplayName)
	if htmx.IsPartial(c.Request()) {
		nv, err := h.groupView(c, nil, "")
		if err != nil {
			return err
		}
		htmx.Toast(c.Response().Header(), toast)
		return render(c, http.StatusOK, views.EACGroupChangesForm(*nv), nil)
	}
	return flashAndRedirect(c, h.sessions, toast, views.EACGroupURL(v.Group.ID))
}

// GroupDelivery saves Delivery management: whether people outside the
// organization may send to the group.
func (h *Exchange) GroupDelivery(c echo.Context) error {
	id, err := idParam(c, "id")
	if err != nil {
		return err
	}
	if _, err := formParams(c); err != nil {
		return err
	}
	ctx := c.Request().Context()
	g, err := h.store.GroupDetail(ctx, id)
	if err != nil {
		return err
	}
	err = h.store.SetGroupSettings(ctx, session.Admin(c), id, models.GroupSettings{
		AllowExternalSenders: c.FormValue("outside") == "on", HiddenFromGAL: g.HiddenFromGAL, Version: formVersion(c)})
	var fe *models.FieldError
	if ve, ok := models.AsValidation(err); ok {
		fe = ve.First()
	} else if errors.Is(err, models.ErrStale) {
		fe = &models.FieldError{Key: "group.stale"}
	} else if err != nil {
		return err
	}
	if fe != nil {
		v, verr := h.groupView(c, nil, "")
		if verr != nil {
			return verr
		}
		v.Errors = map[string]models.FieldError{"delivery": *fe}
		return render(c, http.StatusUnprocessableEntity, views.EACGroupPage(*v), nil)
	}
	return flashAndRedirect(c, h.sessions, i18n.T(ctx, "eac.group.saved", "Name", g.DisplayName), views.EACGroupURL(id))
}
