package models

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"sync"
	"time"

	"gorm.io/gorm"
)

// Bulk jobs: a change to many people at once ("Select all N people that match" on
// Active users, or a grant to everyone in a filtered Mailbox access report) runs in
// the background as a job. A job is one write transaction, so a failure anywhere
// leaves nothing half-done, with an audit entry per person as the interactive
// changes write them. Jobs run one after another in the order they were asked for
// (a JobRunner per instance; across instances the write lock keeps two jobs'
// transactions apart), so two jobs on the same people queue instead of
// interleaving. The page polls the job's progress; the job stays in the jobs table,
// so the page can be left and the job found again.

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
	// Done counts the people changed or checked so far; it is kept in memory while
	// the job runs (its transaction is not visible until it ends).
	Done      int `gorm:"not null;default:0"`
	Changed   int `gorm:"not null;default:0"`
	Unchanged int `gorm:"not null;default:0"`
	// ErrorKey is the message key of why a job failed, with its arguments as JSON.
	ErrorKey   string `gorm:"not null;default:''"`
	ErrorArgs  string `gorm:"not null;default:''"`
	CreatedAt  time.Time
	StartedAt  *time.Time
	FinishedAt *time.Time
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

// ErrJobQueueFull is returned when too many jobs are waiting.
var ErrJobQueueFull = errors.New("too many jobs waiting")

// JobRunner runs the jobs of one server, one at a time, in order.
type JobRunner struct {
	store *Store
	queue chan uint
	mu    sync.Mutex
	// progress is the Done count of the running job, which its transaction hides.
	progress map[uint]int
	// hook, for tests, runs before each job.
	hook func(id uint)
	wg   sync.WaitGroup
}

// NewJobRunner starts a runner for the store's jobs; it stops when ctx ends. (A job
// still queued or running when its instance stops stays so: its transaction never
// committed, so nothing of it was changed.)
func NewJobRunner(ctx context.Context, s *Store) *JobRunner {
	r := &JobRunner{store: s, queue: make(chan uint, 256), progress: map[uint]int{}}
	r.wg.Add(1)
	go r.loop(ctx)
	return r
}

func (r *JobRunner) loop(ctx context.Context) {
	defer r.wg.Done()
	for {
		select {
		case <-ctx.Done():
			return
		case id := <-r.queue:
			if r.hook != nil {
				r.hook(id)
			}
			r.run(context.WithoutCancel(ctx), id)
		}
	}
}

// Wait blocks until the runner has stopped (its context ended).
func (r *JobRunner) Wait() { r.wg.Wait() }

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

func (r *JobRunner) enqueue(ctx context.Context, kind JobKind, target string, p JobParams) (*Job, error) {
	b, err := json.Marshal(p)
	if err != nil {
		return nil, fmt.Errorf("encode job: %w", err)
	}
	j := &Job{Kind: kind, ActorID: p.Actor.UserID, State: JobQueued, Params: string(b), Target: target, CreatedAt: r.store.Now()}
	if err := r.store.write(ctx, func(tx *gorm.DB) error { return tx.Create(j).Error }); err != nil {
		return nil, fmt.Errorf("queue job: %w", err)
	}
	select {
	case r.queue <- j.ID:
		return j, nil
	default:
		_ = r.finish(ctx, j.ID, JobFailed, 0, 0, "jobs.error.queue_full", nil)
		return nil, ErrJobQueueFull
	}
}

// Job returns a job the admin asked for, with the progress of a running one.
func (r *JobRunner) Job(ctx context.Context, actor *Admin, id uint) (*Job, error) {
	var j Job
	if err := r.store.db.WithContext(ctx).Where("id = ? AND actor_id = ?", id, actor.UserID).First(&j).Error; err != nil {
		return nil, notFound(err, "job")
	}
	r.mu.Lock()
	if done, ok := r.progress[id]; ok && j.State == JobRunning {
		j.Done = done
	}
	r.mu.Unlock()
	return &j, nil
}

// Jobs lists the admin's most recent jobs, newest first.
func (r *JobRunner) Jobs(ctx context.Context, actor *Admin) ([]Job, error) {
	var out []Job
	if err := r.store.db.WithContext(ctx).Where("actor_id = ?", actor.UserID).Order("id DESC").Limit(50).Find(&out).Error; err != nil {
		return nil, fmt.Errorf("list jobs: %w", err)
	}
	r.mu.Lock()
	defer r.mu.Unlock()
	for i := range out {
		if done, ok := r.progress[out[i].ID]; ok && out[i].State == JobRunning {
			out[i].Done = done
		}
	}
	return out, nil
}

