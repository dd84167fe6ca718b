package web

import (
	"net/http"

	"github.com/a-h/templ"
	"github.com/labstack/echo/v4"

	"taskapp/models"
	"taskapp/views"
)

// list is GET /tasks: the page, or for htmx (a tab, a search, a page link)
// the list region, with the canonical URL pushed to the history.
func (h *TaskHandler) list(c echo.Context) error {
	l, err := h.listView(c, parseListQuery(c.QueryParams()))
	if err != nil {
		return err
	}
	// The element asked to push its request URL; push the canonical one
	// instead (no empty parameters, the clamped page).
	pushURL(c, l.Query.URL())
	page := views.TasksPage{List: l, Create: views.TaskForm{Status: models.StatusPending}}
	return render(c, http.StatusOK, views.TaskListPage(page), views.TaskListFragment(l))
}

// counts is GET /tasks/counts, which the tabs fetch after a delete: fresh
// tabs and pagination. When the delete emptied the page on screen (or the
// whole view), the region is redrawn instead, there being no rows on
// screen to keep. Without htmx it redirects to the list.
func (h *TaskHandler) counts(c echo.Context) error {
	q := parseListQuery(c.QueryParams())
	return respond(c, q.URL(), func() error {
		l, err := h.countsView(c, q)
		if err != nil {
			return err
		}
		if l.Total > 0 && q.Page <= l.Pages {
			return render(c, http.StatusOK, nil, templ.Join(views.Tabs(l, false), views.Pagination(l, true)))
		}
		if l, err = h.listView(c, q); err != nil {
			return err
		}
		replaceRegion(c, "#task-region", l.Query.URL())
		return render(c, http.StatusOK, nil, views.TaskListFragment(l))
	})
}
