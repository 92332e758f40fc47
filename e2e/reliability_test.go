//go:build e2e

package e2e

import (
	"context"
	"fmt"
	"io"
	"math/rand/v2"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"os"
	"regexp"
	"strconv"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/contoso/admincenter/models"
	"github.com/contoso/admincenter/models/dbtest"
)

var csrfInput = regexp.MustCompile(`name="_csrf" value="([^"]+)"`)

// apiClient is a signed-in admin speaking plain HTTP, as a script would.
type apiClient struct {
	base  string
	http  *http.Client
	token string
}

func signInHTTP(t *testing.T, base string) *apiClient {
	t.Helper()
	jar, _ := cookiejar.New(nil)
	c := &apiClient{base: base, http: &http.Client{Jar: jar, Timeout: 30 * time.Second,
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}}
	c.token = c.csrf(t, "/signin")
	res, err := c.http.PostForm(base+"/signin", url.Values{"_csrf": {c.token}, "email": {"admin@contoso.com"}, "password": {adminPassword}})
	if err != nil {
		t.Fatal(err)
	}
	res.Body.Close()
	if res.StatusCode != http.StatusSeeOther {
		t.Fatalf("sign-in: %d", res.StatusCode)
	}
	c.token = c.csrf(t, "/")
	return c
}

func (c *apiClient) csrf(t *testing.T, path string) string {
	t.Helper()
	res, err := c.http.Get(c.base + path)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	b, _ := io.ReadAll(res.Body)
	m := csrfInput.FindSubmatch(b)
	if m == nil {
		t.Fatalf("no CSRF token on %s", path)
	}
	return string(m[1])
}

// addAlias is the write the load and crash tests make: one new address for a person.
// It reports whether the server acknowledged it (the redirect after a saved form).
func (c *apiClient) addAlias(userID uint, alias string) (bool, error) {
	res, err := c.http.PostForm(fmt.Sprintf("%s/users/%d/addresses", c.base, userID),
		url.Values{"_csrf": {c.token}, "alias": {alias}, "domain": {"contoso.com"}})
	if err != nil {
		return false, err
	}
	io.Copy(io.Discard, res.Body)
	res.Body.Close()
	if res.StatusCode != http.StatusSeeOther {
		return false, fmt.Errorf("%s: status %d", alias, res.StatusCode)
	}
	return true, nil
}

func openStore(t *testing.T, db string) *models.Store {
	t.Helper()
	s, err := models.Open(context.Background(), db)
	if err != nil {
		t.Fatal(err)
	}
	return s
}

func userID(t *testing.T, db, addr string) uint {
	t.Helper()
	s := openStore(t, db)
	defer s.Close()
	id, err := s.UserIDByAddress(context.Background(), addr)
	if err != nil {
		t.Fatal(err)
	}
	return id
}

// missing returns the acknowledged aliases the database does not hold.
func missing(t *testing.T, s *models.Store, aliases []string) []string {
	t.Helper()
	var out []string
	for _, a := range aliases {
		if _, err := s.RecipientByAddress(context.Background(), a+"@contoso.com"); err != nil {
			out = append(out, a)
		}
	}
	return out
}

func loadSeconds() time.Duration {
	if n, err := strconv.Atoi(os.Getenv("LOAD_SECONDS")); err == nil && n > 0 {
		return time.Duration(n) * time.Second
	}
	return 10 * time.Second
}

func TestWriteLoad(t *testing.T) {
	srv := startServer(t)
	target := userID(t, srv.DB, "meganb@contoso.com")
	const writers = 16
	clients := make([]*apiClient, writers)
	for i := range clients {
		clients[i] = signInHTTP(t, srv.URL)
	}
	deadline := time.Now().Add(loadSeconds())
	var mu sync.Mutex
	var acked []string
	var failures []error
	var wg sync.WaitGroup
	for w := 0; w < writers; w++ {
		wg.Add(1)
		go func(w int) {
			defer wg.Done()
			for n := 0; time.Now().Before(deadline); n++ {
				alias := fmt.Sprintf("load-w%d-n%d", w, n)
				ok, err := clients[w].addAlias(target, alias)
				mu.Lock()
				if ok {
					acked = append(acked, alias)
				} else {
					failures = append(failures, err)
				}
				mu.Unlock()
			}
		}(w)
	}
	wg.Wait()
	if len(failures) > 0 {
		t.Fatalf("%d of %d writes failed; first: %v", len(failures), len(failures)+len(acked), failures[0])
	}
	s := openStore(t, srv.DB)
	defer s.Close()
	if lost := missing(t, s, acked); len(lost) > 0 {
		t.Fatalf("%d acknowledged writes are missing, e.g. %s", len(lost), lost[0])
	}
	t.Logf("write load: %d writers, %d acknowledged writes in %s (%.0f/s), 0 errors, all present",
		writers, len(acked), loadSeconds(), float64(len(acked))/loadSeconds().Seconds())
}

