package web

import (
	"errors"
	"net/http"
	"strings"

	"github.com/a-h/templ"
	"github.com/labstack/echo/v4"

	"taskapp/models"
	"taskapp/views"
)

// create is POST /tasks. A plain form is redirected to /tasks; htmx gets a
// fresh create form, the new row on top of the list on screen (when the
// task belongs there) and the new counts. Invalid input is a 422 with the
// form redrawn around it.
func (h *TaskHandler) create(c echo.Context) error {
	ctx := c.Request().Context()
	form := taskForm(c)
	t, err := h.store.CreateTask(ctx, ownerID(c), models.TaskInput{
		Title:       c.FormValue("title"),
		Description: c.FormValue("description"),
		Status:      models.TaskStatus(c.FormValue("status")),
	})
	var invalid *models.ValidationError
	if errors.As(err, &invalid) {
		form.Errors, form.Focus = invalid.Fields, true
		return renderPage(c, http.StatusUnprocessableEntity, func() (templ.Component, error) {
			// The address bar says /tasks: show its default view.
			l, err := h.listView(ctx, ownerID(c), views.ListQuery{Page: 1})
			return views.TaskListPage(views.TasksPage{List: l, Create: form}), err
		}, views.CreateForm(form))
	}
	if err != nil {
		return err
	}
	if !isHTMX(c) {
		flash(c, views.FlashSuccess, "Added "+views.Quoted(t.Title)+".")
		return redirect(c, "/tasks")
	}

	q := originOf(c).listQuery()
	l, err := h.countsView(ctx, ownerID(c), q)
	if err != nil {
		return err
	}
	inView := (q.Status == "" || q.Status == t.Status) && matchesSearch(t, q.Q)
	// Clamp the page as it was drawn, before this task counted.
	before := l.Total
	if inView {
		before--
	}
	l.Query.Page = min(q.Page, h.pages(before))
	shown := inView && l.Query.Page == 1
	if shown {
		flash(c, views.FlashSuccess, "Added "+views.Quoted(t.Title)+".")
	} else {
		flash(c, views.FlashSuccess, "Added "+views.Quoted(t.Title)+". It is not shown here because of the current filter, search or page.")
	}
	v := views.TaskCreatedView{
		Form:  views.TaskForm{Status: models.StatusPending, Focus: true},
		Task:  t,
		List:  l,
		Shown: shown,
	}
	if shown && before >= int64(h.perPage) {
		// The first page was full: its last row now belongs to page 2.
		off, err := h.store.ListTasks(ctx, ownerID(c), models.ListOptions{
			Status: q.Status, Query: q.Q, PerPage: 1, Page: h.perPage + 1,
		})
		if err != nil {
			return err
		}
		if len(off.Tasks) == 1 {
			v.Evicted = &off.Tasks[0]
		}
	}
	return render(c, http.StatusOK, nil, views.TaskCreated(v))
}

// matchesSearch reports whether t would be found by a search for query,
// as the store searches: anywhere in title or description, any case.
func matchesSearch(t *models.Task, query string) bool {
	if query == "" {
		return true
	}
	query = strings.ToLower(query)
	return strings.Contains(strings.ToLower(t.Title), query) ||
		strings.Contains(strings.ToLower(t.DescriptionText()), query)
}
