package handlers

import (
	"encoding/csv"
	"errors"
	"net/http"
	"slices"
	"strconv"
	"strings"

	"github.com/a-h/templ"
	"github.com/labstack/echo/v4"

	"github.com/contoso/admincenter/models"
	"github.com/contoso/admincenter/views"
	"github.com/contoso/admincenter/views/i18n"
	"github.com/contoso/admincenter/web/session"
)

// People serves adding, changing, blocking, deleting and restoring people, their
// licenses, addresses and roles, and the bulk actions of Active users.
type People struct {
	store    *models.Store
	sessions *session.Store
	users    *Users
}

// NewPeople returns the people handlers; users renders the page a panel sits on.
func NewPeople(store *models.Store, sessions *session.Store, users *Users) *People {
	return &People{store: store, sessions: sessions, users: users}
}

// person loads the person of the request with what the admin may do to them.
func (h *People) person(c echo.Context) (*models.UserDetail, views.PaneActions, error) {
	id, err := idParam(c, "id")
	if err != nil {
		return nil, views.PaneActions{}, err
	}
	u, err := h.store.User(c.Request().Context(), id)
	if err != nil {
		return nil, views.PaneActions{}, err
	}
	admin := session.Admin(c)
	return u, views.PaneActions{PersonRights: models.RightsOn(admin, u.Roles), Role: admin.PrimaryRole()}, nil
}

func (h *People) pane(c echo.Context, status int, u *models.UserDetail, pane templ.Component) error {
	return renderPane(c, h.users, status, u.DisplayName, pane)
}

// afterChange shows the person's pane again on a tab with a toast.
func (h *People) afterChange(c echo.Context, userID uint, tab, toast string) error {
	pane, err := h.users.paneView(c, userID, tab)
	if err != nil {
		return err
	}
	return done(c, h.sessions, toast, views.UserURL(userID, tab), views.UserPane(*pane))
}

// formIDs reads the numeric values of a repeated form field.
func formIDs(values []string) []uint {
	var out []uint
	for _, v := range values {
		if id, err := strconv.ParseUint(v, 10, 32); err == nil && id > 0 && !slices.Contains(out, uint(id)) {
			out = append(out, uint(id))
		}
	}
	return out
}

// SaveLicenses applies the Licenses and apps tab. Removing the last license with a
// mailbox from someone it matters to comes back as a confirmation first.
func (h *People) SaveLicenses(c echo.Context) error {
	u, _, err := h.person(c)
	if err != nil {
		return err
	}
	ctx := c.Request().Context()
	form, err := c.FormParams()
	if err != nil {
		return echo.NewHTTPError(http.StatusBadRequest).SetInternal(err)
	}
	ids := formIDs(form["license"])
	err = h.store.SetLicenses(ctx, session.Admin(c), u.ID, ids, form.Get("confirm") == "on")
	if err == nil {
		return h.afterChange(c, u.ID, views.TabLicenses, i18n.T(ctx, "lic.saved", "Name", u.DisplayName))
	}
	ve, invalid := models.AsValidation(err)
	if !invalid && !errors.Is(err, models.ErrNeedsConfirmation) {
		return err
	}
	pane, perr := h.users.paneView(c, u.ID, views.TabLicenses)
	if perr != nil {
		return perr
	}
	pane.LicensesForm.Checked = ids
	status := http.StatusUnprocessableEntity
	if invalid {
		fe := ve.Fields["licenses"]
		pane.LicensesForm.Error = &fe
	} else {
		if pane.LicensesForm.Confirm, err = h.store.LicenseChangeConsequences(ctx, u.ID, ids); err != nil {
			return err
		}
		status = http.StatusOK
	}
	return h.pane(c, status, u, views.UserPane(*pane))
}

// ShowBlock renders the Block sign-in (or Unblock) confirmation.
func (h *People) ShowBlock(c echo.Context) error {
	return h.confirmation(c, func(a views.PaneActions) bool { return a.Block }, false, views.BlockPanel)
}

