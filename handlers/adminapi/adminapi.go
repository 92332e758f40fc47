// Package adminapi is the Exchange Online REST endpoint that the
// ExchangeOnlineManagement module (V3) and tools such as CIPP send their cmdlets to:
// POST /adminapi/beta/{tenant}/InvokeCommand with
// {"CmdletInput":{"CmdletName":"Set-Mailbox","Parameters":{...}}}, run by the same
// cmdlet engine as the console, for the app the bearer token belongs to.
//
// It has its own middleware chain (apiauth: a bearer token for the Exchange
// audience, a rate limit per app) and answers only JSON in Exchange's shapes: no
// cookies, no CSRF token (there is no cookie to forge a request with), no HTML.
package adminapi

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"net/http"
	"net/url"
	"strings"

	"github.com/labstack/echo/v4"

	"github.com/contoso/admincenter/handlers/apiauth"
	"github.com/contoso/admincenter/handlers/odata"
	"github.com/contoso/admincenter/models"
	"github.com/contoso/admincenter/models/powershell"
	"github.com/contoso/admincenter/web/session"
)

// API serves the endpoint.
type API struct {
	store   *models.Store
	engine  *powershell.Engine
	limiter *apiauth.Limiter
	public  *url.URL
}

// Options configure the endpoint beyond its store and cmdlets.
type Options struct {
	// Limiter counts each app's requests; nil for no limit.
	Limiter *apiauth.Limiter
	// PublicURL is the address clients use, behind a proxy; links (@odata.nextLink,
	// @odata.context) are built on it. Without it, on the request's host.
	PublicURL *url.URL
}

// New returns the endpoint, running the registry's cmdlets.
func New(store *models.Store, reg *powershell.Registry, opt Options) *API {
	return &API{store: store, engine: powershell.New(reg), limiter: opt.Limiter, public: opt.PublicURL}
}

// Middleware is the endpoint's chain: errors in Exchange's shape, then the bearer
// token and the rate limit.
func (a *API) Middleware() []echo.MiddlewareFunc {
	return []echo.MiddlewareFunc{
		answerErrors,
		apiauth.Middleware(a.store, apiauth.Config{
			Audience: models.AudienceExchange, Channel: models.ChannelExchangeREST, Limiter: a.limiter,
			Free:   func(c echo.Context) bool { return strings.HasSuffix(c.Path(), "/$batch") },
			Refuse: refuse,
		}),
	}
}

// InvokeCommand runs one cmdlet: POST /adminapi/beta/{tenant}/InvokeCommand.
func (a *API) InvokeCommand(c echo.Context) error {
	r := c.Request()
	body, err := readAll(r)
	if err != nil {
		return err
	}
	out := a.invoke(r.Context(), apiauth.Actor(c), call{
		root: a.serviceRoot(r, c.Param("tenant")), tenant: c.Param("tenant"), query: r.URL.Query(),
		prefer: r.Header.Get("Prefer"), body: body,
	})
	return out.write(c)
}

// call is one InvokeCommand request, on its own or inside a $batch.
type call struct {
	root   string // the service root, https://host/adminapi/beta/{tenant}/
	tenant string
	query  url.Values
	prefer string
	body   []byte
}

// answer is what a call answers: a status, headers and a JSON body.
type answer struct {
	status int
	header http.Header
	body   any
}

func (o answer) write(c echo.Context) error {
	for k, vs := range o.header {
		for _, v := range vs {
			c.Response().Header().Add(k, v)
		}
	}
	return writeJSON(c, o.status, o.body)
}

