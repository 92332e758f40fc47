package adminapi

import (
	"encoding/json"
	"net/http"
	"net/url"
	"strings"

	"github.com/labstack/echo/v4"

	"github.com/contoso/admincenter/handlers/apiauth"
)

// maxBatch is how many requests one $batch may hold, as Exchange Online allows.
const maxBatch = 10

// batchRequest is an OData JSON batch: {"requests":[{"id":"1","method":"POST",
// "url":"/adminapi/beta/{tenant}/InvokeCommand","headers":{...},"body":{...}}]}.
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

// batchResponse is {"responses":[{"id":"1","status":200,"headers":{...},"body":{...}}]}.
type batchResponse struct {
	Responses []batchAnswer `json:"responses"`
}

type batchAnswer struct {
	ID      string            `json:"id"`
	Status  int               `json:"status"`
	Headers map[string]string `json:"headers"`
	Body    any               `json:"body"`
}

// Batch runs up to ten InvokeCommand requests in order: POST
// /adminapi/beta/{tenant}/$batch. Each counts against the app's rate; one that
// fails does not stop the others.
func (a *API) Batch(c echo.Context) error {
	r := c.Request()
	body, err := readAll(r)
	if err != nil {
		return err
	}
	var br batchRequest
	if err := json.Unmarshal(body, &br); err != nil || len(br.Requests) == 0 {
		return writeJSON(c, http.StatusBadRequest, failure(http.StatusBadRequest, requestError("Microsoft.OData.ODataException",
			"The batch isn't valid: send {\"requests\":[{\"id\":\"1\",\"method\":\"POST\",\"url\":\".../InvokeCommand\",\"body\":{...}}]}.")).body)
	}
	if len(br.Requests) > maxBatch {
		return writeJSON(c, http.StatusBadRequest, failure(http.StatusBadRequest, requestError("Microsoft.OData.ODataException",
			"A batch holds at most "+itoa(maxBatch)+" requests; this one holds "+itoa(len(br.Requests))+".")).body)
	}
	actor := apiauth.Actor(c)
	tenant := c.Param("tenant")
	root := a.serviceRoot(r, tenant)
	out := batchResponse{Responses: make([]batchAnswer, 0, len(br.Requests))}
	for _, item := range br.Requests {
		var ans answer
		if a.limiter != nil {
			rate := a.limiter.Take(actor.App)
			if !rate.Allowed {
				h := http.Header{}
				rate.Header(h)
				res := failure(http.StatusTooManyRequests, requestError("Microsoft.Exchange.Admin.OData.Core.ODataServiceException",
					"Too many requests. The app has used its "+itoa(rate.Limit)+" requests of this period."))
				res.header = h
				out.Responses = append(out.Responses, batchAnswerOf(item.ID, res))
				continue
			}
		}
		query, ok := batchTarget(item, r.URL.Path)
		switch {
		case !strings.EqualFold(item.Method, http.MethodPost):
			ans = failure(http.StatusMethodNotAllowed, requestError("Microsoft.OData.ODataException", "Only POST is allowed in a batch."))
		case !ok:
			ans = failure(http.StatusNotFound, requestError("Microsoft.OData.ODataException",
				"A batch request must address InvokeCommand of this tenant."))
		default:
			ans = a.invoke(r.Context(), actor, call{root: root, tenant: tenant, query: query, prefer: header(item.Headers, "Prefer"), body: item.Body})
		}
		out.Responses = append(out.Responses, batchAnswerOf(item.ID, ans))
	}
	return writeJSON(c, http.StatusOK, out)
}

func batchAnswerOf(id string, a answer) batchAnswer {
	h := map[string]string{"Content-Type": "application/json; odata.metadata=minimal; odata.streaming=true; charset=utf-8"}
	for k := range a.header {
		h[k] = a.header.Get(k)
	}
	return batchAnswer{ID: id, Status: a.status, Headers: h, Body: a.body}
}

// batchTarget checks that an item addresses InvokeCommand of the batch's own
// service ("InvokeCommand", "/adminapi/beta/{tenant}/InvokeCommand" or the absolute
// address) and returns its query.
func batchTarget(item batchItem, batchPath string) (url.Values, bool) {
	u, err := url.Parse(item.URL)
	if err != nil {
		return nil, false
	}
	root := strings.TrimSuffix(batchPath, "$batch")
	if u.Path != "InvokeCommand" && u.Path != root+"InvokeCommand" {
		return nil, false
	}
	return u.Query(), true
}

// header finds a header of a batch item, whatever its case.
func header(h map[string]string, name string) string {
	for k, v := range h {
		if strings.EqualFold(k, name) {
			return v
		}
	}
	return ""
}
