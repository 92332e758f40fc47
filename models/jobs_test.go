package models

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"
)

// waitJob polls a job until it ends.
func waitJob(t *testing.T, r *JobRunner, actor *Admin, id uint) *Job {
	t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for time.Now().Before(deadline) {
		j, err := r.Job(context.Background(), actor, id)
		if err != nil {
			t.Fatal(err)
		}
		if j.Finished() {
			return j
		}
		time.Sleep(5 * time.Millisecond)
	}
	t.Fatalf("job %d did not finish", id)
	return nil
}

func newRunner(t *testing.T, ctx context.Context, s *Store) *JobRunner {
	t.Helper()
	ctx, cancel := context.WithCancel(ctx)
	r := NewJobRunner(ctx, s)
	t.Cleanup(func() { cancel(); r.Wait() })
	return r
}

func (f *fixture) auditCount(action string) int64 {
	f.t.Helper()
	var n int64
	if err := f.s.db.Model(&AuditEvent{}).Where("action = ?", action).Count(&n).Error; err != nil {
		f.t.Fatal(err)
	}
	return n
}

// TestUsersJob blocks everyone a search matches (not only a page of them), with an
// audit entry per person and progress to 100%.
func TestUsersJob(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	r := newRunner(t, ctx, f.s)
	before := f.auditCount("user.sign_in_blocked")
	j, err := r.EnqueueUsersJob(ctx, f.admin, BulkBlock, 0, UserQuery{Search: "jo"})
	if err != nil {
		t.Fatal(err)
	}
	j = waitJob(t, r, f.admin, j.ID)
	if j.State != JobDone || j.Total != 2 || j.Done != 2 || j.Percent() != 100 || j.Changed != 2 || j.Unchanged != 0 {
		t.Fatalf("job: %+v", j)
	}
	if n := f.auditCount("user.sign_in_blocked") - before; n != 2 {
		t.Errorf("%d audit entries, want one per person", n)
	}
	for _, addr := range []string{"johannal@contoso.com", "jonis@contoso.com"} {
		u, _ := f.s.User(ctx, f.user(addr))
		if !u.SignInBlocked {
			t.Errorf("%s not blocked", addr)
		}
	}
	// The same again changes nobody; the summary says so.
	j, _ = r.EnqueueUsersJob(ctx, f.admin, BulkBlock, 0, UserQuery{Search: "jo"})
	if j = waitJob(t, r, f.admin, j.ID); j.Changed != 0 || j.Unchanged != 2 {
		t.Errorf("again: %+v", j)
	}
	// Another admin can't see the job; a Global reader can't start one.
	other := &Admin{UserID: f.admin.UserID + 1000, Roles: []Role{RoleGlobalAdmin}}
	if _, err := r.Job(ctx, other, j.ID); !errors.Is(err, ErrNotFound) {
		t.Errorf("someone else's job: %v", err)
	}
	if _, err := r.EnqueueUsersJob(ctx, as(RoleGlobalReader), BulkBlock, 0, UserQuery{}); !errors.Is(err, ErrForbidden) {
		t.Errorf("reader: %v", err)
	}
}

// grantSetup gives Send as on Megan's mailbox to MarketingSG (Megan, Alex) and
// Diego: the report filtered to it lists three people.
func grantSetup(t *testing.T, f *fixture) AccessReportQuery {
	t.Helper()
	if _, err := f.grant("meganb@contoso.com", RightSendAs, "marketingsg@contoso.com", "diegos@contoso.com"); err != nil {
		t.Fatal(err)
	}
	return AccessReportQuery{Mailbox: "megan bowen", Right: RightSendAs}
}

func TestGrantJob(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	q := grantSetup(t, f)
	r := newRunner(t, ctx, f.s)
	before := f.auditCount("mailbox_permission.add")
	j, err := r.EnqueueGrantJob(ctx, f.admin, "info@contoso.com", RightFullAccess, false, q)
	if err != nil {
		t.Fatal(err)
	}
	j = waitJob(t, r, f.admin, j.ID)
	if j.State != JobDone || j.Total != 3 || j.Percent() != 100 || j.Changed != 3 || j.Target != "Info" {
		t.Fatalf("job: %+v", j)
	}
	if n := f.auditCount("mailbox_permission.add") - before; n != 3 {
		t.Errorf("%d audit entries", n)
	}
	got := f.holders("info@contoso.com", RightFullAccess)
	want := []string{"Adele Vance", "Alex Wilber", "Diego Siciliani", "Megan Bowen"}
	if len(got) != len(want) {
		t.Fatalf("holders %q", got)
	}
	for i := range want {
		if got[i] != want[i] {
			t.Fatalf("holders %q", got)
		}
	}
	for _, c := range []struct {
		addr string
		key  string
	}{{"", "reports.error.mailbox_required"}, {"nobody@contoso.com", "reports.error.no_mailbox"}} {
		_, err := r.EnqueueGrantJob(ctx, f.admin, c.addr, RightFullAccess, false, q)
		if fieldKey(err, "mailbox") != c.key {
			t.Errorf("%q: %v", c.addr, err)
		}
	}
	if _, err := r.EnqueueGrantJob(ctx, as(RoleHelpdeskAdmin), "info@contoso.com", RightFullAccess, false, q); !errors.Is(err, ErrForbidden) {
		t.Errorf("helpdesk: %v", err)
	}
}

