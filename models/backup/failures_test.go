package backup_test

import (
	"bytes"
	"compress/gzip"
	"context"
	"errors"
	"io"
	"strconv"
	"strings"
	"testing"

	"taskapp/migrations"
	"taskapp/models"
	"taskapp/models/backup"
	"taskapp/models/bulkload"
	"taskapp/models/dbtest"
)

// store is a fresh database of the dialect the test run is on.
func store(t *testing.T) *models.Store { return dbtest.New(t) }

// gz compresses lines into a backup-shaped file.
func gz(t *testing.T, lines ...string) []byte {
	t.Helper()
	var buf bytes.Buffer
	zw := gzip.NewWriter(&buf)
	for _, l := range lines {
		io.WriteString(zw, l+"\n")
	}
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

func header(schema int64, users, tasks int) string {
	return `{"taskapp_backup":{"format":1,"schema_version":` + itoa(schema) + `,"dialect":"sqlite","created_at":"2026-12-02T12:00:00Z","users":` + itoa(int64(users)) + `,"tasks":` + itoa(int64(tasks)) + `}}`
}

func itoa(n int64) string { return strconv.FormatInt(n, 10) }

const (
	userLine = `{"user":{"id":1,"email":"a@example.com","hashed_password":"$argon2id$x","created_at":"2026-01-01T00:00:00Z","updated_at":"2026-01-01T00:00:00Z"}}`
	taskLine = `{"task":{"id":1,"user_id":1,"title":"t","status":"pending","created_at":"2026-01-01T00:00:00Z","updated_at":"2026-01-01T00:00:00Z"}}`
)

func latest(t *testing.T, s *models.Store) int64 {
	t.Helper()
	v, err := migrations.Latest(s.Dialect())
	if err != nil {
		t.Fatal(err)
	}
	return v
}

// TestRestoreRefusesBadFiles: each kind of bad file gets its own clear
// error, and the database is left empty.
func TestRestoreRefusesBadFiles(t *testing.T) {
	t.Parallel()
	src := store(t)
	fill(t, src)
	good := write(t, src)

	// Damage that always fails the same way, whatever the data (which
	// differs between the databases): bytes flipped at a fixed offset
	// in the middle used to decode, now and then, into other valid
	// deflate and fail as bad JSON instead.
	//   corrupt: the gzip trailer's CRC-32 no longer matches the (intact)
	//   content, which the reader checks at the end of the stream.
	//   corruptBlock: the first deflate block, right after the 10-byte
	//   gzip header (no name or extra field), has the reserved block type
	//   3, which no decoder accepts.
	if len(good) < 18 || good[3] != 0 {
		t.Fatalf("unexpected gzip header % x", good[:min(len(good), 10)])
	}
	corrupt := bytes.Clone(good)
	for i := len(corrupt) - 8; i < len(corrupt)-4; i++ {
		corrupt[i] ^= 0xff
	}
	corruptBlock := bytes.Clone(good)
	corruptBlock[10] |= 0x06
	cases := []struct {
		name    string
		data    func(s *models.Store) []byte
		wantErr error
		wantMsg string
	}{
		{"truncated", func(*models.Store) []byte { return good[:len(good)/2] }, backup.ErrDamaged, "truncated"},
		{"truncated at the end", func(*models.Store) []byte { return good[:len(good)-4] }, backup.ErrDamaged, ""},
		{"corrupt gzip", func(*models.Store) []byte { return corrupt }, backup.ErrDamaged, "corrupt (gzip: invalid checksum)"},
		{"corrupt deflate block", func(*models.Store) []byte { return corruptBlock }, backup.ErrDamaged, "corrupt (flate: corrupt input"},
		{"empty file", func(*models.Store) []byte { return nil }, backup.ErrNotBackup, "empty"},
		{"plain JSON", func(*models.Store) []byte { return []byte(`{"users":[]}`) }, backup.ErrNotBackup, "not gzip"},
		{"foreign JSON lines", func(*models.Store) []byte { return gz(t, `{"name":"export","items":[]}`) }, backup.ErrNotBackup, "not a taskapp backup header"},
		{"not JSON", func(*models.Store) []byte { return gz(t, "id,title\n1,x") }, backup.ErrNotBackup, ""},
		{"newer format", func(*models.Store) []byte {
			return gz(t, strings.Replace(header(1, 0, 0), `"format":1`, `"format":2`, 1))
		}, backup.ErrTooNew, "format 2"},
		{"newer schema", func(s *models.Store) []byte { return gz(t, header(latest(t, s)+1, 1, 0), userLine) }, backup.ErrTooNew, "schema version"},
		{"cut between records", func(s *models.Store) []byte { return gz(t, header(latest(t, s), 1, 2), userLine, taskLine) }, backup.ErrDamaged, "promises 1 users and 2 tasks"},
		{"garbage line", func(s *models.Store) []byte { return gz(t, header(latest(t, s), 1, 1), userLine, `{"task":`) }, backup.ErrDamaged, "line 3"},
		{"user after tasks", func(s *models.Store) []byte { return gz(t, header(latest(t, s), 1, 1), userLine, taskLine, userLine) }, backup.ErrDamaged, "line 4"},
		{"invalid title", func(s *models.Store) []byte {
			return gz(t, header(latest(t, s), 1, 1), userLine, strings.Replace(taskLine, `"title":"t"`, `"title":"`+strings.Repeat("x", 201)+`"`, 1))
		}, models.ErrInvalid, "task 1: title: Use at most 200 characters"},
		{"invalid status", func(s *models.Store) []byte {
			return gz(t, header(latest(t, s), 1, 1), userLine, strings.Replace(taskLine, "pending", "done", 1))
		}, models.ErrInvalid, "task 1: status"},
		{"unnormalized email", func(s *models.Store) []byte {
			return gz(t, header(latest(t, s), 1, 0), strings.Replace(userLine, "a@example", "A@example", 1))
		}, models.ErrInvalid, "user 1: email"},
		{"due date out of range", func(s *models.Store) []byte {
			return gz(t, header(latest(t, s), 1, 1), userLine, strings.Replace(taskLine, `"status"`, `"due_date":"1899-12-31","status"`, 1))
		}, models.ErrInvalid, "task 1: due_date: Use a year from 1900"},
		{"not a due date", func(s *models.Store) []byte {
			return gz(t, header(latest(t, s), 1, 1), userLine, strings.Replace(taskLine, `"status"`, `"due_date":"2027-02-30","status"`, 1))
		}, backup.ErrDamaged, "line 3"},
		{"unknown time zone", func(s *models.Store) []byte {
			return gz(t, header(latest(t, s), 1, 0), strings.Replace(userLine, `"email"`, `"time_zone":"Mars/Olympus","email"`, 1))
		}, models.ErrInvalid, "user 1: time_zone"},
		{"orphan task", func(s *models.Store) []byte {
			return gz(t, header(latest(t, s), 1, 1), userLine, strings.Replace(taskLine, `"user_id":1`, `"user_id":7`, 1))
		}, models.ErrInvalid, "user 7, who is not in the data"},
		{"duplicate email", func(s *models.Store) []byte {
			return gz(t, header(latest(t, s), 2, 0), userLine, strings.Replace(userLine, `"id":1`, `"id":2`, 1))
		}, models.ErrInvalid, "same email"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			dst := store(t)
			err := restore(t, dst, tc.data(dst), bulkload.RowsOptions{})
			if !errors.Is(err, tc.wantErr) {
				t.Fatalf("restore: %v, want %v", err, tc.wantErr)
			}
			if !strings.Contains(err.Error(), tc.wantMsg) {
				t.Errorf("restore: %q does not say %q", err, tc.wantMsg)
			}
			assertEmpty(t, dst)
		})
	}
}

