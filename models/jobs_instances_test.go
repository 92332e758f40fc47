package models

import (
	"context"
	"sync"
	"testing"
	"time"

	"github.com/contoso/admincenter/models/dbtest"
)

// fastJobs are the runner timings for tests: quick ticks and polls. The lease stays
// long, so a loaded machine never lets one run out; a test that needs an instance
// gone leaves its heartbeat an hour old (abandon).
var fastJobs = jobTiming{tick: 10 * time.Millisecond, lease: 5 * time.Second, poll: 20 * time.Millisecond}

// jobInstances opens the demo tenant twice on one PostgreSQL database.
func jobInstances(t *testing.T) (*fixture, *Store) {
	t.Helper()
	if !dbtest.Postgres() {
		t.Skip("several instances share a database only on PostgreSQL; `make test` runs this test under .ci/with-postgres")
	}
	ctx := context.Background()
	dsn := dbtest.DSN(t, "shared")
	one, err := Open(ctx, dsn, fastHashing)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { one.Close() })
	if err := one.SeedDemo(ctx, testPassword); err != nil {
		t.Fatal(err)
	}
	two, err := Open(ctx, dsn, fastHashing)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { two.Close() })
	admin, err := one.Authenticate(ctx, "admin@contoso.com", testPassword)
	if err != nil {
		t.Fatal(err)
	}
	return &fixture{t: t, s: one, admin: admin}, two
}

// recv waits for a value from c, failing the test after a while instead of hanging.
func recv[T any](t *testing.T, c <-chan T, what string) {
	t.Helper()
	select {
	case <-c:
	case <-time.After(10 * time.Second):
		t.Fatalf("waited in vain for %s", what)
	}
}

func startRunner(t *testing.T, ctx context.Context, s *Store, hook func(uint)) *JobRunner {
	t.Helper()
	ctx, cancel := context.WithCancel(ctx)
	r := startJobRunner(ctx, s, fastJobs, hook)
	t.Cleanup(func() { cancel(); r.Wait() })
	return r
}

// TestTwoRunnersNeverRunTheSameJob queues jobs on two instances at once: every job
// is claimed once, they run one at a time in the order they were asked for, and
// every person is changed once per job.
func TestTwoRunnersNeverRunTheSameJob(t *testing.T) {
	f, two := jobInstances(t)
	ctx := context.Background()
	var mu sync.Mutex
	runs := map[uint]int{}
	count := func(id uint) { mu.Lock(); runs[id]++; mu.Unlock() }
	before := f.auditCount("user.sign_in_blocked") // blocking and unblocking both write it
	runners := []*JobRunner{startRunner(t, ctx, f.s, count), startRunner(t, ctx, two, count)}
	var ids []uint
	for i := range 8 {
		action := BulkBlock
		if i%2 == 1 {
			action = BulkUnblock
		}
		j, err := runners[i%2].EnqueueUsersJob(ctx, f.admin, action, 0, UserQuery{Search: "jo"})
		if err != nil {
			t.Fatal(err)
		}
		ids = append(ids, j.ID)
	}
	var prev *Job
	for _, id := range ids {
		j := waitJob(t, runners[0], f.admin, id)
		if j.State != JobDone || j.Changed != 2 {
			t.Fatalf("job %d: %+v", id, j)
		}
		if prev != nil && j.StartedAt.Before(*prev.FinishedAt) {
			t.Errorf("job %d started before job %d ended", id, prev.ID)
		}
		prev = j
	}
	mu.Lock()
	defer mu.Unlock()
	for _, id := range ids {
		if runs[id] != 1 {
			t.Errorf("job %d ran %d times", id, runs[id])
		}
	}
	if n := f.auditCount("user.sign_in_blocked") - before; n != 16 {
		t.Errorf("%d audit entries, want one per person per job", n)
	}
}

// TestProgressSeenOnAnotherInstance holds a job in the middle on instance one;
// instance two's page sees how far it has got.
func TestProgressSeenOnAnotherInstance(t *testing.T) {
	f, two := jobInstances(t)
	q := grantSetup(t, f)
	held, release := make(chan struct{}), make(chan struct{})
	var once sync.Once
	ctx := WithProgress(context.Background(), func(done, _ int) error {
		if done == 2 {
			once.Do(func() { close(held); <-release })
		}
		return nil
	})
	one := startRunner(t, ctx, f.s, nil)
	j, err := one.EnqueueGrantJob(context.Background(), f.admin, "info@contoso.com", RightFullAccess, false, q)
	if err != nil {
		t.Fatal(err)
	}
	recv(t, held, "the job to reach the second person")
	// Started now, so that instance one runs the job (instance two would not hold it).
	other := startRunner(t, context.Background(), two, nil)
	deadline := time.Now().Add(5 * time.Second)
	for {
		got, err := other.Job(context.Background(), f.admin, j.ID)
		if err != nil {
			t.Fatal(err)
		}
		if got.State == JobRunning && got.Done == 2 && got.Total == 3 && got.Percent() == 66 {
			break
		}
		if time.Now().After(deadline) {
			close(release)
			t.Fatalf("instance two sees %+v", got)
		}
		time.Sleep(5 * time.Millisecond)
	}
	close(release)
	if got := waitJob(t, other, f.admin, j.ID); got.State != JobDone || got.Done != 3 {
		t.Fatalf("done: %+v", got)
	}
}

// TestLostClaimRollsBack: when another instance has claimed a job (the runner's
// lease ran out, say it hung), the runner's transaction rolls back instead of
// committing; the job is changed once, by whoever holds the claim.
func TestLostClaimRollsBack(t *testing.T) {
	f, _ := jobInstances(t)
	q := grantSetup(t, f)
	before, fp := f.auditCount("mailbox_permission.add"), f.fingerprintWithoutJobs()
	held, release := make(chan struct{}), make(chan struct{})
	var once sync.Once
	ctx := WithProgress(context.Background(), func(done, _ int) error {
		if done == 3 { // the last person: next comes the commit
			once.Do(func() { close(held); <-release })
		}
		return nil
	})
	claims, proceed := make(chan uint, 2), make(chan struct{})
	n := 0
	r := startRunner(t, ctx, f.s, func(id uint) {
		claims <- id
		if n++; n == 2 {
			<-proceed
		}
	})
	var closeProceed sync.Once
	t.Cleanup(func() { closeProceed.Do(func() { close(proceed) }) })
	j, err := r.EnqueueGrantJob(context.Background(), f.admin, "info@contoso.com", RightFullAccess, false, q)
	if err != nil {
		t.Fatal(err)
	}
	recv(t, claims, "the claim")
	recv(t, held, "the last person")
	// The claim passes to an instance that is gone in turn.
	f.abandon(j.ID, "taken-over")
	close(release)
	// The runner claims the job again, left behind as it is: its first run has ended.
	recv(t, claims, "the job claimed again (the first run committed?)")
	if f.fingerprintWithoutJobs() != fp {
		t.Fatal("the runner that lost its claim changed something")
	}
	closeProceed.Do(func() { close(proceed) })
	if got := waitJob(t, r, f.admin, j.ID); got.State != JobDone || got.Changed != 3 {
		t.Fatalf("done: %+v", got)
	}
	f.grantedOnce(before)
}
