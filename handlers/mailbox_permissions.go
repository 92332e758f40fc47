package handlers

import (
	"errors"
	"net/http"
	"slices"
	"strings"

	"github.com/a-h/templ"
	"github.com/labstack/echo/v4"

	"github.com/contoso/admincenter/models"
	"github.com/contoso/admincenter/views"
	"github.com/contoso/admincenter/views/i18n"
	"github.com/contoso/admincenter/web/htmx"
	"github.com/contoso/admincenter/web/session"
)

// MailboxPermissions serves Manage mailbox permissions, each right's panel, the
// people picker and Check sending.
type MailboxPermissions struct {
	store    *models.Store
	sessions *session.Store
	target   MailboxTarget
}

// NewMailboxPermissions returns the permission panels for one kind of pane.
func NewMailboxPermissions(store *models.Store, sessions *session.Store, target MailboxTarget) *MailboxPermissions {
	return &MailboxPermissions{store: store, sessions: sessions, target: target}
}

// rightContext resolves the mailbox and the right (from the address) a right's
// panel acts on; an unknown right is a 404.
func (h *MailboxPermissions) rightContext(c echo.Context) (views.MailboxPanelContext, models.Right, error) {
	pc, err := h.target.PanelContext(c)
	if err != nil {
		return pc, "", err
	}
	r, ok := models.ParseRight(c.Param("right"))
	if !ok {
		return pc, "", echo.ErrNotFound
	}
	return pc, r, nil
}

func rightName(c echo.Context, r models.Right) string {
	return i18n.T(c.Request().Context(), "right."+string(r))
}

// trusteeParam reads the one trustee a form acts on; a form without one is a 400.
func trusteeParam(c echo.Context) (uint, error) {
	id, ok := formID(c, "trustee")
	if !ok {
		return 0, echo.NewHTTPError(http.StatusBadRequest)
	}
	return id, nil
}

// Show renders Manage mailbox permissions.
func (h *MailboxPermissions) Show(c echo.Context) error {
	pc, err := h.target.PanelContext(c)
	if err != nil {
		return err
	}
	pane, err := h.permissionsPanel(c, pc)
	if err != nil {
		return err
	}
	return renderPane(c, h.target, http.StatusOK, pc.OwnerName, pane)
}

func (h *MailboxPermissions) permissionsPanel(c echo.Context, pc views.MailboxPanelContext) (templ.Component, error) {
	acc, err := h.store.MailboxAccessOf(c.Request().Context(), pc.Mailbox)
	if err != nil {
		return nil, err
	}
	return views.PermissionsPanel(views.PermissionsView{Ctx: pc, Access: acc}), nil
}

func (h *MailboxPermissions) rightPanel(c echo.Context, pc views.MailboxPanelContext, r models.Right, staged []models.Candidate, automap bool, fe *models.FieldError) (templ.Component, error) {
	acc, err := h.store.MailboxAccessOf(c.Request().Context(), pc.Mailbox)
	if err != nil {
		return nil, err
	}
	return views.RightPanel(views.RightPanelView{Ctx: pc, Right: r, Access: acc, Staged: staged, AutoMapping: automap, Error: fe}), nil
}

// automapChoice reads the automapping checkbox; it is on unless the form says off.
func automapChoice(values []string) bool {
	return len(values) == 0 || slices.Contains(values, "true")
}

// ShowRight renders one right's panel. People chosen in the picker arrive as
// trustee parameters and wait there for Save; nothing is saved by this request.
func (h *MailboxPermissions) ShowRight(c echo.Context) error {
	pc, r, err := h.rightContext(c)
	if err != nil {
		return err
	}
	ctx := c.Request().Context()
	q := c.QueryParams()
	ids := formIDs(q["trustee"])
	automap := automapChoice(q["automapping"])
	// A full address typed into the picker's search counts as a choice.
	if typed := strings.TrimSpace(q.Get("q")); len(ids) == 0 && strings.Contains(typed, "@") {
		id, err := h.store.RecipientByAddress(ctx, typed)
		if errors.Is(err, models.ErrNotFound) {
			return h.picker(c, pc, r, typed, nil, automap, &models.FieldError{Key: "perm.error.outside"}, http.StatusUnprocessableEntity)
		}
		if err != nil {
			return err
		}
		ids = []uint{id}
	}
	// Add in the picker with nothing ticked says so, in the picker.
	if len(ids) == 0 && q.Get("picked") != "" {
		return h.picker(c, pc, r, q.Get("q"), nil, automap, &models.FieldError{Key: "perm.error.none_selected"}, http.StatusUnprocessableEntity)
	}
	staged, err := h.store.Candidates(ctx, ids)
	if err != nil {
		return err
	}
	if len(staged) > 0 && !pc.CanEdit {
		return echo.NewHTTPError(http.StatusForbidden)
	}
	pane, err := h.rightPanel(c, pc, r, staged, automap, nil)
	if err != nil {
		return err
	}
	return renderPane(c, h.target, http.StatusOK, pc.OwnerName, pane)
}

// Picker renders Add permissions: a search box and checkboxes of the people and
// groups who may get the right. A search swaps only the results.
func (h *MailboxPermissions) Picker(c echo.Context) error {
	pc, r, err := h.rightContext(c)
	if err != nil {
		return err
	}
	if !pc.CanEdit {
		return echo.NewHTTPError(http.StatusForbidden)
	}
	q := c.QueryParams()
	return h.picker(c, pc, r, q.Get("q"), formIDs(q["trustee"]), automapChoice(q["automapping"]), nil, http.StatusOK)
}