// confirmation renders a panel that lists what an action on the person affects,
// when the admin may take it.
func (h *People) confirmation(c echo.Context, allowed func(views.PaneActions) bool, deleting bool, panel func(views.PersonPanelView) templ.Component) error {
	u, acts, err := h.person(c)
	if err != nil {
		return err
	}
	if !allowed(acts) {
		return echo.NewHTTPError(http.StatusForbidden)
	}
	cons, err := h.store.PersonConsequences(c.Request().Context(), u.ID, deleting)
	if err != nil {
		return err
	}
	return h.pane(c, http.StatusOK, u, panel(views.PersonPanelView{User: u, Actions: acts, Confirm: cons}))
}

// Block blocks or unblocks sign-in.
func (h *People) Block(c echo.Context) error {
	u, acts, err := h.person(c)
	if err != nil {
		return err
	}
	ctx := c.Request().Context()
	blocked := c.FormValue("blocked") == "true"
	err = h.store.SetSignInBlocked(ctx, session.Admin(c), u.ID, blocked, c.FormValue("confirm") == "on")
	if ve, ok := models.AsValidation(err); ok {
		cons, cerr := h.store.PersonConsequences(ctx, u.ID, false)
		if cerr != nil {
			return cerr
		}
		return h.pane(c, http.StatusUnprocessableEntity, u, views.BlockPanel(views.PersonPanelView{User: u, Actions: acts, Confirm: cons, Errors: ve.Fields}))
	}
	if errors.Is(err, models.ErrNeedsConfirmation) {
		return h.ShowBlock(c)
	}
	if err != nil {
		return err
	}
	key := "people.unblocked"
	if blocked {
		key = "people.blocked"
	}
	return h.afterChange(c, u.ID, views.TabAccount, i18n.T(ctx, key, "Name", u.DisplayName))
}

// ShowReset renders Reset password.
func (h *People) ShowReset(c echo.Context) error {
	u, acts, err := h.person(c)
	if err != nil {
		return err
	}
	if !acts.Reset {
		return echo.NewHTTPError(http.StatusForbidden)
	}
	return h.pane(c, http.StatusOK, u, views.ResetPasswordPanel(views.PersonPanelView{User: u, Actions: acts, MustChange: true}))
}

// Reset sets a new password and shows it once.
func (h *People) Reset(c echo.Context) error {
	u, acts, err := h.person(c)
	if err != nil {
		return err
	}
	typed := ""
	if c.FormValue("password_mode") == "manual" {
		typed = c.FormValue("password")
		if typed == "" {
			typed = " " // an empty typed password is refused, not replaced by a generated one
		}
	}
	mustChange := c.FormValue("must_change") == "on"
	pw, err := h.store.ResetPassword(c.Request().Context(), session.Admin(c), u.ID, strings.TrimSpace(typed), mustChange)
	if typed == " " {
		err = (&models.ValidationError{}).Add("password", "pw.error.length", map[string]any{"Min": models.MinPasswordLength, "Max": models.MaxPasswordLength})
	}
	if ve, ok := models.AsValidation(err); ok {
		return h.pane(c, http.StatusUnprocessableEntity, u, views.ResetPasswordPanel(views.PersonPanelView{User: u, Actions: acts, Errors: ve.Fields, MustChange: mustChange}))
	}
	if err != nil {
		return err
	}
	// The password is rendered in this response only, never stored or flashed.
	c.Response().Header().Set("Cache-Control", "no-store")
	return h.pane(c, http.StatusOK, u, views.ResetPasswordPanel(views.PersonPanelView{User: u, Actions: acts, Password: pw}))
}

// ShowDelete renders the Delete user confirmation with what happens.
func (h *People) ShowDelete(c echo.Context) error {
	return h.confirmation(c, func(a views.PaneActions) bool { return a.Delete }, true, views.DeletePanel)
}

