package handlers

import (
	"net/http"
	"net/url"
	"strconv"

	"github.com/labstack/echo/v4"

	"github.com/contoso/admincenter/models"
	"github.com/contoso/admincenter/views"
	"github.com/contoso/admincenter/views/i18n"
	"github.com/contoso/admincenter/web/session"
)

// Apps serves Settings > Apps and API access: the API credentials programs use.
type Apps struct {
	store    *models.Store
	sessions *session.Store
	public   *url.URL
}

// NewApps returns the apps handlers; public is the --public-url, when the server sits
// behind a proxy, for the addresses the created-app page shows.
func NewApps(store *models.Store, sessions *session.Store, public *url.URL) *Apps {
	return &Apps{store: store, sessions: sessions, public: public}
}

// List renders the apps.
func (h *Apps) List(c echo.Context) error {
	ctx := c.Request().Context()
	apps, err := h.store.Apps(ctx)
	if err != nil {
		return err
	}
	tid, err := h.store.TenantID(ctx)
	if err != nil {
		return err
	}
	admin := session.Admin(c)
	v := views.AppsView{Apps: apps, Now: h.store.Now(), CanManage: admin.Can(models.ActionManageRoles), Role: admin.PrimaryRole(), TenantID: tid}
	return render(c, http.StatusOK, views.AppsPage(v), nil)
}

// ShowNew renders the New app form.
func (h *Apps) ShowNew(c echo.Context) error {
	if !session.Admin(c).Can(models.ActionManageRoles) {
		return models.ErrForbidden
	}
	return render(c, http.StatusOK, views.NewAppPage(views.NewAppView{LifetimeDays: models.DefaultAppLifetime}), nil)
}

// Create makes an app and redirects to its result page (Post/Redirect/Get). The
// secret waits for that page in the server-side session, which shows it once and
// forgets it; it is never stored with the app, logged or put in a URL.
func (h *Apps) Create(c echo.Context) error {
	form, err := formParams(c)
	if err != nil {
		return err
	}
	in := models.NewApp{Name: form.Get("name")}
	for _, r := range form["role"] {
		in.Roles = append(in.Roles, models.Role(r))
	}
	in.LifetimeDays, _ = strconv.Atoi(form.Get("lifetime"))
	ctx := c.Request().Context()
	app, err := h.store.CreateApp(ctx, session.Admin(c), in)
	if ve, ok := models.AsValidation(err); ok {
		v := views.NewAppView{Name: in.Name, Roles: in.Roles, LifetimeDays: in.LifetimeDays, Errors: ve.Fields}
		return render(c, http.StatusUnprocessableEntity, views.NewAppPage(v), nil)
	}
	if err != nil {
		return err
	}
	once, err := h.sessions.PutOnce(c, onceForApp(app.ID), app.Secret)
	if err != nil {
		return err
	}
	return redirect(c, views.AppCreatedURL(app.ID)+"?once="+once)
}

// ShowCreated is a new app's result page: its IDs and addresses, and its client
// secret the first time the page is opened after Create.
func (h *Apps) ShowCreated(c echo.Context) error {
	if !session.Admin(c).Can(models.ActionManageRoles) {
		return models.ErrForbidden
	}
	app, err := h.app(c)
	if err != nil {
		return err
	}
	ctx := c.Request().Context()
	tid, err := h.store.TenantID(ctx)
	if err != nil {
		return err
	}
	secret, _ := h.sessions.TakeOnce(c, c.QueryParam("once"), onceForApp(app.ID))
	base := h.baseURL(c)
	v := views.AppCreatedView{App: models.CreatedApp{App: *app, Secret: secret}, TenantID: tid, TokenURL: base + "/" + tid + "/oauth2/v2.0/token",
		ExchangeURL: base + "/adminapi/beta/" + tid + "/InvokeCommand"}
	c.Response().Header().Set("Cache-Control", "no-store")
	return render(c, http.StatusOK, views.AppCreatedPage(v), nil)
}

// onceForApp names a new app's one-time client secret in the session.
func onceForApp(id uint) string { return "app:" + strconv.FormatUint(uint64(id), 10) }

// ShowRevoke asks to confirm revoking an app.
func (h *Apps) ShowRevoke(c echo.Context) error {
	if !session.Admin(c).Can(models.ActionManageRoles) {
		return models.ErrForbidden
	}
	app, err := h.app(c)
	if err != nil {
		return err
	}
	return render(c, http.StatusOK, views.RevokeAppPage(views.RevokeAppView{App: *app}), nil)
}

// Revoke revokes an app: its secret and tokens stop working at once.
func (h *Apps) Revoke(c echo.Context) error {
	id, err := idParam(c, "id")
	if err != nil {
		return err
	}
	ctx := c.Request().Context()
	if err := h.store.RevokeApp(ctx, session.Admin(c), id); err != nil {
		return err
	}
	app, err := h.store.App(ctx, id)
	if err != nil {
		return err
	}
	return flashAndRedirect(c, h.sessions, i18n.T(ctx, "apps.revoked", "Name", app.Name), views.AppsURL)
}

func (h *Apps) app(c echo.Context) (*models.App, error) {
	id, err := idParam(c, "id")
	if err != nil {
		return nil, err
	}
	return h.store.App(c.Request().Context(), id)
}

// baseURL is the address programs reach the server at: the --public-url, or the
// host this page was asked for.
func (h *Apps) baseURL(c echo.Context) string {
	if h.public != nil {
		return h.public.Scheme + "://" + h.public.Host
	}
	scheme := "http"
	if session.Secure(c.Request()) {
		scheme = "https"
	}
	return scheme + "://" + c.Request().Host
}
