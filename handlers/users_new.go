package handlers

import (
	"net/http"
	"strconv"
	"strings"

	"github.com/labstack/echo/v4"

	"github.com/contoso/admincenter/models"
	"github.com/contoso/admincenter/views"
	"github.com/contoso/admincenter/web/session"
)

// ShowNew renders Add a user.
func (h *Users) ShowNew(c echo.Context) error {
	if !session.Admin(c).Can(models.ActionManageUsers) {
		return echo.NewHTTPError(http.StatusForbidden)
	}
	v, err := h.newUserView(c, models.NewUser{MustChange: true}, nil)
	if err != nil {
		return err
	}
	if created := c.QueryParam("created"); created != "" {
		// The page a creation redirected to: the new person, and the password only
		// the first time it is opened.
		ids := formIDs([]string{created})
		if len(ids) == 0 {
			return echo.NewHTTPError(http.StatusNotFound)
		}
		id := ids[0]
		u, err := h.store.User(c.Request().Context(), id)
		if err != nil {
			return err
		}
		c.Response().Header().Set("Cache-Control", "no-store")
		v.CreatedID, v.CreatedName, v.CreatedUser = id, u.DisplayName, u.Username
		v.Password, _ = h.sessions.TakeOnce(c, c.QueryParam("once"), onceForUser(id))
	}
	return render(c, http.StatusOK, views.AddUserPage(*v), nil)
}

// onceForUser names a new person's one-time password in the session.
func onceForUser(id uint) string { return "user:" + strconv.FormatUint(uint64(id), 10) }

// newUserView is Add a user with the form's values, its errors, and the domains
// and licenses to choose from.
func (h *Users) newUserView(c echo.Context, form models.NewUser, errs map[string]models.FieldError) (*views.AddUserView, error) {
	ctx := c.Request().Context()
	domains, domain, err := h.store.AddressDomains(ctx, form.Domain)
	if err != nil {
		return nil, err
	}
	lics, err := h.store.Licenses(ctx)
	if err != nil {
		return nil, err
	}
	form.Domain = domain
	return &views.AddUserView{Form: form, Domains: domains, Licenses: lics, Errors: errs}, nil
}

// Create adds the person and shows the password once.
func (h *Users) Create(c echo.Context) error {
	form, err := formParams(c)
	if err != nil {
		return err
	}
	req := models.NewUser{
		FirstName: form.Get("first_name"), LastName: form.Get("last_name"), DisplayName: form.Get("display_name"),
		Alias: form.Get("alias"), Domain: form.Get("domain"), MustChange: form.Get("must_change") == "on",
		Password:   models.PasswordChoice{Mode: models.ParsePasswordMode(form.Get("password_mode")), Typed: form.Get("password")},
		LicenseIDs: formIDs(form["license"]), JobTitle: form.Get("job_title"), Department: form.Get("department"),
	}
	ctx := c.Request().Context()
	id, pw, err := h.store.CreateUser(ctx, session.Admin(c), req)
	if ve, ok := models.AsValidation(err); ok {
		// The form comes back as the rules read it; a typed password is never echoed.
		req = req.Normalized()
		req.Password = models.PasswordChoice{}
		v, verr := h.newUserView(c, req, ve.Fields)
		if verr != nil {
			return verr
		}
		return render(c, http.StatusUnprocessableEntity, views.AddUserPage(*v), nil)
	}
	if err != nil {
		return err
	}
	// Post/Redirect/Get: the password waits in the server-side session for the
	// page this redirects to, which shows it once; a reload neither adds the person
	// again nor shows the password again.
	once, err := h.sessions.PutOnce(c, onceForUser(id), pw)
	if err != nil {
		return err
	}
	return redirect(c, views.NewUserURL+"?created="+strconv.FormatUint(uint64(id), 10)+"&once="+once)
}

// AddressCheck answers as an address is typed: taken (with the proxy-address
// message), malformed, or available.
func (h *Users) AddressCheck(c echo.Context) error {
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
