// Package graph is Microsoft Graph v1.0 over the tenant: people, licences, groups,
// a mailbox's automatic replies, the organization and its domains, in Graph's own
// JSON (@odata.context, camelCase properties, GUID ids, Graph's error codes), for
// scripts and Microsoft's Graph SDKs pointed at this server. What Graph lacks (a
// mailbox's permissions, forwarding, shared mailboxes) it lacks here too: those are
// the Exchange endpoint's.
//
// It has its own middleware chain: errors in Graph's shape, request bodies that may
// be gzip-compressed, then the bearer token for Graph's audience and the app's rate
// limit. Every rule and rights check is the models' own.
package graph

import (
	"bytes"
	"compress/gzip"
	"crypto/rand"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"github.com/labstack/echo/v4"

	"github.com/contoso/admincenter/handlers/apiauth"
	"github.com/contoso/admincenter/models"
	"github.com/contoso/admincenter/web/session"
)

// API serves Graph.
type API struct {
	store   *models.Store
	limiter *apiauth.Limiter
	public  *url.URL
}

// Options configure the API beyond its store.
type Options struct {
	// Limiter counts each app's requests; nil for no limit.
	Limiter *apiauth.Limiter
	// PublicURL is the address clients use, behind a proxy; links are built on it.
	PublicURL *url.URL
}

// New returns the API.
func New(store *models.Store, opt Options) *API {
	return &API{store: store, limiter: opt.Limiter, public: opt.PublicURL}
}

// MaxBody bounds a request body after decompression.
const MaxBody = 1 << 20

// Middleware is the API's chain: errors in Graph's shape, gzip bodies, then the
// bearer token and the rate limit (a $batch is counted by its requests).
func (a *API) Middleware() []echo.MiddlewareFunc {
	return []echo.MiddlewareFunc{
		answerErrors,
		gunzip,
		apiauth.Middleware(a.store, apiauth.Config{
			Audience: models.AudienceGraph, Channel: models.ChannelGraph, Limiter: a.limiter,
			Free:   func(c echo.Context) bool { return strings.HasSuffix(c.Path(), "/$batch") },
			Refuse: refuse,
		}),
	}
}

// gunzip accepts bodies sent with Content-Encoding: gzip, as Microsoft's SDKs send
// them, bounded after decompression.
func gunzip(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) error {
		r := c.Request()
		if !strings.EqualFold(strings.TrimSpace(r.Header.Get("Content-Encoding")), "gzip") || r.Body == nil {
			return next(c)
		}
		zr, err := gzip.NewReader(r.Body)
		if err != nil {
			return badRequest("The request body isn't valid gzip.")
		}
		b, err := io.ReadAll(io.LimitReader(zr, MaxBody+1))
		if err != nil {
			return badRequest("The request body isn't valid gzip.")
		}
		if len(b) > MaxBody {
			return fail(http.StatusRequestEntityTooLarge, "Request_BadRequest", "The request body is too large.")
		}
		r.Body = io.NopCloser(bytes.NewReader(b))
		r.ContentLength = int64(len(b))
		r.Header.Del("Content-Encoding")
		return next(c)
	}
}

// readJSON decodes a request body into v.
func readJSON(c echo.Context, v any) error {
	b, err := io.ReadAll(io.LimitReader(c.Request().Body, MaxBody+1))
	if err != nil {
		return badRequest("The request body couldn't be read.")
	}
	if len(b) > MaxBody {
		return fail(http.StatusRequestEntityTooLarge, "Request_BadRequest", "The request body is too large.")
	}
	if len(bytes.TrimSpace(b)) == 0 {
		return badRequest("Empty Payload. JSON content expected.")
	}
	if err := json.Unmarshal(b, v); err != nil {
		return badRequest("Invalid request body: the JSON couldn't be read as the resource's properties.")
	}
	return nil
}

// NotFound answers an address under /v1.0 that serves nothing.
func (a *API) NotFound(c echo.Context) error {
	return fail(http.StatusBadRequest, "BadRequest", "Resource not found for the segment '"+lastSegment(c.Request().URL.Path)+"'.")
}

func lastSegment(p string) string {
	p = strings.TrimSuffix(p, "/")
	return p[strings.LastIndex(p, "/")+1:]
}

// root is the service root, https://host/v1.0/.
func (a *API) root(c echo.Context) string {
	if a.public != nil {
		return a.public.Scheme + "://" + a.public.Host + "/v1.0/"
	}
	scheme := "http"
	if session.Secure(c.Request()) {
		scheme = "https"
	}
	return scheme + "://" + c.Request().Host + "/v1.0/"
}

// contextURL is the @odata.context of an answer: the root's $metadata and what.
func (a *API) contextURL(c echo.Context, what string) string {
	return a.root(c) + "$metadata#" + what
}

const requestIDKey = "graph.request-id"

// setRequestID gives the request Graph's request-id (and echoes client-request-id).
func setRequestID(c echo.Context) {
	if _, ok := c.Get(requestIDKey).(string); ok {
		return
	}
	var b [16]byte
	_, _ = rand.Read(b[:])
	b[6] = b[6]&0x0f | 0x40
	b[8] = b[8]&0x3f | 0x80
	id := fmt.Sprintf("%x-%x-%x-%x-%x", b[0:4], b[4:6], b[6:8], b[8:10], b[10:])
	c.Set(requestIDKey, id)
	h := c.Response().Header()
	h.Set("request-id", id)
	if cid := c.Request().Header.Get("client-request-id"); cid != "" && len(cid) <= 100 {
		h.Set("client-request-id", cid)
	}
}

func requestID(c echo.Context) string {
	id, _ := c.Get(requestIDKey).(string)
	return id
}

func writeJSON(c echo.Context, status int, body any) error {
	var b []byte
	var err error
	if p, ok := body.(listPage); ok {
		b, err = p.appendJSON(make([]byte, 0, p.size()))
	} else if a, ok := body.(jsonAppender); ok {
		b, err = a.appendJSON(make([]byte, 0, 4096))
	} else {
		b, err = json.Marshal(body)
	}
	if err != nil {
		return err
	}
	return c.Blob(status, "application/json;odata.metadata=minimal;odata.streaming=true;IEEE754Compatible=false;charset=utf-8", b)
}

// object is a JSON object whose properties keep their order, as Graph writes them;
// the resources build them from typed values (user, group ...), so $select can
// leave properties out without a map.
type object []prop

type prop struct {
	name  string
	value any
}

// nullable is a string property that Graph writes as null when empty.
func nullable(s string) any {
	if s == "" {
		return nil
	}
	return s
}

func itoa(n int) string { return strconv.Itoa(n) }
