package web

import (
	"context"
	"fmt"
	"net/url"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/a-h/templ"
	"github.com/labstack/echo/v4"

	"taskapp/models"
	"taskapp/views"
)

// taskStore is what the task handlers need from the store.
type taskStore interface {
	CreateTask(ctx context.Context, userID int64, in models.TaskInput) (*models.Task, error)
	TaskByID(ctx context.Context, userID, id int64) (*models.Task, error)
	UpdateTask(ctx context.Context, userID, id int64, patch models.TaskPatch) (*models.Task, error)
	DeleteTask(ctx context.Context, userID, id int64) (time.Time, error)
	ListTasks(ctx context.Context, userID int64, opts models.ListOptions) (*models.TaskPage, error)
	CountTasks(ctx context.Context, userID int64, opts models.ListOptions) (models.ListCounts, error)
	TaskInList(ctx context.Context, userID, id int64, opts models.ListOptions) (bool, error)
	ApplyBulk(ctx context.Context, userID int64, ids []int64, change models.BulkChange) (int, error)
	DeleteTasks(ctx context.Context, userID int64, ids []int64) (int, time.Time, error)
}

// TaskHandler serves the task list and every task action. Each action
// answers a plain form with a redirect (or a 422 page) and an htmx request
// with the fragment that changed; both render the same components.
type TaskHandler struct {
	store   taskStore
	perPage int
	now     func() time.Time
}

// NewTaskHandler returns the task handlers, listing perPage tasks a page.
func NewTaskHandler(store taskStore, perPage int) *TaskHandler {
	if perPage <= 0 {
		perPage = models.DefaultPerPage
	}
	return &TaskHandler{store: store, perPage: perPage, now: time.Now}
}

// Routes registers the task routes on a signed-in group.
func (h *TaskHandler) Routes(r router) {
	r.GET(views.PathTasks, h.list)
	r.POST(views.PathTasks, h.create)
	r.GET(views.PathTaskCounts, h.counts)
	r.POST(views.PathTasksBulk, h.bulk)
	r.GET(views.PathTask, h.show)
	r.GET(views.PathTaskEdit, h.edit)
	r.PUT(views.PathTask, h.update)
	r.PATCH(views.PathTask, h.update)
	r.DELETE(views.PathTask, h.delete)
	r.GET(views.PathTaskDeleteForm, h.confirmDelete)
}

// taskEvent is the htmx event that tells the tabs to refresh their counts.
const taskEvent = "tasks-changed"

// maxQueryLen bounds the search text; longer input is cut, not refused.
const maxQueryLen = 200

// parseTaskID reads the :id parameter strictly (views.ParseTaskID).
// Anything else is a page that does not exist.
func parseTaskID(c echo.Context) (int64, error) {
	id, ok := views.ParseTaskID(c.Param("id"))
	if !ok {
		return 0, fmt.Errorf("web: task id %q: %w", c.Param("id"), models.ErrNotFound)
	}
	return id, nil
}

// parseListQuery reads a list URL's query leniently: an unknown status,
// view or sort is the default, a bad page is page 1 (ListTasks clamps one
// too far).
func parseListQuery(v url.Values) views.ListQuery {
	q := views.ListQuery{Status: models.TaskStatus(v.Get("status")), Page: 1}
	if !q.Status.Valid() {
		q.Status = ""
	}
	q.Q = strings.TrimSpace(models.Printable(v.Get("q")))
	if utf8.RuneCountInString(q.Q) > maxQueryLen {
		q.Q = strings.TrimSpace(string([]rune(q.Q)[:maxQueryLen]))
	}
	if d := models.DueView(v.Get("view")); d.Valid() {
		q.Status, q.Due = "", d
	}
	if s := models.TaskSort(v.Get("sort")); s.Valid() && s != models.SortNewest {
		q.Sort = s
	}
	if p, err := strconv.Atoi(v.Get("page")); err == nil && p > 1 {
		q.Page = p
	}
	return q
}

// origin is the page a change was made from: a list view (with its
// filter, search and page) or a task's own page.
type origin struct {
	list   *views.ListQuery
	taskID int64
}

