package models

import (
	"context"
	"database/sql"
	"strings"

	"gorm.io/gorm"

	"taskapp/migrations"
)

// DueView selects open tasks by due date instead of by status.
type DueView string

// The due date views beside the status tabs.
const (
	DueToday    DueView = "today"    // due today or overdue, overdue first
	DueUpcoming DueView = "upcoming" // due in the UpcomingDays after today
)

// UpcomingDays is how far ahead the Upcoming view looks.
const UpcomingDays = 7

// Valid reports whether v names a due view ("" is none).
func (v DueView) Valid() bool { return v == DueToday || v == DueUpcoming }

// TaskSort is the order of a list.
type TaskSort string

// The orders a list can take; "" is SortNewest.
const (
	SortNewest  TaskSort = "newest"
	SortOldest  TaskSort = "oldest"
	SortDue     TaskSort = "due"     // soonest due first, tasks with no date last
	SortTitle   TaskSort = "title"   // A–Z, ignoring case
	SortUpdated TaskSort = "updated" // most recently changed first
)

// TaskSorts lists every order in the order the UI offers them.
func TaskSorts() []TaskSort {
	return []TaskSort{SortNewest, SortOldest, SortDue, SortTitle, SortUpdated}
}

// Valid reports whether s is an order ListTasks knows.
func (s TaskSort) Valid() bool {
	switch s {
	case SortNewest, SortOldest, SortDue, SortTitle, SortUpdated:
		return true
	}
	return false
}

// Label is the order as a person reads it.
func (s TaskSort) Label() string {
	switch s {
	case SortOldest:
		return "Oldest first"
	case SortDue:
		return "Due date"
	case SortTitle:
		return "Title A–Z"
	case SortUpdated:
		return "Recently updated"
	}
	return "Newest first"
}

// ListOptions selects a page of a user's tasks.
type ListOptions struct {
	Status  TaskStatus // "" for every status
	Due     DueView    // "" for none; when set, Status is ignored
	Today   Date       // the user's calendar day, for Due
	Sort    TaskSort   // "" for SortNewest
	Query   string     // matched anywhere in title or description, any case
	Page    int        // 1-based; out of range is clamped
	PerPage int        // default DefaultPerPage
}

// DefaultPerPage is the page size the schema spec's list target is set for.
const DefaultPerPage = 100

// StatusCounts counts a user's tasks per status.
type StatusCounts map[TaskStatus]int64

// All is the number of tasks over every status.
func (c StatusCounts) All() int64 {
	var n int64
	for _, v := range c {
		n += v
	}
	return n
}

// Total is the number of tasks with status, or over every status for "".
func (c StatusCounts) Total(status TaskStatus) int64 {
	if status == "" {
		return c.All()
	}
	return c[status]
}

// ListCounts counts the tasks in each tab of the list: per status, and
// in the Today and Upcoming views.
type ListCounts struct {
	StatusCounts
	Today, Upcoming int64
}

// Matching is the number of tasks the list opts selects.
func (c ListCounts) Matching(opts ListOptions) int64 {
	switch opts.Due {
	case DueToday:
		return c.Today
	case DueUpcoming:
		return c.Upcoming
	}
	return c.Total(opts.Status)
}

// PageCount is how many pages total tasks fill at perPage a page: at
// least 1, an empty list being one empty page.
func PageCount(total int64, perPage int) int {
	return max(1, int((total+int64(perPage)-1)/int64(perPage)))
}

// TaskPage is one page of a listing, with the counts for its tabs.
type TaskPage struct {
	Tasks   []Task
	Counts  ListCounts // per tab, with the search applied
	Total   int64      // tasks matching the tab and search
	Page    int
	PerPage int
	Pages   int // at least 1
}

// ListTasks returns a page of userID's tasks matching opts, in its order.
// Each order ends in id, so that no task appears on two pages or on none.
// The default order walks idx_tasks_user_created, the due views
// idx_tasks_user_open_due, the due date order idx_tasks_user_due_created.
func (s *Store) ListTasks(ctx context.Context, userID int64, opts ListOptions) (*TaskPage, error) {
	if opts.PerPage <= 0 {
		opts.PerPage = DefaultPerPage
	}
	counts, err := s.CountTasks(ctx, userID, opts)
	if err != nil {
		return nil, err
	}
	p := &TaskPage{Counts: counts, PerPage: opts.PerPage, Total: counts.Matching(opts)}
	p.Pages = PageCount(p.Total, opts.PerPage)
	p.Page = min(max(opts.Page, 1), p.Pages)
	if p.Total == 0 {
		return p, nil
	}
	db, cancel := s.reader(ctx, userID)
	defer cancel()
	q := s.listFilter(db, userID, opts)
	if opts.Due != "" {
		q = q.Order("due_date ASC") // overdue first; Upcoming by day
	}
	rows, err := s.order(q.Model(&Task{}).Select(taskColumns), opts.Sort).
		Limit(opts.PerPage).Offset((p.Page - 1) * opts.PerPage).
		Rows()
	if err != nil {
		return nil, classify("models: list tasks", err)
	}
	defer rows.Close()
	// Sized up front, so that the page is never copied as it grows.
	p.Tasks = make([]Task, 0, min(int64(opts.PerPage), p.Total))
	if p.Tasks, err = scanTasks(rows, p.Tasks); err != nil {
		return nil, classify("models: list tasks", err)
	}
	return p, nil
}

// taskColumns are Task's columns in the order scanTasks reads them.
const taskColumns = "id, title, description, status, due_date, user_id, created_at, updated_at, deleted_at"

