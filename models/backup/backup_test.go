package backup_test

import (
	"bytes"
	"encoding/json"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"taskapp/models"
	"taskapp/models/backup"
	"taskapp/models/bulkload"
	"taskapp/models/dbtest"
	"taskapp/models/integrity"
)

// sqliteStore opens a fresh, migrated SQLite database whatever
// TEST_DATABASE_URL says: the round trip needs both kinds at once.
func sqliteStore(t *testing.T) *models.Store {
	t.Helper()
	return openStore(t, "sqlite:"+filepath.Join(t.TempDir(), "taskapp.db"))
}

// postgresStore opens a fresh, migrated PostgreSQL database, or skips the
// test when TEST_DATABASE_URL does not name a server.
func postgresStore(t *testing.T) *models.Store {
	t.Helper()
	if !dbtest.Postgres() {
		t.Skip("the PostgreSQL leg needs " + dbtest.EnvURL)
	}
	return openStore(t, dbtest.URL(t))
}

func openStore(t *testing.T, url string) *models.Store {
	t.Helper()
	s, err := models.Open(t.Context(), models.Config{URL: url})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	if _, err := s.Migrate(t.Context()); err != nil {
		t.Fatal(err)
	}
	return s
}

func countRows(t *testing.T, s *models.Store) (users, tasks int64) {
	t.Helper()
	err := s.DB().QueryRowContext(t.Context(), "SELECT (SELECT COUNT(*) FROM users), (SELECT COUNT(*) FROM tasks)").Scan(&users, &tasks)
	if err != nil {
		t.Fatal(err)
	}
	return users, tasks
}

func assertEmpty(t *testing.T, s *models.Store) {
	t.Helper()
	if u, tk := countRows(t, s); u != 0 || tk != 0 {
		t.Errorf("database holds %d users and %d tasks after a failed restore, want none", u, tk)
	}
}