// originOf reads where the request came from. htmx says so in
// HX-Current-URL, which follows pushed URLs; plain forms carry a "back"
// field. Either is only parsed, never echoed: a redirect to it is rebuilt
// from the parts, so it cannot point off the site.
func originOf(c echo.Context) origin {
	raw := c.Request().Header.Get("HX-Current-URL")
	if raw == "" || !wantsFragment(c) {
		raw = c.FormValue("back")
	}
	u, err := url.Parse(raw)
	if err != nil {
		return origin{}
	}
	if u.Path == views.PathTasks {
		q := parseListQuery(u.Query())
		return origin{list: &q}
	}
	if id, ok := views.TaskIDFromPath(u.Path); ok {
		return origin{taskID: id}
	}
	return origin{}
}

// listQuery is the list the request came from, or the default one.
func (o origin) listQuery() views.ListQuery {
	if o.list != nil {
		return *o.list
	}
	return views.ListQuery{Page: 1}
}

// back is where a plain form returns after a change to task id: the list
// it came from, the task's page, or the default list.
func (o origin) back(id int64) string {
	switch {
	case o.list != nil:
		return o.list.URL()
	case o.taskID == id:
		return views.TaskURL(id)
	}
	return views.PathTasks
}

// listView loads the signed-in user's list region for q.
func (h *TaskHandler) listView(c echo.Context, q views.ListQuery) (views.TaskListView, error) {
	now, today := h.clock(c)
	p, err := h.store.ListTasks(c.Request().Context(), ownerID(c), listOptions(q, today, h.perPage))
	if err != nil {
		return views.TaskListView{}, err
	}
	q.Page = p.Page
	return views.TaskListView{Query: q, Tasks: p.Tasks, Counts: p.Counts, Total: p.Total, Pages: p.Pages, Now: now, Today: today}, nil
}

// listOptions is what the store needs to list q for a user whose day is
// today.
func listOptions(q views.ListQuery, today models.Date, perPage int) models.ListOptions {
	return models.ListOptions{Status: q.Status, Due: q.Due, Today: today, Sort: q.Sort, Query: q.Q, Page: q.Page, PerPage: perPage}
}

// clock is the time now and the signed-in user's calendar day.
func (h *TaskHandler) clock(c echo.Context) (time.Time, models.Date) {
	now := h.now()
	return now, models.Today(now, userLocation(c))
}

// detail is the task page's view of t with form.
func (h *TaskHandler) detail(c echo.Context, t *models.Task, form views.TaskForm) views.TaskDetail {
	now, today := h.clock(c)
	return views.TaskDetail{Task: t, Form: form, Now: now, Today: today}
}

// countsView is the list region's tabs and pagination for q, without rows
// and without clamping the page.
func (h *TaskHandler) countsView(c echo.Context, q views.ListQuery) (views.TaskListView, error) {
	now, today := h.clock(c)
	counts, err := h.store.CountTasks(c.Request().Context(), ownerID(c), listOptions(q, today, h.perPage))
	if err != nil {
		return views.TaskListView{}, err
	}
	total := counts.Matching(listOptions(q, today, h.perPage))
	return views.TaskListView{Query: q, Counts: counts, Total: total, Pages: models.PageCount(total, h.perPage), Now: now, Today: today}, nil
}

// ownTask loads the task named by :id if the signed-in user owns it;
// anyone else gets the same 404 as for a task that does not exist.
func (h *TaskHandler) ownTask(c echo.Context) (*models.Task, error) {
	id, err := parseTaskID(c)
	if err != nil {
		return nil, err
	}
	return h.store.TaskByID(c.Request().Context(), ownerID(c), id)
}

func (h *TaskHandler) taskPage(c echo.Context, t *models.Task, form views.TaskForm) templ.Component {
	return views.TaskPage(h.detail(c, t, form))
}

// ownerID is the signed-in user's id; requireUser guarantees one.
func ownerID(c echo.Context) int64 { return currentUser(c).ID }
