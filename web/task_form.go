package web

import (
	"errors"
	"net/http"

	"github.com/labstack/echo/v4"

	"taskapp/models"
	"taskapp/views"
)

// taskForm is a task form as sent, read once: the fields for the store,
// which owns the rules and checks them, and the form as typed, which is
// drawn again with the store's messages when they fail.
type taskForm struct {
	views.TaskForm
	patch models.TaskPatch
}

// parse reads the fields sent over the form's current values: all four
// when all is set (create and PUT, where a missing field counts as empty),
// otherwise only those present (PATCH, such as a row's status alone).
// The store gets the raw input; the form shows it printable.
func (f *taskForm) parse(c echo.Context, all bool) error {
	values, err := c.FormParams()
	if err != nil {
		return echo.NewHTTPError(http.StatusBadRequest, "unreadable form")
	}
	field := func(name string, shown *string) *string {
		v, ok := values[name]
		if !ok && !all {
			return nil
		}
		s := ""
		if len(v) > 0 {
			s = v[0]
		}
		*shown = models.Printable(s)
		return &s
	}
	f.patch.Title = field("title", &f.Title)
	f.patch.Description = field("description", &f.Description)
	status := string(f.Status)
	if s := field("status", &status); s != nil {
		st := models.TaskStatus(*s)
		f.patch.Status = &st
	}
	if f.patch.Status == nil {
		if st, ok := rowStatus(values, f.ID, models.TaskStatus(status)); ok {
			f.patch.Status = &st
			status = string(st)
		}
	}
	f.Status = models.TaskStatus(status)
	f.patch.DueDate = field("due_date", &f.DueDate)
	return nil
}

// rowStatus reads a list row's controls for task id, whose stored status
// is stored: its status select and its done checkbox, which every row
// sends into one shared form under names carrying the task's id (see
// views.RowFormID). The two say the same thing two ways, so whichever the
// person changed wins, the select first; a box is checked for completed
// and unchecked for pending (models.CompletionStatus). ok is false when
// the request holds no row of this task.
func rowStatus(values map[string][]string, id int64, stored models.TaskStatus) (models.TaskStatus, bool) {
	sel := values[views.RowStatusField(id)]
	if id == 0 || len(sel) == 0 {
		return "", false
	}
	if st := models.TaskStatus(sel[0]); st != stored {
		return st, true
	}
	done := len(values[views.RowDoneField(id)]) > 0
	if done != (stored == models.StatusCompleted) {
		return models.CompletionStatus(done), true
	}
	return stored, true
}

// input is a create form's fields, parsed with all set.
func (f *taskForm) input() models.TaskInput {
	in := models.TaskInput{}
	if f.patch.Title != nil {
		in.Title = *f.patch.Title
	}
	if f.patch.Description != nil {
		in.Description = *f.patch.Description
	}
	if f.patch.Status != nil {
		in.Status = *f.patch.Status
	}
	if f.patch.DueDate != nil {
		in.DueDate = *f.patch.DueDate
	}
	return in
}

// refused reports whether the store refused the form's input; if so the
// form holds the messages, with focus on the first field in error.
func (f *taskForm) refused(err error) bool {
	var invalid *models.ValidationError
	if !errors.As(err, &invalid) {
		return false
	}
	f.Errors, f.Focus = invalid.Fields, true
	return true
}
