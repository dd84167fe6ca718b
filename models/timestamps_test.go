package models_test

import (
	"database/sql"
	"errors"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"

	"taskapp/migrations"
	"taskapp/models"
	"taskapp/models/dbtest"
)

// tick waits long enough for the next timestamp to differ: PostgreSQL
// keeps microseconds, SQLite's strftime('%f') milliseconds.
func tick() { time.Sleep(5 * time.Millisecond) }

// stamps reads a row's created_at and updated_at straight from the table.
func stamps(t *testing.T, s *models.Store, table string, id int64) (created, updated time.Time) {
	t.Helper()
	q := dbtest.Rebind(s, "SELECT created_at, updated_at FROM "+table+" WHERE id = ?")
	if err := s.DB().QueryRowContext(t.Context(), q, id).Scan(&created, &updated); err != nil {
		t.Fatalf("%s %d: %v", table, id, err)
	}
	return created, updated
}

// TestTriggerRefreshesUpdatedAt changes rows with plain SQL, as a
// maintenance script would: the database itself must move updated_at on,
// and leave created_at alone.
func TestTriggerRefreshesUpdatedAt(t *testing.T) {
	t.Parallel()
	s := dbtest.New(t)
	u := newUser(t, s, "raw@example.com")
	tk := newTask(t, s, u.ID, "Before")

	for _, tt := range []struct {
		table, update string
		id            int64
	}{
		{"tasks", "UPDATE tasks SET title = 'After' WHERE id = ?", tk.ID},
		{"users", "UPDATE users SET hashed_password = 'rehashed' WHERE id = ?", u.ID},
	} {
		t.Run(tt.table, func(t *testing.T) {
			created, updated := stamps(t, s, tt.table, tt.id)
			tick()
			mustExec(t, s, tt.update, tt.id)
			created2, updated2 := stamps(t, s, tt.table, tt.id)
			if !updated2.After(updated) {
				t.Errorf("updated_at %v did not advance past %v", updated2, updated)
			}
			if !created2.Equal(created) {
				t.Errorf("created_at changed from %v to %v", created, created2)
			}
		})
	}
	if got, err := s.TaskByID(t.Context(), u.ID, tk.ID); err != nil || got.Title != "After" {
		t.Fatalf("raw update did not land: %+v, %v", got, err)
	}
}

func TestUpdateTaskTimestamps(t *testing.T) {
	t.Parallel()
	s := dbtest.New(t)
	ctx := t.Context()
	u := newUser(t, s, "gorm@example.com")
	orig := newTask(t, s, u.ID, "Original")

	patches := []models.TaskPatch{
		{Title: ptr("Renamed")},
		{Status: ptr(models.StatusCompleted)},
		{Description: ptr("Now with details")},
		{Description: ptr("")}, // cleared to NULL
	}
	prev := orig
	for i, patch := range patches {
		tick()
		got, err := s.UpdateTask(ctx, u.ID, orig.ID, patch)
		if err != nil {
			t.Fatalf("patch %d: %v", i, err)
		}
		if !got.UpdatedAt.After(prev.UpdatedAt) {
			t.Errorf("patch %d: updated_at %v did not advance past %v", i, got.UpdatedAt, prev.UpdatedAt)
		}
		if !got.CreatedAt.Equal(orig.CreatedAt) {
			t.Errorf("patch %d: returned created_at %v, want %v", i, got.CreatedAt, orig.CreatedAt)
		}
		stored, err := s.TaskByID(ctx, u.ID, orig.ID)
		if err != nil {
			t.Fatal(err)
		}
		if !stored.CreatedAt.Equal(orig.CreatedAt) {
			t.Errorf("patch %d: stored created_at %v, want %v", i, stored.CreatedAt, orig.CreatedAt)
		}
		// UpdateTask returns the task as stored, trigger included.
		if !stored.UpdatedAt.Equal(got.UpdatedAt) || stored.Title != got.Title || stored.Status != got.Status ||
			stored.DescriptionText() != got.DescriptionText() || stored.UserID != u.ID {
			t.Errorf("patch %d: returned %+v, stored %+v", i, got, stored)
		}
		prev = got
	}
	final, _ := s.TaskByID(ctx, u.ID, orig.ID)
	if final.Title != "Renamed" || final.Status != models.StatusCompleted || final.Description != nil {
		t.Errorf("after all patches: %+v", final)
	}
	if n := count(t, s, "SELECT count(*) FROM tasks WHERE id = ? AND description IS NULL", orig.ID); n != 1 {
		t.Error("an emptied description is not stored as NULL")
	}
}