// scanTasks appends the rows of a query selecting taskColumns to into.
// It reads them by hand: GORM's reflective scan of a page of 100 tasks
// was a tenth of a list request's CPU. The query is still built, guarded
// and run by GORM; tasks have no hooks on reading.
func scanTasks(rows *sql.Rows, into []Task) ([]Task, error) {
	for rows.Next() {
		var (
			t       Task
			status  string
			desc    sql.NullString
			due     sql.Null[Date]
			deleted sql.NullTime
		)
		if err := rows.Scan(&t.ID, &t.Title, &desc, &status, &due, &t.UserID, &t.CreatedAt, &t.UpdatedAt, &deleted); err != nil {
			return into, err
		}
		t.Status = TaskStatus(status)
		if desc.Valid {
			t.Description = &desc.String
		}
		if due.Valid {
			t.DueDate = &due.V
		}
		if deleted.Valid {
			t.DeletedAt = &deleted.Time
		}
		into = append(into, t)
	}
	return into, rows.Err()
}

// order sorts q by sort. Title folds case the way search does on each
// database, so that "apple" and "Banana" sort A–Z on both.
func (s *Store) order(q *gorm.DB, sort TaskSort) *gorm.DB {
	switch sort {
	case SortOldest:
		return q.Order("created_at ASC").Order("id ASC")
	case SortDue:
		return q.Order("due_date ASC NULLS LAST").Order("created_at DESC").Order("id DESC")
	case SortTitle:
		fold := "lower"
		if s.dialect == migrations.SQLite {
			fold = sqliteFold
		}
		return q.Order(fold + "(title) ASC").Order("id ASC")
	case SortUpdated:
		return q.Order("updated_at DESC").Order("id DESC")
	}
	return q.Order("created_at DESC").Order("id DESC")
}

// TaskInList reports whether the task id of userID's is in the list that
// opts selects (its tab and search; the page is ignored), by the same
// filter ListTasks runs.
func (s *Store) TaskInList(ctx context.Context, userID, id int64, opts ListOptions) (bool, error) {
	db, cancel := s.reader(ctx, userID)
	defer cancel()
	var n int64
	if err := s.listFilter(db.Model(&Task{}), userID, opts).Where("id = ?", id).Count(&n).Error; err != nil {
		return false, classify("models: task in list", err)
	}
	return n > 0, nil
}

// openDue is the condition of idx_tasks_user_open_due, written as in the
// index so that the planners match it: an open task with a date.
const openDue = "due_date IS NOT NULL AND status <> 'completed'"

// listFilter narrows q to userID's live tasks that opts selects.
func (s *Store) listFilter(q *gorm.DB, userID int64, opts ListOptions) *gorm.DB {
	q = s.search(liveTasks(q, userID), opts.Query)
	switch opts.Due {
	case DueToday:
		return q.Where(openDue).Where("due_date <= ?", opts.Today)
	case DueUpcoming:
		return q.Where(openDue).Where("due_date > ? AND due_date <= ?", opts.Today, opts.Today.AddDays(UpcomingDays))
	}
	if opts.Status != "" {
		q = q.Where("status = ?", opts.Status)
	}
	return q
}

// CountTasks counts userID's tasks per status and in the due views, among
// those matching opts.Query as of opts.Today (other options are ignored).
func (s *Store) CountTasks(ctx context.Context, userID int64, opts ListOptions) (ListCounts, error) {
	var rows []struct {
		Status TaskStatus
		N      int64
	}
	db, cancel := s.reader(ctx, userID)
	defer cancel()
	all := ListOptions{Query: opts.Query}
	q := s.listFilter(db.Model(&Task{}), userID, all)
	if err := q.Select("status, count(*) AS n").Group("status").Scan(&rows).Error; err != nil {
		return ListCounts{}, classify("models: count tasks", err)
	}
	counts := ListCounts{StatusCounts: StatusCounts{}}
	for _, r := range rows {
		counts.StatusCounts[r.Status] = r.N
	}
	// Both due views in one pass over idx_tasks_user_open_due.
	var due struct{ Today, Upcoming int64 }
	end := opts.Today.AddDays(UpcomingDays)
	q = s.search(liveTasks(db.Model(&Task{}), userID), opts.Query).Where(openDue).Where("due_date <= ?", end).
		Select("COALESCE(SUM(CASE WHEN due_date <= ? THEN 1 ELSE 0 END), 0) AS today, COALESCE(SUM(CASE WHEN due_date > ? THEN 1 ELSE 0 END), 0) AS upcoming", opts.Today, opts.Today)
	if err := q.Scan(&due).Error; err != nil {
		return ListCounts{}, classify("models: count due tasks", err)
	}
	counts.Today, counts.Upcoming = due.Today, due.Upcoming
	return counts, nil
}

// search narrows q to tasks whose title or description contains query, in
// any case, non-ASCII letters included, on either database. LIKE wildcards
// in the query are escaped: a search for "100%" means that.
func (s *Store) search(q *gorm.DB, query string) *gorm.DB {
	query = searchText(query)
	if query == "" {
		return q
	}
	if s.dialect == migrations.Postgres {
		// ILIKE folds case by the database's ctype, UTF-8 here.
		pattern := "%" + likeEscaper.Replace(query) + "%"
		return q.Where("(title ILIKE ? ESCAPE '\\' OR description ILIKE ? ESCAPE '\\')", pattern, pattern)
	}
	pattern := "%" + likeEscaper.Replace(strings.ToLower(query)) + "%"
	return q.Where("("+sqliteFold+"(title) LIKE ? ESCAPE '\\' OR "+sqliteFold+"(description) LIKE ? ESCAPE '\\')", pattern, pattern)
}

var likeEscaper = strings.NewReplacer(`\`, `\\`, `%`, `\%`, `_`, `\_`)
