package models_test

import (
	"errors"
	"slices"
	"testing"
	"time"

	"taskapp/models"
	"taskapp/models/dbtest"
)

func titles(tasks []models.Task) []string {
	out := make([]string, len(tasks))
	for i, tk := range tasks {
		out[i] = tk.Title
	}
	return out
}

func TestDueDateStoredSetAndCleared(t *testing.T) {
	t.Parallel()
	s := dbtest.New(t)
	ctx := t.Context()
	u := newUser(t, s, "due@example.com")

	task, err := s.CreateTask(ctx, u.ID, models.TaskInput{Title: "Taxes", DueDate: " 2027-04-15 "})
	if err != nil {
		t.Fatal(err)
	}
	got, err := s.TaskByID(ctx, u.ID, task.ID)
	if err != nil || got.DueDate == nil || got.DueDate.String() != "2027-04-15" {
		t.Fatalf("stored due date = %v, %v", got.DueDate, err)
	}
	if got, err = s.UpdateTask(ctx, u.ID, task.ID, models.TaskPatch{DueDate: ptr("1900-01-01")}); err != nil || got.DueDate.String() != "1900-01-01" {
		t.Fatalf("changed due date = %v, %v", got.DueDate, err)
	}
	// A patch without the date leaves it alone; "" clears it.
	if got, err = s.UpdateTask(ctx, u.ID, task.ID, models.TaskPatch{Title: ptr("Taxes!")}); err != nil || got.DueDate == nil {
		t.Fatalf("title patch lost the date: %v, %v", got, err)
	}
	if _, err = s.UpdateTask(ctx, u.ID, task.ID, models.TaskPatch{DueDate: ptr("")}); err != nil {
		t.Fatal(err)
	}
	if got, _ = s.TaskByID(ctx, u.ID, task.ID); got.DueDate != nil {
		t.Errorf("cleared due date = %v", got.DueDate)
	}
}

func TestDueDateValidation(t *testing.T) {
	t.Parallel()
	s := dbtest.New(t)
	ctx := t.Context()
	u := newUser(t, s, "duebad@example.com")
	for _, bad := range []string{"2026-02-30", "2026-13-01", "31/12/2026", "0202-01-01", "1899-12-31", "10000-01-01", "tomorrow", "2026-1-1"} {
		_, err := s.CreateTask(ctx, u.ID, models.TaskInput{Title: "x", DueDate: bad})
		var invalid *models.ValidationError
		if !errors.As(err, &invalid) || invalid.Fields["due_date"] == "" {
			t.Errorf("due date %q: err = %v, want a due_date message", bad, err)
		}
	}
	if n := count(t, s, "SELECT count(*) FROM tasks"); n != 0 {
		t.Errorf("%d tasks stored from bad dates", n)
	}
	if _, err := s.CreateTask(ctx, u.ID, models.TaskInput{Title: "x", DueDate: "9999-12-31"}); err != nil {
		t.Errorf("9999-12-31: %v", err)
	}
}

func TestTodayAndUpcomingViews(t *testing.T) {
	t.Parallel()
	s := dbtest.New(t)
	ctx := t.Context()
	u := newUser(t, s, "views@example.com")
	other := newUser(t, s, "views-other@example.com")
	today := models.NewDate(2026, 12, 2)
	add := func(owner int64, title string, due *models.Date, status models.TaskStatus) {
		in := models.TaskInput{Title: title, Status: status}
		if due != nil {
			in.DueDate = due.String()
		}
		if _, err := s.CreateTask(ctx, owner, in); err != nil {
			t.Fatal(err)
		}
	}
	d := func(n int) *models.Date { v := today.AddDays(n); return &v }
	add(u.ID, "due today", d(0), models.StatusPending)
	add(u.ID, "3 days late", d(-3), models.StatusInProgress)
	add(u.ID, "1 day late", d(-1), models.StatusPending)
	add(u.ID, "done late", d(-2), models.StatusCompleted)
	add(u.ID, "tomorrow", d(1), models.StatusPending)
	add(u.ID, "in a week", d(7), models.StatusPending)
	add(u.ID, "in 8 days", d(8), models.StatusPending)
	add(u.ID, "no date", nil, models.StatusPending)
	add(other.ID, "bob's today", d(0), models.StatusPending)

	p, err := s.ListTasks(ctx, u.ID, models.ListOptions{Due: models.DueToday, Today: today})
	if err != nil {
		t.Fatal(err)
	}
	if want := []string{"3 days late", "1 day late", "due today"}; !slices.Equal(titles(p.Tasks), want) {
		t.Errorf("Today = %q, want %q (overdue first, completed left out)", titles(p.Tasks), want)
	}
	p, err = s.ListTasks(ctx, u.ID, models.ListOptions{Due: models.DueUpcoming, Today: today})
	if err != nil {
		t.Fatal(err)
	}
	if want := []string{"tomorrow", "in a week"}; !slices.Equal(titles(p.Tasks), want) {
		t.Errorf("Upcoming = %q, want %q", titles(p.Tasks), want)
	}
	if p.Counts.Today != 3 || p.Counts.Upcoming != 2 || p.Counts.All() != 8 || p.Total != 2 {
		t.Errorf("counts: today %d upcoming %d all %d total %d", p.Counts.Today, p.Counts.Upcoming, p.Counts.All(), p.Total)
	}
	// The search narrows the due counts like the status counts.
	c, err := s.CountTasks(ctx, u.ID, models.ListOptions{Today: today, Query: "LATE"})
	if err != nil || c.Today != 2 || c.Upcoming != 0 {
		t.Errorf("searched counts = %+v, %v", c, err)
	}
	// Today is the caller's: a day later, "tomorrow" is due today.
	if c, _ := s.CountTasks(ctx, u.ID, models.ListOptions{Today: today.AddDays(1)}); c.Today != 4 || c.Upcoming != 2 {
		t.Errorf("a day later: %+v", c)
	}
}

