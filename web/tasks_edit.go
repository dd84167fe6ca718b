package web

import (
	"net/http"

	"github.com/labstack/echo/v4"

	"taskapp/views"
)

// edit is GET /tasks/{id}/edit: for htmx, the row as an inline edit form;
// otherwise the task page, which holds the same form.
func (h *TaskHandler) edit(c echo.Context) error {
	t, err := h.ownTask(c)
	if err != nil {
		return err
	}
	form := views.FormFromTask(t, originOf(c).listQuery().URL())
	form.Focus = true
	return render(c, http.StatusOK, h.taskPage(c, t, views.FormFromTask(t, "")), views.TaskEditForm(form))
}
