package web

import (
	"bufio"
	"bytes"
	"io"
	"net"
	"net/http"
	"strconv"
	"strings"
	"sync"

	"github.com/klauspost/compress/gzip"
	"github.com/labstack/echo/v4"
)

// GzipLevel is how hard responses are compressed (`make bench` compresses its
// reference page the same way). Deflating was a third of the CPU time of the
// Active users page at the standard library's level 5; level 1 takes a fraction of
// that for 14% more bytes (about 5.9 KB for its 34 KB of HTML).
const GzipLevel = gzip.BestSpeed

const (
	// gzipMinLength: shorter responses go out as they are (gzip's own header and
	// trailer would eat most of the gain).
	gzipMinLength = 1024
	// gzipStreamAt is how much compressed output is held back to go out in one
	// write with its Content-Length; a longer response (an export) is streamed.
	gzipStreamAt = 256 << 10
)

// compress gzips responses for clients that accept it, like Echo's Gzip middleware
// (same rules: Vary on every response it sees, nothing below gzipMinLength
// compressed, Flush starts compression), with two differences that made it a
// quarter of the Active users page's CPU: klauspost/compress's deflater (about
// twice the standard library's speed at level 1, the same size), and a page goes
// out in one write with its compressed length instead of in chunks.
func compress(skip func(echo.Context) bool) echo.MiddlewareFunc {
	writers := sync.Pool{New: func() any {
		w, _ := gzip.NewWriterLevel(io.Discard, GzipLevel)
		return w
	}}
	return func(next echo.HandlerFunc) echo.HandlerFunc {
		return func(c echo.Context) error {
			if skip(c) {
				return next(c)
			}
			res := c.Response()
			res.Header().Add(echo.HeaderVary, echo.HeaderAcceptEncoding)
			if !strings.Contains(c.Request().Header.Get(echo.HeaderAcceptEncoding), "gzip") {
				return next(c)
			}
			g := &gzipWriter{ResponseWriter: res.Writer, writers: &writers}
			res.Writer = g
			defer func() {
				g.finish()
				res.Writer = g.ResponseWriter
			}()
			return next(c)
		}
	}
}

// gzipBuffers hold a response's first bytes (until it is long enough to compress)
// and its compressed bytes (until it is whole or long enough to stream).
var gzipBuffers = sync.Pool{New: func() any { return new(bytes.Buffer) }}

type gzipWriter struct {
	http.ResponseWriter
	writers *sync.Pool
	gz      *gzip.Writer
	// raw holds the body until it reaches gzipMinLength; out the compressed bytes
	// not yet written.
	raw, out    *bytes.Buffer
	code        int
	wroteHeader bool
	wroteBody   bool
	// streaming: the header has gone out and compressed bytes go straight on.
	streaming bool
}

func (w *gzipWriter) WriteHeader(code int) {
	w.wroteHeader, w.code = true, code
}

func (w *gzipWriter) Write(b []byte) (int, error) {
	h := w.Header()
	if h.Get(echo.HeaderContentType) == "" {
		h.Set(echo.HeaderContentType, http.DetectContentType(b))
	}
	w.wroteBody = true
	if w.gz == nil {
		if w.raw == nil && len(b) < gzipMinLength {
			w.raw = buffer()
		}
		if w.raw != nil {
			w.raw.Write(b)
			if w.raw.Len() < gzipMinLength {
				return len(b), nil
			}
			w.start()
			if _, err := w.gz.Write(w.raw.Bytes()); err != nil {
				return 0, err
			}
			return len(b), w.spill()
		}
		w.start()
	}
	n, err := w.gz.Write(b)
	if err != nil {
		return n, err
	}
	return n, w.spill()
}

// start begins compressing into out.
func (w *gzipWriter) start() {
	h := w.Header()
	h.Set(echo.HeaderContentEncoding, "gzip")
	h.Del(echo.HeaderContentLength)
	w.out = buffer()
	w.gz = w.writers.Get().(*gzip.Writer)
	w.gz.Reset(sink{w})
}

// spill starts streaming once the held compressed bytes are too many to hold.
func (w *gzipWriter) spill() error {
	if w.streaming || w.out.Len() < gzipStreamAt {
		return nil
	}
	return w.stream()
}

func (w *gzipWriter) stream() error {
	w.streaming = true
	w.ResponseWriter.WriteHeader(w.status())
	_, err := w.ResponseWriter.Write(w.out.Bytes())
	w.out.Reset()
	return err
}

func (w *gzipWriter) status() int {
	if w.code == 0 {
		return http.StatusOK
	}
	return w.code
}

// sink is where the deflater writes: the held bytes until streaming starts.
type sink struct{ w *gzipWriter }

func (s sink) Write(b []byte) (int, error) {
	if s.w.streaming {
		return s.w.ResponseWriter.Write(b)
	}
	return s.w.out.Write(b)
}

// Flush sends what has been written so far: a flushed response is compressed
// whatever its length, since more may follow.
func (w *gzipWriter) Flush() {
	if w.gz == nil {
		w.start()
		if w.raw != nil {
			_, _ = w.gz.Write(w.raw.Bytes())
		}
	}
	_ = w.gz.Flush()
	if !w.streaming {
		_ = w.stream()
	}
	_ = http.NewResponseController(w.ResponseWriter).Flush()
}

// finish writes what is held: nothing but the status when there was no body, the
// body as it is when it stayed short, else the end of the compressed stream (with
// its length when none of it has gone out yet).
func (w *gzipWriter) finish() {
	rw := w.ResponseWriter
	switch {
	case !w.wroteBody:
		if w.wroteHeader {
			rw.WriteHeader(w.code)
		}
	case w.gz == nil:
		if w.wroteHeader {
			rw.WriteHeader(w.code)
		}
		_, _ = rw.Write(w.raw.Bytes())
	default:
		_ = w.gz.Close()
		if !w.streaming {
			rw.Header().Set(echo.HeaderContentLength, strconv.Itoa(w.out.Len()))
			rw.WriteHeader(w.status())
			_, _ = rw.Write(w.out.Bytes())
		}
		w.gz.Reset(io.Discard)
		w.writers.Put(w.gz)
	}
	release(w.raw)
	release(w.out)
}

func buffer() *bytes.Buffer {
	b := gzipBuffers.Get().(*bytes.Buffer)
	b.Reset()
	return b
}

// release returns a buffer to the pool unless an export made it large.
func release(b *bytes.Buffer) {
	if b != nil && b.Cap() <= 2*gzipStreamAt {
		gzipBuffers.Put(b)
	}
}

func (w *gzipWriter) Unwrap() http.ResponseWriter { return w.ResponseWriter }

func (w *gzipWriter) Hijack() (net.Conn, *bufio.ReadWriter, error) {
	return http.NewResponseController(w.ResponseWriter).Hijack()
}