// Delete deletes the person and returns to Active users.
func (h *People) Delete(c echo.Context) error {
	u, acts, err := h.person(c)
	if err != nil {
		return err
	}
	ctx := c.Request().Context()
	err = h.store.DeleteUser(ctx, session.Admin(c), u.ID)
	if ve, ok := models.AsValidation(err); ok {
		cons, cerr := h.store.PersonConsequences(ctx, u.ID, true)
		if cerr != nil {
			return cerr
		}
		return h.pane(c, http.StatusUnprocessableEntity, u, views.DeletePanel(views.PersonPanelView{User: u, Actions: acts, Confirm: cons, Errors: ve.Fields}))
	}
	if err != nil {
		return err
	}
	if err := h.sessions.AddFlash(c, i18n.T(ctx, "people.deleted", "Name", u.DisplayName)); err != nil {
		return err
	}
	return redirect(c, "/users")
}

// ShowContact renders Manage contact information.
func (h *People) ShowContact(c echo.Context) error {
	u, acts, err := h.person(c)
	if err != nil {
		return err
	}
	if !acts.Edit {
		return echo.NewHTTPError(http.StatusForbidden)
	}
	v, err := h.store.UserVersion(c.Request().Context(), u.ID)
	if err != nil {
		return err
	}
	contact := models.Contact{FirstName: u.FirstName, LastName: u.LastName, DisplayName: u.DisplayName, JobTitle: u.JobTitle, Department: u.Department, Version: v}
	return h.pane(c, http.StatusOK, u, views.ContactPanel(views.PersonPanelView{User: u, Actions: acts, Contact: contact}))
}

// SaveContact saves names and contact details.
func (h *People) SaveContact(c echo.Context) error {
	u, acts, err := h.person(c)
	if err != nil {
		return err
	}
	ctx := c.Request().Context()
	version, _ := strconv.Atoi(c.FormValue("version"))
	contact := models.Contact{FirstName: c.FormValue("first_name"), LastName: c.FormValue("last_name"), DisplayName: c.FormValue("display_name"),
		JobTitle: c.FormValue("job_title"), Department: c.FormValue("department"), Version: version}
	err = h.store.UpdateContact(ctx, session.Admin(c), u.ID, contact)
	v := views.PersonPanelView{User: u, Actions: acts, Contact: contact}
	switch {
	case errors.Is(err, models.ErrStale):
		v.Stale = true
		return h.pane(c, http.StatusConflict, u, views.ContactPanel(v))
	case err == nil:
		return h.afterChange(c, u.ID, views.TabAccount, i18n.T(ctx, "people.contact_saved", "Name", strings.TrimSpace(contact.DisplayName)))
	}
	ve, ok := models.AsValidation(err)
	if !ok {
		return err
	}
	v.Errors = ve.Fields
	return h.pane(c, http.StatusUnprocessableEntity, u, views.ContactPanel(v))
}

func (h *People) addressesPanel(c echo.Context, u *models.UserDetail, acts views.PaneActions, status int, errs map[string]models.FieldError, alias, domain string) error {
	domains, err := h.store.Domains(c.Request().Context())
	if err != nil {
		return err
	}
	if domain == "" && len(domains) > 0 {
		domain = domains[0].Name
	}
	return h.pane(c, status, u, views.AddressesPanel(views.PersonPanelView{User: u, Actions: acts, Errors: errs, Domains: domains, Alias: alias, Domain: domain}))
}

// ShowAddresses renders Manage username and email.
func (h *People) ShowAddresses(c echo.Context) error {
	u, acts, err := h.person(c)
	if err != nil {
		return err
	}
	if !acts.Edit {
		return echo.NewHTTPError(http.StatusForbidden)
	}
	return h.addressesPanel(c, u, acts, http.StatusOK, nil, "", "")
}

// changeAddresses runs one change to a person's addresses and shows the panel again.
func (h *People) changeAddresses(c echo.Context, change func(*models.UserDetail) error, toastKey string) error {
	u, acts, err := h.person(c)
	if err != nil {
		return err
	}
	err = change(u)
	if ve, ok := models.AsValidation(err); ok {
		return h.addressesPanel(c, u, acts, http.StatusUnprocessableEntity, ve.Fields, c.FormValue("alias"), c.FormValue("domain"))
	}
	if err != nil {
		return err
	}
	ctx := c.Request().Context()
	if u, err = h.store.User(ctx, u.ID); err != nil {
		return err
	}
	domains, err := h.store.Domains(ctx)
	if err != nil {
		return err
	}
	pane := views.AddressesPanel(views.PersonPanelView{User: u, Actions: acts, Domains: domains, Domain: domains[0].Name})
	return done(c, h.sessions, i18n.T(ctx, toastKey), views.UserURL(u.ID, "")+"/addresses", pane)
}

