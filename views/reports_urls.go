package views

import (
	"context"
	"net/url"
	"strconv"
	"strings"

	"github.com/contoso/admincenter/models"
	"github.com/contoso/admincenter/views/i18n"
)

// Addresses and view models of the Reports area: Mailbox access, Forwarding and
// Access history.

// The fixed addresses of the reports.
const (
	ReportsURL             = "/reports"
	AccessReportURL        = "/reports/mailbox-access"
	AccessReportExportURL  = "/reports/mailbox-access/export"
	ForwardReportURL       = "/reports/forwarding"
	ForwardReportExportURL = "/reports/forwarding/export"
	AccessHistoryURL       = "/reports/access-history"
)

// AccessReportParams is the state of the Mailbox access report as it travels in the URL.
type AccessReportParams struct {
	Mailbox string
	Holder  string
	Right   string
	Type    string
	Held    string
	Stale   bool
	Sort    string
	After   string
	Size    int
}

// URL is the address of the report (or of its export, at path) in this state.
func (p AccessReportParams) URL(path string) string {
	v := url.Values{}
	for k, val := range map[string]string{"mailbox": p.Mailbox, "holder": p.Holder, "right": p.Right, "type": p.Type,
		"held": p.Held, "sort": p.Sort, "after": p.After} {
		if val != "" {
			v.Set(k, val)
		}
	}
	if p.Stale {
		v.Set("stale", "1")
	}
	if p.Size != 0 && p.Size != models.DefaultPageSize {
		v.Set("size", strconv.Itoa(p.Size))
	}
	return withQuery(path, v)
}

// Page returns the state moved to the page after the cursor ("" for the first).
func (p AccessReportParams) Page(after string) AccessReportParams {
	p.After = after
	return p
}

// AccessReportView is the Mailbox access report page.
type AccessReportView struct {
	Params AccessReportParams
	Report *models.AccessReport
	Grant  GrantForm
}

// ForwardReportParams is the state of the Forwarding report as it travels in the URL.
type ForwardReportParams struct {
	Search string
	Scope  string
	State  string
	After  string
	Size   int
}

// URL is the address of the report (or of its export, at path) in this state.
func (p ForwardReportParams) URL(path string) string {
	v := listValues(p.Search, p.Size, p.After, "")
	if p.Scope != "" {
		v.Set("scope", p.Scope)
	}
	if p.State != "" {
		v.Set("state", p.State)
	}
	return withQuery(path, v)
}

// Page returns the state moved to the page after the cursor ("" for the first).
func (p ForwardReportParams) Page(after string) ForwardReportParams {
	p.After = after
	return p
}

// ForwardReportView is the Forwarding report page.
type ForwardReportView struct {
	Params ForwardReportParams
	Report *models.ForwardingReport
}

// AccessHistoryView is the Access history page: the question (a mailbox's address
// and a day) and, once asked, the answer.
type AccessHistoryView struct {
	Mailbox string
	Day     string
	Errors  map[string]models.FieldError
	History *models.AccessHistory
}

// mailboxPanelURL is the address of a panel of a mailbox's pane: the person's for a
// user mailbox, the shared mailbox's otherwise.
func mailboxPanelURL(t models.MailboxType, ownerUserID, mailboxID uint, panel string) string {
	if t == models.MailboxUser && ownerUserID != 0 {
		return UserPanelURL(ownerUserID, panel)
	}
	return SharedPanelURL(mailboxID, panel)
}

// AccessRowURL is the panel that changes a row of the Mailbox access report: the
// mailbox's panel of that right.
func AccessRowURL(r models.AccessReportRow) string {
	return mailboxPanelURL(r.MailboxType, r.OwnerUserID, r.MailboxID, PanelPermissions) + "/" + strings.ToLower(string(r.Right))
}

// ForwardRowURL is the panel that changes a row of the Forwarding report.
func ForwardRowURL(r models.ForwardingReportRow) string {
	return mailboxPanelURL(r.MailboxType, r.OwnerUserID, r.MailboxID, PanelForwarding)
}

// forwardState says what happens to a forward's mail: forwarded, bounced by the
// policy, or stopped and why.
func forwardState(ctx context.Context, r models.ForwardingReportRow) string {
	switch {
	case r.Stopped != "":
		return i18n.T(ctx, "reports.forwarding.stopped_because", "Reason", i18n.T(ctx, "forwarding_stopped."+r.Stopped))
	case r.BlockedByPolicy:
		return i18n.T(ctx, "reports.forwarding.bounces", "NDR", "5.7.520")
	}
	return i18n.T(ctx, "reports.forwarding.forwarded")
}

// The addresses of bulk jobs.
const (
	JobsURL        = "/jobs"
	BulkAllURL     = "/users/bulk-all"
	ReportGrantURL = "/reports/mailbox-access/grant"
)

// JobURL is the address of a job's page.
func JobURL(id uint) string { return JobsURL + "/" + strconv.FormatUint(uint64(id), 10) }

// GrantForm is the bulk grant of the Mailbox access report: a right on a mailbox
// for every person in the filtered list.
type GrantForm struct {
	Allowed bool
	Mailbox string
	Right   string
	Errors  map[string]models.FieldError
}

// BulkAllView confirms a bulk action on everyone Active users lists for a search
// and filter.
type BulkAllView struct {
	Action  models.BulkAction
	License *models.LicenseUsage
	Search  string
	Filter  models.UserFilter
	Count   int
}

// JobView is a job's page.
type JobView struct {
	Job *models.Job
}

// JobsView lists the admin's jobs.
type JobsView struct {
	Jobs []models.Job
}

// jobTitle says what a job does.
func jobTitle(ctx context.Context, j *models.Job) string {
	p := j.Decoded()
	if j.Kind == models.JobGrant {
		return i18n.T(ctx, "jobs.title.grant", "Right", rightName(ctx, p.Right), "Mailbox", j.Target)
	}
	return i18n.T(ctx, "jobs.title.users", "Action", i18n.T(ctx, "bulk.action."+string(p.Action)))
}