// invoke runs a call for the actor: the tenant, the body, the page, the cmdlet, the
// answer.
func (a *API) invoke(ctx context.Context, actor *models.Admin, in call) answer {
	ok, err := a.store.IsTenant(ctx, in.tenant)
	if err != nil {
		return failure(http.StatusInternalServerError, unexpected())
	}
	if !ok {
		return failure(http.StatusNotFound, requestError("Microsoft.Exchange.Admin.OData.Core.ODataServiceException",
			"The tenant '"+in.tenant+"' was not found. Use the tenant id or one of the organization's accepted domains."))
	}
	var req powershell.InvokeRequest
	dec := json.NewDecoder(bytes.NewReader(in.body))
	if err := dec.Decode(&req); err != nil {
		return failure(http.StatusBadRequest, requestError("Microsoft.OData.ODataException",
			"The request body isn't valid JSON. Send {\"CmdletInput\":{\"CmdletName\":\"...\",\"Parameters\":{...}}}."))
	}
	if strings.TrimSpace(req.CmdletInput.CmdletName) == "" {
		return failure(http.StatusBadRequest, requestError("Microsoft.OData.ODataException",
			"The request body has no CmdletInput.CmdletName."))
	}
	sel := odata.Select(in.query.Get("$select"))
	page, err := readPage(in.query.Get("$skiptoken"), req.CmdletInput, sel)
	if err != nil {
		return failure(http.StatusBadRequest, requestError("Microsoft.OData.ODataException",
			"The $skiptoken doesn't belong to this request. Post the same body to the @odata.nextLink you were given."))
	}
	size, applied := pageSize(in.prefer)
	paging := &powershell.Paging{Size: size, After: page.After}
	res := a.engine.Invoke(powershell.WithPaging(ctx, paging), actor, req.CmdletInput)
	if rec := shownError(res); rec != nil {
		status, body := cmdletError(rec)
		return failure(status, body)
	}
	values, next := page.slice(res.Output, paging, size)
	resp := powershell.NewInvokeCommandResponse(in.root, res)
	resp.Value = project(values, sel)
	if next != nil {
		resp.NextLink = nextLink(in.root, in.query, next.encode())
	}
	h := http.Header{}
	if applied {
		h.Set("Preference-Applied", "odata.maxpagesize="+itoa(size))
	}
	return answer{status: http.StatusOK, header: h, body: resp}
}

// shownError returns the first error the run showed (an error hidden by
// -ErrorAction SilentlyContinue or Ignore is not the caller's failure), or nil.
func shownError(res *powershell.Result) *powershell.ErrorRecord {
	for _, rec := range res.Records {
		if rec.Stream == powershell.StreamError && rec.Error != nil {
			return rec.Error
		}
	}
	return nil
}

// serviceRoot is https://host/adminapi/beta/{tenant}/: the --public-url when the
// server has one, else the request's host with the scheme the server decided.
func (a *API) serviceRoot(r *http.Request, tenant string) string {
	base := ""
	if a.public != nil {
		base = a.public.Scheme + "://" + a.public.Host
	} else {
		scheme := "http"
		if session.Secure(r) {
			scheme = "https"
		}
		base = scheme + "://" + r.Host
	}
	return base + "/adminapi/beta/" + url.PathEscape(tenant) + "/"
}

// NotFound answers an address under /adminapi that serves nothing.
func (a *API) NotFound(c echo.Context) error {
	return writeJSON(c, http.StatusNotFound, requestError("Microsoft.Exchange.Admin.OData.Core.ODataServiceException",
		"No HTTP resource was found that matches the request URI '"+c.Request().URL.Path+"'."))
}

// answerErrors turns an error a handler returned into Exchange's error JSON (the
// server's own error handler, which writes HTML pages, then finds the answer
// written and only logs).
func answerErrors(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) error {
		err := next(c)
		if err == nil || c.Response().Committed {
			return err
		}
		status := http.StatusInternalServerError
		body := unexpected()
		var he *echo.HTTPError
		if errors.As(err, &he) && he.Code < 500 {
			status = he.Code
			body = requestError("Microsoft.Exchange.Admin.OData.Core.ODataServiceException", http.StatusText(he.Code))
		}
		if errors.Is(err, context.Canceled) {
			return err
		}
		if werr := writeJSON(c, status, body); werr != nil {
			return errors.Join(err, werr)
		}
		return err
	}
}

func writeJSON(c echo.Context, status int, body any) error {
	var b []byte
	var err error
	if m, ok := body.(json.Marshaler); ok {
		// The response writes its own compact JSON; json.Marshal would check and
		// compact it all again.
		b, err = m.MarshalJSON()
	} else {
		b, err = json.Marshal(body)
	}
	if err != nil {
		return err
	}
	return c.Blob(status, "application/json; odata.metadata=minimal; odata.streaming=true; charset=utf-8", b)
}

func readAll(r *http.Request) ([]byte, error) {
	if r.Body == nil {
		return nil, nil
	}
	var b bytes.Buffer
	if _, err := b.ReadFrom(r.Body); err != nil {
		return nil, echo.NewHTTPError(http.StatusBadRequest).SetInternal(err)
	}
	return b.Bytes(), nil
}
