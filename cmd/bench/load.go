package main

import (
	"fmt"
	"io"
	"net/http"
	"os/exec"
	"regexp"
	"strconv"
	"strings"
	"time"

	vegeta "github.com/tsenart/vegeta/v12/lib"
)

// loader measures how many requests a second a URL serves at most: with wrk when it
// is installed (Debian's wrk: a C load generator that costs the machine far less
// than one in Go, which shares the same cores), otherwise with vegeta.
type loader struct {
	name     string
	wrk      string
	duration time.Duration
	// connections kept busy: the app serves 4 requests per core at a time and
	// queues a few; more would only measure its queue.
	connections int
}

func newLoader(d time.Duration) *loader {
	l := &loader{duration: d, connections: 8}
	if path, err := exec.LookPath("wrk"); err == nil {
		l.wrk, l.name = path, fmt.Sprintf("wrk, 1 thread, %d connections, %s per request", l.connections, d)
	} else {
		l.name = fmt.Sprintf("vegeta (install Debian's wrk for figures less bound by the load generator), %d workers, %s per request", 4, d)
	}
	return l
}

var (
	wrkRate   = regexp.MustCompile(`Requests/sec:\s+([0-9.]+)`)
	wrkNon2xx = regexp.MustCompile(`Non-2xx or 3xx responses:\s+([0-9]+)`)
	wrkSocket = regexp.MustCompile(`Socket errors: connect ([0-9]+), read ([0-9]+), write ([0-9]+), timeout ([0-9]+)`)
)

// saturate returns the requests per second served and the failed requests.
func (l *loader) saturate(url string, h http.Header) (float64, int) {
	if l.wrk == "" {
		tgt := vegeta.Target{Method: http.MethodGet, URL: url, Header: h}
		m := attack(vegeta.NewStaticTargeter(tgt), vegeta.Rate{Freq: 0}, l.duration, 4)
		return m.Throughput, len(m.Errors)
	}
	args := []string{"-t1", "-c" + strconv.Itoa(l.connections), "-d" + strconv.Itoa(max(1, int(l.duration.Seconds()))) + "s"}
	for k, vs := range h {
		for _, v := range vs {
			args = append(args, "-H", k+": "+v)
		}
	}
	out, err := exec.Command(l.wrk, append(args, url)...).CombinedOutput()
	if err != nil {
		return 0, 1
	}
	m := wrkRate.FindSubmatch(out)
	if m == nil {
		return 0, 1
	}
	rps, _ := strconv.ParseFloat(string(m[1]), 64)
	errs := 0
	if m := wrkNon2xx.FindSubmatch(out); m != nil {
		n, _ := strconv.Atoi(string(m[1]))
		errs += n
	}
	if m := wrkSocket.FindSubmatch(out); m != nil {
		for _, g := range m[1:] {
			n, _ := strconv.Atoi(string(g))
			errs += n
		}
	}
	return rps, errs
}

// fetch returns a page's HTML as the signed-in admin sees it.
func fetch(url, cookie string) ([]byte, error) {
	req, _ := http.NewRequest(http.MethodGet, url, nil)
	req.Header.Set("Cookie", cookie)
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		return nil, err
	}
	defer res.Body.Close()
	b, err := io.ReadAll(res.Body)
	if err != nil {
		return nil, err
	}
	if res.StatusCode != http.StatusOK || !strings.Contains(res.Header.Get("Content-Type"), "text/html") {
		return nil, fmt.Errorf("%s: %s", url, res.Status)
	}
	return b, nil
}
