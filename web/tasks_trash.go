package web

import (
	"context"
	"fmt"
	"net/http"
	"time"

	"github.com/labstack/echo/v4"

	"taskapp/models"
	"taskapp/views"
)

// trashStore is what the trash handlers need from the store.
type trashStore interface {
	Trash(ctx context.Context, userID int64) (*models.TrashPage, error)
	TrashedTask(ctx context.Context, userID, id int64) (*models.Task, error)
	RestoreTasks(ctx context.Context, userID int64, ids []int64) (int, error)
	UndoDeletion(ctx context.Context, userID int64, at time.Time) (int, error)
	EraseTask(ctx context.Context, userID, id int64) error
	EmptyTrash(ctx context.Context, userID int64) (int64, error)
}

// TrashHandler serves the trash page, its actions, and the Undo of a
// deletion. Everything is scoped to the signed-in user by the store: a
// task in another user's trash is the same 404 as one that never was.
type TrashHandler struct {
	store     trashStore
	tasks     *TaskHandler // draws the list after an Undo
	retention time.Duration
	now       func() time.Time
}

// NewTrashHandler returns the trash handlers; retention is how long a
// task stays in the trash (the purge's setting), shown on the page.
func NewTrashHandler(store trashStore, tasks *TaskHandler, retention time.Duration) *TrashHandler {
	if retention <= 0 {
		retention = models.DefaultTaskRetention
	}
	return &TrashHandler{store: store, tasks: tasks, retention: retention, now: time.Now}
}

// Routes registers the trash routes on a signed-in group.
func (h *TrashHandler) Routes(r router) {
	r.GET(views.PathTrash, h.page)
	r.POST(views.PathTrashUndo, h.undo)
	r.GET(views.PathTrashEmpty, h.confirmEmpty)
	r.POST(views.PathTrashEmpty, h.empty)
	r.POST(views.PathTrashRestore, h.restore)
	r.GET(views.PathTrashErase, h.confirmErase)
	r.POST(views.PathTrashErase, h.erase)
}

// view loads the signed-in user's trash.
func (h *TrashHandler) view(c echo.Context) (views.TrashView, error) {
	p, err := h.store.Trash(c.Request().Context(), ownerID(c))
	if err != nil {
		return views.TrashView{}, err
	}
	return views.TrashView{Tasks: p.Tasks, Total: p.Total, Retention: h.retention, Now: h.now()}, nil
}

// page is GET /trash.
func (h *TrashHandler) page(c echo.Context) error {
	v, err := h.view(c)
	if err != nil {
		return err
	}
	return render(c, http.StatusOK, views.TrashPage(v), views.TrashRegion(v))
}

// changed answers a change made on the trash page: a plain form goes back
// to /trash, htmx gets the trash region redrawn (with the message).
func (h *TrashHandler) changed(c echo.Context) error {
	return respond(c, views.PathTrash, func() error {
		v, err := h.view(c)
		if err != nil {
			return err
		}
		return render(c, http.StatusOK, views.TrashPage(v), views.TrashRegion(v))
	})
}

// trashedTask loads the trashed task named by :id, or a 404.
func (h *TrashHandler) trashedTask(c echo.Context) (*models.Task, error) {
	id, err := parseTaskID(c)
	if err != nil {
		return nil, err
	}
	return h.store.TrashedTask(c.Request().Context(), ownerID(c), id)
}

// restore is POST /trash/{id}/restore: the task goes back to the list.
func (h *TrashHandler) restore(c echo.Context) error {
	t, err := h.trashedTask(c)
	if err != nil {
		return err
	}
	if _, err := h.store.RestoreTasks(c.Request().Context(), ownerID(c), []int64{t.ID}); err != nil {
		return err
	}
	flash(c, views.FlashSuccess, "Restored "+views.Quoted(t.Title)+".")
	return h.changed(c)
}

// confirmErase is GET /trash/{id}/erase: without JavaScript, Delete
// forever leads here first.
func (h *TrashHandler) confirmErase(c echo.Context) error {
	t, err := h.trashedTask(c)
	if err != nil {
		return err
	}
	return render(c, http.StatusOK, views.TrashErasePage(views.TrashEraseView{Task: t}), nil)
}

// erase is POST /trash/{id}/erase: the task is erased for good.
func (h *TrashHandler) erase(c echo.Context) error {
	t, err := h.trashedTask(c)
	if err != nil {
		return err
	}
	if err := h.store.EraseTask(c.Request().Context(), ownerID(c), t.ID); err != nil {
		return err
	}
	flash(c, views.FlashSuccess, "Deleted "+views.Quoted(t.Title)+" forever.")
	return h.changed(c)
}

// confirmEmpty is GET /trash/empty: without JavaScript, Empty trash asks
// here first. An empty trash has nothing to ask about.
func (h *TrashHandler) confirmEmpty(c echo.Context) error {
	v, err := h.view(c)
	if err != nil {
		return err
	}
	if v.Total == 0 {
		return redirect(c, views.PathTrash)
	}
	return render(c, http.StatusOK, views.TrashEmptyPage(v.Total), nil)
}

// empty is POST /trash/empty: every task in the trash is erased for good.
func (h *TrashHandler) empty(c echo.Context) error {
	n, err := h.store.EmptyTrash(c.Request().Context(), ownerID(c))
	if err != nil {
		return err
	}
	if n == 0 {
		flash(c, views.FlashSuccess, "The trash was already empty.")
	} else {
		flash(c, views.FlashSuccess, fmt.Sprintf("Erased %d %s for good.", n, plural(int(n), "task", "tasks")))
	}
	return h.changed(c)
}

// undo is POST /trash/undo: the Undo button of a deletion's message. The
// tasks come back where they were; a plain form returns to the list it
// came from, htmx gets that list redrawn, tabs and counts included. A
// deletion already undone (or erased, or not the user's) is a 404.
func (h *TrashHandler) undo(c echo.Context) error {
	at, ok := views.ParseUndoToken(c.FormValue("deletion"))
	if !ok {
		return fmt.Errorf("web: undo %q: %w", c.FormValue("deletion"), models.ErrNotFound)
	}
	n, err := h.store.UndoDeletion(c.Request().Context(), ownerID(c), at)
	if err != nil {
		return err
	}
	flash(c, views.FlashSuccess, fmt.Sprintf("Restored %d %s.", n, plural(n, "task", "tasks")))
	o := originOf(c)
	if o.list == nil || !wantsFragment(c) {
		return redirect(c, o.listQuery().URL())
	}
	l, err := h.tasks.listView(c, *o.list)
	if err != nil {
		return err
	}
	replaceURL(c, l.Query.URL())
	page := views.TasksPage{List: l, Create: views.TaskForm{Status: models.StatusPending}}
	return render(c, http.StatusOK, views.TaskListPage(page), views.TaskListFragment(l))
}
