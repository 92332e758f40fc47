// Package htmx names the HX-* headers the app reads and writes.
package htmx

import (
	"encoding/json"
	"net/http"
)

// Request headers htmx sends.
const (
	HeaderRequest = "HX-Request"
	HeaderBoosted = "HX-Boosted"
	HeaderTarget  = "HX-Target"
	// HeaderHistoryRestore marks a Back-button reload; it wants the whole page.
	HeaderHistoryRestore = "HX-History-Restore-Request"
)

// Response headers the app sends.
const (
	HeaderTrigger  = "HX-Trigger"
	HeaderRedirect = "HX-Redirect"
	HeaderPushURL  = "HX-Push-Url"
	HeaderRetarget = "HX-Retarget"
	HeaderReswap   = "HX-Reswap"
)

// IsPartial reports whether the request is an htmx request that wants a fragment:
// an htmx request that is not a boosted navigation.
func IsPartial(r *http.Request) bool {
	return r.Header.Get(HeaderRequest) == "true" && r.Header.Get(HeaderBoosted) != "true" &&
		r.Header.Get(HeaderHistoryRestore) != "true"
}

// Target returns the id of the element htmx will swap the response into.
func Target(r *http.Request) string { return r.Header.Get(HeaderTarget) }

// Toast sets the HX-Trigger header that makes app.js show a toast.
func Toast(h http.Header, message string) {
	b, _ := json.Marshal(map[string]any{"toast": map[string]string{"message": message}})
	h.Set(HeaderTrigger, string(b))
}