// run does one job: it resolves who the job applies to, then makes the change in
// one transaction, counting progress in memory.
func (r *JobRunner) run(ctx context.Context, id uint) {
	s := r.store
	var j Job
	if err := s.db.WithContext(ctx).First(&j, id).Error; err != nil {
		return
	}
	p := j.Decoded()
	now := s.Now()
	if err := s.write(ctx, func(tx *gorm.DB) error {
		return tx.Model(&Job{}).Where("id = ?", id).Updates(map[string]any{"state": JobRunning, "started_at": now}).Error
	}); err != nil {
		return
	}
	var ids []uint
	var err error
	switch j.Kind {
	case JobUsers:
		err = s.EachUser(ctx, UserQuery{Search: p.Search, Filter: p.Filter}, func(u UserRow) error {
			ids = append(ids, u.ID)
			return nil
		})
	case JobGrant:
		seen := map[uint]bool{}
		p.Report.Sort = SortByMailbox
		err = s.EachMailboxAccess(ctx, p.Report, func(a AccessReportRow) error {
			if a.HolderKind == KindUser && !a.HolderDeleted && !seen[a.HolderID] {
				seen[a.HolderID] = true
				ids = append(ids, a.HolderID)
			}
			return nil
		})
	}
	if err == nil && len(ids) == 0 {
		_ = r.finish(ctx, id, JobDone, 0, 0, "", nil)
		return
	}
	if err != nil {
		_ = r.finish(ctx, id, JobFailed, 0, 0, "jobs.error.failed", nil)
		return
	}
	if err := s.write(ctx, func(tx *gorm.DB) error {
		return tx.Model(&Job{}).Where("id = ?", id).Update("total", len(ids)).Error
	}); err != nil {
		return
	}
	r.setProgress(id, 0)
	pctx := WithProgress(ctx, func(done, _ int) error {
		r.setProgress(id, done)
		return stepDone(ctx, done, len(ids)) // a test's own Progress, if any
	})
	changed, unchanged := 0, 0
	switch j.Kind {
	case JobUsers:
		var res *BulkResult
		res, err = s.Bulk(pctx, &p.Actor, BulkRequest{Action: p.Action, UserIDs: ids, LicenseID: p.LicenseID})
		if err == nil {
			changed, unchanged = len(res.Changed), len(res.Unchanged)
		}
	case JobGrant:
		var res *GrantResult
		res, err = s.GrantPermissions(pctx, &p.Actor, GrantRequest{MailboxID: p.MailboxID, Right: p.Right, TrusteeIDs: ids, AutoMapping: p.AutoMapping})
		if err == nil {
			changed, unchanged = res.Added, len(ids)-res.Added
		}
	}
	r.mu.Lock()
	delete(r.progress, id)
	r.mu.Unlock()
	if err != nil {
		key, args := "jobs.error.failed", map[string]any(nil)
		if ve, ok := AsValidation(err); ok {
			fe := ve.First()
			key, args = fe.Key, fe.Args
		} else if errors.Is(err, ErrForbidden) {
			key = "jobs.error.forbidden"
		}
		_ = r.finish(ctx, id, JobFailed, 0, 0, key, args)
		return
	}
	_ = r.finish(ctx, id, JobDone, changed, unchanged, "", nil)
}

func (r *JobRunner) setProgress(id uint, done int) {
	r.mu.Lock()
	r.progress[id] = done
	r.mu.Unlock()
}

// finish records how a job ended.
func (r *JobRunner) finish(ctx context.Context, id uint, state JobState, changed, unchanged int, key string, args map[string]any) error {
	var argJSON string
	if args != nil {
		b, _ := json.Marshal(args)
		argJSON = string(b)
	}
	now := r.store.Now()
	upd := map[string]any{"state": state, "changed": changed, "unchanged": unchanged, "error_key": key, "error_args": argJSON, "finished_at": now}
	if state == JobDone {
		upd["done"] = gorm.Expr("total")
	}
	return r.store.write(ctx, func(tx *gorm.DB) error { return tx.Model(&Job{}).Where("id = ?", id).Updates(upd).Error })
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
