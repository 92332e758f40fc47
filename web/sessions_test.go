package web

import (
	"context"
	"math/rand/v2"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/PuerkitoBio/goquery"
)

// as runs fn with the app's requests made by client.
func (a *app) as(client *http.Client, fn func()) {
	a.t.Helper()
	old := a.client
	a.client = client
	defer func() { a.client = old }()
	fn()
}

// formValues reads the form that posts to action on page as a browser would send
// it: hidden fields, checked boxes and radios, and text fields.
func (a *app) formValues(page, action string) url.Values {
	a.t.Helper()
	r := a.get(page)
	form := r.doc.Find(`form[action="` + action + `"]`).First()
	if form.Length() == 0 {
		a.t.Fatalf("no form posting to %s on %s (status %d)", action, page, r.status)
	}
	v := url.Values{}
	form.Find("input").Each(func(_ int, in *goquery.Selection) {
		name, _ := in.Attr("name")
		typ, _ := in.Attr("type")
		val, _ := in.Attr("value")
		if name == "" {
			return
		}
		if (typ == "checkbox" || typ == "radio") && in.AttrOr("checked", "\x00") == "\x00" {
			return
		}
		v.Add(name, val)
	})
	return v
}

// TestEndedSessionsStayEndedWithRequestsInFlight ends a signed-in admin's session in
// each of the five ways while requests of that session are running and writing the
// session back (the clock moves a minute between rounds, so each of them records
// activity). Afterwards the session's cookie must not work and the database must
// hold no session of hers: a session write never brings an ended session back.
func TestEndedSessionsStayEndedWithRequestsInFlight(t *testing.T) {
	const inFlight = 8
	const rounds = 60
	// Each action prepares its request (reading its form) before the requests in
	// flight start, and returns what sends it.
	type action struct {
		name    string
		prepare func(a *app, admin, victim *http.Client, token, patti string) func() response
		restore func(a *app, admin *http.Client, patti string)
	}
	post := func(a *app, c *http.Client, path string, form url.Values) func() response {
		return func() (r response) {
			a.as(c, func() { r = a.post(path, form) })
			return r
		}
	}
	actions := []action{
		{"sign out", func(a *app, _, victim *http.Client, tok, _ string) func() response {
			return post(a, victim, "/signout", url.Values{"_csrf": {tok}})
		}, nil},
		{"sign out everywhere", func(a *app, _, victim *http.Client, tok, _ string) func() response {
			return post(a, victim, "/signout-everywhere", url.Values{"_csrf": {tok}})
		}, nil},
		{"password reset", func(a *app, admin, _ *http.Client, _, patti string) func() response {
			var form url.Values
			a.as(admin, func() { form = a.formValues(patti+"/reset-password", patti+"/reset-password") })
			form.Set("password_mode", "manual")
			form.Set("password", testPassword)
			form.Del("must_change")
			return post(a, admin, patti+"/reset-password", form)
		}, nil},
		{"block", func(a *app, admin, _ *http.Client, _, patti string) func() response {
			var form url.Values
			a.as(admin, func() { form = a.formValues(patti+"/block", patti+"/block") })
			return post(a, admin, patti+"/block", form)
		}, func(a *app, admin *http.Client, patti string) {
			a.as(admin, func() {
				if r := a.post(patti+"/block", a.formValues(patti+"/block", patti+"/block")); r.status >= 400 {
					a.t.Fatalf("unblock: %d", r.status)
				}
			})
		}},
		{"role removal", func(a *app, admin, _ *http.Client, _, patti string) func() response {
			var form url.Values
			a.as(admin, func() { form = a.formValues(patti+"/roles", patti+"/roles") })
			form.Del("role")
			return post(a, admin, patti+"/roles", form)
		}, func(a *app, admin *http.Client, patti string) {
			a.as(admin, func() {
				form := a.formValues(patti+"/roles", patti+"/roles")
				form.Set("role", "exchange_admin")
				if r := a.post(patti+"/roles", form); r.status >= 400 {
					a.t.Fatalf("give the role back: %d", r.status)
				}
			})
		}},
	}
	for _, act := range actions {
		t.Run(act.name, func(t *testing.T) {
			// The clock jumps minutes at a time; sessions must not time out meanwhile.
			cfg := DefaultConfig()
			cfg.IdleTimeout, cfg.AbsoluteTimeout = 10000*time.Hour, 10000*time.Hour
			a := newAppWith(t, cfg)
			var offset atomic.Int64
			a.store.Now = func() time.Time { return time.Now().UTC().Add(time.Duration(offset.Load())) }
			pattiID, err := a.store.UserIDByAddress(context.Background(), "pattif@contoso.com")
			if err != nil {
				t.Fatal(err)
			}
			patti := "/users/" + itoa(pattiID)
			admin := newClient()
			a.as(admin, a.signInAdmin)
			deadline := time.Now().Add(6 * time.Second)
			done := 0
			for ; done < rounds && time.Now().Before(deadline); done++ {
				victim := newClient()
				a.as(victim, func() {
					if r := a.signIn("pattif@contoso.com", testPassword); r.status != http.StatusSeeOther {
						t.Fatalf("round %d: sign-in %d", done, r.status)
					}
				})
				var tok string
				a.as(victim, func() { tok = a.csrf("/") })
				send := act.prepare(a, admin, victim, tok, patti)
				// A minute later: every request of the session records its activity.
				offset.Add(int64(time.Minute + time.Second))

				stop := make(chan struct{})
				var wg, started sync.WaitGroup
				started.Add(inFlight)
				for g := 0; g < inFlight; g++ {
					wg.Add(1)
					go func() {
						defer wg.Done()
						for n := 0; ; n++ {
							req, _ := http.NewRequest(http.MethodGet, a.srv.URL+"/users", nil)
							if n == 0 {
								started.Done()
							} else if n < 4 {
								// Another minute: this request records activity too.
								offset.Add(int64(time.Minute + time.Second))
							}
							if res, err := victim.Do(req); err == nil {
								res.Body.Close()
							}
							select {
							case <-stop:
								return
							default:
							}
						}
					}()
				}
				started.Wait()
				time.Sleep(time.Duration(rand.IntN(3000)) * time.Microsecond)
				r := send()
				close(stop)
				wg.Wait()
				if r.status >= 400 {
					t.Fatalf("round %d: %d", done, r.status)
				}
				if n := a.liveSessions(pattiID); n != 0 {
					t.Fatalf("round %d: %d sessions of hers in the database after the requests in flight ended", done, n)
				}
				// Unblocked or given her role back, the ended session still does not work.
				if act.restore != nil {
					act.restore(a, admin, patti)
				}
				req, _ := http.NewRequest(http.MethodGet, a.srv.URL+"/users", nil)
				if r := a.do(victim, req); r.status != http.StatusSeeOther || !strings.HasPrefix(r.header.Get("Location"), "/signin") {
					t.Fatalf("round %d: the ended session works again (%d)", done, r.status)
				}
			}
			t.Logf("%d rounds with %d requests in flight", done, inFlight)
		})
	}
}

// liveSessions counts the user's sessions in the database.
func (a *app) liveSessions(userID uint) int {
	return a.count(`SELECT COUNT(*) FROM sessions WHERE user_id = ?`, userID)
}

// count runs a COUNT query on the database (? placeholders, on either database).
func (a *app) count(query string, args ...any) int {
	a.t.Helper()
	db, err := a.store.SQLDB()
	if err != nil {
		a.t.Fatal(err)
	}
	if a.store.Postgres() {
		for i := 1; strings.Contains(query, "?"); i++ {
			query = strings.Replace(query, "?", "$"+strconv.Itoa(i), 1)
		}
	}
	var n int
	if err := db.QueryRow(query, args...).Scan(&n); err != nil {
		a.t.Fatal(err)
	}
	return n
}
