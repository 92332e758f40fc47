package graph

import (
	"context"
	"errors"
	"net/http"
	"time"

	"github.com/labstack/echo/v4"

	"github.com/contoso/admincenter/handlers/apiauth"
	"github.com/contoso/admincenter/models"
	"github.com/contoso/admincenter/views/i18n"
)

// Graph's errors are {"error":{"code":"Request_ResourceNotFound","message":...,
// "innerError":{"date":...,"request-id":...,"client-request-id":...}}}, with the
// codes and statuses the service uses for the directory.

// ErrorResponse is Graph's error body.
type ErrorResponse struct {
	Error ErrorBody `json:"error"`
}

// ErrorBody is the error itself.
type ErrorBody struct {
	Code       string     `json:"code"`
	Message    string     `json:"message"`
	InnerError InnerError `json:"innerError"`
}

// InnerError says when and for which request the error happened.
type InnerError struct {
	Date            string `json:"date"`
	RequestID       string `json:"request-id"`
	ClientRequestID string `json:"client-request-id"`
}

// apiError is an error a handler returns to be answered in Graph's shape.
type apiError struct {
	status  int
	code    string
	message string
}

func (e *apiError) Error() string { return e.code + ": " + e.message }

func fail(status int, code, message string) error {
	return &apiError{status: status, code: code, message: message}
}

func badRequest(message string) error {
	return fail(http.StatusBadRequest, "Request_BadRequest", message)
}

func notFound(id string) error {
	return fail(http.StatusNotFound, "Request_ResourceNotFound",
		"Resource '"+id+"' does not exist or one of its queried reference-property objects are not present.")
}

// graphProperties are the models' fields whose bad value Graph answers with its
// own wording, by the property's Graph name.
var graphProperties = map[string]string{"usage_location": "usageLocation"}

var errDenied = fail(http.StatusForbidden, "Authorization_RequestDenied", "Insufficient privileges to complete the operation.")

// modelError answers an error of a models method: not found, refused, a broken
// rule in English, or (anything else) the server's own failure, returned as is.
func modelError(ctx context.Context, err error, id string) error {
	if ve, ok := models.AsValidation(err); ok {
		for field, name := range graphProperties {
			if _, bad := ve.Fields[field]; bad {
				return badRequest("Invalid value specified for property '" + name + "' of resource 'User'.")
			}
		}
		fe := ve.First()
		return badRequest(i18n.Map(i18n.WithLang(ctx, "en"), fe.Key, fe.Args))
	}
	switch {
	case errors.Is(err, models.ErrNotFound):
		return notFound(id)
	case errors.Is(err, models.ErrForbidden):
		return errDenied
	case errors.Is(err, models.ErrStale):
		return fail(http.StatusConflict, "Request_BadRequest", "The object was changed by another request; read it again and retry.")
	}
	return err
}

// errorBody is the body of an error for the request.
func errorBody(c echo.Context, code, message string) ErrorResponse {
	return ErrorResponse{Error: ErrorBody{Code: code, Message: message, InnerError: InnerError{
		Date:            time.Now().UTC().Format("2006-01-02T15:04:05"),
		RequestID:       requestID(c),
		ClientRequestID: c.Request().Header.Get("client-request-id"),
	}}}
}

// answerErrors turns an error a handler returned into Graph's error JSON.
func answerErrors(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) error {
		setRequestID(c)
		err := next(c)
		if err == nil || c.Response().Committed {
			return err
		}
		if errors.Is(err, context.Canceled) {
			return err
		}
		var ae *apiError
		var he *echo.HTTPError
		switch {
		case errors.As(err, &ae):
			return writeJSON(c, ae.status, errorBody(c, ae.code, ae.message))
		case errors.As(err, &he) && he.Code == http.StatusNotFound:
			return writeJSON(c, http.StatusBadRequest, errorBody(c, "BadRequest",
				"Resource not found for the segment '"+lastSegment(c.Request().URL.Path)+"'."))
		case errors.As(err, &he) && he.Code == http.StatusMethodNotAllowed:
			return writeJSON(c, http.StatusMethodNotAllowed, errorBody(c, "Request_BadRequest",
				"Specified HTTP method is not allowed for the request target."))
		case errors.As(err, &he) && he.Code < 500:
			return writeJSON(c, he.Code, errorBody(c, "BadRequest", http.StatusText(he.Code)))
		}
		if werr := writeJSON(c, http.StatusInternalServerError, errorBody(c, "generalException",
			"An unexpected error occurred while processing the request.")); werr != nil {
			return errors.Join(err, werr)
		}
		return err
	}
}

// refuse answers a request the token or the rate limit refused: 401 with Graph's
// InvalidAuthenticationToken, or 429 with Retry-After.
func refuse(c echo.Context, f apiauth.Failure, rate apiauth.Rate) error {
	setRequestID(c)
	if f == apiauth.RateLimited {
		return writeJSON(c, http.StatusTooManyRequests, errorBody(c, "TooManyRequests",
			"Too many requests. Retry after "+itoa(rate.RetryAfter)+" seconds."))
	}
	message := map[apiauth.Failure]string{
		apiauth.NoToken:       "Access token is empty.",
		apiauth.BadToken:      "Access token validation failure. Invalid signature.",
		apiauth.ExpiredToken:  "Lifetime validation failed, the token is expired.",
		apiauth.WrongAudience: "Access token validation failure. Invalid audience.",
		apiauth.AppGone:       "Access token validation failure. The app has been revoked or has expired.",
	}[f]
	c.Response().Header().Set("WWW-Authenticate", `Bearer realm="", authorization_uri="https://login.microsoftonline.com/common/oauth2/authorize", client_id="00000003-0000-0000-c000-000000000000"`)
	return writeJSON(c, http.StatusUnauthorized, errorBody(c, "InvalidAuthenticationToken", message))
}
