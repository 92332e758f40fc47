package handlers

import (
	"context"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/labstack/echo/v4"

	"github.com/contoso/admincenter/models"
	"github.com/contoso/admincenter/views"
	"github.com/contoso/admincenter/views/i18n"
	"github.com/contoso/admincenter/web/session"
)

// Reports serves the Reports area: Mailbox access, Forwarding and Access history.
// Reports only read, so every admin role may see them.
type Reports struct {
	store *models.Store
}

// NewReports returns the reports handlers.
func NewReports(store *models.Store) *Reports { return &Reports{store: store} }

// Index sends Reports to its first report.
func (h *Reports) Index(c echo.Context) error {
	return c.Redirect(http.StatusSeeOther, views.AccessReportURL)
}

// accessParams reads the Mailbox access report's state from the URL; an unknown
// value reads as "any".
func accessParams(c echo.Context) (views.AccessReportParams, models.AccessReportQuery) {
	return accessParamsFrom(c.QueryParams())
}

// accessParamsFrom reads the report's state from values named as in its URL.
func accessParamsFrom(v url.Values) (views.AccessReportParams, models.AccessReportQuery) {
	p := views.AccessReportParams{Mailbox: v.Get("mailbox"), Holder: v.Get("holder"), After: v.Get("after"),
		Stale: v.Get("stale") != ""}
	p.Size, _ = strconv.Atoi(v.Get("size"))
	q := models.AccessReportQuery{Mailbox: p.Mailbox, Holder: p.Holder, Stale: p.Stale, After: p.After, Size: p.Size}
	if r, ok := models.ParseRight(v.Get("right")); ok {
		p.Right, q.Right = string(r), r
	}
	switch t := models.MailboxType(v.Get("type")); t {
	case models.MailboxUser, models.MailboxShared:
		p.Type, q.MailboxType = string(t), t
	}
	switch held := models.AccessHeld(v.Get("held")); held {
	case models.HeldDirect, models.HeldViaGroup:
		p.Held, q.Held = string(held), held
	}
	if models.AccessSort(v.Get("sort")) == models.SortByHolder {
		p.Sort, q.Sort = string(models.SortByHolder), models.SortByHolder
	}
	return p, q
}

// Access renders Reports > Mailbox access.
func (h *Reports) Access(c echo.Context) error {
	p, q := accessParams(c)
	rep, err := h.store.MailboxAccessReport(c.Request().Context(), q)
	if err != nil {
		return err
	}
	grant := views.GrantForm{Allowed: session.Admin(c).Can(models.ActionManagePermissions), Right: string(models.RightFullAccess)}
	return render(c, http.StatusOK, views.AccessReportPage(views.AccessReportView{Params: p, Report: rep, Grant: grant}), nil)
}

// AccessExport streams the whole filtered Mailbox access report as CSV, row by row
// from the database.
func (h *Reports) AccessExport(c echo.Context) error {
	ctx := c.Request().Context()
	_, q := accessParams(c)
	now := h.store.Now()
	yes, no := i18n.T(ctx, "reports.yes"), i18n.T(ctx, "reports.no")
	yn := func(b bool) string {
		if b {
			return yes
		}
		return no
	}
	w := startCSV(c, "mailbox-access.csv", []string{
		i18n.T(ctx, "reports.csv.mailbox"), i18n.T(ctx, "reports.csv.mailbox_address"), i18n.T(ctx, "reports.access.mailbox_type"),
		i18n.T(ctx, "reports.access.right"), i18n.T(ctx, "reports.csv.holder"), i18n.T(ctx, "reports.csv.holder_address"),
		i18n.T(ctx, "reports.csv.holder_kind"), i18n.T(ctx, "reports.access.held"), i18n.T(ctx, "reports.csv.via"),
		i18n.T(ctx, "reports.access.automapping"), i18n.T(ctx, "reports.csv.pending_until"), i18n.T(ctx, "reports.csv.removal_until"),
		i18n.T(ctx, "reports.holder.blocked"), i18n.T(ctx, "reports.holder.deleted"),
		i18n.T(ctx, "reports.csv.granted_by"), i18n.T(ctx, "reports.csv.granted_at"),
	})
	// The export writes millions of rows: each translation is looked up once, each
	// grant's time formatted once, and one record is filled in again for every row.
	types, rights, kinds := translations(ctx, "reports.type."), translations(ctx, "right."), translations(ctx, "reports.kind.")
	stamps := map[int64]string{}
	stamp := func(t time.Time) string {
		// RFC 3339 in UTC says no more than the second.
		s, ok := stamps[t.Unix()]
		if !ok {
			if len(stamps) >= 1<<16 {
				clear(stamps)
			}
			s = t.UTC().Format(time.RFC3339)
			stamps[t.Unix()] = s
		}
		return s
	}
	direct, viaGroup := i18n.T(ctx, "reports.held.direct"), i18n.T(ctx, "reports.held.group")
	record := make([]string, 16)
	err := h.store.EachMailboxAccess(ctx, q, func(r models.AccessReportRow) error {
		held := direct
		if !r.Direct() {
			held = viaGroup
		}
		var pending, removal string
		if r.Pending(now) {
			pending = r.EffectiveAt.UTC().Format(time.RFC3339)
		}
		if r.RemovalPending(now) {
			removal = r.RevokeEffectiveAt.UTC().Format(time.RFC3339)
		}
		record = append(record[:0], csvSafe(r.MailboxName), csvSafe(r.MailboxAddress), types(string(r.MailboxType)),
			rights(string(r.Right)), csvSafe(r.HolderName), csvSafe(r.HolderAddress), kinds(string(r.HolderKind)),
			held, csvSafe(r.ViaName), yn(r.AutoMapping), pending, removal, yn(r.HolderBlocked), yn(r.HolderDeleted),
			csvSafe(r.GrantedBy), stamp(r.GrantedAt))
		return w.Write(record)
	})
	if err != nil {
		return err
	}
	w.Flush()
	return w.Error()
}