// AddAddress gives the person an alias.
func (h *People) AddAddress(c echo.Context) error {
	return h.changeAddresses(c, func(u *models.UserDetail) error {
		return h.store.AddAlias(c.Request().Context(), session.Admin(c), u.ID, c.FormValue("alias"), c.FormValue("domain"))
	}, "addr.added")
}

// RemoveAddress takes an alias away.
func (h *People) RemoveAddress(c echo.Context) error {
	return h.changeAddresses(c, func(u *models.UserDetail) error {
		return h.store.RemoveAlias(c.Request().Context(), session.Admin(c), u.ID, c.FormValue("address"))
	}, "addr.removed")
}

// PrimaryAddress makes an alias the primary address and username.
func (h *People) PrimaryAddress(c echo.Context) error {
	return h.changeAddresses(c, func(u *models.UserDetail) error {
		return h.store.SetPrimaryAddress(c.Request().Context(), session.Admin(c), u.ID, c.FormValue("address"))
	}, "addr.primary_set")
}

// ShowRoles renders Manage roles.
func (h *People) ShowRoles(c echo.Context) error {
	u, acts, err := h.person(c)
	if err != nil {
		return err
	}
	if !acts.Roles {
		return echo.NewHTTPError(http.StatusForbidden)
	}
	return h.pane(c, http.StatusOK, u, views.RolesPanel(views.PersonPanelView{User: u, Actions: acts, Roles: u.Roles}))
}

// SaveRoles sets the person's admin roles.
func (h *People) SaveRoles(c echo.Context) error {
	u, acts, err := h.person(c)
	if err != nil {
		return err
	}
	ctx := c.Request().Context()
	form, err := c.FormParams()
	if err != nil {
		return echo.NewHTTPError(http.StatusBadRequest).SetInternal(err)
	}
	var roles []models.Role
	for _, r := range form["role"] {
		roles = append(roles, models.Role(r))
	}
	err = h.store.SetRoles(ctx, session.Admin(c), u.ID, roles)
	if ve, ok := models.AsValidation(err); ok {
		return h.pane(c, http.StatusUnprocessableEntity, u, views.RolesPanel(views.PersonPanelView{User: u, Actions: acts, Roles: roles, Errors: ve.Fields}))
	}
	if err != nil {
		return err
	}
	return h.afterChange(c, u.ID, views.TabAccount, i18n.T(ctx, "roles.saved", "Name", u.DisplayName))
}

// ShowNew renders Add a user.
func (h *People) ShowNew(c echo.Context) error {
	if !session.Admin(c).Can(models.ActionManageUsers) {
		return echo.NewHTTPError(http.StatusForbidden)
	}
	v, err := h.addUserView(c, models.NewUser{MustChange: true}, nil)
	if err != nil {
		return err
	}
	return render(c, http.StatusOK, views.AddUserPage(*v), nil)
}

func (h *People) addUserView(c echo.Context, form models.NewUser, errs map[string]models.FieldError) (*views.AddUserView, error) {
	ctx := c.Request().Context()
	domains, err := h.store.Domains(ctx)
	if err != nil {
		return nil, err
	}
	lics, err := h.store.Licenses(ctx)
	if err != nil {
		return nil, err
	}
	if form.Domain == "" && len(domains) > 0 {
		form.Domain = domains[0].Name
	}
	return &views.AddUserView{Form: form, Domains: domains, Licenses: lics, Errors: errs}, nil
}