// TestRestoreOldFile: a backup written before users.time_zone,
// users.keyboard_shortcuts and tasks.due_date existed (same format, an
// older schema, rows without those fields) restores with the columns'
// defaults: no zone, shortcuts on, no due date.
func TestRestoreOldFile(t *testing.T) {
	t.Parallel()
	dst := store(t)
	const beforeTheColumns = 202612021200
	if err := restore(t, dst, gz(t, header(beforeTheColumns, 1, 1), userLine, taskLine), bulkload.RowsOptions{}); err != nil {
		t.Fatalf("restore: %v", err)
	}
	u, err := dst.UserByID(t.Context(), 1)
	if err != nil {
		t.Fatal(err)
	}
	if !u.KeyboardShortcuts || u.TimeZone != nil {
		t.Errorf("restored user: keyboard shortcuts %v, time zone %v; want on and none", u.KeyboardShortcuts, u.TimeZone)
	}
	tk, err := dst.TaskByID(t.Context(), 1, 1)
	if err != nil {
		t.Fatal(err)
	}
	if tk.DueDate != nil {
		t.Errorf("restored task has due date %v, want none", tk.DueDate)
	}
}

// TestRestoreRefusesNonEmpty: a database with data is refused unless
// Replace is asked for; then it holds exactly the backup.
func TestRestoreRefusesNonEmpty(t *testing.T) {
	t.Parallel()
	src := store(t)
	fill(t, src)
	data := write(t, src)

	dst := store(t)
	u, err := dst.CreateUser(t.Context(), "already@example.com", "$argon2id$h")
	if err != nil {
		t.Fatal(err)
	}
	if err := restore(t, dst, data, bulkload.RowsOptions{}); !errors.Is(err, bulkload.ErrNotEmpty) {
		t.Fatalf("restore into a database with an account: %v, want ErrNotEmpty", err)
	}
	if _, err := dst.UserByID(t.Context(), u.ID); err != nil {
		t.Fatalf("the refused restore touched the existing account: %v", err)
	}
	if err := restore(t, dst, data, bulkload.RowsOptions{Replace: true}); err != nil {
		t.Fatalf("restore with Replace: %v", err)
	}
	sameData(t, "after replace", read(t, write(t, dst)), read(t, data))
	if _, err := dst.UserByEmail(t.Context(), "already@example.com"); !errors.Is(err, models.ErrNotFound) {
		t.Errorf("the replaced account is still there: %v", err)
	}
}

