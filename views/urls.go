package views

import (
	"net/url"
	"strconv"

	"github.com/contoso/admincenter/models"
)

// UsersParams is the state of the Active users list as it travels in the URL.
type UsersParams struct {
	Search string
	Filter models.UserFilter
	Desc   bool
	Size   int
	After  string
	Before string
}

func (p UsersParams) values() url.Values {
	v := url.Values{}
	if p.Search != "" {
		v.Set("q", p.Search)
	}
	if p.Filter != "" && p.Filter != models.FilterAll {
		v.Set("filter", string(p.Filter))
	}
	if p.Desc {
		v.Set("sort", "desc")
	}
	if p.Size != 0 && p.Size != models.DefaultPageSize {
		v.Set("size", strconv.Itoa(p.Size))
	}
	if p.After != "" {
		v.Set("after", p.After)
	}
	if p.Before != "" {
		v.Set("before", p.Before)
	}
	return v
}

// URL is the address of the list in this state.
func (p UsersParams) URL() string { return withQuery("/users", p.values()) }

// Page returns the state moved to another page (one cursor, the other cleared).
func (p UsersParams) Page(after, before string) UsersParams {
	p.After, p.Before = after, before
	return p
}

// SortToggled returns the state sorted the other way, from the first page.
func (p UsersParams) SortToggled() UsersParams {
	p.Desc = !p.Desc
	return p.Page("", "")
}

// UserURL is the address of a person's properties pane on a tab.
func UserURL(id uint, tab string) string {
	u := "/users/" + strconv.FormatUint(uint64(id), 10)
	if tab != "" && tab != TabAccount {
		u += "?tab=" + url.QueryEscape(tab)
	}
	return u
}

// SharedParams is the state of the Shared mailboxes list as it travels in the URL.
type SharedParams struct {
	Search string
	Size   int
	After  string
	Before string
}

// URL is the address of the list in this state.
func (p SharedParams) URL() string {
	v := url.Values{}
	if p.Search != "" {
		v.Set("q", p.Search)
	}
	if p.Size != 0 && p.Size != models.DefaultPageSize {
		v.Set("size", strconv.Itoa(p.Size))
	}
	if p.After != "" {
		v.Set("after", p.After)
	}
	if p.Before != "" {
		v.Set("before", p.Before)
	}
	return withQuery("/shared-mailboxes", v)
}

// Page returns the state moved to another page.
func (p SharedParams) Page(after, before string) SharedParams {
	p.After, p.Before = after, before
	return p
}

func withQuery(path string, v url.Values) string {
	if len(v) == 0 {
		return path
	}
	return path + "?" + v.Encode()
}