func TestSetPasswordHashTimestamps(t *testing.T) {
	t.Parallel()
	s := dbtest.New(t)
	u := newUser(t, s, "pw@example.com")
	tick()
	if err := s.SetPasswordHash(t.Context(), u.ID, "new-hash", 0); err != nil {
		t.Fatal(err)
	}
	got, err := s.UserByID(t.Context(), u.ID)
	if err != nil {
		t.Fatal(err)
	}
	if got.HashedPassword != "new-hash" || !got.UpdatedAt.After(u.UpdatedAt) || !got.CreatedAt.Equal(u.CreatedAt) {
		t.Errorf("after SetPasswordHash: %+v (was %+v)", got, u)
	}
	if err := s.SetPasswordHash(t.Context(), u.ID+1000, "x", 0); !errors.Is(err, models.ErrNotFound) {
		t.Errorf("SetPasswordHash on a missing user: %v, want ErrNotFound", err)
	}
}

// TestGORMCannotChangeCreatedAt tries every GORM way of writing created_at
// on an existing row; each must leave it as inserted.
func TestGORMCannotChangeCreatedAt(t *testing.T) {
	t.Parallel()
	s := dbtest.New(t)
	u := newUser(t, s, "immutable@example.com")
	tk := newTask(t, s, u.ID, "Keep my birthday")
	past := time.Date(2001, 2, 3, 4, 5, 6, 0, time.UTC)
	db := s.GormWrite().WithContext(t.Context())

	tests := []struct {
		name   string
		table  string
		id     int64
		update func() error
	}{
		{"task Updates(map)", "tasks", tk.ID, func() error {
			return db.Model(&models.Task{ID: tk.ID}).Where("user_id = ?", u.ID).Where("deleted_at IS NULL").
				Updates(map[string]any{"created_at": past, "title": "map"}).Error
		}},
		{"task Updates(struct)", "tasks", tk.ID, func() error {
			return db.Model(&models.Task{ID: tk.ID}).Where("user_id = ?", u.ID).Where("deleted_at IS NULL").
				Updates(models.Task{CreatedAt: past, Title: "struct"}).Error
		}},
		{"task Update(column)", "tasks", tk.ID, func() error {
			return db.Model(&models.Task{ID: tk.ID}).Where("user_id = ?", u.ID).Where("deleted_at IS NULL").Update("created_at", past).Error
		}},
		{"task UpdateColumn (no hooks)", "tasks", tk.ID, func() error {
			return db.Model(&models.Task{ID: tk.ID}).Where("user_id = ?", u.ID).Where("deleted_at IS NULL").UpdateColumn("created_at", past).Error
		}},
		{"task Save", "tasks", tk.ID, func() error {
			cp := *tk
			cp.CreatedAt, cp.Title = past, "saved"
			return db.Where("user_id = ?", u.ID).Where("deleted_at IS NULL").Save(&cp).Error
		}},
		{"user Updates(map)", "users", u.ID, func() error {
			return db.Model(&models.User{ID: u.ID}).Updates(map[string]any{"created_at": past, "hashed_password": "x"}).Error
		}},
		{"user Save", "users", u.ID, func() error {
			cp := *u
			cp.CreatedAt = past
			return db.Save(&cp).Error
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			before, _ := stamps(t, s, tt.table, tt.id)
			if err := tt.update(); err != nil {
				t.Fatalf("update: %v", err)
			}
			after, _ := stamps(t, s, tt.table, tt.id)
			if !after.Equal(before) {
				t.Errorf("created_at changed from %v to %v", before, after)
			}
		})
	}
	if got, _ := s.TaskByID(t.Context(), u.ID, tk.ID); got.Title != "saved" {
		t.Errorf("the other columns were not written: title %q", got.Title)
	}
}

// assertRecentUTC fails unless ts is a UTC time within a minute of now: a
// database writing local wall-clock time is hours off.
func assertRecentUTC(t *testing.T, what string, ts time.Time) {
	t.Helper()
	if _, offset := ts.Zone(); offset != 0 {
		t.Errorf("%s = %v: not UTC", what, ts)
	}
	if d := time.Since(ts); d > time.Minute || d < -time.Minute {
		t.Errorf("%s = %v, now is %v: off by %v", what, ts, time.Now().UTC(), d)
	}
}