// fill gives s data with every feature a backup must keep: gaps in the ids,
// trashed users and tasks, all statuses, NULL and non-NULL descriptions,
// text that needs escaping, the longest title, timestamps with
// microseconds that differ between created and updated, due dates (the
// earliest year allowed too), a chosen time zone and keyboard shortcuts
// turned off.
func fill(t *testing.T, s *models.Store) {
	t.Helper()
	ctx := t.Context()
	var users []*models.User
	for _, email := range []string{"ana@example.com", "gone@example.com", "bo@example.com", "trashed@example.com"} {
		u, err := s.CreateUser(ctx, email, "$argon2id$v=19$m=65536,t=1,p=4$"+email)
		if err != nil {
			t.Fatal(err)
		}
		users = append(users, u)
	}
	if err := dbtest.Exec(t, s, "DELETE FROM users WHERE id = ?", users[1].ID); err != nil { // a gap in the user ids
		t.Fatal(err)
	}
	if err := s.SetTimeZone(ctx, users[0].ID, "America/St_Johns"); err != nil {
		t.Fatal(err)
	}
	if err := s.SetKeyboardShortcuts(ctx, users[2].ID, false); err != nil {
		t.Fatal(err)
	}
	titles := []string{"Buy groceries", `Quotes "and" \backslashes\`, "Zeilen\nund Umlaute: äöü, 日本語, 🙂", strings.Repeat("x", models.MaxTitleLen), "<script>alert(1)</script>", "=1+2"}
	for i, title := range titles {
		in := models.TaskInput{Title: title, Status: models.TaskStatuses()[i%3]}
		if i%2 == 0 {
			in.Description = "Details for " + title
		}
		if due := []string{"2027-04-15", "", "1900-01-01", "9999-12-31"}; i < len(due) {
			in.DueDate = due[i]
		}
		owner := users[[]int{0, 2, 3}[i%3]]
		tk, err := s.CreateTask(ctx, owner.ID, in)
		if err != nil {
			t.Fatal(err)
		}
		if i == 1 {
			// A gap in the task ids: to the trash, then erased.
			if _, err := s.DeleteTask(ctx, owner.ID, tk.ID); err != nil {
				t.Fatal(err)
			}
			if err := s.EraseTask(ctx, owner.ID, tk.ID); err != nil {
				t.Fatal(err)
			}
		}
	}
	// Trash marks and distinct timestamps, as the soft delete will write them.
	at := time.Date(2026, 11, 30, 8, 15, 42, 123456000, time.UTC)
	dbtest.MustExec(t, s, "UPDATE users SET deleted_at = ? WHERE email = ?", at, "trashed@example.com")
	dbtest.MustExec(t, s, "UPDATE tasks SET deleted_at = ?, updated_at = ? WHERE title = ?", at, at.Add(time.Second), "=1+2")
	dbtest.MustExec(t, s, "UPDATE tasks SET created_at = ? WHERE title = ?", at.Add(-time.Hour), "Buy groceries")
}

// contents is a backup read back: the header and every row.
type contents struct {
	header backup.Header
	users  []models.User
	tasks  []models.Task
}

func read(t *testing.T, data []byte) contents {
	t.Helper()
	r, err := backup.NewReader(bytes.NewReader(data))
	if err != nil {
		t.Fatal(err)
	}
	c := contents{header: r.Header}
	for u, err := range r.Users() {
		if err != nil {
			t.Fatal(err)
		}
		c.users = append(c.users, *u)
	}
	for tk, err := range r.Tasks() {
		if err != nil {
			t.Fatal(err)
		}
		c.tasks = append(c.tasks, *tk)
	}
	return c
}

func write(t *testing.T, s *models.Store) []byte {
	t.Helper()
	var buf bytes.Buffer
	if _, err := backup.Write(t.Context(), s, &buf, backup.Options{}); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

func restore(t *testing.T, s *models.Store, data []byte, opts bulkload.RowsOptions) error {
	t.Helper()
	r, err := backup.NewReader(bytes.NewReader(data))
	if err != nil {
		return err
	}
	return backup.Restore(t.Context(), s, r, opts)
}

// sameData compares two backups' rows field by field.
func sameData(t *testing.T, step string, got, want contents) {
	t.Helper()
	if got.header.SchemaVersion != want.header.SchemaVersion || got.header.Users != want.header.Users || got.header.Tasks != want.header.Tasks {
		t.Errorf("%s: header %+v, want counts and schema of %+v", step, got.header, want.header)
	}
	gu, wu := mustJSON(t, got.users), mustJSON(t, want.users)
	if gu != wu {
		t.Errorf("%s: users differ:\n got  %s\n want %s", step, gu, wu)
	}
	gt, wt := mustJSON(t, got.tasks), mustJSON(t, want.tasks)
	if gt != wt {
		t.Errorf("%s: tasks differ:\n got  %s\n want %s", step, gt, wt)
	}
}

func mustJSON(t *testing.T, v any) string {
	t.Helper()
	b, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// TestRoundTrip backs up SQLite, restores into PostgreSQL, backs that up
// and restores into SQLite again: the data is identical at each step. The
// SQLite to SQLite leg runs always; the PostgreSQL leg needs a server.
func TestRoundTrip(t *testing.T) {
	t.Parallel()
	src := sqliteStore(t)
	fill(t, src)
	first := write(t, src)
	want := read(t, first)
	if len(want.users) != 3 || len(want.tasks) != 5 || want.users[2].DeletedAt == nil {
		t.Fatalf("the source backup holds %d users and %d tasks (want 3 and 5, one user trashed): %+v", len(want.users), len(want.tasks), want)
	}
	assertSettingsKept(t, want)
	if want.header.SchemaVersion == 0 || want.header.Format != backup.FormatVersion || want.header.Dialect != "sqlite" {
		t.Errorf("header = %+v", want.header)
	}

	legs := []struct {
		name string
		open func(*testing.T) *models.Store
	}{{"sqlite", sqliteStore}, {"postgres", postgresStore}, {"sqlite again", sqliteStore}}
	data := first
	for _, leg := range legs {
		t.Run(leg.name, func(t *testing.T) {
			dst := leg.open(t)
			if err := restore(t, dst, data, bulkload.RowsOptions{}); err != nil {
				t.Fatalf("restore: %v", err)
			}
			data = write(t, dst)
			got := read(t, data)
			sameData(t, leg.name, got, want)
			assertSettingsKept(t, got)
			if r, err := integrity.Run(t.Context(), dst); err != nil || !r.OK() {
				t.Errorf("check after the restore: %v %+v", err, r)
			}
			assertIDsMoveOn(t, dst, want)
		})
	}
}

// assertSettingsKept: the columns added after the backup was first
// written are in it, as fill set them. sameData compares the rest.
func assertSettingsKept(t *testing.T, c contents) {
	t.Helper()
	var zones, noShortcuts []string
	for _, u := range c.users {
		if u.TimeZone != nil {
			zones = append(zones, u.Email+"="+*u.TimeZone)
		}
		if !u.KeyboardShortcuts {
			noShortcuts = append(noShortcuts, u.Email)
		}
	}
	if got := strings.Join(zones, ","); got != "ana@example.com=America/St_Johns" {
		t.Errorf("time zones in the backup: %q", got)
	}
	if got := strings.Join(noShortcuts, ","); got != "bo@example.com" {
		t.Errorf("users without keyboard shortcuts in the backup: %q", got)
	}
	var due []string
	for _, tk := range c.tasks {
		if tk.DueDate != nil {
			due = append(due, tk.DueDate.String())
		}
	}
	if got := strings.Join(due, ","); got != "2027-04-15,1900-01-01,9999-12-31" {
		t.Errorf("due dates in the backup: %q", got)
	}
}

// assertIDsMoveOn: new rows after a restore get ids past every restored
// one (PostgreSQL's sequences were moved; SQLite's AUTOINCREMENT follows).
func assertIDsMoveOn(t *testing.T, s *models.Store, c contents) {
	t.Helper()
	u, err := s.CreateUser(t.Context(), "new@example.com", "$argon2id$new")
	if err != nil {
		t.Fatalf("create user after restore: %v", err)
	}
	if last := c.users[len(c.users)-1].ID; u.ID <= last {
		t.Errorf("new user got id %d, not past the restored %d", u.ID, last)
	}
	tk, err := s.CreateTask(t.Context(), u.ID, models.TaskInput{Title: "after"})
	if err != nil {
		t.Fatalf("create task after restore: %v", err)
	}
	if last := c.tasks[len(c.tasks)-1].ID; tk.ID <= last {
		t.Errorf("new task got id %d, not past the restored %d", tk.ID, last)
	}
}
