package models

import (
	"context"
	"encoding/json"
	"errors"
	"time"

	"gorm.io/gorm"
)

// Bulk jobs: a change to many people at once ("Select all N people that match" on
// Active users, or a grant to everyone in a filtered Mailbox access report) runs in
// the background as a job. A job is one write transaction, so a failure anywhere
// leaves nothing half-done, with an audit entry per person as the interactive
// changes write them. The job stays in the jobs table, so the page can be left and
// the job found again; the page polls the job's progress.
//
// Every instance has a JobRunner (jobs_runner.go). A runner claims the oldest job
// not finished, and only when it is queued or left behind by an instance that is
// gone, so jobs run one at a time across all instances, in the order they were asked
// for, and two jobs on the same people queue instead of interleaving. The claim is
// one conditional UPDATE (PostgreSQL) or an UPDATE under the write lock (SQLite).
//
// A job whose instance stopped or died is run again from the start: its transaction
// never committed, so nothing of it was changed. The transaction itself marks the
// job done, and only while the job is still claimed by its runner, so a job is
// never changed twice: a runner that lost its claim rolls back.
//
// PostgreSQL (several instances): the running instance refreshes the claim's
// heartbeat and writes the progress every jobTick from outside the job's
// transaction (which holds the write lock, not the jobs row); a running job whose
// heartbeat is older than the lease is claimable again, and every instance reads
// the progress from the row. Idle runners look for jobs every poll, so a job asked
// of a busy or gone instance is run by another. SQLite (one instance per database
// file): the job's transaction holds the one write lock, so there is no heartbeat;
// the progress is kept in memory, and a job found running when a runner starts,
// claimed by no runner alive in this process, is claimed again.

// JobKind says what a job does.
type JobKind string

// The kinds of job.
const (
	// JobUsers applies a bulk action to everyone Active users lists for a search and filter.
	JobUsers JobKind = "users"
	// JobGrant gives a right on one mailbox to every person in a filtered Mailbox access report.
	JobGrant JobKind = "grant"
)

// JobState is where a job is.
type JobState string

// The states of a job.
const (
	JobQueued  JobState = "queued"
	JobRunning JobState = "running"
	JobDone    JobState = "done"
	JobFailed  JobState = "failed"
)

// Job is a bulk change that runs in the background.
type Job struct {
	ID      uint     `gorm:"primaryKey"`
	Kind    JobKind  `gorm:"not null"`
	ActorID uint     `gorm:"not null;index"`
	State   JobState `gorm:"not null;index"`
	// Params is the job's request as JSON (JobParams).
	Params string `gorm:"not null"`
	// Target names what the job acts on, for the list: the mailbox of a grant.
	Target string `gorm:"not null;default:''"`
	Total  int    `gorm:"not null;default:0"`
	// Done counts the people changed or checked so far. While the job runs its
	// instance keeps it in memory and, on PostgreSQL, writes it here every jobTick
	// (its transaction is not visible until it ends).
	Done      int `gorm:"not null;default:0"`
	Changed   int `gorm:"not null;default:0"`
	Unchanged int `gorm:"not null;default:0"`
	// ErrorKey is the message key of why a job failed, with its arguments as JSON.
	ErrorKey   string `gorm:"not null;default:''"`
	ErrorArgs  string `gorm:"not null;default:''"`
	CreatedAt  time.Time
	StartedAt  *time.Time
	FinishedAt *time.Time
	// ClaimedBy names the runner (instance) running the job; HeartbeatAt is when it
	// last said it still does (PostgreSQL; on the database's clock).
	ClaimedBy   string `gorm:"not null;default:''"`
	HeartbeatAt *time.Time
}

// JobParams is what a job was asked to do.
type JobParams struct {
	Actor Admin `json:"actor"`
	// Users: the action and the list it applies to.
	Action    BulkAction `json:"action,omitempty"`
	LicenseID uint       `json:"license_id,omitempty"`
	Search    string     `json:"search,omitempty"`
	Filter    UserFilter `json:"filter,omitempty"`
	// Grant: the right on the mailbox, and the report whose people get it.
	MailboxID   uint              `json:"mailbox_id,omitempty"`
	Right       Right             `json:"right,omitempty"`
	AutoMapping bool              `json:"automapping,omitempty"`
	Report      AccessReportQuery `json:"report"`
}

// Percent is how far the job has got, 0 to 100.
func (j *Job) Percent() int {
	switch {
	case j.State == JobDone:
		return 100
	case j.Total <= 0:
		return 0
	}
	return min(100, j.Done*100/j.Total)
}

// Finished reports whether the job has ended, well or not.
func (j *Job) Finished() bool { return j.State == JobDone || j.State == JobFailed }