// TestJobFailureInTheMiddle stops a grant after two of three people: nothing of
// it stays, no audit entry either, and the job says it failed.
func TestJobFailureInTheMiddle(t *testing.T) {
	f := newFixture(t)
	q := grantSetup(t, f)
	boom := errors.New("disk full")
	ctx := WithProgress(context.Background(), func(done, _ int) error {
		if done == 2 {
			return boom
		}
		return nil
	})
	r := newRunner(t, ctx, f.s)
	before := f.fingerprintWithoutJobs()
	j, err := r.EnqueueGrantJob(context.Background(), f.admin, "info@contoso.com", RightFullAccess, false, q)
	if err != nil {
		t.Fatal(err)
	}
	j = waitJob(t, r, f.admin, j.ID)
	if j.State != JobFailed || j.ErrorKey != "jobs.error.failed" || j.Changed != 0 {
		t.Fatalf("job: %+v", j)
	}
	if after := f.fingerprintWithoutJobs(); after != before {
		t.Error("a failed job changed something")
	}
	if got := f.holders("info@contoso.com", RightFullAccess); len(got) != 1 {
		t.Errorf("holders %q", got)
	}
	// A users job fails the same way.
	j, _ = r.EnqueueUsersJob(context.Background(), f.admin, BulkBlock, 0, UserQuery{Search: "jo"})
	if j = waitJob(t, r, f.admin, j.ID); j.State != JobFailed || f.fingerprintWithoutJobs() != before {
		t.Errorf("users job: %+v", j)
	}
}

// fingerprintWithoutJobs is the database's fingerprint but for the jobs table.
func (f *fixture) fingerprintWithoutJobs() string {
	f.t.Helper()
	var jobs []Job
	f.s.db.Find(&jobs)
	f.s.db.Exec("DELETE FROM jobs")
	fp := f.fingerprint()
	for i := range jobs {
		f.s.db.Create(&jobs[i])
	}
	return fp
}

// TestSecondJobWaits holds the first job in the middle of its change: it shows its
// progress, and a second job on the same people starts only after it has ended, so
// the two never interleave.
func TestSecondJobWaits(t *testing.T) {
	f := newFixture(t)
	q := grantSetup(t, f)
	started, release := make(chan struct{}), make(chan struct{})
	first := true
	ctx := WithProgress(context.Background(), func(done, _ int) error {
		if first && done == 1 {
			first = false
			close(started)
			<-release
		}
		return nil
	})
	r := newRunner(t, ctx, f.s)
	one, err := r.EnqueueGrantJob(context.Background(), f.admin, "info@contoso.com", RightFullAccess, false, q)
	if err != nil {
		t.Fatal(err)
	}
	<-started
	j, err := r.Job(context.Background(), f.admin, one.ID)
	if err != nil || j.State != JobRunning || j.Done != 1 || j.Total != 3 || j.Percent() != 33 {
		t.Fatalf("running: %+v %v", j, err)
	}
	second := make(chan *Job)
	go func() {
		j, err := r.EnqueueGrantJob(context.Background(), f.admin, "info@contoso.com", RightSendAs, false, q)
		if err != nil {
			t.Error(err)
		}
		second <- j
	}()
	close(release)
	two := <-second
	a, b := waitJob(t, r, f.admin, one.ID), waitJob(t, r, f.admin, two.ID)
	if a.State != JobDone || b.State != JobDone || b.StartedAt.Before(*a.FinishedAt) {
		t.Fatalf("order: %+v %+v", a, b)
	}
	// Every audit entry of the first job comes before every entry of the second.
	var rights []string
	f.s.db.Model(&AuditEvent{}).Where("action = ? AND target = ?", "mailbox_permission.add", "Info").Order("id").Pluck("after", &rights)
	seenSendAs := false
	for _, r := range rights {
		isSendAs := strings.Contains(r, `"right":"SendAs"`)
		if seenSendAs && !isSendAs {
			t.Fatalf("interleaved: %q", rights)
		}
		seenSendAs = seenSendAs || isSendAs
	}
	if len(rights) != 6 {
		t.Errorf("%d entries", len(rights))
	}
}
