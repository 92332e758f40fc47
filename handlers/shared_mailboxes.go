package handlers

import (
	"net/http"

	"github.com/labstack/echo/v4"

	"github.com/contoso/admincenter/models"
	"github.com/contoso/admincenter/views"
)

// SharedMailboxes serves Teams & groups > Shared mailboxes.
type SharedMailboxes struct {
	store *models.Store
}

// NewSharedMailboxes returns the shared mailbox handlers.
func NewSharedMailboxes(store *models.Store) *SharedMailboxes { return &SharedMailboxes{store: store} }

// List renders the shared mailbox list; search and paging swap only the results.
func (h *SharedMailboxes) List(c echo.Context) error {
	p := views.SharedParams{
		Search: c.QueryParam("q"),
		Size:   models.NormalizePageSize(intQuery(c, "size")),
		After:  c.QueryParam("after"),
		Before: c.QueryParam("before"),
	}
	list, err := h.store.SharedMailboxes(c.Request().Context(), models.SharedMailboxQuery{
		Search: p.Search, Page: models.Page{After: p.After, Before: p.Before, Size: p.Size},
	})
	if err != nil {
		return err
	}
	v := views.SharedPageView{Params: p, List: list}
	return render(c, http.StatusOK, views.SharedMailboxesPage(v), views.SharedMailboxesResults(v))
}