// TestTimestampsAreUTC puts the database session in New York (on
// PostgreSQL, as a server or role default would) and checks every way a
// timestamp is written still records UTC.
func TestTimestampsAreUTC(t *testing.T) {
	t.Parallel()
	ctx := t.Context()
	var s *models.Store
	if dbtest.Postgres() {
		dsn := dbtest.URL(t)
		u, err := url.Parse(dsn)
		if err != nil {
			t.Fatal(err)
		}
		name := strings.TrimPrefix(u.Path, "/")
		setup, err := sql.Open("pgx", dsn)
		if err != nil {
			t.Fatal(err)
		}
		defer setup.Close()
		if _, err := setup.ExecContext(ctx, "ALTER DATABASE "+pgx.Identifier{name}.Sanitize()+" SET timezone TO 'America/New_York'"); err != nil {
			t.Fatal(err)
		}
		// Control: a new session that does not ask for UTC is in New York.
		setup.SetMaxIdleConns(0)
		var tz string
		if err := setup.QueryRowContext(ctx, "SHOW timezone").Scan(&tz); err != nil || tz != "America/New_York" {
			t.Fatalf("control session time zone = %q, %v; the test setup did not take", tz, err)
		}
		if s, err = models.Open(ctx, models.Config{URL: dsn, PoolSize: 3}); err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { s.Close() })
		if _, err := s.Migrate(ctx); err != nil {
			t.Fatal(err)
		}
		// Every connection in the pool, not only the first.
		var conns []*sql.Conn
		for range 3 {
			c, err := s.DB().Conn(ctx)
			if err != nil {
				t.Fatal(err)
			}
			conns = append(conns, c)
			if err := c.QueryRowContext(ctx, "SHOW timezone").Scan(&tz); err != nil || tz != "UTC" {
				t.Errorf("pooled connection %d: time zone %q, %v; want UTC", len(conns), tz, err)
			}
		}
		for _, c := range conns {
			c.Close()
		}
	} else {
		s = dbtest.New(t)
	}

	// The column defaults, with no timestamp in the statement.
	var userID int64
	var created, updated time.Time
	err := s.DB().QueryRowContext(ctx, dbtest.Rebind(s,
		"INSERT INTO users (email, hashed_password) VALUES ('tz@example.com', 'h') RETURNING id, created_at, updated_at"),
	).Scan(&userID, &created, &updated)
	if err != nil {
		t.Fatal(err)
	}
	assertRecentUTC(t, "users.created_at default", created)
	assertRecentUTC(t, "users.updated_at default", updated)

	var taskID int64
	err = s.DB().QueryRowContext(ctx, dbtest.Rebind(s,
		"INSERT INTO tasks (title, status, user_id) VALUES ('raw', 'pending', ?) RETURNING id, created_at"), userID,
	).Scan(&taskID, &created)
	if err != nil {
		t.Fatal(err)
	}
	assertRecentUTC(t, "tasks.created_at default", created)

	if s.Dialect() == migrations.SQLite {
		// The text SQLite holds says UTC outright, in the driver's layout.
		var text string
		if err := s.DB().QueryRowContext(ctx, "SELECT CAST(created_at AS TEXT) FROM tasks WHERE id = ?", taskID).Scan(&text); err != nil {
			t.Fatal(err)
		}
		ts, err := time.Parse("2006-01-02 15:04:05.999999999-07:00", text)
		if err != nil || !strings.HasSuffix(text, "+00:00") {
			t.Errorf("stored default %q is not a UTC timestamp: %v", text, err)
		}
		assertRecentUTC(t, "tasks.created_at default as text", ts)
	}

	// The trigger.
	tick()
	mustExec(t, s, "UPDATE tasks SET title = 'raw, edited' WHERE id = ?", taskID)
	_, updated = stamps(t, s, "tasks", taskID)
	assertRecentUTC(t, "tasks.updated_at from the trigger", updated)

	// The store: its own clock, then read back through GORM.
	tk, err := s.CreateTask(ctx, userID, models.TaskInput{Title: "via the store"})
	if err != nil {
		t.Fatal(err)
	}
	got, err := s.TaskByID(ctx, userID, tk.ID)
	if err != nil {
		t.Fatal(err)
	}
	assertRecentUTC(t, "CreateTask created_at", got.CreatedAt)
	assertRecentUTC(t, "CreateTask updated_at", got.UpdatedAt)
	if !got.CreatedAt.Equal(tk.CreatedAt) {
		t.Errorf("stored created_at %v differs from the one returned %v", got.CreatedAt, tk.CreatedAt)
	}
	up, err := s.UpdateTask(ctx, userID, tk.ID, models.TaskPatch{Status: ptr(models.StatusInProgress)})
	if err != nil {
		t.Fatal(err)
	}
	assertRecentUTC(t, "UpdateTask updated_at", up.UpdatedAt)
	user, err := s.UserByID(ctx, userID)
	if err != nil {
		t.Fatal(err)
	}
	assertRecentUTC(t, "UserByID created_at", user.CreatedAt)
}
