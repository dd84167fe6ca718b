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
	DeleteTask(ctx context.Context, userID, id int64) error
	ListTasks(ctx context.Context, userID int64, opts models.ListOptions) (*models.TaskPage, error)
	CountTasks(ctx context.Context, userID int64, query string) (models.StatusCounts, error)
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
	r.GET("/tasks", h.list)
	r.POST("/tasks", h.create)
	r.GET("/tasks/counts", h.counts)
	r.GET("/tasks/:id", h.show)
	r.GET("/tasks/:id/edit", h.edit)
	r.PUT("/tasks/:id", h.update)
	r.PATCH("/tasks/:id", h.update)
	r.DELETE("/tasks/:id", h.delete)
	r.GET("/tasks/:id/delete", h.confirmDelete)
}

// taskEvent is the htmx event that tells the tabs to refresh their counts.
const taskEvent = "tasks-changed"

// maxQueryLen bounds the search text; longer input is cut, not refused.
const maxQueryLen = 200

// parseTaskID reads the :id parameter strictly: ASCII digits with no sign
// and no leading zero. Anything else is a page that does not exist.
func parseTaskID(c echo.Context) (int64, error) {
	id, ok := taskIDFrom(c.Param("id"))
	if !ok {
		return 0, fmt.Errorf("web: task id %q: %w", c.Param("id"), models.ErrNotFound)
	}
	return id, nil
}

func taskIDFrom(s string) (int64, bool) {
	if s == "" || len(s) > 18 || s[0] == '0' {
		return 0, false
	}
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return 0, false
		}
	}
	id, err := strconv.ParseInt(s, 10, 64)
	return id, err == nil
}

// parseListQuery reads a list URL's query leniently: an unknown status
// shows every task, a bad page is page 1 (ListTasks clamps one too far).
func parseListQuery(v url.Values) views.ListQuery {
	q := views.ListQuery{Status: models.TaskStatus(v.Get("status")), Page: 1}
	if !q.Status.Valid() {
		q.Status = ""
	}
	q.Q = strings.TrimSpace(printable(v.Get("q")))
	if utf8.RuneCountInString(q.Q) > maxQueryLen {
		q.Q = strings.TrimSpace(string([]rune(q.Q)[:maxQueryLen]))
	}
	if p, err := strconv.Atoi(v.Get("page")); err == nil && p > 1 {
		q.Page = p
	}
	return q
}

// printable is s as it can be shown back: invalid UTF-8 and NUL bytes
// become U+FFFD. Validation sees the raw input; forms show this.
func printable(s string) string {
	if utf8.ValidString(s) && strings.IndexByte(s, 0) < 0 {
		return s
	}
	return strings.ReplaceAll(strings.ToValidUTF8(s, "\uFFFD"), "\x00", "\uFFFD")
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
	if raw == "" || !isHTMX(c) {
		raw = c.FormValue("back")
	}
	u, err := url.Parse(raw)
	if err != nil {
		return origin{}
	}
	if u.Path == "/tasks" {
		q := parseListQuery(u.Query())
		return origin{list: &q}
	}
	if rest, ok := strings.CutPrefix(u.Path, "/tasks/"); ok {
		if id, ok := taskIDFrom(rest); ok {
			return origin{taskID: id}
		}
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

// renderPage renders fragment for htmx, and otherwise the page that build
// returns. build runs only when the page is needed, since it may query.
func renderPage(c echo.Context, status int, build func() (templ.Component, error), fragment templ.Component) error {
	if fragment != nil && isHTMX(c) {
		return render(c, status, nil, fragment)
	}
	page, err := build()
	if err != nil {
		return err
	}
	return render(c, status, page, fragment)
}

// listView loads the list region for q.
func (h *TaskHandler) listView(ctx context.Context, userID int64, q views.ListQuery) (views.TaskListView, error) {
	p, err := h.store.ListTasks(ctx, userID, models.ListOptions{Status: q.Status, Query: q.Q, Page: q.Page, PerPage: h.perPage})
	if err != nil {
		return views.TaskListView{}, err
	}
	q.Page = p.Page
	return views.TaskListView{Query: q, Tasks: p.Tasks, Counts: p.Counts, Total: p.Total, Pages: p.Pages, Now: h.now()}, nil
}

// countsView is the list region's tabs and pagination for q, without rows
// and without clamping the page.
func (h *TaskHandler) countsView(ctx context.Context, userID int64, q views.ListQuery) (views.TaskListView, error) {
	counts, err := h.store.CountTasks(ctx, userID, q.Q)
	if err != nil {
		return views.TaskListView{}, err
	}
	total := counts.All()
	if q.Status != "" {
		total = counts[q.Status]
	}
	return views.TaskListView{Query: q, Counts: counts, Total: total, Pages: h.pages(total), Now: h.now()}, nil
}

func (h *TaskHandler) pages(total int64) int {
	return max(1, int((total+int64(h.perPage)-1)/int64(h.perPage)))
}

// taskForm reads a task form's fields as typed, for showing them back.
func taskForm(c echo.Context) views.TaskForm {
	return views.TaskForm{
		Title:       printable(c.FormValue("title")),
		Description: printable(c.FormValue("description")),
		Status:      models.TaskStatus(printable(c.FormValue("status"))),
	}
}

// ownerID is the signed-in user's id; requireUser guarantees one.
func ownerID(c echo.Context) int64 { return currentUser(c).ID }
