package adminapi

import (
	"net/http"

	"github.com/labstack/echo/v4"

	"github.com/contoso/admincenter/handlers/apiauth"
	"github.com/contoso/admincenter/models/powershell"
)

// Exchange's REST errors are {"error":{"code":...,"message":...,"details":[{"code":
// "Client","target":"","message":"ExNNNNNN|Exception.Type|text"}],"innererror":
// {"type":...}}}; clients such as CIPP split details[0].message on '|'. The error's
// code names the HTTP status, as the service's does (NotFound with 404 ...).

// failure answers a call with an error body.
func failure(status int, body powershell.ErrorResponse) answer {
	body.Error.Code = statusCode(status)
	return answer{status: status, body: body}
}

// statusCode is the error code that goes with an HTTP status.
func statusCode(status int) string {
	switch status {
	case http.StatusBadRequest:
		return "BadRequest"
	case http.StatusUnauthorized:
		return "Unauthorized"
	case http.StatusForbidden:
		return "Forbidden"
	case http.StatusNotFound:
		return "NotFound"
	case http.StatusMethodNotAllowed:
		return "MethodNotAllowed"
	case http.StatusTooManyRequests:
		return "TooManyRequests"
	}
	return "InternalServerError"
}

// cmdletError is the answer to a cmdlet that failed: the status its category
// suggests (an object that isn't there 404, a change the app's roles don't allow
// 403, an unexpected failure 500, any other refusal 400), with the record as
// Exchange writes it.
func cmdletError(rec *powershell.ErrorRecord) (int, powershell.ErrorResponse) {
	status := http.StatusBadRequest
	switch {
	case rec.Category == powershell.ObjectNotFound:
		status = http.StatusNotFound
	case rec.Category == powershell.PermissionDenied:
		status = http.StatusForbidden
	case rec.ErrorID == "UnexpectedError", rec.Category == powershell.OperationStopped:
		status = http.StatusInternalServerError
	}
	return status, powershell.NewErrorResponse(rec)
}

// requestError is an error about the request itself rather than a cmdlet, in the
// same shape (no Exchange code before the first '|').
func requestError(exception, message string) powershell.ErrorResponse {
	return powershell.NewErrorResponse(&powershell.ErrorRecord{Exception: exception, Message: message})
}

// unexpected is the answer to a failure of the server: nothing of it is shown.
func unexpected() powershell.ErrorResponse {
	return requestError("System.Exception", "The operation couldn't be performed because of an unexpected error.")
}

// The WWW-Authenticate challenge Exchange Online sends with a 401: the resource is
// Exchange's well-known app id; a program gets a token for it from the token
// endpoint (client credentials, scope https://outlook.office365.com/.default).
const challenge = `Bearer client_id="00000002-0000-0ff1-ce00-000000000000", trusted_issuers="00000001-0000-0000-c000-000000000000@*", ` +
	`token_types="app_asserted_user_v1 service_asserted_app_v1", authorization_uri="https://login.microsoftonline.com/common/oauth2/authorize"`

// refuse answers a request the token or the rate limit refused: 401 with the
// challenge and the reason (x-ms-diagnostics, and the body), or 429.
func refuse(c echo.Context, f apiauth.Failure, rate apiauth.Rate) error {
	if f == apiauth.RateLimited {
		return writeJSON(c, http.StatusTooManyRequests, failure(http.StatusTooManyRequests,
			requestError("Microsoft.Exchange.Admin.OData.Core.ODataServiceException",
				"Too many requests. The app has used its "+itoa(rate.Limit)+" requests of this period; try again after "+
					rate.Reset.UTC().Format("2006-01-02T15:04:05Z")+".")).body)
	}
	reason := map[apiauth.Failure]string{
		apiauth.NoToken:       "The request has no bearer token. Send Authorization: Bearer with a token from the token endpoint.",
		apiauth.BadToken:      "The token is malformed or its signature is invalid.",
		apiauth.ExpiredToken:  "The token has expired.",
		apiauth.WrongAudience: "The token's audience is not Exchange Online. Ask for the scope https://outlook.office365.com/.default.",
		apiauth.AppGone:       "The app the token was issued to has been revoked or has expired.",
	}[f]
	h := c.Response().Header()
	if f == apiauth.NoToken {
		h.Set("WWW-Authenticate", challenge)
	} else {
		h.Set("WWW-Authenticate", challenge+`, error="invalid_token"`)
	}
	h.Set("x-ms-diagnostics", `2000001;reason="`+reason+`";error_category="invalid_token"`)
	return writeJSON(c, http.StatusUnauthorized, failure(http.StatusUnauthorized,
		requestError("Microsoft.Exchange.Security.Authentication.AuthenticationException", reason)).body)
}
