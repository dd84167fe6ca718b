package models_test

import (
	"maps"
	"slices"
	"testing"
	"time"

	"taskapp/models"
	"taskapp/models/dbtest"
)

func ids(tasks []models.Task) []int64 {
	out := make([]int64, len(tasks))
	for i, tk := range tasks {
		out[i] = tk.ID
	}
	return out
}

// setCreated moves a task's created_at, as an import of old data would.
func setCreated(t *testing.T, s *models.Store, id int64, at time.Time) {
	t.Helper()
	mustExec(t, s, "UPDATE tasks SET created_at = ? WHERE id = ?", at, id)
}

func TestListTasksOrderAndStatus(t *testing.T) {
	t.Parallel()
	s := dbtest.New(t)
	ctx := t.Context()
	u := newUser(t, s, "order@example.com")
	t0 := time.Date(2026, 1, 1, 9, 0, 0, 0, time.UTC)
	t1, t2 := t0.Add(time.Hour), t0.Add(2*time.Hour)

	// Created in this order; created_at then rearranged with ties.
	var tk []*models.Task
	for i, at := range []time.Time{t0, t2, t1, t2, t0, t1} {
		status := models.TaskStatuses()[i%3]
		task, err := s.CreateTask(ctx, u.ID, models.TaskInput{Title: "task", Status: status})
		if err != nil {
			t.Fatal(err)
		}
		setCreated(t, s, task.ID, at)
		tk = append(tk, task)
	}
	// created_at DESC, then id DESC.
	want := []int64{tk[3].ID, tk[1].ID, tk[5].ID, tk[2].ID, tk[4].ID, tk[0].ID}

	page, err := s.ListTasks(ctx, u.ID, models.ListOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if got := ids(page.Tasks); !slices.Equal(got, want) {
		t.Errorf("order = %v, want %v", got, want)
	}
	if page.Total != 6 || page.Page != 1 || page.Pages != 1 || page.PerPage != models.DefaultPerPage {
		t.Errorf("page = %d/%d, total %d, per page %d", page.Page, page.Pages, page.Total, page.PerPage)
	}
	wantCounts := models.StatusCounts{models.StatusPending: 2, models.StatusInProgress: 2, models.StatusCompleted: 2}
	if !maps.Equal(page.Counts.StatusCounts, wantCounts) {
		t.Errorf("counts = %v, want %v", page.Counts, wantCounts)
	}

	for _, status := range models.TaskStatuses() {
		page, err := s.ListTasks(ctx, u.ID, models.ListOptions{Status: status})
		if err != nil {
			t.Fatal(err)
		}
		var wantIDs []int64
		for _, id := range want {
			if slices.ContainsFunc(tk, func(x *models.Task) bool { return x.ID == id && x.Status == status }) {
				wantIDs = append(wantIDs, id)
			}
		}
		if got := ids(page.Tasks); !slices.Equal(got, wantIDs) {
			t.Errorf("status %s: %v, want %v", status, got, wantIDs)
		}
		if page.Total != 2 {
			t.Errorf("status %s: total %d, want 2", status, page.Total)
		}
		// The tabs still count every status.
		if !maps.Equal(page.Counts.StatusCounts, wantCounts) {
			t.Errorf("status %s: counts = %v, want %v", status, page.Counts, wantCounts)
		}
	}
}

func TestListTasksSearch(t *testing.T) {
	t.Parallel()
	s := dbtest.New(t)
	ctx := t.Context()
	u := newUser(t, s, "search@example.com")
	other := newUser(t, s, "other@example.com")
	byTitle := map[string]int64{}
	for _, in := range []models.TaskInput{
		{Title: "Buy MILK"},
		{Title: "Groceries", Description: "oat milk and eggs"},
		{Title: "100% done", Status: models.StatusCompleted},
		{Title: "100 percent"},
		{Title: "snake_case"},
		{Title: "snakeXcase"},
		{Title: `back\slash`},
		{Title: "Unrelated", Description: "nothing to see"},
		{Title: "Éclair au café", Description: "CRÈME pâtissière"},
	} {
		tk, err := s.CreateTask(ctx, u.ID, in)
		if err != nil {
			t.Fatal(err)
		}
		byTitle[in.Title] = tk.ID
	}
	newTask(t, s, other.ID, "Other's milk") // never in u's results

	tests := []struct {
		query string
		want  []string
	}{
		{"milk", []string{"Buy MILK", "Groceries"}},
		{"MILK", []string{"Buy MILK", "Groceries"}},
		{"  Milk\t", []string{"Buy MILK", "Groceries"}},
		{"EGGS", []string{"Groceries"}}, // description only
		{"100%", []string{"100% done"}},
		{"%", []string{"100% done"}},
		{"_", []string{"snake_case"}},
		{"e_c", []string{"snake_case"}},
		{`\`, []string{`back\slash`}},
		{`k\s`, []string{`back\slash`}},
		// Case folds beyond ASCII on both databases (SQLite's LIKE
		// alone folds ASCII only).
		{"éclair", []string{"Éclair au café"}},
		{"ÉCLAIR AU CAFÉ", []string{"Éclair au café"}},
		{"crème", []string{"Éclair au café"}}, // description only
		{"'", nil},
		{"no such text", nil},
		{"", []string{"Buy MILK", "Groceries", "100% done", "100 percent", "snake_case", "snakeXcase", `back\slash`, "Unrelated", "Éclair au café"}},
	}
	for _, tt := range tests {
		t.Run(tt.query, func(t *testing.T) {
			page, err := s.ListTasks(ctx, u.ID, models.ListOptions{Query: tt.query})
			if err != nil {
				t.Fatal(err)
			}
			var got []string
			for _, tk := range page.Tasks {
				got = append(got, tk.Title)
			}
			slices.Sort(got)
			want := slices.Sorted(slices.Values(tt.want))
			if !slices.Equal(got, want) {
				t.Errorf("found %q, want %q", got, want)
			}
			if page.Total != int64(len(want)) || page.Counts.All() != int64(len(want)) {
				t.Errorf("total %d, counts %v; want %d", page.Total, page.Counts, len(want))
			}
		})
	}

	// Search and status together, and the counts the tabs show.
	page, err := s.ListTasks(ctx, u.ID, models.ListOptions{Query: "100", Status: models.StatusCompleted})
	if err != nil {
		t.Fatal(err)
	}
	if got := ids(page.Tasks); !slices.Equal(got, []int64{byTitle["100% done"]}) {
		t.Errorf("100 + completed = %v", got)
	}
	wantCounts := models.StatusCounts{models.StatusPending: 1, models.StatusCompleted: 1}
	if !maps.Equal(page.Counts.StatusCounts, wantCounts) {
		t.Errorf("counts for 100 = %v, want %v", page.Counts, wantCounts)
	}
	// TaskInList answers for one task as the list's filter does.
	for _, tt := range []struct {
		title string
		opts  models.ListOptions
		want  bool
	}{
		{"Éclair au café", models.ListOptions{Query: "ÉCLAIR"}, true},
		{"Éclair au café", models.ListOptions{Query: "crème", Status: models.StatusPending}, true},
		{"Éclair au café", models.ListOptions{Query: "éclair", Status: models.StatusCompleted}, false},
		{"Buy MILK", models.ListOptions{Query: "eggs"}, false},
		{"100% done", models.ListOptions{Status: models.StatusCompleted}, true},
		{"100% done", models.ListOptions{Query: "100%", Page: 9}, true},
	} {
		got, err := s.TaskInList(ctx, u.ID, byTitle[tt.title], tt.opts)
		if err != nil {
			t.Fatal(err)
		}
		if got != tt.want {
			t.Errorf("TaskInList(%q, %+v) = %v, want %v", tt.title, tt.opts, got, tt.want)
		}
	}
	if in, err := s.TaskInList(ctx, other.ID, byTitle["Buy MILK"], models.ListOptions{}); err != nil || in {
		t.Errorf("another user's task in list = %v, %v", in, err)
	}

	counts, err := s.CountTasks(ctx, u.ID, models.ListOptions{Query: "milk"})
	if err != nil {
		t.Fatal(err)
	}
	if !maps.Equal(counts.StatusCounts, models.StatusCounts{models.StatusPending: 2}) {
		t.Errorf("CountTasks(milk) = %v", counts)
	}
}

// TestListTasksPagination pages through tasks that all share one
// created_at, where only the id tiebreak keeps pages stable.
func TestListTasksPagination(t *testing.T) {
	t.Parallel()
	s := dbtest.New(t)
	ctx := t.Context()
	u := newUser(t, s, "pages@example.com")
	const total, perPage = 50, 7
	same := time.Date(2026, 3, 4, 5, 6, 7, 0, time.UTC)
	for i := range total {
		if _, err := s.CreateTask(ctx, u.ID, models.TaskInput{Title: "same time", Status: models.TaskStatuses()[i%3]}); err != nil {
			t.Fatal(err)
		}
	}
	mustExec(t, s, "UPDATE tasks SET created_at = ? WHERE user_id = ?", same, u.ID)
	if n := count(t, s, "SELECT count(DISTINCT created_at) FROM tasks"); n != 1 {
		t.Fatalf("%d distinct created_at, want 1", n)
	}

	wantPages := (total + perPage - 1) / perPage // 8
	seen := map[int64]int{}
	var all []int64
	var last []int64
	for p := 1; p <= wantPages; p++ {
		page, err := s.ListTasks(ctx, u.ID, models.ListOptions{Page: p, PerPage: perPage})
		if err != nil {
			t.Fatal(err)
		}
		if page.Page != p || page.Pages != wantPages || page.Total != total {
			t.Errorf("page %d: got page %d of %d, total %d", p, page.Page, page.Pages, page.Total)
		}
		wantLen := min(perPage, total-(p-1)*perPage)
		if len(page.Tasks) != wantLen {
			t.Errorf("page %d: %d tasks, want %d", p, len(page.Tasks), wantLen)
		}
		for _, id := range ids(page.Tasks) {
			seen[id]++
			all = append(all, id)
		}
		last = ids(page.Tasks)
	}
	if len(seen) != total {
		t.Errorf("%d distinct tasks across pages, want %d", len(seen), total)
	}
	for id, n := range seen {
		if n != 1 {
			t.Errorf("task %d appeared on %d pages", id, n)
		}
	}
	if !slices.IsSortedFunc(all, func(a, b int64) int { return int(b - a) }) {
		t.Errorf("with equal created_at the order is not id DESC: %v", all)
	}

	for _, tt := range []struct{ ask, want int }{{wantPages + 1, wantPages}, {1000, wantPages}, {0, 1}, {-3, 1}} {
		page, err := s.ListTasks(ctx, u.ID, models.ListOptions{Page: tt.ask, PerPage: perPage})
		if err != nil {
			t.Fatal(err)
		}
		if page.Page != tt.want {
			t.Errorf("asked for page %d, got %d, want %d", tt.ask, page.Page, tt.want)
		}
		if tt.want == wantPages && !slices.Equal(ids(page.Tasks), last) {
			t.Errorf("clamped page %d = %v, want the last page %v", tt.ask, ids(page.Tasks), last)
		}
		if tt.want == 1 && !slices.Equal(ids(page.Tasks), all[:perPage]) {
			t.Errorf("clamped page %d = %v, want the first page", tt.ask, ids(page.Tasks))
		}
	}

	// Paging within a status filter.
	page, err := s.ListTasks(ctx, u.ID, models.ListOptions{Status: models.StatusCompleted, PerPage: perPage, Page: 3})
	if err != nil {
		t.Fatal(err)
	}
	// 16 completed (i%3 == 2 for i < 50): pages of 7, 7, 2.
	if page.Total != 16 || page.Pages != 3 || len(page.Tasks) != 2 {
		t.Errorf("completed page 3: total %d, pages %d, %d tasks", page.Total, page.Pages, len(page.Tasks))
	}
	wantCounts := models.StatusCounts{models.StatusPending: 17, models.StatusInProgress: 17, models.StatusCompleted: 16}
	if !maps.Equal(page.Counts.StatusCounts, wantCounts) || page.Counts.All() != total {
		t.Errorf("counts = %v, want %v", page.Counts, wantCounts)
	}
}

func TestListTasksEmpty(t *testing.T) {
	t.Parallel()
	s := dbtest.New(t)
	u := newUser(t, s, "empty@example.com")
	page, err := s.ListTasks(t.Context(), u.ID, models.ListOptions{Page: 5})
	if err != nil {
		t.Fatal(err)
	}
	if len(page.Tasks) != 0 || page.Total != 0 || page.Page != 1 || page.Pages != 1 || page.Counts.All() != 0 {
		t.Errorf("empty list = %+v", page)
	}
}

// TestListTasksReadsEveryColumn: the page's rows, read without GORM's
// scan, hold what GORM reads for the same tasks: with and without a
// description and a due date, in every status.
func TestListTasksReadsEveryColumn(t *testing.T) {
	t.Parallel()
	s := dbtest.New(t)
	ctx := t.Context()
	u := newUser(t, s, "columns@example.com")
	for i, in := range []models.TaskInput{
		{Title: "bare"},
		{Title: "described", Description: "line one\nline two", Status: models.StatusInProgress},
		{Title: "dated", DueDate: "2031-02-28", Status: models.StatusCompleted},
		{Title: "both", Description: "d", DueDate: "2030-12-31"},
	} {
		if _, err := s.CreateTask(ctx, u.ID, in); err != nil {
			t.Fatalf("task %d: %v", i, err)
		}
	}
	page, err := s.ListTasks(ctx, u.ID, models.ListOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if len(page.Tasks) != 4 {
		t.Fatalf("%d tasks listed, want 4", len(page.Tasks))
	}
	for _, got := range page.Tasks {
		want, err := s.TaskByID(ctx, u.ID, got.ID)
		if err != nil {
			t.Fatal(err)
		}
		if got.ID != want.ID || got.Title != want.Title || got.DescriptionText() != want.DescriptionText() ||
			(got.Description == nil) != (want.Description == nil) || got.Status != want.Status || got.UserID != want.UserID ||
			!got.CreatedAt.Equal(want.CreatedAt) || !got.UpdatedAt.Equal(want.UpdatedAt) ||
			(got.DueDate == nil) != (want.DueDate == nil) || (got.DueDate != nil && *got.DueDate != *want.DueDate) ||
			(got.DeletedAt == nil) != (want.DeletedAt == nil) {
			t.Errorf("listed %+v\nGORM reads %+v", got, want)
		}
		if got.CreatedAt.IsZero() || got.UpdatedAt.IsZero() {
			t.Errorf("%q: timestamps not read: %v, %v", got.Title, got.CreatedAt, got.UpdatedAt)
		}
	}
}
