// Package handlers turns HTTP requests into calls on the models and renders the
// views. Handlers hold no business rules.
package handlers

import (
	"bufio"
	"bytes"
	"encoding/csv"
	"fmt"
	"io"
	"net/http"
	"strconv"
	"sync"
	"time"

	"github.com/a-h/templ"
	"github.com/labstack/echo/v4"

	"github.com/contoso/admincenter/views"
	"github.com/contoso/admincenter/web/htmx"
	"github.com/contoso/admincenter/web/session"
)

// render writes partial to an htmx request and full to anything else. It renders
// into a buffer first, so a failed render becomes a clean error page rather than half
// a page.
func render(c echo.Context, status int, full, partial templ.Component) error {
	comp := full
	if partial != nil && htmx.IsPartial(c.Request()) {
		comp = partial
	}
	buf := renderBuffers.Get().(*bytes.Buffer)
	defer putRenderBuffer(buf)
	if err := comp.Render(c.Request().Context(), buf); err != nil {
		return fmt.Errorf("render: %w", err)
	}
	// The whole page is known: its length goes out with it rather than in chunks
	// (the gzip middleware drops the header when it compresses).
	c.Response().Header().Set(echo.HeaderContentLength, strconv.Itoa(buf.Len()))
	return c.HTMLBlob(status, buf.Bytes())
}

// renderBuffers hold rendered pages between requests: a page of 50 rows is about
// 35 KB, and growing a new buffer to that size on every request cost more than
// writing it.
var renderBuffers = sync.Pool{New: func() any { return bytes.NewBuffer(make([]byte, 0, 64<<10)) }}

// putRenderBuffer returns a buffer to the pool, unless one very large page made it
// too big to keep around.
func putRenderBuffer(buf *bytes.Buffer) {
	if buf.Cap() > 1<<20 {
		return
	}
	buf.Reset()
	renderBuffers.Put(buf)
}

// redirect answers a form post: 303 to the next page, or for htmx an HX-Redirect so
// the whole page changes.
func redirect(c echo.Context, to string) error {
	if htmx.IsPartial(c.Request()) {
		c.Response().Header().Set(htmx.HeaderRedirect, to)
		return c.NoContent(http.StatusNoContent)
	}
	return c.Redirect(http.StatusSeeOther, to)
}

// flashAndRedirect queues a toast for the next page and goes there.
func flashAndRedirect(c echo.Context, sessions *session.Store, toast, to string) error {
	if err := sessions.AddFlash(c, toast); err != nil {
		return err
	}
	return redirect(c, to)
}

// MailboxTarget says which mailbox a panel acts on and how to show a panel as a
// full page. The user pane and the shared mailbox pane each provide one, so the
// permission and forwarding panels are written once.
type MailboxTarget interface {
	// PanelContext resolves the mailbox of the request.
	PanelContext(c echo.Context) (views.MailboxPanelContext, error)
	// FullPage renders the page the pane sits on, with the panel open in it.
	FullPage(c echo.Context, status int, title string, pane templ.Component) error
}

// renderPane answers with the panel alone for htmx, or with the page it sits on.
func renderPane(c echo.Context, target MailboxTarget, status int, title string, pane templ.Component) error {
	if htmx.IsPartial(c.Request()) {
		return render(c, status, pane, pane)
	}
	return target.FullPage(c, status, title, pane)
}

// done finishes a change: for htmx the updated panel with a toast and its address
// pushed; otherwise a flash and a redirect to that address.
func done(c echo.Context, sessions *session.Store, toast, url string, pane templ.Component) error {
	if htmx.IsPartial(c.Request()) {
		htmx.Toast(c.Response().Header(), toast)
		c.Response().Header().Set(htmx.HeaderPushURL, url)
		return render(c, http.StatusOK, pane, pane)
	}
	if err := sessions.AddFlash(c, toast); err != nil {
		return err
	}
	return c.Redirect(http.StatusSeeOther, url)
}

// startCSV answers with a CSV download named filename and writes its header row.
// Rows written after it stream to the client.
func startCSV(c echo.Context, filename string, header []string) *csv.Writer {
	// The server's WriteTimeout bounds a whole response; an export of a large
	// tenant streams for longer (the Mailbox access report of 100,000 people,
	// 690,000 rows, took 57 s on a loaded machine, and was cut off when it took
	// 60). While rows keep coming the deadline moves forward; a client that
	// stops reading is still dropped after exportStall.
	rc := http.NewResponseController(c.Response())
	_ = rc.SetWriteDeadline(time.Now().Add(exportStall))
	c.Response().Header().Set(echo.HeaderContentType, "text/csv; charset=utf-8")
	c.Response().Header().Set(echo.HeaderContentDisposition, `attachment; filename="`+filename+`"`)
	c.Response().WriteHeader(http.StatusOK)
	// 64 KB go to the connection at a time (csv's own buffer is 4 KB: a 1.3 GB
	// export was a third of a million writes).
	w := csv.NewWriter(bufio.NewWriterSize(&progressWriter{w: c.Response(), rc: rc}, 64<<10))
	_ = w.Write(header)
	return w
}

// exportStall is how long a streamed export may wait on a client that reads nothing.
const exportStall = time.Minute

// progressWriter moves the connection's write deadline forward as an export
// writes, at most once a second.
type progressWriter struct {
	w     io.Writer
	rc    *http.ResponseController
	moved time.Time
}

func (p *progressWriter) Write(b []byte) (int, error) {
	if now := time.Now(); now.Sub(p.moved) >= time.Second {
		_ = p.rc.SetWriteDeadline(now.Add(exportStall))
		p.moved = now
	}
	return p.w.Write(b)
}

// csvSafe keeps a spreadsheet from reading a cell as a formula.
func csvSafe(s string) string {
	if s == "" {
		return s
	}
	switch s[0] {
	case '=', '+', '-', '@', '\t', '\r':
		return "'" + s
	}
	return s
}