// TestReplaceFailureKeepsOldData: a failed restore with Replace leaves the
// data that was there.
func TestReplaceFailureKeepsOldData(t *testing.T) {
	t.Parallel()
	dst := store(t)
	fill(t, dst)
	before := write(t, dst)
	bad := gz(t, header(latest(t, dst), 1, 1), userLine, strings.Replace(taskLine, "pending", "done", 1))
	if err := restore(t, dst, bad, bulkload.RowsOptions{Replace: true}); !errors.Is(err, models.ErrInvalid) {
		t.Fatalf("restore: %v, want ErrInvalid", err)
	}
	sameData(t, "after a failed replace", read(t, write(t, dst)), read(t, before))
}

// slowReader hands out a few bytes at a time and cancels the restore once
// part of the file has been read: an interrupted restore.
type slowReader struct {
	r      io.Reader
	read   int
	after  int
	cancel context.CancelFunc
}

func (s *slowReader) Read(p []byte) (int, error) {
	if s.read >= s.after {
		s.cancel()
	}
	n, err := s.r.Read(p[:min(len(p), 256)])
	s.read += n
	return n, err
}

// TestInterruptedRestoreLeavesNothing cancels a restore half way through
// the file: the database is empty afterwards, not half filled.
func TestInterruptedRestoreLeavesNothing(t *testing.T) {
	t.Parallel()
	src := store(t)
	if err := bulkload.Load(t.Context(), src, bulkload.Options{Users: 20, Tasks: 4000, Seed: 1}); err != nil {
		t.Fatal(err)
	}
	data := write(t, src)

	dst := store(t)
	ctx, cancel := context.WithCancel(t.Context())
	defer cancel()
	r, err := backup.NewReader(&slowReader{r: bytes.NewReader(data), after: len(data) / 2, cancel: cancel})
	if err != nil {
		t.Fatal(err)
	}
	err = backup.Restore(ctx, dst, r, bulkload.RowsOptions{})
	if !errors.Is(err, context.Canceled) {
		t.Fatalf("interrupted restore: %v, want context.Canceled", err)
	}
	assertEmpty(t, dst)
}

// TestBackupIsASnapshot writes to the database after the backup has taken
// its snapshot and counted the rows: the file holds the data as it was
// at that moment, consistent with its header.
func TestBackupIsASnapshot(t *testing.T) {
	t.Parallel()
	s := store(t)
	fill(t, s)
	before := read(t, write(t, s))
	owner := before.users[0].ID

	var buf bytes.Buffer
	_, err := backup.Write(t.Context(), s, &buf, backup.Options{Start: func(backup.Header) {
		if _, err := s.CreateTask(t.Context(), owner, models.TaskInput{Title: "written during the backup"}); err != nil {
			t.Error(err)
		}
		if _, err := s.DeleteTask(t.Context(), owner, before.tasks[0].ID); err != nil {
			t.Error(err)
		}
	}})
	if err != nil {
		t.Fatalf("backup while writing: %v", err)
	}
	sameData(t, "backup during writes", read(t, buf.Bytes()), before)
}
