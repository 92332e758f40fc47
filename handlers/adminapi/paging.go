package adminapi

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"net/url"
	"slices"
	"strconv"
	"strings"

	"github.com/contoso/admincenter/handlers/odata"
	"github.com/contoso/admincenter/models/powershell"
)

// Page sizes: Prefer: odata.maxpagesize=N asks for N objects a page, at most
// maxPageSize; without it a page holds maxPageSize.
const maxPageSize = 1000

// pageSize reads the page size from a Prefer header (preferences separated by
// commas, such as "odata.maxpagesize=100, return=minimal") and reports whether the
// preference was applied.
func pageSize(prefer string) (int, bool) {
	for _, p := range strings.Split(prefer, ",") {
		name, value, ok := strings.Cut(strings.TrimSpace(p), "=")
		if !ok || !strings.EqualFold(strings.TrimSpace(name), "odata.maxpagesize") {
			continue
		}
		n, err := strconv.Atoi(strings.Trim(strings.TrimSpace(value), `"`))
		if err != nil || n < 1 {
			return maxPageSize, false
		}
		return min(n, maxPageSize), true
	}
	return maxPageSize, false
}

// cursor is where a page ends, carried by @odata.nextLink as $skiptoken: the
// cmdlet's own position (After) when it pages itself, otherwise the offset in its
// output and the identity of the object before it. It names the request it belongs
// to, so a link posted with another body is refused rather than answered with the
// middle of something else.
type cursor struct {
	Req    string `json:"r"`
	After  string `json:"a,omitempty"`
	Offset int    `json:"o,omitempty"`
	Key    string `json:"k,omitempty"`
}

var errForeignCursor = errors.New("the $skiptoken belongs to another request")

// readPage reads the $skiptoken of a request; an empty one is the first page.
func readPage(token string, in powershell.CmdletInput, sel []string) (*cursor, error) {
	req, err := requestKey(in, sel)
	if err != nil {
		return nil, err
	}
	if token == "" {
		return &cursor{Req: req}, nil
	}
	var c cursor
	if !odata.DecodeToken(token, 4096, &c) || c.Req != req || c.Offset < 0 {
		return nil, errForeignCursor
	}
	return &c, nil
}

// requestKey identifies a request for its cursors: the cmdlet, its parameters and
// the $select.
func requestKey(in powershell.CmdletInput, sel []string) (string, error) {
	params, err := json.Marshal(in.Parameters)
	if err != nil {
		return "", err
	}
	h := sha256.New()
	fmt.Fprintf(h, "%s\x00%s\x00%s", strings.ToLower(in.CmdletName), params, strings.Join(sel, ","))
	return hex.EncodeToString(h.Sum(nil)[:12]), nil
}

func (c *cursor) encode() string { return odata.EncodeToken(c) }

// slice returns the page of a run's output and the cursor of the next page (nil on
// the last). A cmdlet that paged itself wrote just the page. Other output is paged
// here: the page starts after the object the previous one ended with, found again
// by its identity if earlier objects have gone meanwhile, so no object is returned
// twice while the output keeps its order.
func (c *cursor) slice(out []powershell.Value, pg *powershell.Paging, size int) ([]powershell.Value, *cursor) {
	if next, ok := pg.Paged(); ok {
		if next == "" {
			return out, nil
		}
		return out, &cursor{Req: c.Req, After: next}
	}
	start := min(c.Offset, len(out))
	if start > 0 && identity(out[start-1]) != c.Key {
		if i := slices.IndexFunc(out, func(v powershell.Value) bool { return identity(v) == c.Key }); i >= 0 {
			start = i + 1
		}
	}
	end := min(start+size, len(out))
	if end < len(out) {
		return out[start:end], &cursor{Req: c.Req, Offset: end, Key: identity(out[end-1])}
	}
	return out[start:end], nil
}

// identity is what tells output objects apart: an object's identity, any other
// value as JSON.
func identity(v powershell.Value) string {
	if o, ok := v.(*powershell.Object); ok {
		return o.String()
	}
	b, _ := json.Marshal(v)
	return string(b)
}

// project keeps only the selected properties of the output objects.
func project(values []powershell.Value, sel []string) []powershell.Value {
	if len(sel) == 0 {
		return values
	}
	out := make([]powershell.Value, len(values))
	for i, v := range values {
		if o, ok := v.(*powershell.Object); ok {
			v = o.Select(sel...)
		}
		out[i] = v
	}
	return out
}

// nextLink is the address of the next page: the same InvokeCommand with the same
// query and the cursor as $skiptoken. The client posts the same body to it.
func nextLink(root string, query url.Values, token string) string {
	return odata.NextLink(root+"InvokeCommand", query, token)
}

func itoa(n int) string { return strconv.Itoa(n) }
