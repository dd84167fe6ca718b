package web

import (
	"errors"
	"net/http"

	"github.com/a-h/templ"
	"github.com/labstack/echo/v4"

	"taskapp/models"
	"taskapp/views"
)

// show is GET /tasks/{id}: the task page. For htmx it is the task's row,
// which is how an inline edit is cancelled.
func (h *TaskHandler) show(c echo.Context) error {
	t, err := h.ownTask(c)
	if err != nil {
		return err
	}
	rc := views.RowContext{Now: h.now(), Back: originOf(c).listQuery().URL(), FocusEdit: true}
	return render(c, http.StatusOK, h.taskPage(t, views.FormFromTask(t, "")), views.TaskRow(t, rc))
}

// edit is GET /tasks/{id}/edit: for htmx, the row as an inline edit form;
// otherwise the task page, which holds the same form.
func (h *TaskHandler) edit(c echo.Context) error {
	t, err := h.ownTask(c)
	if err != nil {
		return err
	}
	form := views.FormFromTask(t, originOf(c).listQuery().URL())
	form.Focus = true
	return render(c, http.StatusOK, h.taskPage(t, views.FormFromTask(t, "")), views.TaskEditForm(form))
}

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
	id, err := parseTaskID(c)
	if err != nil {
		return err
	}
	patch, sent, err := taskPatch(c)
	if err != nil {
		return err
	}
	t, err := h.store.UpdateTask(ctx, ownerID(c), id, patch)
	o := originOf(c)
	var invalid *models.ValidationError
	if errors.As(err, &invalid) {
		// Show the form only to the owner: anyone else gets the same 404
		// as for a task that does not exist.
		stored, err := h.store.TaskByID(ctx, ownerID(c), id)
		if err != nil {
			return err
		}
		form := views.FormFromTask(stored, o.listQuery().URL())
		overlay(&form, sent)
		form.Errors, form.Focus = invalid.Fields, true
		page := h.taskPage(stored, form)
		if o.list != nil {
			return render(c, http.StatusUnprocessableEntity, page, views.TaskEditForm(form))
		}
		return render(c, http.StatusUnprocessableEntity, page, views.TaskDetailView(views.TaskDetail{Task: stored, Form: form, Now: h.now()}))
	}
	if err != nil {
		return err
	}

	if patch.Title == nil && patch.Description == nil && patch.Status != nil {
		flash(c, views.FlashSuccess, views.Quoted(t.Title)+" marked "+statusWords(t.Status)+".")
	} else {
		flash(c, views.FlashSuccess, "Saved "+views.Quoted(t.Title)+".")
	}
	if !isHTMX(c) {
		switch {
		case o.list != nil:
			return redirect(c, o.list.URL())
		case o.taskID == id:
			return redirect(c, views.TaskURL(id))
		}
		return redirect(c, "/tasks")
	}
	if o.list == nil {
		return render(c, http.StatusOK, nil, views.TaskDetailView(views.TaskDetail{Task: t, Form: views.FormFromTask(t, ""), Now: h.now()}))
	}
	l, err := h.countsView(ctx, ownerID(c), *o.list)
	if err != nil {
		return err
	}
	l.Query.Page = min(l.Query.Page, l.Pages)
	// After a save from the edit form, focus goes back to the row's Edit
	// button; a status change keeps focus on its select (htmx restores it
	// by id).
	rc := views.RowContext{Now: l.Now, Back: o.list.URL(), FocusEdit: c.Request().Method == http.MethodPut}
	return render(c, http.StatusOK, nil, views.TaskUpdated(t, rc, l))
}

// taskPatch reads an update's fields: all three for PUT, those present for
// PATCH. sent holds the raw values, for showing them back.
func taskPatch(c echo.Context) (models.TaskPatch, map[string]string, error) {
	values, err := c.FormParams()
	if err != nil {
		return models.TaskPatch{}, nil, echo.NewHTTPError(http.StatusBadRequest, "unreadable form")
	}
	put := c.Request().Method == http.MethodPut
	var patch models.TaskPatch
	sent := map[string]string{}
	field := func(name string) *string {
		v, ok := values[name]
		if !ok && !put {
			return nil
		}
		s := ""
		if len(v) > 0 {
			s = v[0]
		}
		sent[name] = s
		return &s
	}
	patch.Title = field("title")
	patch.Description = field("description")
	if s := field("status"); s != nil {
		st := models.TaskStatus(*s)
		patch.Status = &st
	}
	return patch, sent, nil
}

// overlay puts the submitted values over a form holding the stored task.
func overlay(f *views.TaskForm, sent map[string]string) {
	if v, ok := sent["title"]; ok {
		f.Title = printable(v)
	}
	if v, ok := sent["description"]; ok {
		f.Description = printable(v)
	}
	if v, ok := sent["status"]; ok {
		f.Status = models.TaskStatus(printable(v))
	}
}

// ownTask loads the task named by :id if the signed-in user owns it.
func (h *TaskHandler) ownTask(c echo.Context) (*models.Task, error) {
	id, err := parseTaskID(c)
	if err != nil {
		return nil, err
	}
	return h.store.TaskByID(c.Request().Context(), ownerID(c), id)
}

func (h *TaskHandler) taskPage(t *models.Task, form views.TaskForm) templ.Component {
	return views.TaskPage(views.TaskDetail{Task: t, Form: form, Now: h.now()})
}

// statusWords is a status inside a sentence: "marked in progress".
func statusWords(s models.TaskStatus) string {
	switch s {
	case models.StatusInProgress:
		return "in progress"
	case models.StatusCompleted:
		return "completed"
	}
	return "pending"
}
