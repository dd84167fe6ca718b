package web

import (
	"net/http"

	"github.com/labstack/echo/v4"

	"taskapp/views"
)

// update is PUT and PATCH /tasks/{id}. PUT sets title, description and
// status (a missing field counts as empty); PATCH changes only the fields
// sent, such as status alone from a row's status select.
//
// A plain form is redirected back where it came from. htmx gets the
// fragment that changed: from a list, the row and the new counts; from
// the task page, the page's content. Invalid input redraws the form it
// came from with a 422: the inline edit form, or the task page.
func (h *TaskHandler) update(c echo.Context) error {
	ctx := c.Request().Context()
	// The task is loaded first: anyone but its owner gets the same 404 as
	// for a task that does not exist, and never a form.
	stored, err := h.ownTask(c)
	if err != nil {
		return err
	}
	o := originOf(c)
	form := taskForm{TaskForm: views.FormFromTask(stored, o.listQuery().URL())}
	if err := form.parse(c, c.Request().Method == http.MethodPut); err != nil {
		return err
	}
	t, err := h.store.UpdateTask(ctx, ownerID(c), stored.ID, form.patch)
	if form.refused(err) {
		page := h.taskPage(c, stored, form.TaskForm)
		if o.list != nil {
			return render(c, http.StatusUnprocessableEntity, page, views.TaskEditForm(form.TaskForm))
		}
		return render(c, http.StatusUnprocessableEntity, page, views.TaskDetailView(h.detail(c, stored, form.TaskForm)))
	}
	if err != nil {
		return err
	}

	if p := form.patch; p.Title == nil && p.Description == nil && p.Status != nil {
		flash(c, views.FlashSuccess, views.Quoted(t.Title)+" marked "+t.Status.Words()+".")
	} else {
		flash(c, views.FlashSuccess, "Saved "+views.Quoted(t.Title)+".")
	}
	return respond(c, o.back(t.ID), func() error {
		if o.list == nil {
			return render(c, http.StatusOK, nil, views.TaskDetailView(h.detail(c, t, views.FormFromTask(t, ""))))
		}
		l, err := h.countsView(c, *o.list)
		if err != nil {
			return err
		}
		l.Query.Page = min(l.Query.Page, l.Pages)
		// After a save from the edit form, focus goes back to the row's
		// Edit button; a status change keeps focus on its select (htmx
		// restores it by id).
		rc := views.RowContext{Now: l.Now, Today: l.Today, FocusEdit: c.Request().Method == http.MethodPut}
		return render(c, http.StatusOK, nil, views.TaskUpdated(t, rc, l))
	})
}