// translations looks up the translations of one kind of value (the message key
// prefix+value), each once.
func translations(ctx context.Context, prefix string) func(string) string {
	said := map[string]string{}
	return func(v string) string {
		t, ok := said[v]
		if !ok {
			t = i18n.T(ctx, prefix+v)
			said[v] = t
		}
		return t
	}
}

// forwardParams reads the Forwarding report's state from the URL.
func forwardParams(c echo.Context) (views.ForwardReportParams, models.ForwardingReportQuery) {
	p := views.ForwardReportParams{Search: c.QueryParam("q"), After: c.QueryParam("after")}
	p.Size, _ = strconv.Atoi(c.QueryParam("size"))
	q := models.ForwardingReportQuery{Search: p.Search, After: p.After, Size: p.Size}
	switch s := models.ForwardingScope(c.QueryParam("scope")); s {
	case models.ForwardInside, models.ForwardOutside:
		p.Scope, q.Scope = string(s), s
	}
	switch s := models.ForwardingState(c.QueryParam("state")); s {
	case models.ForwardActive, models.ForwardBlocked, models.ForwardStopped:
		p.State, q.State = string(s), s
	}
	return p, q
}

// Forwarding renders Reports > Forwarding.
func (h *Reports) Forwarding(c echo.Context) error {
	p, q := forwardParams(c)
	rep, err := h.store.MailboxForwardingReport(c.Request().Context(), q)
	if err != nil {
		return err
	}
	return render(c, http.StatusOK, views.ForwardReportPage(views.ForwardReportView{Params: p, Report: rep}), nil)
}

// ForwardingExport streams the filtered Forwarding report as CSV.
func (h *Reports) ForwardingExport(c echo.Context) error {
	ctx := c.Request().Context()
	_, q := forwardParams(c)
	yes, no := i18n.T(ctx, "reports.yes"), i18n.T(ctx, "reports.no")
	yn := func(b bool) string {
		if b {
			return yes
		}
		return no
	}
	w := startCSV(c, "forwarding.csv", []string{
		i18n.T(ctx, "reports.csv.mailbox"), i18n.T(ctx, "reports.csv.mailbox_address"), i18n.T(ctx, "reports.access.mailbox_type"),
		i18n.T(ctx, "reports.forwarding.target"), i18n.T(ctx, "reports.csv.target_name"), i18n.T(ctx, "reports.forwarding.external"),
		i18n.T(ctx, "reports.forwarding.keep_copy"), i18n.T(ctx, "reports.forwarding.state"), i18n.T(ctx, "reports.forwarding.loop"),
		i18n.T(ctx, "reports.forwarding.chain"),
	})
	err := h.store.EachMailboxForward(ctx, q, func(r models.ForwardingReportRow) error {
		state := i18n.T(ctx, "reports.forwarding.forwarded")
		switch {
		case r.Stopped != "":
			state = i18n.T(ctx, "reports.forwarding.stopped_because", "Reason", i18n.T(ctx, "forwarding_stopped."+r.Stopped))
		case r.BlockedByPolicy:
			state = i18n.T(ctx, "reports.forwarding.bounces", "NDR", "5.7.520")
		}
		return w.Write([]string{csvSafe(r.MailboxName), csvSafe(r.MailboxAddress), i18n.T(ctx, "reports.type."+string(r.MailboxType)),
			csvSafe(r.Target), csvSafe(r.TargetName), yn(r.External), yn(r.KeepCopy), state, yn(r.Loop), csvSafe(r.ChainText())})
	})
	if err != nil {
		return err
	}
	w.Flush()
	return w.Error()
}

// History renders Reports > Access history: the form, and once a mailbox and a day
// are given, who could access the mailbox that day.
func (h *Reports) History(c echo.Context) error {
	v := views.AccessHistoryView{Mailbox: c.QueryParam("mailbox"), Day: c.QueryParam("day")}
	if v.Day == "" {
		v.Day = h.store.Now().Format("2006-01-02")
	}
	status := http.StatusOK
	if strings.TrimSpace(v.Mailbox) != "" || c.QueryParam("day") != "" {
		hist, err := h.store.MailboxAccessHistoryOn(c.Request().Context(), v.Mailbox, v.Day)
		if ve, ok := models.AsValidation(err); ok {
			v.Errors, status = ve.Fields, http.StatusUnprocessableEntity
		} else if err != nil {
			return err
		}
		v.History = hist
	}
	return render(c, status, views.AccessHistoryPage(v), nil)
}
