package web

import (
	"net/http"

	"github.com/labstack/echo/v4"

	"taskapp/views"
)

// show is GET /tasks/{id}: the task page. For htmx it is the task's row,
// which is how an inline edit is cancelled.
func (h *TaskHandler) show(c echo.Context) error {
	t, err := h.ownTask(c)
	if err != nil {
		return err
	}
	now, today := h.clock(c)
	rc := views.RowContext{Now: now, Today: today, FocusEdit: true}
	return render(c, http.StatusOK, h.taskPage(c, t, views.FormFromTask(t, "")), views.TaskRow(t, rc))
}