func TestListSorts(t *testing.T) {
	t.Parallel()
	s := dbtest.New(t)
	ctx := t.Context()
	u := newUser(t, s, "sorts@example.com")
	t0 := time.Date(2026, 1, 1, 9, 0, 0, 0, time.UTC)
	made := map[string]int64{}
	for i, tk := range []struct{ title, due string }{
		{"banana", "2027-01-02"}, {"Apple", ""}, {"cherry", "2027-01-01"}, {"Éclair", ""}, {"apricot", "2026-12-31"},
	} {
		task, err := s.CreateTask(ctx, u.ID, models.TaskInput{Title: tk.title, DueDate: tk.due})
		if err != nil {
			t.Fatal(err)
		}
		setCreated(t, s, task.ID, t0.Add(time.Duration(i)*time.Hour))
		made[tk.title] = task.ID
	}
	// Touch cherry last.
	if _, err := s.UpdateTask(ctx, u.ID, made["cherry"], models.TaskPatch{Description: ptr("ripe")}); err != nil {
		t.Fatal(err)
	}
	for sort, want := range map[models.TaskSort][]string{
		"":                 {"apricot", "Éclair", "cherry", "Apple", "banana"},
		models.SortNewest:  {"apricot", "Éclair", "cherry", "Apple", "banana"},
		models.SortOldest:  {"banana", "Apple", "cherry", "Éclair", "apricot"},
		models.SortDue:     {"apricot", "cherry", "banana", "Éclair", "Apple"},
		models.SortTitle:   {"Apple", "apricot", "banana", "cherry", "Éclair"},
		models.SortUpdated: {"cherry"},
	} {
		p, err := s.ListTasks(ctx, u.ID, models.ListOptions{Sort: sort})
		if err != nil {
			t.Fatal(err)
		}
		got := titles(p.Tasks)
		if sort == models.SortUpdated {
			got = got[:1]
		}
		if !slices.Equal(got, want) {
			t.Errorf("sort %q = %q, want %q", sort, got, want)
		}
	}
	// Paging a sorted list shows every task once.
	var paged []string
	for page := 1; page <= 3; page++ {
		p, err := s.ListTasks(ctx, u.ID, models.ListOptions{Sort: models.SortTitle, Page: page, PerPage: 2})
		if err != nil {
			t.Fatal(err)
		}
		paged = append(paged, titles(p.Tasks)...)
	}
	if want := []string{"Apple", "apricot", "banana", "cherry", "Éclair"}; !slices.Equal(paged, want) {
		t.Errorf("title pages = %q", paged)
	}
}

func TestTimeZoneSetting(t *testing.T) {
	t.Parallel()
	s := dbtest.New(t)
	ctx := t.Context()
	u := newUser(t, s, "zone@example.com")
	if err := s.SetTimeZone(ctx, u.ID, " Pacific/Auckland "); err != nil {
		t.Fatal(err)
	}
	got, _ := s.UserByID(ctx, u.ID)
	if got.TimeZone == nil || *got.TimeZone != "Pacific/Auckland" {
		t.Fatalf("zone = %v", got.TimeZone)
	}
	for _, bad := range []string{"Mars/Olympus", "Local", "../../etc/passwd"} {
		var invalid *models.ValidationError
		if err := s.SetTimeZone(ctx, u.ID, bad); !errors.As(err, &invalid) {
			t.Errorf("zone %q: %v, want a validation error", bad, err)
		}
	}
	if err := s.SetTimeZone(ctx, u.ID, ""); err != nil {
		t.Fatal(err)
	}
	if got, _ := s.UserByID(ctx, u.ID); got.TimeZone != nil {
		t.Errorf("cleared zone = %q", *got.TimeZone)
	}
	// Today depends on the zone: 23:30 UTC on 1 Dec is 2 Dec in Auckland.
	now := time.Date(2026, 12, 1, 23, 30, 0, 0, time.UTC)
	if d := models.Today(now, models.ZoneLocation("Pacific/Auckland")); d != models.NewDate(2026, 12, 2) {
		t.Errorf("Auckland today = %v", d)
	}
	if d := models.Today(now, models.ZoneLocation("")); d != models.NewDate(2026, 12, 1) {
		t.Errorf("UTC today = %v", d)
	}
}
