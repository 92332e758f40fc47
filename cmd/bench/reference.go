package main

import (
	"bytes"
	"html"
	"net"
	"net/http"
	"strconv"
	"strings"
	"sync"

	"github.com/contoso/admincenter/web"
	"github.com/klauspost/compress/gzip"
)

// reference is the limit for serving a page: a minimal net/http server in this
// process that writes a page of the same size and shape as the app's 50-row Active
// users page (its very bytes, taken from the app in the same run), once rendered on
// every request and once pre-rendered. The app's figures are shown as a share of it,
// so a slower or busier machine moves both alike.
type reference struct {
	// segments alternate markup, written as it is, and text, escaped on every
	// request as a template engine does.
	segments []segment
	plain    []byte
	gzipped  []byte
	srv      *http.Server
	base     string
}

type segment struct {
	s    string
	text bool
}

// newReference splits the page into markup and text and starts serving it on a free
// loopback port: /rendered builds the page and compresses it per request (at the
// app's gzip level), /prerendered writes bytes made once.
func newReference(page []byte) (*reference, error) {
	r := &reference{plain: page, segments: splitHTML(string(page))}
	var gz bytes.Buffer
	w, _ := gzip.NewWriterLevel(&gz, web.GzipLevel)
	w.Write(page)
	w.Close()
	r.gzipped = gz.Bytes()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return nil, err
	}
	mux := http.NewServeMux()
	mux.HandleFunc("/rendered", r.rendered)
	mux.HandleFunc("/prerendered", r.prerendered)
	r.srv = &http.Server{Handler: mux}
	r.base = "http://" + ln.Addr().String()
	go r.srv.Serve(ln)
	return r, nil
}

func (r *reference) stop() { r.srv.Close() }

// splitHTML cuts a page into tags (markup) and the text between them, unescaped.
func splitHTML(page string) []segment {
	var out []segment
	for page != "" {
		i := strings.IndexByte(page, '<')
		if i < 0 {
			out = append(out, segment{s: html.UnescapeString(page), text: true})
			break
		}
		if i > 0 {
			out = append(out, segment{s: html.UnescapeString(page[:i]), text: true})
		}
		j := strings.IndexByte(page[i:], '>')
		if j < 0 {
			out = append(out, segment{s: page[i:]})
			break
		}
		out = append(out, segment{s: page[i : i+j+1]})
		page = page[i+j+1:]
	}
	return out
}

var (
	buffers = sync.Pool{New: func() any { return new(bytes.Buffer) }}
	gzips   = sync.Pool{New: func() any { w, _ := gzip.NewWriterLevel(nil, web.GzipLevel); return w }}
)

func header(w http.ResponseWriter) http.Header {
	h := w.Header()
	h.Set("Content-Type", "text/html; charset=utf-8")
	h.Set("Cache-Control", "no-store")
	h.Set("Vary", "Accept-Encoding")
	return h
}

func acceptsGzip(req *http.Request) bool {
	return strings.Contains(req.Header.Get("Accept-Encoding"), "gzip")
}

func (r *reference) rendered(w http.ResponseWriter, req *http.Request) {
	buf := buffers.Get().(*bytes.Buffer)
	defer buffers.Put(buf)
	buf.Reset()
	for _, s := range r.segments {
		if s.text {
			buf.WriteString(html.EscapeString(s.s))
		} else {
			buf.WriteString(s.s)
		}
	}
	h := header(w)
	if !acceptsGzip(req) {
		h.Set("Content-Length", strconv.Itoa(buf.Len()))
		w.Write(buf.Bytes())
		return
	}
	h.Set("Content-Encoding", "gzip")
	gz := gzips.Get().(*gzip.Writer)
	defer gzips.Put(gz)
	gz.Reset(w)
	gz.Write(buf.Bytes())
	gz.Close()
}

func (r *reference) prerendered(w http.ResponseWriter, req *http.Request) {
	h := header(w)
	body := r.plain
	if acceptsGzip(req) {
		h.Set("Content-Encoding", "gzip")
		body = r.gzipped
	}
	h.Set("Content-Length", strconv.Itoa(len(body)))
	w.Write(body)
}
