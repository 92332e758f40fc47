// Package components holds the generic UI pieces the pages are built from.
package components

import (
	"context"
	"encoding/json"

	"github.com/contoso/admincenter/views/page"
)

// CSRFFieldName is the form field that carries the CSRF token.
const CSRFFieldName = "_csrf"

// CSRFHeaderName is the header htmx sends the CSRF token in.
const CSRFHeaderName = "X-CSRF-Token"

// CSRFHeaders is the hx-headers value that makes every htmx request carry the token.
func CSRFHeaders(ctx context.Context) string {
	b, _ := json.Marshal(map[string]string{CSRFHeaderName: page.CSRF(ctx)})
	return string(b)
}
