package web

import (
	"bytes"
	"compress/gzip"
	"io"
	"math/rand/v2"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"testing"

	"github.com/labstack/echo/v4"
)

// gzipServer serves handlers behind the compression middleware, as New does.
func gzipServer(t *testing.T) *httptest.Server {
	t.Helper()
	e := echo.New()
	e.Use(compress(func(c echo.Context) bool { return c.Request().URL.Path == "/skipped" }))
	page := strings.Repeat("<tr><td>Adele Vance</td><td>adelev@contoso.com</td></tr>\n", 600)
	e.GET("/page", func(c echo.Context) error {
		c.Response().Header().Set(echo.HeaderContentLength, strconv.Itoa(len(page)))
		return c.HTMLBlob(http.StatusOK, []byte(page))
	})
	e.GET("/skipped", func(c echo.Context) error { return c.HTML(http.StatusOK, page) })
	e.GET("/pieces", func(c echo.Context) error {
		c.Response().WriteHeader(http.StatusAccepted)
		for range 600 {
			if _, err := io.WriteString(c.Response(), "<tr><td>Adele Vance</td></tr>\n"); err != nil {
				return err
			}
		}
		return nil
	})
	e.GET("/short", func(c echo.Context) error { return c.String(http.StatusOK, "short answer") })
	e.GET("/none", func(c echo.Context) error { return c.NoContent(http.StatusNoContent) })
	e.GET("/redirect", func(c echo.Context) error { return c.Redirect(http.StatusSeeOther, "/page") })
	e.GET("/fail", func(c echo.Context) error {
		return echo.NewHTTPError(http.StatusNotFound, strings.Repeat("missing ", 300))
	})
	noise := make([]byte, 3*gzipStreamAt)
	r := rand.New(rand.NewPCG(1, 2))
	for i := range noise {
		noise[i] = byte(r.IntN(256))
	}
	e.GET("/export", func(c echo.Context) error {
		c.Response().Header().Set(echo.HeaderContentType, "text/csv")
		c.Response().WriteHeader(http.StatusOK)
		for i := 0; i < len(noise); i += 4096 {
			if _, err := c.Response().Write(noise[i : i+4096]); err != nil {
				return err
			}
		}
		return nil
	})
	e.GET("/flushed", func(c echo.Context) error {
		c.Response().Header().Set(echo.HeaderContentType, "text/event-stream")
		io.WriteString(c.Response(), "data: 1\n\n")
		c.Response().Flush()
		io.WriteString(c.Response(), "data: 2\n\n")
		return nil
	})
	srv := httptest.NewServer(e)
	t.Cleanup(srv.Close)
	return srv
}

type gzipAnswer struct {
	status  int
	header  http.Header
	body    string // decompressed when compressed
	gzipped bool
	chunked bool
}