func (h *MailboxPermissions) picker(c echo.Context, pc views.MailboxPanelContext, r models.Right, search string, selected []uint, automap bool, fe *models.FieldError, status int) error {
	ctx := c.Request().Context()
	cands, err := h.store.TrusteeCandidates(ctx, pc.Mailbox.ID, r, search)
	if err != nil {
		return err
	}
	sel, err := h.store.Candidates(ctx, selected)
	if err != nil {
		return err
	}
	v := views.PickerView{Ctx: pc, Right: r, Search: search, Candidates: cands, Selected: sel, AutoMapping: automap, Error: fe}
	if term := strings.TrimSpace(search); fe == nil && strings.Contains(term, "@") && len(cands) == 0 {
		if _, err := h.store.RecipientByAddress(ctx, term); errors.Is(err, models.ErrNotFound) {
			v.Outside = true
		}
	}
	if htmx.IsPartial(c.Request()) && htmx.Target(c.Request()) == "picker-results" {
		return render(c, status, views.PickerResults(v), views.PickerResults(v))
	}
	return renderPane(c, h.target, status, pc.OwnerName, views.PickerPanel(v))
}

// Grant saves the chosen people's right and returns to Manage mailbox permissions.
func (h *MailboxPermissions) Grant(c echo.Context) error {
	pc, r, err := h.rightContext(c)
	if err != nil {
		return err
	}
	ids, err := checkedIDs(c, "trustee")
	if err != nil {
		return err
	}
	ctx := c.Request().Context()
	automap := automapChoice(c.Request().Form["automapping"])
	granted, err := h.store.GrantPermissions(ctx, session.Admin(c), models.GrantRequest{MailboxID: pc.Mailbox.ID, Right: r, TrusteeIDs: ids, AutoMapping: automap})
	if ve, ok := models.AsValidation(err); ok {
		staged, cerr := h.store.Candidates(ctx, ids)
		if cerr != nil {
			return cerr
		}
		pane, perr := h.rightPanel(c, pc, r, staged, automap, ve.First())
		if perr != nil {
			return perr
		}
		return renderPane(c, h.target, http.StatusUnprocessableEntity, pc.OwnerName, pane)
	}
	if err != nil {
		return err
	}
	list := make([]string, len(granted.Trustees))
	for i, t := range granted.Trustees {
		list[i] = t.DisplayName
	}
	pane, err := h.permissionsPanel(c, pc)
	if err != nil {
		return err
	}
	toast := i18n.T(ctx, "perm.toast.added", "Right", rightName(c, r), "Names", strings.Join(list, ", "))
	return done(c, h.sessions, toast, pc.PermissionsURL(), pane)
}

// Remove takes a right away from one holder and shows the right's panel again.
func (h *MailboxPermissions) Remove(c echo.Context) error {
	pc, r, err := h.rightContext(c)
	if err != nil {
		return err
	}
	ctx := c.Request().Context()
	trustee, err := trusteeParam(c)
	if err != nil {
		return err
	}
	if err := h.store.RemovePermission(ctx, session.Admin(c), pc.Mailbox.ID, r, trustee); err != nil {
		return err
	}
	who, err := h.store.Candidates(ctx, []uint{trustee})
	if err != nil {
		return err
	}
	name := ""
	if len(who) > 0 {
		name = who[0].DisplayName
	}
	pane, err := h.rightPanel(c, pc, r, nil, true, nil)
	if err != nil {
		return err
	}
	return done(c, h.sessions, i18n.T(ctx, "perm.toast.removed", "Name", name, "Right", rightName(c, r)), pc.RightURL(r), pane)
}

// SetAutoMapping turns automapping of one Read and manage holder on or off.
func (h *MailboxPermissions) SetAutoMapping(c echo.Context) error {
	pc, err := h.target.PanelContext(c)
	if err != nil {
		return err
	}
	ctx := c.Request().Context()
	trustee, err := trusteeParam(c)
	if err != nil {
		return err
	}
	on := c.FormValue("on") == "true"
	err = h.store.SetAutoMapping(ctx, session.Admin(c), pc.Mailbox.ID, trustee, on)
	if ve, ok := models.AsValidation(err); ok {
		// The panel again, with the reason, where the person is looking.
		pane, perr := h.rightPanel(c, pc, models.RightFullAccess, nil, true, ve.First())
		if perr != nil {
			return perr
		}
		return renderPane(c, h.target, http.StatusUnprocessableEntity, pc.OwnerName, pane)
	}
	if err != nil {
		return err
	}
	pane, err := h.rightPanel(c, pc, models.RightFullAccess, nil, true, nil)
	if err != nil {
		return err
	}
	key := "perm.toast.automap_off"
	if on {
		key = "perm.toast.automap_on"
	}
	return done(c, h.sessions, i18n.T(ctx, key), pc.RightURL(models.RightFullAccess), pane)
}

// SendCheck renders Check sending and, once asked, what would happen.
func (h *MailboxPermissions) SendCheck(c echo.Context) error {
	pc, err := h.target.PanelContext(c)
	if err != nil {
		return err
	}
	q := c.QueryParams()
	v := views.SendCheckView{Ctx: pc, Sender: q.Get("sender"), From: q.Get("from"), Now: h.store.Now()}
	status := http.StatusOK
	if _, asked := q["from"]; asked {
		res, err := h.store.CheckSend(c.Request().Context(), v.Sender, v.From)
		if ve, ok := models.AsValidation(err); ok {
			v.Errors, status = ve.Fields, http.StatusUnprocessableEntity
		} else if err != nil {
			return err
		} else {
			v.Result = res
		}
	} else {
		v.From = pc.Mailbox.Address
	}
	return renderPane(c, h.target, status, pc.OwnerName, views.SendCheckPanel(v))
}
