package models

import (
	"context"
	"fmt"
	"strings"

	"gorm.io/gorm"
	"gorm.io/gorm/clause"

	"taskapp/migrations"
)

// Every method here takes the owner's user id and puts "user_id = ?" at the
// top level of its WHERE clause; the owner guard (guard.go) refuses any
// statement on tasks that does not.

// CreateTask adds a task owned by userID. The input is normalized and
// validated first; an empty status means pending.
func (s *Store) CreateTask(ctx context.Context, userID int64, in TaskInput) (*Task, error) {
	in.Normalize()
	if err := invalid(in.Validate()); err != nil {
		return nil, err
	}
	t := &Task{Title: in.Title, Description: nullable(in.Description), Status: in.Status, UserID: userID}
	db, done := s.writer(ctx, userID)
	defer done()
	if err := db.Create(t).Error; err != nil {
		// A foreign key failure means the owner no longer exists.
		return nil, classify("models: create task", err)
	}
	s.tasksChanged(ctx, userID)
	return t, nil
}

// TaskByID returns the task if userID owns it, and ErrNotFound otherwise,
// whether or not a task with that id exists.
func (s *Store) TaskByID(ctx context.Context, userID, id int64) (*Task, error) {
	var t Task
	db, cancel := s.reader(ctx, userID)
	defer cancel()
	if err := db.Where("user_id = ?", userID).Where("id = ?", id).Take(&t).Error; err != nil {
		return nil, classify("models: task by id", err)
	}
	return &t, nil
}

// UpdateTask applies patch to the task if userID owns it and returns the
// task as stored. updated_at advances; created_at never changes.
func (s *Store) UpdateTask(ctx context.Context, userID, id int64, patch TaskPatch) (*Task, error) {
	patch.normalize()
	if err := invalid(patch.Validate()); err != nil {
		return nil, err
	}
	changes := map[string]any{}
	if patch.Title != nil {
		changes["title"] = *patch.Title
	}
	if patch.Description != nil {
		changes["description"] = nullable(*patch.Description)
	}
	if patch.Status != nil {
		changes["status"] = *patch.Status
	}
	if len(changes) == 0 {
		return s.TaskByID(ctx, userID, id)
	}
	t := Task{ID: id}
	db, done := s.writer(ctx, userID)
	defer done()
	res := db.Model(&t).Clauses(clause.Returning{}).
		Where("user_id = ?", userID).Where("id = ?", id).
		Updates(changes)
	if res.Error != nil {
		return nil, classify("models: update task", res.Error)
	}
	if res.RowsAffected == 0 {
		return nil, fmt.Errorf("models: update task: %w", ErrNotFound)
	}
	s.tasksChanged(ctx, userID)
	return &t, nil
}

// DeleteTask removes the task if userID owns it.
func (s *Store) DeleteTask(ctx context.Context, userID, id int64) error {
	db, done := s.writer(ctx, userID)
	defer done()
	res := db.Where("user_id = ?", userID).Where("id = ?", id).Delete(&Task{})
	if res.Error != nil {
		return classify("models: delete task", res.Error)
	}
	if res.RowsAffected == 0 {
		return fmt.Errorf("models: delete task: %w", ErrNotFound)
	}
	s.tasksChanged(ctx, userID)
	return nil
}

// ListOptions selects a page of a user's tasks.
type ListOptions struct {
	Status  TaskStatus // "" for every status
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

// PageCount is how many pages total tasks fill at perPage a page: at
// least 1, an empty list being one empty page.
func PageCount(total int64, perPage int) int {
	return max(1, int((total+int64(perPage)-1)/int64(perPage)))
}

// TaskPage is one page of a listing, with the counts for its tabs.
type TaskPage struct {
	Tasks   []Task
	Counts  StatusCounts // per status, with the search applied, ignoring the status filter
	Total   int64        // tasks matching status and search
	Page    int
	PerPage int
	Pages   int // at least 1
}

// ListTasks returns a page of userID's tasks, newest first, matching opts.
// The order is (created_at DESC, id DESC): id breaks ties so that no task
// appears on two pages or on none. The ordered scan walks
// idx_tasks_user_created.
func (s *Store) ListTasks(ctx context.Context, userID int64, opts ListOptions) (*TaskPage, error) {
	if opts.PerPage <= 0 {
		opts.PerPage = DefaultPerPage
	}
	counts, err := s.CountTasks(ctx, userID, opts.Query)
	if err != nil {
		return nil, err
	}
	p := &TaskPage{Counts: counts, PerPage: opts.PerPage, Total: counts.Total(opts.Status)}
	p.Pages = PageCount(p.Total, opts.PerPage)
	p.Page = min(max(opts.Page, 1), p.Pages)
	if p.Total == 0 {
		return p, nil
	}
	db, cancel := s.reader(ctx, userID)
	defer cancel()
	q := s.listFilter(db, userID, opts)
	// Sized up front: GORM otherwise starts at 20 and grows by doubling,
	// copying the page three times (7% of a list request's allocations).
	p.Tasks = make([]Task, 0, min(int64(opts.PerPage), p.Total))
	err = q.Order("created_at DESC").Order("id DESC").
		Limit(opts.PerPage).Offset((p.Page - 1) * opts.PerPage).
		Find(&p.Tasks).Error
	if err != nil {
		return nil, classify("models: list tasks", err)
	}
	return p, nil
}

// TaskInList reports whether the task id of userID's is in the list that
// opts selects (its status and search; the page is ignored), by the same
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

// listFilter narrows q to userID's tasks that opts selects.
func (s *Store) listFilter(q *gorm.DB, userID int64, opts ListOptions) *gorm.DB {
	q = s.search(q.Where("user_id = ?", userID), opts.Query)
	if opts.Status != "" {
		q = q.Where("status = ?", opts.Status)
	}
	return q
}

// CountTasks counts userID's tasks per status, among those matching query.
func (s *Store) CountTasks(ctx context.Context, userID int64, query string) (StatusCounts, error) {
	var rows []struct {
		Status TaskStatus
		N      int64
	}
	db, cancel := s.reader(ctx, userID)
	defer cancel()
	q := s.listFilter(db.Model(&Task{}), userID, ListOptions{Query: query})
	if err := q.Select("status, count(*) AS n").Group("status").Scan(&rows).Error; err != nil {
		return nil, classify("models: count tasks", err)
	}
	counts := StatusCounts{}
	for _, r := range rows {
		counts[r.Status] = r.N
	}
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

// nullable maps "" to NULL for optional text columns.
func nullable(s string) *string {
	if s == "" {
		return nil
	}
	return &s
}
