package handlers

import (
	"net/http"
	"net/url"
	"slices"

	"github.com/labstack/echo/v4"

	"github.com/contoso/admincenter/models"
	"github.com/contoso/admincenter/views"
	"github.com/contoso/admincenter/views/i18n"
	"github.com/contoso/admincenter/web/session"
)

// bulkView is bulk Mailbox delegation of the mailboxes the form names, as the form
// (with the button op pressed) left it.
func (h *Exchange) bulkView(c echo.Context, form url.Values, op string) (*views.EACBulkView, error) {
	ctx := c.Request().Context()
	mbs, err := h.store.MailboxesByID(ctx, formIDs(form["id"]))
	if err != nil {
		return nil, err
	}
	v := &views.EACBulkView{Mailboxes: mbs, Remove: form.Get("action") == "remove", Rights: models.Rights,
		Role: session.Admin(c).PrimaryRole()}
	if slices.ContainsFunc(mbs, func(m models.MailboxRef) bool { return m.Type == models.MailboxShared }) {
		v.Rights = eacSharedRights
	}
	v.Right = models.RightFullAccess
	if r, ok := models.ParseRight(form.Get("right")); ok && slices.Contains(v.Rights, r) {
		v.Right = r
	}
	st := readStaged(form, "people", op)
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
	v.People = st.list("eac.bulk.people", "eac.bulk.people_help", nil, added, cands)
	if len(mbs) == 0 {
		v.Errors = map[string]models.FieldError{"mailbox": {Key: "eac.error.no_mailboxes"}}
	}
	return v, nil
}

// Bulk renders Mailbox delegation for the mailboxes ticked on a list.
func (h *Exchange) Bulk(c echo.Context) error {
	if !session.Admin(c).Can(models.ActionManagePermissions) {
		return models.ErrForbidden
	}
	v, err := h.bulkView(c, c.QueryParams(), "")
	if err != nil {
		return err
	}
	status := http.StatusOK
	if len(v.Mailboxes) == 0 {
		status = http.StatusUnprocessableEntity
	}
	return render(c, status, views.EACBulkPage(*v), nil)
}

// BulkSave is every button of bulk delegation: Add and Remove change the people;
// Save adds or removes the permission on every mailbox in one models call.
func (h *Exchange) BulkSave(c echo.Context) error {
	admin := session.Admin(c)
	if !admin.Can(models.ActionManagePermissions) {
		return models.ErrForbidden
	}
	form, err := formParams(c)
	if err != nil {
		return err
	}
	op := form.Get("op")
	v, err := h.bulkView(c, form, op)
	if err != nil {
		return err
	}
	if op != "save" {
		return render(c, http.StatusOK, views.EACBulkPage(*v), views.EACBulkForm(*v))
	}
	var ids []uint
	for _, m := range v.Mailboxes {
		ids = append(ids, m.ID)
	}
	change := models.DelegationChange{}
	people := map[models.Right][]uint{v.Right: v.People.Add}
	if v.Remove {
		change.Remove = people
	} else {
		change.Add = people
	}
	ctx := c.Request().Context()
	_, err = h.store.BulkMailboxDelegation(ctx, admin, ids, change)
	if ve, ok := models.AsValidation(err); ok {
		v.Errors = ve.Fields
		v.People.Error = ve.Fields["trustee"]
		return render(c, http.StatusUnprocessableEntity, views.EACBulkPage(*v), views.EACBulkForm(*v))
	}
	if err != nil {
		return err
	}
	return flashAndRedirect(c, h.sessions, i18n.T(ctx, "eac.bulk.saved", "Count", len(ids)), views.EACMailboxesURL)
}
