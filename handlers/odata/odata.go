// Package odata holds the OData query conventions that the API surfaces for
// programs (Microsoft Graph in handlers/graph, the Exchange REST endpoint in
// handlers/adminapi) write the same way: a $select list, the $skiptoken cursor of a
// page (base64url JSON that only the server reads), and the @odata.nextLink that
// carries it with the request's other query options. What a cursor holds and which
// request it belongs to stays with each API.
package odata

import (
	"encoding/base64"
	"encoding/json"
	"net/url"
	"slices"
	"strings"
)

// Select reads $select=a,b: the names in order, trimmed, empty ones left out.
func Select(s string) []string {
	var out []string
	for _, name := range strings.Split(s, ",") {
		if name = strings.TrimSpace(name); name != "" {
			out = append(out, name)
		}
	}
	return out
}

// EncodeToken writes a cursor as a $skiptoken.
func EncodeToken(cursor any) string {
	b, _ := json.Marshal(cursor)
	return base64.RawURLEncoding.EncodeToString(b)
}

// DecodeToken reads a $skiptoken made by EncodeToken into cursor; false when it
// isn't one, or is longer than maxBytes once decoded.
func DecodeToken(token string, maxBytes int, cursor any) bool {
	b, err := base64.RawURLEncoding.DecodeString(token)
	return err == nil && len(b) <= maxBytes && json.Unmarshal(b, cursor) == nil
}

// NextLink is the address of a list's next page: address, then the request's
// query options but its $skiptoken (sorted, so one request always gets the same
// link), then the new $skiptoken.
func NextLink(address string, query url.Values, token string) string {
	keys := make([]string, 0, len(query))
	for k := range query {
		if k != "$skiptoken" {
			keys = append(keys, k)
		}
	}
	slices.Sort(keys)
	var parts []string
	for _, k := range keys {
		for _, v := range query[k] {
			parts = append(parts, escapeKey(k)+"="+url.QueryEscape(v))
		}
	}
	parts = append(parts, "$skiptoken="+token)
	return address + "?" + strings.Join(parts, "&")
}

// escapeKey escapes a query key but keeps OData's leading '$' readable.
func escapeKey(k string) string {
	if strings.HasPrefix(k, "$") {
		return "$" + url.QueryEscape(k[1:])
	}
	return url.QueryEscape(k)
}