func fetchGzip(t *testing.T, srv *httptest.Server, path string, acceptGzip bool) gzipAnswer {
	t.Helper()
	req, _ := http.NewRequest(http.MethodGet, srv.URL+path, nil)
	if acceptGzip {
		req.Header.Set("Accept-Encoding", "gzip, deflate, br")
	}
	client := &http.Client{Transport: &http.Transport{DisableCompression: true},
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	res, err := client.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	a := gzipAnswer{status: res.StatusCode, header: res.Header, gzipped: res.Header.Get("Content-Encoding") == "gzip",
		chunked: len(res.TransferEncoding) > 0}
	var body io.Reader = res.Body
	raw, err := io.ReadAll(body)
	if err != nil {
		t.Fatal(err)
	}
	if cl := res.Header.Get("Content-Length"); cl != "" && cl != strconv.Itoa(len(raw)) {
		t.Errorf("%s: Content-Length %s for %d bytes", path, cl, len(raw))
	}
	if a.gzipped {
		zr, err := gzip.NewReader(bytes.NewReader(raw))
		if err != nil {
			t.Fatalf("%s: not gzip: %v", path, err)
		}
		if raw, err = io.ReadAll(zr); err != nil {
			t.Fatalf("%s: broken gzip: %v", path, err)
		}
	}
	a.body = string(raw)
	return a
}

func TestCompression(t *testing.T) {
	t.Parallel()
	srv := gzipServer(t)
	page := strings.Repeat("<tr><td>Adele Vance</td><td>adelev@contoso.com</td></tr>\n", 600)

	// A whole page goes out compressed in one piece with its compressed length.
	a := fetchGzip(t, srv, "/page", true)
	if !a.gzipped || a.chunked || a.header.Get("Content-Length") == "" || a.body != page || a.status != http.StatusOK {
		t.Errorf("page: gzipped %v chunked %v length %q status %d, body intact %v", a.gzipped, a.chunked,
			a.header.Get("Content-Length"), a.status, a.body == page)
	}
	if a.header.Get("Vary") != "Accept-Encoding" || !strings.HasPrefix(a.header.Get("Content-Type"), "text/html") {
		t.Errorf("page: Vary %q, Content-Type %q", a.header.Get("Vary"), a.header.Get("Content-Type"))
	}
	// Without Accept-Encoding it goes out as it is, with Vary still.
	a = fetchGzip(t, srv, "/page", false)
	if a.gzipped || a.body != page || a.header.Get("Content-Length") != strconv.Itoa(len(page)) || a.header.Get("Vary") != "Accept-Encoding" {
		t.Errorf("page without gzip: gzipped %v, intact %v, length %q, Vary %q", a.gzipped, a.body == page, a.header.Get("Content-Length"), a.header.Get("Vary"))
	}
	// A skipped path is left alone.
	if a = fetchGzip(t, srv, "/skipped", true); a.gzipped || a.header.Get("Vary") != "" || a.body != page {
		t.Errorf("skipped: gzipped %v Vary %q", a.gzipped, a.header.Get("Vary"))
	}
	// Written in pieces, with its own status.
	if a = fetchGzip(t, srv, "/pieces", true); !a.gzipped || a.status != http.StatusAccepted ||
		a.body != strings.Repeat("<tr><td>Adele Vance</td></tr>\n", 600) {
		t.Errorf("pieces: gzipped %v status %d", a.gzipped, a.status)
	}
	// Short answers, answers without a body, redirects and errors are not compressed.
	if a = fetchGzip(t, srv, "/short", true); a.gzipped || a.body != "short answer" || a.status != http.StatusOK {
		t.Errorf("short: gzipped %v body %q status %d", a.gzipped, a.body, a.status)
	}
	if a = fetchGzip(t, srv, "/none", true); a.gzipped || a.body != "" || a.status != http.StatusNoContent {
		t.Errorf("no content: gzipped %v body %q status %d", a.gzipped, a.body, a.status)
	}
	if a = fetchGzip(t, srv, "/redirect", true); a.status != http.StatusSeeOther || a.header.Get("Location") != "/page" {
		t.Errorf("redirect: status %d Location %q", a.status, a.header.Get("Location"))
	}
	if a = fetchGzip(t, srv, "/fail", true); a.status != http.StatusNotFound || !strings.Contains(a.body, "missing missing") {
		t.Errorf("error: status %d gzipped %v body %.40q", a.status, a.gzipped, a.body)
	}
	// An export longer than what is held back streams in chunks, intact.
	if a = fetchGzip(t, srv, "/export", true); !a.gzipped || !a.chunked || len(a.body) != 3*gzipStreamAt || a.header.Get("Content-Type") != "text/csv" {
		t.Errorf("export: gzipped %v chunked %v %d bytes, type %q", a.gzipped, a.chunked, len(a.body), a.header.Get("Content-Type"))
	}
	// A flushed response is compressed whatever its length.
	if a = fetchGzip(t, srv, "/flushed", true); !a.gzipped || a.body != "data: 1\n\ndata: 2\n\n" {
		t.Errorf("flushed: gzipped %v body %q", a.gzipped, a.body)
	}
}