// Create adds the person and shows the password once.
func (h *People) Create(c echo.Context) error {
	form, err := c.FormParams()
	if err != nil {
		return echo.NewHTTPError(http.StatusBadRequest).SetInternal(err)
	}
	req := models.NewUser{
		FirstName: form.Get("first_name"), LastName: form.Get("last_name"), DisplayName: form.Get("display_name"),
		Alias: form.Get("alias"), Domain: form.Get("domain"), MustChange: form.Get("must_change") == "on",
		LicenseIDs: formIDs(form["license"]), JobTitle: form.Get("job_title"), Department: form.Get("department"),
	}
	if strings.TrimSpace(req.DisplayName) == "" {
		req.DisplayName = strings.TrimSpace(req.FirstName + " " + req.LastName)
	}
	manual := form.Get("password_mode") == "manual"
	if manual {
		req.Password = form.Get("password")
	}
	ctx := c.Request().Context()
	var id uint
	var pw string
	if manual && req.Password == "" {
		err = (&models.ValidationError{}).Add("password", "pw.error.length", map[string]any{"Min": models.MinPasswordLength, "Max": models.MaxPasswordLength})
	} else {
		id, pw, err = h.store.CreateUser(ctx, session.Admin(c), req)
	}
	if ve, ok := models.AsValidation(err); ok {
		req.Password = ""
		v, verr := h.addUserView(c, req, ve.Fields)
		if verr != nil {
			return verr
		}
		return render(c, http.StatusUnprocessableEntity, views.AddUserPage(*v), nil)
	}
	if err != nil {
		return err
	}
	v, err := h.addUserView(c, req, nil)
	if err != nil {
		return err
	}
	u, err := h.store.User(ctx, id)
	if err != nil {
		return err
	}
	v.CreatedID, v.CreatedName, v.CreatedUser, v.Password = id, u.DisplayName, u.Username, pw
	c.Response().Header().Set("Cache-Control", "no-store")
	return render(c, http.StatusCreated, views.AddUserPage(*v), nil)
}

// AddressCheck answers as an address is typed: taken (with the proxy-address
// message), malformed, or available.
func (h *People) AddressCheck(c echo.Context) error {
	id := c.QueryParam("id")
	if id == "" || strings.ContainsAny(id, `"<>'& `) {
		id = "alias"
	}
	v := views.AddressCheckView{ID: id}
	if strings.TrimSpace(c.QueryParam("alias")) != "" {
		addr, fe, err := h.store.AddressAvailable(c.Request().Context(), c.QueryParam("alias"), c.QueryParam("domain"))
		if err != nil {
			return err
		}
		v.Address, v.Error = addr, fe
	}
	return render(c, http.StatusOK, views.AddressCheck(v), views.AddressCheck(v))
}

// Deleted renders Users > Deleted users.
func (h *People) Deleted(c echo.Context) error {
	users, err := h.store.DeletedUsers(c.Request().Context())
	if err != nil {
		return err
	}
	admin := session.Admin(c)
	return render(c, http.StatusOK, views.DeletedUsersPage(views.DeletedUsersView{Users: users, CanEdit: admin.Can(models.ActionManageUsers), Role: admin.PrimaryRole()}), nil)
}

// Restore brings a deleted person back.
func (h *People) Restore(c echo.Context) error {
	id, err := idParam(c, "id")
	if err != nil {
		return err
	}
	ctx := c.Request().Context()
	if err := h.store.RestoreUser(ctx, session.Admin(c), id); err != nil {
		return err
	}
	u, err := h.store.User(ctx, id)
	if err != nil {
		return err
	}
	if err := h.sessions.AddFlash(c, i18n.T(ctx, "deleted.restored", "Name", u.DisplayName)); err != nil {
		return err
	}
	return redirect(c, views.UserURL(id, ""))
}

// selectedUsers loads the rows the bulk form ticked, in list order.
func (h *People) selectedUsers(c echo.Context, ids []uint) ([]models.UserRow, error) {
	rows, err := h.store.UsersByID(c.Request().Context(), ids)
	if err != nil {
		return nil, err
	}
	return rows, nil
}

