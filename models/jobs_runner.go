package models

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"sync"
	"time"

	"gorm.io/gorm"
)

// ErrJobQueueFull is returned when too many jobs are waiting.
var ErrJobQueueFull = errors.New("too many jobs waiting")

// maxQueuedJobs is how many jobs may wait at once.
const maxQueuedJobs = 256

// errJobLost says a runner's job was claimed by another runner: its lease ran out.
var errJobLost = errors.New("the job was claimed by another instance")

// jobTiming is how often a runner writes a running job's progress and heartbeat
// (tick), how old a heartbeat must be before another runner may claim the job
// (lease, many ticks), and how often an idle runner looks for jobs (poll). The
// last two matter on PostgreSQL only.
type jobTiming struct {
	tick, lease, poll time.Duration
}

var defaultJobTiming = jobTiming{tick: 250 * time.Millisecond, lease: 10 * time.Second, poll: time.Second}

// liveRunners holds the ids of this process's running runners: on SQLite a job
// claimed by one of them is not left behind.
var liveRunners sync.Map

// JobRunner runs the store's jobs on behalf of one instance, one at a time, in the
// order they were asked for (see the package comment in jobs.go).
type JobRunner struct {
	store  *Store
	id     string
	timing jobTiming
	// wake is poked when this instance queues a job.
	wake chan struct{}
	mu   sync.Mutex
	// progress is the Done count of the job this runner runs.
	progress map[uint]int
	// hook, for tests, runs after a job is claimed, before it runs.
	hook func(id uint)
	wg   sync.WaitGroup
}

// NewJobRunner starts a runner for the store's jobs; it stops when ctx ends or the
// store closes. A job running when it stops is rolled back and queued again.
func NewJobRunner(ctx context.Context, s *Store) *JobRunner {
	return startJobRunner(ctx, s, defaultJobTiming, nil)
}

func startJobRunner(ctx context.Context, s *Store, timing jobTiming, hook func(uint)) *JobRunner {
	var b [6]byte
	_, _ = rand.Read(b[:])
	host, _ := os.Hostname()
	r := &JobRunner{store: s, id: fmt.Sprintf("%s/%d/%s", host, os.Getpid(), hex.EncodeToString(b[:])),
		timing: timing, wake: make(chan struct{}, 1), progress: map[uint]int{}, hook: hook}
	ctx, stop := context.WithCancel(ctx)
	liveRunners.Store(r.id, true)
	r.wg.Add(1)
	go func() {
		defer r.wg.Done()
		defer liveRunners.Delete(r.id)
		defer stop()
		r.loop(ctx)
	}()
	go func() {
		select {
		case <-s.closed:
			stop()
		case <-ctx.Done():
		}
	}()
	return r
}

// Wait blocks until the runner has stopped (its context ended).
func (r *JobRunner) Wait() { r.wg.Wait() }

func (r *JobRunner) loop(ctx context.Context) {
	var poll <-chan time.Time
	if r.store.postgres {
		// Other instances queue jobs too, and may die.
		t := time.NewTicker(r.timing.poll)
		defer t.Stop()
		poll = t.C
	}
	for {
		for ctx.Err() == nil {
			j, err := r.claim(ctx)
			if err != nil || j == nil {
				break
			}
			if r.hook != nil {
				r.hook(j.ID)
			}
			r.run(ctx, j)
		}
		select {
		case <-ctx.Done():
			return
		case <-r.wake:
		case <-poll:
		}
	}
}

// jobsWrite writes to the jobs table outside a job's transaction. On PostgreSQL the
// jobs rows are no rule's business, so the statement does not wait for the write
// lock the running job holds; SQLite has one writer.
func (r *JobRunner) jobsWrite(ctx context.Context, fn func(db *gorm.DB) error) error {
	if r.store.postgres {
		return fn(r.store.db.WithContext(ctx))
	}
	return r.store.write(ctx, fn)
}

