package web

import (
	"context"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"

	"github.com/contoso/admincenter/models"
	"github.com/contoso/admincenter/models/dbtest"
)

// TestBulkJobAfterRestart starts a bulk job on an instance whose runner has stopped
// (it is shutting down): the job's page says it waits. The instance restarts on the
// same database; the new one runs the job, and the same page shows it finished.
func TestBulkJobAfterRestart(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	dsn := dbtest.DSN(t, "restart")
	log := slog.New(slog.NewTextHandler(io.Discard, nil))

	store, err := models.Open(ctx, dsn, fastHashing)
	if err != nil {
		t.Fatal(err)
	}
	if err := store.SeedDemo(ctx, testPassword); err != nil {
		t.Fatal(err)
	}
	stopped, stop := context.WithCancel(ctx)
	stop()
	cfg := DefaultConfig()
	cfg.Jobs = models.NewJobRunner(stopped, store)
	cfg.Jobs.Wait()
	srv := httptest.NewServer(New(cfg, store, log))
	a := &app{t: t, store: store, srv: srv, client: newClient()}
	a.signInAdmin()
	tok := a.csrf("/users")
	r := a.post("/users/bulk-all", url.Values{"_csrf": {tok}, "action": {"block"}, "q": {"jo"}, "filter": {"all"}, "confirm": {"on"}})
	loc := r.header.Get("Location")
	if r.status != http.StatusSeeOther || !strings.HasPrefix(loc, "/jobs/") {
		t.Fatalf("start: %d %s", r.status, loc)
	}
	r = a.get(loc, "HX-Request", "true")
	if _, polling := r.doc.Find("#job-progress").Attr("hx-trigger"); !polling || !strings.Contains(text(r, "#job-progress"), "Waiting for the job before it to finish") {
		t.Fatalf("before the restart: %s", text(r, "#job-progress"))
	}
	srv.Close()
	store.Close()

	// The restarted instance, with its own runner.
	store, err = models.Open(ctx, dsn, fastHashing)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { store.Close() })
	srv = httptest.NewServer(New(DefaultConfig(), store, log))
	t.Cleanup(srv.Close)
	a = &app{t: t, store: store, srv: srv, client: newClient()}
	a.signInAdmin()
	r = a.waitJobPage(loc)
	if v, _ := r.doc.Find("progress").Attr("value"); v != "100" || !strings.Contains(text(r, "[role=status]"), "2 people changed.") {
		t.Fatalf("after the restart: %s", text(r, "#job-progress"))
	}
	if list := a.get("/jobs"); !strings.Contains(text(list, "main"), "Finished") {
		t.Errorf("jobs list: %s", text(list, "main"))
	}
	if r := a.get(a.userPath("jonis@contoso.com")); !strings.Contains(r.body, "Sign-in blocked") {
		t.Error("Joni is not blocked")
	}
}
