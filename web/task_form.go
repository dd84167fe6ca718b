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
	// A row's done checkbox: a hidden "false" comes first and the checkbox
	// sends "true" after it when checked, so the last value is the answer.
	if v := values["done"]; len(v) > 0 && f.patch.Status == nil {
		st := models.CompletionStatus(v[len(v)-1] == "true")
		f.patch.Status = &st
		status = string(st)
	}
	f.Status = models.TaskStatus(status)
	f.patch.DueDate = field("due_date", &f.DueDate)
	return nil
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
