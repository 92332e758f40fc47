package handlers

import (
	"net/http"
	"time"

	"github.com/labstack/echo/v4"

	"github.com/contoso/admincenter/models"
	"github.com/contoso/admincenter/views"
	"github.com/contoso/admincenter/views/i18n"
	"github.com/contoso/admincenter/web/session"
)

// Audit serves the Audit log. It only reads: entries can't be changed through the app.
type Audit struct {
	store *models.Store
}

// NewAudit returns the audit log handlers.
func NewAudit(store *models.Store) *Audit { return &Audit{store: store} }

// query reads the filter; a malformed date is a field error, not a failure.
func (h *Audit) query(c echo.Context) (views.AuditParams, models.AuditQuery, map[string]models.FieldError) {
	p := views.AuditParams{Actor: c.QueryParam("actor"), Action: c.QueryParam("action"), Target: c.QueryParam("target"),
		From: c.QueryParam("from"), To: c.QueryParam("to"), Before: models.ParseAuditCursor(c.QueryParam("before"))}
	q := models.AuditQuery{Actor: p.Actor, Action: p.Action, Target: p.Target, Before: p.Before, Size: 50}
	errs := map[string]models.FieldError{}
	if p.From != "" {
		if t, err := time.Parse("2006-01-02", p.From); err == nil {
			q.From = &t
		} else {
			errs["from"] = models.FieldError{Key: "audit.error.date"}
		}
	}
	if p.To != "" {
		if t, err := time.Parse("2006-01-02", p.To); err == nil {
			end := t.Add(24 * time.Hour)
			q.To = &end
		} else {
			errs["to"] = models.FieldError{Key: "audit.error.date"}
		}
	}
	return p, q, errs
}

// List renders the audit log page.
func (h *Audit) List(c echo.Context) error {
	ctx := c.Request().Context()
	p, q, errs := h.query(c)
	status := http.StatusOK
	if len(errs) > 0 {
		status = http.StatusUnprocessableEntity
	}
	admin := session.Admin(c)
	page, err := h.store.AuditLog(ctx, admin, q)
	if err != nil {
		return err
	}
	actions, err := h.store.AuditLogActions(ctx, admin)
	if err != nil {
		return err
	}
	return render(c, status, views.AuditPage(views.AuditView{Params: p, Actions: actions, Page: page, Errors: errs}), nil)
}

// Export writes the filtered log as CSV, all pages: the activity in words next to
// its id, and the raw before and after data.
func (h *Audit) Export(c echo.Context) error {
	ctx := c.Request().Context()
	_, q, errs := h.query(c)
	if len(errs) > 0 {
		return echo.NewHTTPError(http.StatusBadRequest)
	}
	admin := session.Admin(c)
	q.Size = 100
	// The first page is read before the answer starts, so a refusal is a clean 403.
	page, err := h.store.AuditLog(ctx, admin, q)
	if err != nil {
		return err
	}
	w := startCSV(c, "audit-log.csv", []string{i18n.T(ctx, "audit.when"), i18n.T(ctx, "audit.actor"), i18n.T(ctx, "audit.action"),
		i18n.T(ctx, "audit.action_id"), i18n.T(ctx, "audit.target"), i18n.T(ctx, "audit.before"), i18n.T(ctx, "audit.after"),
		i18n.T(ctx, "audit.channel"), i18n.T(ctx, "audit.command")})
	for {
		for _, e := range page.Entries {
			_ = w.Write([]string{e.At.UTC().Format(time.RFC3339), csvSafe(e.Actor), views.AuditActivity(ctx, e.Activity), e.Action,
				csvSafe(e.Target), csvSafe(e.Before), csvSafe(e.After), views.ChannelName(ctx, e.Channel), csvSafe(e.Command)})
		}
		if page.Next == 0 {
			break
		}
		q.Before = page.Next
		if page, err = h.store.AuditLog(ctx, admin, q); err != nil {
			return err
		}
	}
	w.Flush()
	return w.Error()
}
