package handlers

import (
	"errors"
	"net/http"
	"strconv"

	"github.com/labstack/echo/v4"

	"github.com/contoso/admincenter/models"
	"github.com/contoso/admincenter/views"
	"github.com/contoso/admincenter/views/i18n"
	"github.com/contoso/admincenter/web/htmx"
	"github.com/contoso/admincenter/web/session"
)

// Jobs serves bulk jobs: starting one (every person Active users matches, or a grant
// to everyone in the Mailbox access report), its page with a progress bar, and the
// list of the admin's jobs.
type Jobs struct {
	store    *models.Store
	sessions *session.Store
	runner   *models.JobRunner
}

// NewJobs returns the job handlers.
func NewJobs(store *models.Store, sessions *session.Store, runner *models.JobRunner) *Jobs {
	return &Jobs{store: store, sessions: sessions, runner: runner}
}

// List renders the admin's jobs.
func (h *Jobs) List(c echo.Context) error {
	jobs, err := h.runner.Jobs(c.Request().Context(), session.Admin(c))
	if err != nil {
		return err
	}
	return render(c, http.StatusOK, views.JobsPage(views.JobsView{Jobs: jobs}), nil)
}

// Show renders a job's page; htmx's polling gets the progress part alone.
func (h *Jobs) Show(c echo.Context) error {
	id, err := idParam(c, "id")
	if err != nil {
		return err
	}
	j, err := h.runner.Job(c.Request().Context(), session.Admin(c), id)
	if err != nil {
		return err
	}
	v := views.JobView{Job: j}
	if htmx.IsPartial(c.Request()) {
		return render(c, http.StatusOK, views.JobProgress(v), nil)
	}
	return render(c, http.StatusOK, views.JobPage(v), nil)
}

// UsersBulk confirms, then starts, a bulk action on everyone Active users lists for
// a search and filter.
func (h *Jobs) UsersBulk(c echo.Context) error {
	ctx := c.Request().Context()
	form, err := formParams(c)
	if err != nil {
		return err
	}
	admin := session.Admin(c)
	if !models.CanUseBulkActions(admin) {
		return models.ErrForbidden
	}
	action, ok := models.ParseBulkAction(form.Get("action"))
	if !ok || action == models.BulkDelete {
		return echo.NewHTTPError(http.StatusBadRequest)
	}
	q := models.UserQuery{Search: form.Get("q"), Filter: models.ParseUserFilter(form.Get("filter"))}
	v := views.BulkAllView{Action: action, Search: q.Search, Filter: q.Filter}
	var licenseID uint
	if action.NeedsLicense() {
		n, err := strconv.ParseUint(form.Get("license"), 10, 32)
		if err != nil {
			return echo.NewHTTPError(http.StatusBadRequest)
		}
		licenseID = uint(n)
		if v.License, err = h.store.License(ctx, licenseID); errors.Is(err, models.ErrNotFound) {
			return echo.NewHTTPError(http.StatusBadRequest)
		} else if err != nil {
			return err
		}
	}
	if form.Get("confirm") != "on" {
		if v.Count, err = h.store.CountUsersMatching(ctx, q); err != nil {
			return err
		}
		return render(c, http.StatusOK, views.BulkAllPage(v), nil)
	}
	j, err := h.runner.EnqueueUsersJob(ctx, admin, action, licenseID, q)
	if errors.Is(err, models.ErrJobQueueFull) {
		return flashAndRedirect(c, h.sessions, i18n.T(ctx, "jobs.error.queue_full"), views.UsersURL)
	}
	if err != nil {
		return err
	}
	return c.Redirect(http.StatusSeeOther, views.JobURL(j.ID))
}

// ReportGrant starts a job that gives a right on a mailbox to every person in the
// filtered Mailbox access report.
func (h *Jobs) ReportGrant(c echo.Context) error {
	ctx := c.Request().Context()
	form, err := formParams(c)
	if err != nil {
		return err
	}
	// The report's filters travel as f_* fields; read them as the report reads its URL.
	filters := make(map[string][]string)
	for _, k := range []string{"mailbox", "holder", "right", "type", "held", "stale"} {
		if v := form.Get("f_" + k); v != "" {
			filters[k] = []string{v}
		}
	}
	p, q := accessParamsFrom(filters)
	admin := session.Admin(c)
	if !admin.Can(models.ActionManagePermissions) {
		return models.ErrForbidden
	}
	right, ok := models.ParseRight(form.Get("right"))
	if !ok {
		return echo.NewHTTPError(http.StatusBadRequest)
	}
	j, err := h.runner.EnqueueGrantJob(ctx, admin, form.Get("mailbox"), right, right == models.RightFullAccess, q)
	if ve, ok := models.AsValidation(err); ok {
		rep, err := h.store.MailboxAccessReport(ctx, q)
		if err != nil {
			return err
		}
		return render(c, http.StatusUnprocessableEntity, views.AccessReportPage(views.AccessReportView{Params: p, Report: rep,
			Grant: views.GrantForm{Allowed: true, Mailbox: form.Get("mailbox"), Right: string(right), Errors: ve.Fields}}), nil)
	}
	if errors.Is(err, models.ErrJobQueueFull) {
		return flashAndRedirect(c, h.sessions, i18n.T(ctx, "jobs.error.queue_full"), p.URL(views.AccessReportURL))
	}
	if err != nil {
		return err
	}
	return c.Redirect(http.StatusSeeOther, views.JobURL(j.ID))
}
