//go:build e2e

package e2e

import (
	"net/http"
	"net/http/httptest"
	"net/http/httputil"
	"net/url"
	"sync/atomic"
	"testing"

	"github.com/contoso/admincenter/models/dbtest"
)

// balancer is the load balancer in front of several instances: every request goes
// to the instance chosen by use, and it counts what each instance served.
type balancer struct {
	proxies []*httputil.ReverseProxy
	current atomic.Int32
	served  []atomic.Int64
}

// newBalancer starts a balancer in front of the backends; its URL is the front door.
func newBalancer(t *testing.T, backends ...*server) (*balancer, string) {
	t.Helper()
	lb := &balancer{served: make([]atomic.Int64, len(backends))}
	for _, s := range backends {
		u, err := url.Parse(s.URL)
		if err != nil {
			t.Fatal(err)
		}
		lb.proxies = append(lb.proxies, httputil.NewSingleHostReverseProxy(u))
	}
	srv := httptest.NewServer(lb)
	t.Cleanup(srv.Close)
	return lb, srv.URL
}

func (lb *balancer) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	i := lb.current.Load()
	lb.served[i].Add(1)
	lb.proxies[i].ServeHTTP(w, r)
}

// use sends the following requests to instance i.
func (lb *balancer) use(i int) { lb.current.Store(int32(i)) }

func TestTwoInstancesShareOnePostgreSQLDatabase(t *testing.T) {
	if !dbtest.Postgres() {
		t.Skip("several instances share a database only on PostgreSQL; `make test` runs this test under .ci/with-postgres")
	}
	db := dbtest.NewPostgres(t)
	one := launch(t, db) // creates the schema and the demo tenant
	t.Cleanup(func() { one.stop(t) })
	two := launch(t, db) // finds them there
	t.Cleanup(func() { two.stop(t) })
	lb, front := newBalancer(t, one, two)

	b := newBrowser(t, &server{URL: front}, "en-US")

	// Sign in on one, work on the other.
	lb.use(0)
	b.signInAdmin(english)
	lb.use(1)
	b.openActiveUsers(english)
	b.openMailTab(english, "Megan Bowen")
	b.grant(permEN, "Send as", "Alex Wilber")

	// The change made on two is what one shows.
	lb.use(0)
	b.page.Reload()
	b.paneReady()
	b.must(expect.Locator(b.section("Send as")).ToContainText("Alex Wilber"))

	// A change on one is visible on two.
	b.must(b.role("button", "Edit Send as").Click())
	b.must(b.role("button", "Remove Alex Wilber").Click())
	b.must(expect.Locator(b.page.Locator("#toasts")).ToContainText("Alex Wilber no longer has Send as permission"))
	lb.use(1)
	b.page.Reload()
	b.paneReady()
	b.must(expect.Locator(b.role("button", "Remove Alex Wilber")).ToHaveCount(0))

	// Sign out on one: signed out on both.
	lb.use(0)
	b.goto_("/")
	b.must(b.role("button", "Sign out").Click())
	b.must(expect.Locator(b.label(english.Email)).ToBeVisible())
	lb.use(1)
	b.goto_("/users")
	b.must(expect.Page(b.page).ToHaveURL(urlPattern(`/signin`)))
	b.must(expect.Locator(b.label(english.Email)).ToBeVisible())

	if lb.served[0].Load() == 0 || lb.served[1].Load() == 0 {
		t.Fatalf("both instances must have served: %d and %d requests", lb.served[0].Load(), lb.served[1].Load())
	}
	t.Logf("one served %d requests, two served %d", lb.served[0].Load(), lb.served[1].Load())
}
