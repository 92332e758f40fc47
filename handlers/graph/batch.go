package graph

import (
	"bytes"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"strings"

	"github.com/labstack/echo/v4"

	"github.com/contoso/admincenter/handlers/apiauth"
)

// maxBatch is how many requests one $batch may hold, as Graph allows.
const maxBatch = 20

// batchRequest is Graph's JSON batch: {"requests":[{"id":"1","method":"GET",
// "url":"/users?$top=1","headers":{...},"body":{...}}]}.
type batchRequest struct {
	Requests []batchItem `json:"requests"`
}

type batchItem struct {
	ID      string            `json:"id"`
	Method  string            `json:"method"`
	URL     string            `json:"url"`
	Headers map[string]string `json:"headers"`
	Body    json.RawMessage   `json:"body"`
}

type batchResponse struct {
	Responses []batchAnswer `json:"responses"`
}

type batchAnswer struct {
	ID      string            `json:"id"`
	Status  int               `json:"status"`
	Headers map[string]string `json:"headers"`
	Body    json.RawMessage   `json:"body,omitempty"`
}

// Batch answers POST /v1.0/$batch: each request runs in order through the same
// route and the API's own middleware as on its own (so each counts against the
// app's rate and is checked with the same token), but not through the server's
// again: it already holds a worker place and its body was read. One that fails
// does not stop the others.
func (a *API) Batch(c echo.Context) error {
	var br batchRequest
	if err := readJSON(c, &br); err != nil {
		return err
	}
	if len(br.Requests) == 0 {
		return badRequest("Invalid batch payload format: send {\"requests\":[{\"id\":\"1\",\"method\":\"GET\",\"url\":\"/users\"}]}.")
	}
	if len(br.Requests) > maxBatch {
		return badRequest("The number of batch requests in a batch cannot exceed 20.")
	}
	seen := map[string]bool{}
	for _, item := range br.Requests {
		if item.ID == "" || seen[item.ID] {
			return badRequest("Each request of a batch needs a unique id.")
		}
		seen[item.ID] = true
		if !strings.HasPrefix(item.URL, "/") || strings.HasPrefix(item.URL, "//") || strings.Contains(item.URL, "$batch") {
			return badRequest("A batch request's url must be relative to the service root, as /users/{id}.")
		}
	}
	out := batchResponse{Responses: make([]batchAnswer, 0, len(br.Requests))}
	outer := c.Request()
	for _, item := range br.Requests {
		var body *bytes.Reader
		if len(item.Body) > 0 && string(item.Body) != "null" {
			body = bytes.NewReader(item.Body)
		} else {
			body = bytes.NewReader(nil)
		}
		req, err := http.NewRequestWithContext(outer.Context(), strings.ToUpper(item.Method), "/v1.0"+item.URL, body)
		if err != nil {
			out.Responses = append(out.Responses, batchAnswer{ID: item.ID, Status: http.StatusBadRequest, Headers: map[string]string{}})
			continue
		}
		req.Host = outer.Host
		req.RemoteAddr = outer.RemoteAddr
		req.TLS = outer.TLS
		for k, v := range item.Headers {
			req.Header.Set(k, v)
		}
		if len(item.Body) > 0 && req.Header.Get("Content-Type") == "" {
			req.Header.Set("Content-Type", "application/json")
		}
		if raw, ok := apiauth.Bearer(outer); ok {
			req.Header.Set("Authorization", "Bearer "+raw)
		}
		rec := httptest.NewRecorder()
		a.serveInner(c.Echo(), rec, req)
		ans := batchAnswer{ID: item.ID, Status: rec.Code, Headers: map[string]string{}}
		for k := range rec.Header() {
			if k == "Content-Type" || k == "Location" || k == "Retry-After" {
				ans.Headers[k] = rec.Header().Get(k)
			}
		}
		if b := rec.Body.Bytes(); len(b) > 0 {
			if json.Valid(b) {
				ans.Body = b
			} else {
				ans.Body, _ = json.Marshal(string(b))
			}
		}
		out.Responses = append(out.Responses, ans)
	}
	return writeJSON(c, http.StatusOK, out)
}

// serveInner runs one request of a batch through its route: the handler Echo finds
// carries the API's middleware (errors, gzip, token, rate).
func (a *API) serveInner(e *echo.Echo, w http.ResponseWriter, req *http.Request) {
	ctx := e.NewContext(req, w)
	path := req.URL.RawPath
	if path == "" {
		path = req.URL.Path
	}
	e.Router().Find(req.Method, path, ctx)
	if !strings.HasPrefix(ctx.Path(), "/v1.0/") {
		_ = answerErrors(func(c echo.Context) error { return a.NotFound(c) })(ctx)
		return
	}
	if err := ctx.Handler()(ctx); err != nil && !ctx.Response().Committed {
		_ = writeJSON(ctx, http.StatusInternalServerError, errorBody(ctx, "generalException",
			"An unexpected error occurred while processing the request."))
	}
}