// Bulk runs an action on the selected people: first a confirmation listing them
// (and what stops), then the action itself.
func (h *People) Bulk(c echo.Context) error {
	ctx := c.Request().Context()
	form, err := c.FormParams()
	if err != nil {
		return echo.NewHTTPError(http.StatusBadRequest).SetInternal(err)
	}
	action := form.Get("action")
	if !slices.Contains([]string{"block", "unblock", "assign", "unassign", "delete"}, action) {
		return echo.NewHTTPError(http.StatusBadRequest)
	}
	ids := formIDs(form["id"])
	if len(ids) == 0 {
		if err := h.sessions.AddFlash(c, i18n.T(ctx, "bulk.none")); err != nil {
			return err
		}
		return redirect(c, "/users")
	}
	if _, err := h.store.BulkTargets(ctx, session.Admin(c), action, ids); err != nil {
		if ve, ok := models.AsValidation(err); ok {
			for _, fe := range ve.Fields {
				if err := h.sessions.AddFlash(c, i18n.Map(ctx, fe.Key, fe.Args)); err != nil {
					return err
				}
			}
			return redirect(c, "/users")
		}
		return err
	}
	rows, err := h.selectedUsers(c, ids)
	if err != nil {
		return err
	}
	v := views.BulkView{Action: action, Users: rows}
	var lic *models.LicenseUsage
	if action == "assign" || action == "unassign" {
		lics, err := h.store.Licenses(ctx)
		if err != nil {
			return err
		}
		want := formIDs([]string{form.Get("license")})
		for i := range lics {
			if len(want) == 1 && lics[i].ID == want[0] {
				lic = &lics[i]
			}
		}
		if lic == nil {
			return echo.NewHTTPError(http.StatusBadRequest)
		}
		v.License = lic
	}
	affected, err := h.store.BulkConsequences(ctx, ids, action, lic)
	if err != nil {
		return err
	}
	v.Affected = affected
	if form.Get("confirm") != "on" {
		return render(c, http.StatusOK, views.BulkPage(v), nil)
	}
	var licID uint
	if lic != nil {
		licID = lic.ID
	}
	n, err := h.store.Bulk(ctx, session.Admin(c), action, ids, licID)
	if ve, ok := models.AsValidation(err); ok {
		for _, fe := range ve.Fields {
			v.Error = &fe
			break
		}
		return render(c, http.StatusUnprocessableEntity, views.BulkPage(v), nil)
	}
	if err != nil {
		return err
	}
	if err := h.sessions.AddFlash(c, i18n.N(ctx, "bulk.done."+action, n)); err != nil {
		return err
	}
	return redirect(c, "/users")
}

// Export writes the selected people (or, with none selected, the list as filtered)
// as CSV.
func (h *People) Export(c echo.Context) error {
	ctx := c.Request().Context()
	ids := formIDs(c.QueryParams()["id"])
	var rows []models.UserRow
	var err error
	if len(ids) > 0 {
		rows, err = h.store.UsersByID(ctx, ids)
	} else {
		p := usersParams(c)
		var list *models.UserList
		list, err = h.store.Users(ctx, models.UserQuery{Search: p.Search, Filter: p.Filter, Page: models.Page{Size: 100}})
		if list != nil {
			rows = list.Rows
		}
	}
	if err != nil {
		return err
	}
	c.Response().Header().Set(echo.HeaderContentType, "text/csv; charset=utf-8")
	c.Response().Header().Set(echo.HeaderContentDisposition, `attachment; filename="users.csv"`)
	c.Response().WriteHeader(http.StatusOK)
	w := csv.NewWriter(c.Response())
	_ = w.Write([]string{i18n.T(ctx, "users.col.display_name"), i18n.T(ctx, "users.col.username"), i18n.T(ctx, "users.col.licenses"), i18n.T(ctx, "account.sign_in")})
	for _, r := range rows {
		status := i18n.T(ctx, "account.sign_in_allowed")
		if r.SignInBlocked {
			status = i18n.T(ctx, "account.sign_in_blocked")
		}
		_ = w.Write([]string{csvSafe(r.DisplayName), csvSafe(r.Username), csvSafe(strings.Join(r.Licenses, "; ")), status})
	}
	w.Flush()
	return w.Error()
}

// csvSafe keeps a spreadsheet from reading a cell as a formula.
func csvSafe(s string) string {
	if s != "" && strings.ContainsRune("=+-@\t\r", rune(s[0])) {
		return "'" + s
	}
	return s
}
