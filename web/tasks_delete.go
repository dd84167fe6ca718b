package web

import (
	"net/http"

	"github.com/labstack/echo/v4"

	"taskapp/views"
)

// delete is DELETE /tasks/{id}: the task goes to the trash. A plain form
// is redirected to the list it came from (to /tasks from the task page)
// with a message that has an Undo button. htmx from a
// list gets an empty 200, so the row's outerHTML swap removes it, and a
// tasks-changed event that has the tabs fetch fresh counts (bringing the
// message with them); from the task page, an HX-Redirect to /tasks.
func (h *TaskHandler) delete(c echo.Context) error {
	t, err := h.ownTask(c)
	if err != nil {
		return err
	}
	at, err := h.store.DeleteTask(c.Request().Context(), ownerID(c), t.ID)
	if err != nil {
		return err
	}
	o := originOf(c)
	flashUndo(c, "Deleted "+views.Quoted(t.Title)+".", at, o.listQuery().URL())
	if o.list == nil {
		return redirect(c, views.PathTasks)
	}
	return respond(c, o.list.URL(), func() error {
		notify(c, taskEvent)
		return emptyFragment(c)
	})
}

// confirmDelete is GET /tasks/{id}/delete: without JavaScript, a row's or
// the task page's Delete button leads here, to a page that asks before
// deleting. Its form makes the DELETE and returns where the person was.
func (h *TaskHandler) confirmDelete(c echo.Context) error {
	t, err := h.ownTask(c)
	if err != nil {
		return err
	}
	back := originOf(c).back(t.ID)
	return render(c, http.StatusOK, views.TaskDeletePage(views.TaskDeleteView{Task: t, Back: back}), nil)
}