// claim takes the oldest job not finished if it is queued or left behind, and
// returns it; nil when there is none to take.
func (r *JobRunner) claim(ctx context.Context) (*Job, error) {
	s := r.store
	now := s.Now()
	var id uint
	if s.postgres {
		// Most polls find the running job busy: a plain read says so without
		// locking its row.
		var claimable []bool
		if err := s.db.WithContext(ctx).Raw(`SELECT state = ? OR heartbeat_at IS NULL OR heartbeat_at < now() - make_interval(secs => ?)
			FROM jobs WHERE state IN (?, ?) ORDER BY id LIMIT 1`, JobQueued, r.timing.lease.Seconds(), JobQueued, JobRunning).Scan(&claimable).Error; err != nil {
			return nil, fmt.Errorf("claim job: %w", err)
		}
		if len(claimable) == 0 || !claimable[0] {
			return nil, nil
		}
		// The subquery locks the oldest unfinished job; one that changed meanwhile
		// (claimed, finished) is checked again, so two runners never both take it.
		var ids []uint
		if err := s.db.WithContext(ctx).Raw(`UPDATE jobs SET state = ?, claimed_by = ?, heartbeat_at = now(), started_at = ?, done = 0, total = 0
			WHERE id = (SELECT id FROM jobs WHERE state IN (?, ?) ORDER BY id LIMIT 1 FOR UPDATE)
			AND (state = ? OR heartbeat_at IS NULL OR heartbeat_at < now() - make_interval(secs => ?))
			RETURNING id`, JobRunning, r.id, now, JobQueued, JobRunning, JobQueued, r.timing.lease.Seconds()).Scan(&ids).Error; err != nil {
			return nil, fmt.Errorf("claim job: %w", err)
		}
		if len(ids) == 0 {
			return nil, nil
		}
		id = ids[0]
		// The claim may have waited for the job before to end: it starts now.
		if err := s.db.WithContext(ctx).Model(&Job{}).Where("id = ? AND claimed_by = ?", id, r.id).Update("started_at", s.Now()).Error; err != nil {
			return nil, fmt.Errorf("claim job: %w", err)
		}
	} else if err := s.write(ctx, func(tx *gorm.DB) error {
		var next Job
		if err := tx.Where("state IN ?", []JobState{JobQueued, JobRunning}).Order("id").Limit(1).Find(&next).Error; err != nil {
			return err
		}
		if next.ID == 0 {
			return nil
		}
		if _, alive := liveRunners.Load(next.ClaimedBy); next.State == JobRunning && alive {
			return nil // running here; the next waits for it
		}
		res := tx.Model(&Job{}).Where("id = ? AND state = ? AND claimed_by = ?", next.ID, next.State, next.ClaimedBy).
			Updates(map[string]any{"state": JobRunning, "claimed_by": r.id, "heartbeat_at": now, "started_at": now, "done": 0, "total": 0})
		if res.Error == nil && res.RowsAffected == 1 {
			id = next.ID
		}
		return res.Error
	}); err != nil {
		return nil, fmt.Errorf("claim job: %w", err)
	}
	if id == 0 {
		return nil, nil
	}
	var j Job
	if err := s.db.WithContext(ctx).First(&j, id).Error; err != nil {
		return nil, fmt.Errorf("claim job: %w", err)
	}
	return &j, nil
}

// run does one claimed job: it resolves who the job applies to, then makes the
// change in one transaction, which marks the job done. When the runner stops
// meanwhile the transaction rolls back and the job is queued again; when another
// runner has claimed the job (this one's lease ran out) it is left to that one.
func (r *JobRunner) run(ctx context.Context, j *Job) {
	jctx, cancel := context.WithCancel(ctx)
	defer cancel()
	r.setProgress(j.ID, 0)
	defer func() {
		r.mu.Lock()
		delete(r.progress, j.ID)
		r.mu.Unlock()
	}()
	stopBeat := r.heartbeat(jctx, j.ID, cancel)
	ids, err := r.people(jctx, j)
	if err == nil && len(ids) > 0 {
		err = r.mark(jctx, j.ID, map[string]any{"total": len(ids)})
		if err == nil {
			err = r.change(jctx, ctx, j, ids)
		}
	}
	stopBeat()
	switch {
	case err == nil && len(ids) == 0:
		_ = r.finish(ctx, j.ID, JobDone, "", nil)
	case err == nil:
		// The change's transaction marked the job done.
	case ctx.Err() != nil:
		r.release(j.ID)
	case jctx.Err() != nil, errors.Is(err, errJobLost):
		// Another runner has the job now.
	default:
		key, args := "jobs.error.failed", map[string]any(nil)
		if ve, ok := AsValidation(err); ok {
			fe := ve.First()
			key, args = fe.Key, fe.Args
		} else if errors.Is(err, ErrForbidden) {
			key = "jobs.error.forbidden"
		}
		_ = r.finish(ctx, j.ID, JobFailed, key, args)
	}
}

// people lists whom the job applies to, as the list or report shows them now.
func (r *JobRunner) people(ctx context.Context, j *Job) ([]uint, error) {
	p := j.Decoded()
	var ids []uint
	var err error
	switch j.Kind {
	case JobUsers:
		err = r.store.EachUser(ctx, UserQuery{Search: p.Search, Filter: p.Filter}, func(u UserRow) error {
			ids = append(ids, u.ID)
			return nil
		})
	case JobGrant:
		seen := map[uint]bool{}
		p.Report.Sort = SortByMailbox
		err = r.store.EachMailboxAccess(ctx, p.Report, func(a AccessReportRow) error {
			if a.HolderKind == KindUser && !a.HolderDeleted && !seen[a.HolderID] {
				seen[a.HolderID] = true
				ids = append(ids, a.HolderID)
			}
			return nil
		})
	default:
		err = fmt.Errorf("job %d: unknown kind %q", j.ID, j.Kind)
	}
	return ids, err
}

