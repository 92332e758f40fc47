package models

import (
	"context"
	"testing"
	"time"
)

// stoppedRunner is an instance that has stopped: the jobs asked of it stay queued.
func stoppedRunner(t *testing.T, s *Store) *JobRunner {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	r := NewJobRunner(ctx, s)
	r.Wait()
	return r
}

// abandon leaves a job as an instance that died in the middle of it does: running,
// claimed by that instance, whose heartbeat stopped an hour ago.
func (f *fixture) abandon(id uint, instance string) {
	f.t.Helper()
	old := time.Now().Add(-time.Hour).UTC()
	if err := f.s.db.Exec("UPDATE jobs SET state = ?, claimed_by = ?, heartbeat_at = ?, started_at = ?, total = 3 WHERE id = ?",
		JobRunning, instance, old, old, id).Error; err != nil {
		f.t.Fatal(err)
	}
}

// grantedOnce checks the grant of TestGrantJob was made once: one audit entry per
// person, and the four holders.
func (f *fixture) grantedOnce(before int64) {
	f.t.Helper()
	if n := f.auditCount("mailbox_permission.add") - before; n != 3 {
		f.t.Errorf("%d audit entries, want one per person", n)
	}
	if got := f.holders("info@contoso.com", RightFullAccess); len(got) != 4 {
		f.t.Errorf("holders %q", got)
	}
}

// TestQueuedJobRunsAfterRestart: a job asked of an instance that stopped before
// running it is run by the next runner that starts.
func TestQueuedJobRunsAfterRestart(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	q := grantSetup(t, f)
	before := f.auditCount("mailbox_permission.add")
	one := stoppedRunner(t, f.s)
	j, err := one.EnqueueGrantJob(ctx, f.admin, "info@contoso.com", RightFullAccess, false, q)
	if err != nil {
		t.Fatal(err)
	}
	if got, err := one.Job(ctx, f.admin, j.ID); err != nil || got.State != JobQueued {
		t.Fatalf("before the restart: %+v %v", got, err)
	}
	two := newRunner(t, ctx, f.s)
	if j = waitJob(t, two, f.admin, j.ID); j.State != JobDone || j.Changed != 3 || j.Done != 3 {
		t.Fatalf("after the restart: %+v", j)
	}
	f.grantedOnce(before)
}

// TestJobOfAGoneInstanceRunsAgain: a job left running by an instance that died
// (its transaction never committed) is run again, from the start, by a new runner,
// and every person is changed exactly once.
func TestJobOfAGoneInstanceRunsAgain(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	q := grantSetup(t, f)
	before := f.auditCount("mailbox_permission.add")
	j, err := stoppedRunner(t, f.s).EnqueueGrantJob(ctx, f.admin, "info@contoso.com", RightFullAccess, false, q)
	if err != nil {
		t.Fatal(err)
	}
	f.abandon(j.ID, "gone-instance")
	r := newRunner(t, ctx, f.s)
	if j = waitJob(t, r, f.admin, j.ID); j.State != JobDone || j.Changed != 3 || j.Unchanged != 0 {
		t.Fatalf("job: %+v", j)
	}
	f.grantedOnce(before)
}

// TestRunnerStoppedMidJob: when a runner stops in the middle of a job, the job's
// transaction rolls back, the job is queued again, and the next runner runs it once.
func TestRunnerStoppedMidJob(t *testing.T) {
	f := newFixture(t)
	q := grantSetup(t, f)
	before, fp := f.auditCount("mailbox_permission.add"), f.fingerprintWithoutJobs()
	ctx, stop := context.WithCancel(context.Background())
	one := NewJobRunner(WithProgress(ctx, func(done, _ int) error {
		if done == 2 {
			stop() // the instance shuts down
		}
		return nil
	}), f.s)
	j, err := one.EnqueueGrantJob(context.Background(), f.admin, "info@contoso.com", RightFullAccess, false, q)
	if err != nil {
		t.Fatal(err)
	}
	one.Wait()
	if got, err := one.Job(context.Background(), f.admin, j.ID); err != nil || got.State != JobQueued || got.Done != 0 {
		t.Fatalf("after the stop: %+v %v", got, err)
	}
	if f.fingerprintWithoutJobs() != fp {
		t.Fatal("a stopped job changed something")
	}
	two := newRunner(t, context.Background(), f.s)
	if j = waitJob(t, two, f.admin, j.ID); j.State != JobDone || j.Changed != 3 {
		t.Fatalf("job: %+v", j)
	}
	f.grantedOnce(before)
}
