package views

import (
	"github.com/contoso/admincenter/models"
	"github.com/contoso/admincenter/views/components"
)

// listPager is the pager under a keyset-paged list (Active users, Contacts, Teams &
// groups, Shared mailboxes): which rows are on screen, and the links to the pages
// before and after, made by page from a cursor (after, before). target is the
// element htmx swaps the list into.
func listPager(info models.PageInfo, rows int, target string, page func(after, before string) string) components.PagerView {
	p := components.PagerView{First: info.First, Last: info.First + rows - 1, Total: info.Total,
		AtLeast: info.TotalAtLeast, Uncounted: info.Uncounted, Target: target}
	if info.Prev != "" {
		p.PrevURL = page("", info.Prev)
	}
	if info.Next != "" {
		p.NextURL = page(info.Next, "")
	}
	return p
}
