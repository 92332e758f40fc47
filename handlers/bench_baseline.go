package handlers

import (
	"fmt"
	"net/http"

	"github.com/labstack/echo/v4"

	"github.com/contoso/admincenter/models"
	"github.com/contoso/admincenter/views"
)

// BenchBaseline serves the page `make bench` measures the real pages against: the
// Active users page from 50 rows held in memory, which costs the layout and the
// middleware without the database. It is no part of the product: the route exists
// only with --bench-baseline.
type BenchBaseline struct{}

// Show renders the baseline page.
func (BenchBaseline) Show(c echo.Context) error {
	list := &models.UserList{PageInfo: models.PageInfo{Total: 100000, First: 1, Next: "bench"}}
	for i := 0; i < 50; i++ {
		list.Rows = append(list.Rows, models.UserRow{ID: uint(i + 1), DisplayName: fmt.Sprintf("Baseline Person %02d", i),
			Username: fmt.Sprintf("baseline%02d@contoso.com", i), Licenses: []string{"Microsoft 365 Business Standard"}})
	}
	v := listView(c, views.UsersParams{Filter: models.FilterAll, Size: 50}, list, nil)
	return render(c, http.StatusOK, views.UsersPage(v), views.UsersResults(v))
}