// change makes the job's change to the people in one transaction, counting its
// progress; the transaction marks the job done. outer is the runner's context,
// whose own Progress (a test's) is told too.
func (r *JobRunner) change(ctx, outer context.Context, j *Job, ids []uint) error {
	p := j.Decoded()
	total := len(ids)
	ctx = WithProgress(ctx, func(done, _ int) error {
		r.setProgress(j.ID, done)
		return stepDone(outer, done, total)
	})
	ctx = context.WithValue(ctx, jobCommitKey{}, jobCommit(func(tx *gorm.DB, changed, unchanged int) error {
		res := tx.Model(&Job{}).Where("id = ? AND claimed_by = ? AND state = ?", j.ID, r.id, JobRunning).
			Updates(map[string]any{"state": JobDone, "done": total, "changed": changed, "unchanged": unchanged, "finished_at": r.store.Now()})
		if res.Error != nil {
			return fmt.Errorf("finish job: %w", res.Error)
		}
		if res.RowsAffected == 0 {
			return errJobLost
		}
		return nil
	}))
	var err error
	switch j.Kind {
	case JobUsers:
		_, err = r.store.Bulk(ctx, &p.Actor, BulkRequest{Action: p.Action, UserIDs: ids, LicenseID: p.LicenseID})
	case JobGrant:
		_, err = r.store.GrantPermissions(ctx, &p.Actor, GrantRequest{MailboxID: p.MailboxID, Right: p.Right, TrusteeIDs: ids, AutoMapping: p.AutoMapping})
	}
	return err
}

// heartbeat, on PostgreSQL, refreshes the job's claim and writes its progress every
// tick until stopped, from its own connection; when the claim is gone it calls
// lost. SQLite has no heartbeat: the job's transaction holds the one write lock.
func (r *JobRunner) heartbeat(ctx context.Context, id uint, lost context.CancelFunc) (stop func()) {
	if !r.store.postgres {
		return func() {}
	}
	quit, ended := make(chan struct{}), make(chan struct{})
	go func() {
		defer close(ended)
		t := time.NewTicker(r.timing.tick)
		defer t.Stop()
		for {
			select {
			case <-quit:
				return
			case <-ctx.Done():
				return
			case <-t.C:
			}
			r.mu.Lock()
			done := r.progress[id]
			r.mu.Unlock()
			res := r.store.db.WithContext(ctx).Exec("UPDATE jobs SET heartbeat_at = now(), done = ? WHERE id = ? AND claimed_by = ? AND state = ?",
				done, id, r.id, JobRunning)
			if res.Error == nil && res.RowsAffected == 0 {
				lost()
				return
			}
			// An error is tried again next tick; if it lasts, the lease runs out.
		}
	}()
	return func() { close(quit); <-ended }
}

// mark updates the job while this runner holds it.
func (r *JobRunner) mark(ctx context.Context, id uint, upd map[string]any) error {
	return r.jobsWrite(ctx, func(db *gorm.DB) error {
		res := db.Model(&Job{}).Where("id = ? AND claimed_by = ? AND state = ?", id, r.id, JobRunning).Updates(upd)
		if res.Error == nil && res.RowsAffected == 0 {
			return errJobLost
		}
		return res.Error
	})
}

// finish records how a job ended, unless another runner has it now.
func (r *JobRunner) finish(ctx context.Context, id uint, state JobState, key string, args map[string]any) error {
	var argJSON string
	if args != nil {
		b, _ := json.Marshal(args)
		argJSON = string(b)
	}
	upd := map[string]any{"state": state, "error_key": key, "error_args": argJSON, "finished_at": r.store.Now()}
	if state == JobDone {
		upd["done"] = gorm.Expr("total")
	}
	return r.mark(context.WithoutCancel(ctx), id, upd)
}

// release queues a job again that this runner stopped in the middle of.
func (r *JobRunner) release(id uint) {
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	_ = r.mark(ctx, id, map[string]any{"state": JobQueued, "claimed_by": "", "heartbeat_at": nil, "started_at": nil, "done": 0, "total": 0})
}

func (r *JobRunner) setProgress(id uint, done int) {
	r.mu.Lock()
	r.progress[id] = done
	r.mu.Unlock()
}

func (r *JobRunner) enqueue(ctx context.Context, kind JobKind, target string, p JobParams) (*Job, error) {
	b, err := json.Marshal(p)
	if err != nil {
		return nil, fmt.Errorf("encode job: %w", err)
	}
	j := &Job{Kind: kind, ActorID: p.Actor.UserID, State: JobQueued, Params: string(b), Target: target, CreatedAt: r.store.Now()}
	err = r.jobsWrite(ctx, func(db *gorm.DB) error {
		var waiting int64
		if err := db.Model(&Job{}).Where("state = ?", JobQueued).Count(&waiting).Error; err != nil {
			return err
		}
		if waiting >= maxQueuedJobs {
			return ErrJobQueueFull
		}
		return db.Create(j).Error
	})
	if errors.Is(err, ErrJobQueueFull) {
		return nil, err
	}
	if err != nil {
		return nil, fmt.Errorf("queue job: %w", err)
	}
	select {
	case r.wake <- struct{}{}:
	default: // already poked
	}
	return j, nil
}

// Job returns a job the admin asked for, with the progress of a running one: this
// runner's own count, or the one its instance last wrote.
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