// Decoded returns the job's request.
func (j *Job) Decoded() JobParams {
	var p JobParams
	_ = json.Unmarshal([]byte(j.Params), &p)
	return p
}

// progressKey carries a Progress in a context.
type progressKey struct{}

// Progress is told how many of a long change's steps are done; an error from it
// stops the change, and its transaction rolls back.
type Progress func(done, total int) error

// WithProgress returns a context whose long changes (bulk actions, grants) report
// their steps to p.
func WithProgress(ctx context.Context, p Progress) context.Context {
	return context.WithValue(ctx, progressKey{}, p)
}

// stepDone tells the context's Progress, if any, that a step is done.
func stepDone(ctx context.Context, done, total int) error {
	if p, ok := ctx.Value(progressKey{}).(Progress); ok {
		return p(done, total)
	}
	return nil
}

// jobCommitKey carries a jobCommit in a context.
type jobCommitKey struct{}

// jobCommit is run by a job's change inside its transaction, after the last
// person, with what the change did: it marks the job done in the same
// transaction, or refuses (and so rolls it back) when the job is no longer the
// runner's.
type jobCommit func(tx *gorm.DB, changed, unchanged int) error

// commitJob runs the context's jobCommit, if any.
func commitJob(ctx context.Context, tx *gorm.DB, changed, unchanged int) error {
	if c, ok := ctx.Value(jobCommitKey{}).(jobCommit); ok {
		return c(tx, changed, unchanged)
	}
	return nil
}

// EnqueueUsersJob queues a bulk action on everyone Active users lists for the
// search and filter. The rights are checked now, and again for every person when
// the job runs.
func (r *JobRunner) EnqueueUsersJob(ctx context.Context, actor *Admin, action BulkAction, licenseID uint, q UserQuery) (*Job, error) {
	if !actor.Can(action.change().action) {
		return nil, ErrForbidden
	}
	if action.NeedsLicense() {
		if _, err := r.store.License(ctx, licenseID); errors.Is(err, ErrNotFound) {
			return nil, ErrUnknownLicense
		} else if err != nil {
			return nil, err
		}
	}
	return r.enqueue(ctx, JobUsers, "", JobParams{Actor: *actor, Action: action, LicenseID: licenseID, Search: q.Search, Filter: q.Filter})
}

// EnqueueGrantJob queues a grant of a right on a mailbox to every person in the
// filtered Mailbox access report (groups are not given the right: their members
// are in the report as people; deleted people are left out).
func (r *JobRunner) EnqueueGrantJob(ctx context.Context, actor *Admin, mailboxAddress string, right Right, autoMapping bool, q AccessReportQuery) (*Job, error) {
	if !actor.Can(ActionManagePermissions) {
		return nil, ErrForbidden
	}
	if !right.valid() {
		return nil, Invalid("right", "perm.error.right", nil)
	}
	ve := &ValidationError{}
	var mb *MailboxRef
	if fe := CheckText(mailboxAddress, false); fe != nil {
		ve.Add("mailbox", fe.Key, fe.Args)
	} else if mailboxAddress == "" {
		ve.Add("mailbox", "reports.error.mailbox_required", nil)
	} else {
		var err error
		mb, err = r.store.mailboxRef(ctx, "m.recipient_id IN (SELECT e.recipient_id FROM email_addresses e WHERE e.normalized = ?)", normalizeSearch(mailboxAddress))
		if errors.Is(err, ErrNotFound) {
			ve.Add("mailbox", "reports.error.no_mailbox", map[string]any{"Address": mailboxAddress})
		} else if err != nil {
			return nil, err
		}
	}
	if len(ve.Fields) > 0 {
		return nil, ve
	}
	q.After, q.Size = "", 0
	return r.enqueue(ctx, JobGrant, mb.DisplayName, JobParams{Actor: *actor, MailboxID: mb.ID, Right: right, AutoMapping: autoMapping, Report: q})
}

func (r Right) valid() bool {
	for _, x := range Rights {
		if x == r {
			return true
		}
	}
	return false
}

// ErrorArgsMap returns the arguments of the job's error message.
func (j *Job) ErrorArgsMap() map[string]any {
	if j.ErrorArgs == "" {
		return nil
	}
	var m map[string]any
	_ = json.Unmarshal([]byte(j.ErrorArgs), &m)
	return m
}

// CountUsersMatching counts everyone Active users lists for a search and filter
// (not capped, unlike the list's count), for "Select all N people that match".
func (s *Store) CountUsersMatching(ctx context.Context, q UserQuery) (int, error) {
	n := 0
	err := s.EachUser(ctx, q, func(UserRow) error { n++; return nil })
	return n, err
}