func TestCrashSafety(t *testing.T) {
	db := dbtest.DSN(t, "crash")
	const iterations = 20
	var acked []string
	target := uint(0)
	for it := 0; it < iterations; it++ {
		srv := launch(t, db)
		if target == 0 {
			target = userID(t, db, "meganb@contoso.com")
		}
		c := signInHTTP(t, srv.URL)
		done := make(chan struct{})
		var mu sync.Mutex
		go func() {
			defer close(done)
			for n := 0; ; n++ {
				alias := fmt.Sprintf("crash-i%d-n%d", it, n)
				ok, err := c.addAlias(target, alias)
				if ok {
					mu.Lock()
					acked = append(acked, alias)
					mu.Unlock()
				}
				if err != nil {
					return // the server is gone
				}
			}
		}()
		time.Sleep(time.Duration(150+rand.IntN(250)) * time.Millisecond)
		if err := srv.cmd.Process.Signal(syscall.SIGKILL); err != nil {
			t.Fatal(err)
		}
		_ = srv.cmd.Wait()
		srv.log.Close()
		<-done
		s := openStore(t, db)
		check, err := s.IntegrityCheck(context.Background())
		if err != nil || check != "ok" {
			s.Close()
			t.Fatalf("iteration %d: integrity check %q %v", it, check, err)
		}
		mu.Lock()
		lost := missing(t, s, acked)
		mu.Unlock()
		s.Close()
		if len(lost) > 0 {
			t.Fatalf("iteration %d: %d acknowledged writes lost, e.g. %s", it, len(lost), lost[0])
		}
	}
	t.Logf("crash safety: %d SIGKILLs mid-write, integrity ok every time, %d acknowledged writes all present", iterations, len(acked))
}

func TestGracefulShutdown(t *testing.T) {
	srv := launch(t, dbtest.DSN(t, "shutdown"))
	// Sign-ins are naturally slow (the password hash takes a while), so they are
	// surely in flight when SIGTERM arrives: every one of them must finish.
	const inFlight = 8
	clients := make([]*apiClient, inFlight)
	for i := range clients {
		jar, _ := cookiejar.New(nil)
		clients[i] = &apiClient{base: srv.URL, http: &http.Client{Jar: jar, Timeout: 30 * time.Second,
			Transport:     &http.Transport{DisableKeepAlives: true},
			CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}}
		clients[i].token = clients[i].csrf(t, "/signin")
	}
	results := make(chan error, inFlight)
	for _, c := range clients {
		go func() {
			res, err := c.http.PostForm(srv.URL+"/signin", url.Values{"_csrf": {c.token}, "email": {"admin@contoso.com"}, "password": {adminPassword}})
			if err != nil {
				results <- err
				return
			}
			io.Copy(io.Discard, res.Body)
			res.Body.Close()
			if res.StatusCode != http.StatusSeeOther {
				results <- fmt.Errorf("status %d", res.StatusCode)
				return
			}
			results <- nil
		}()
	}
	time.Sleep(150 * time.Millisecond)
	if err := srv.cmd.Process.Signal(syscall.SIGTERM); err != nil {
		t.Fatal(err)
	}
	waitErr := make(chan error, 1)
	go func() { waitErr <- srv.cmd.Wait() }()
	for i := 0; i < inFlight; i++ {
		if err := <-results; err != nil {
			t.Fatalf("a request in flight was cut off by the shutdown: %v", err)
		}
	}
	select {
	case err := <-waitErr:
		if err != nil {
			t.Fatalf("the server did not exit cleanly: %v", err)
		}
	case <-time.After(20 * time.Second):
		t.Fatal("the server did not stop")
	}
	srv.log.Close()
	// Once stopped, nothing answers.
	if _, err := http.Get(srv.URL + "/healthz"); err == nil {
		t.Fatal("the server still answers after shutdown")
	}
	t.Logf("graceful shutdown: %d sign-ins in flight at SIGTERM all completed; the process exited cleanly", inFlight)
}
