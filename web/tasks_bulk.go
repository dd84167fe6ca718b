package web

import (
	"errors"
	"fmt"
	"net/http"
	"time"

	"github.com/labstack/echo/v4"

	"taskapp/models"
	"taskapp/views"
)

// bulkForm is the bulk actions form as sent, read once.
type bulkForm struct {
	ids       []int64
	action    string
	change    models.BulkChange
	confirmed bool // a delete was confirmed (app.js, or BulkDeletePage)
}

// parse reads the selected ids and the action. An id that names no task
// (not digits) fails the whole request with the same 404 as one that is
// another user's; the store checks ownership.
func (f *bulkForm) parse(c echo.Context) error {
	values, err := c.FormParams()
	if err != nil {
		return echo.NewHTTPError(http.StatusBadRequest, "unreadable form")
	}
	for _, raw := range values["ids"] {
		id, ok := views.ParseTaskID(raw)
		if !ok {
			return fmt.Errorf("web: bulk task id %q: %w", raw, models.ErrNotFound)
		}
		f.ids = append(f.ids, id)
	}
	f.action = values.Get("action")
	switch f.action {
	case views.BulkComplete:
		done := models.StatusCompleted
		f.change.Status = &done
	case views.BulkStatus:
		s := models.TaskStatus(values.Get("status"))
		f.change.Status = &s
	case views.BulkDelete:
		f.change.Delete = true
	}
	f.confirmed = values.Get("confirmed") == "yes"
	return nil
}

// bulk is POST /tasks/bulk: one action on every selected task, in one
// request and one transaction. A plain form returns to the list it came
// from; htmx gets that list redrawn. Nothing selected (or no action) is a
// 422 with the list and the reason. A delete without JavaScript asks on a
// page of its own first.
func (h *TaskHandler) bulk(c echo.Context) error {
	ctx := c.Request().Context()
	var f bulkForm
	if err := f.parse(c); err != nil {
		return err
	}
	o := originOf(c)
	q := o.listQuery()
	if f.change.Delete && !f.confirmed && len(f.ids) > 0 {
		return render(c, http.StatusOK, views.BulkDeletePage(views.BulkDeleteView{IDs: f.ids, Back: q.URL()}), nil)
	}
	var n int
	var deletedAt time.Time
	var err error
	if f.change.Delete {
		n, deletedAt, err = h.store.DeleteTasks(ctx, ownerID(c), f.ids)
	} else {
		n, err = h.store.ApplyBulk(ctx, ownerID(c), f.ids, f.change)
	}
	var invalid *models.ValidationError
	status := http.StatusOK
	switch {
	case errors.As(err, &invalid):
		status = http.StatusUnprocessableEntity
		for _, field := range []string{"ids", "action", "status"} {
			if msg := invalid.Fields[field]; msg != "" {
				flash(c, views.FlashError, msg)
				break
			}
		}
	case err != nil:
		return err
	case f.change.Delete:
		flashUndo(c, views.BulkDoneMessage(n, f.change), deletedAt, q.URL())
		if !wantsFragment(c) {
			return redirect(c, q.URL())
		}
	default:
		flash(c, views.FlashSuccess, views.BulkDoneMessage(n, f.change))
		if !wantsFragment(c) {
			return redirect(c, q.URL())
		}
	}
	l, err := h.listView(c, q)
	if err != nil {
		return err
	}
	// The list may have moved back a page, the one on screen now empty.
	replaceURL(c, l.Query.URL())
	page := views.TasksPage{List: l, Create: views.TaskForm{Status: models.StatusPending}}
	return render(c, status, views.TaskListPage(page), views.TaskListFragment(l))
}
