package handlers

import (
	"errors"
	"net/http"
	"strings"

	"github.com/labstack/echo/v4"

	"github.com/contoso/admincenter/models"
	"github.com/contoso/admincenter/views"
	"github.com/contoso/admincenter/views/i18n"
	"github.com/contoso/admincenter/web/session"
)

// Bulk runs an action on the selected people: first a confirmation listing them
// (and what stops), then the action itself, for everyone or, when a rule refuses
// one of them, for nobody.
func (h *Users) Bulk(c echo.Context) error {
	ctx := c.Request().Context()
	form, err := formParams(c)
	if err != nil {
		return err
	}
	action, ok := models.ParseBulkAction(form.Get("action"))
	if !ok {
		return echo.NewHTTPError(http.StatusBadRequest)
	}
	req := models.BulkRequest{Action: action, UserIDs: formIDs(form["id"])}
	if len(req.UserIDs) == 0 {
		return flashAndRedirect(c, h.sessions, i18n.T(ctx, "bulk.none"), views.UsersURL)
	}
	if lic := formIDs([]string{form.Get("license")}); len(lic) == 1 {
		req.LicenseID = lic[0]
	}
	admin := session.Admin(c)
	plan, err := h.store.PlanBulk(ctx, admin, req)
	if errors.Is(err, models.ErrUnknownLicense) {
		return echo.NewHTTPError(http.StatusBadRequest).SetInternal(err)
	}
	if ve, ok := models.AsValidation(err); ok {
		return flashAndRedirect(c, h.sessions, i18n.Map(ctx, ve.First().Key, ve.First().Args), views.UsersURL)
	}
	if err != nil {
		return err
	}
	v := views.BulkView{Action: action, BulkPlan: *plan}
	if form.Get("confirm") != "on" {
		return render(c, http.StatusOK, views.BulkPage(v), nil)
	}
	res, err := h.store.Bulk(ctx, admin, req)
	if ve, ok := models.AsValidation(err); ok {
		v.Error = ve.First()
		return render(c, http.StatusUnprocessableEntity, views.BulkPage(v), nil)
	}
	if err != nil {
		return err
	}
	toast := i18n.N(ctx, "bulk.done."+string(action), len(res.Changed))
	if n := len(res.Unchanged); n > 0 {
		toast += " " + i18n.N(ctx, "bulk.unchanged", n, "Names", strings.Join(res.Unchanged, ", "))
	}
	return flashAndRedirect(c, h.sessions, toast, views.UsersURL)
}

// Export writes the selected people or, with none selected, the whole list as
// filtered and searched, as CSV. The rows stream from the database to the client.
func (h *Users) Export(c echo.Context) error {
	ctx := c.Request().Context()
	ids := formIDs(c.QueryParams()["id"])
	var rows []models.UserRow
	if len(ids) > 0 {
		var err error
		if rows, err = h.store.UsersByID(ctx, ids); err != nil {
			return err
		}
	}
	w := startCSV(c, "users.csv", []string{i18n.T(ctx, "users.col.display_name"), i18n.T(ctx, "users.col.username"),
		i18n.T(ctx, "users.col.licenses"), i18n.T(ctx, "account.sign_in")})
	write := func(r models.UserRow) error {
		status := i18n.T(ctx, "account.sign_in_allowed")
		if r.SignInBlocked {
			status = i18n.T(ctx, "account.sign_in_blocked")
		}
		return w.Write([]string{csvSafe(r.DisplayName), csvSafe(r.Username), csvSafe(strings.Join(r.Licenses, "; ")), status})
	}
	if len(ids) > 0 {
		for _, r := range rows {
			if err := write(r); err != nil {
				return err
			}
		}
	} else {
		p := usersParams(c)
		if err := h.store.EachUser(ctx, models.UserQuery{Search: p.Search, Filter: p.Filter}, write); err != nil {
			return err
		}
	}
	w.Flush()
	return w.Error()
}
