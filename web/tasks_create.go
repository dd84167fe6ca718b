package web

import (
	"net/http"
	"slices"

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
	var form taskForm
	if err := form.parse(c, true); err != nil {
		return err
	}
	t, err := h.store.CreateTask(ctx, ownerID(c), form.input())
	if form.refused(err) {
		return renderPage(c, http.StatusUnprocessableEntity, func() (templ.Component, error) {
			// The address bar says /tasks: show its default view.
			l, err := h.listView(c, views.ListQuery{Page: 1})
			return views.TaskListPage(views.TasksPage{List: l, Create: form.TaskForm}), err
		}, views.CreateForm(form.TaskForm))
	}
	if err != nil {
		return err
	}
	// The message depends on whether the list on screen shows the task; a
	// plain form goes to the default list, which always does.
	v, err := h.created(c, t, originOf(c).listQuery())
	if err != nil {
		return err
	}
	if v.Shown {
		flash(c, views.FlashSuccess, "Added "+views.Quoted(t.Title)+".")
	} else {
		flash(c, views.FlashSuccess, "Added "+views.Quoted(t.Title)+". It is not shown here because of the current filter, search or page.")
	}
	return respond(c, views.PathTasks, func() error {
		return render(c, http.StatusOK, nil, views.TaskCreated(v))
	})
}

// created is the list q after t was added to it: its counts, whether t
// shows on it, and the row t pushes off a full first page.
func (h *TaskHandler) created(c echo.Context, t *models.Task, q views.ListQuery) (views.TaskCreatedView, error) {
	ctx, userID := c.Request().Context(), ownerID(c)
	v := views.TaskCreatedView{Form: views.TaskForm{Status: models.StatusPending, Focus: true}, Task: t}
	l, err := h.countsView(c, q)
	if err != nil {
		return v, err
	}
	opts := listOptions(q, l.Today, h.perPage)
	inView, err := h.store.TaskInList(ctx, userID, t.ID, opts)
	if err != nil {
		return v, err
	}
	// Clamp the page as it was drawn, before this task counted.
	before := l.Total
	if inView {
		before--
	}
	l.Query.Page = min(q.Page, models.PageCount(before, h.perPage))
	if inView && (q.Due != "" || q.Sort != "") {
		// A new task goes on top of the list only in the default order;
		// in a due view or another order the page on screen is redrawn.
		if l, err = h.listView(c, l.Query); err != nil {
			return v, err
		}
		v.List, v.Redraw = l, true
		v.Shown = slices.ContainsFunc(l.Tasks, func(x models.Task) bool { return x.ID == t.ID })
		return v, nil
	}
	v.List, v.Shown = l, inView && l.Query.Page == 1
	if v.Shown && before >= int64(h.perPage) {
		// The first page was full: its last row now belongs to page 2.
		opts.PerPage, opts.Page = 1, h.perPage+1
		off, err := h.store.ListTasks(ctx, userID, opts)
		if err != nil {
			return v, err
		}
		if len(off.Tasks) == 1 {
			v.Evicted = &off.Tasks[0]
		}
	}
	return v, nil
}
