package models

import (
	"context"
	"database/sql"
	"fmt"
	"time"

	"gorm.io/gorm"

	"taskapp/migrations"
	"taskapp/models/schedule"
)

// The trash (the schema spec's soft delete, for tasks). A task whose
// deleted_at is set is in the trash: it is gone from every view and action
// of the list, and only the functions in this file see it, until the user
// restores it, erases it, or the purge erases it TaskRetention after it
// was deleted.

// DefaultTaskRetention is how long a task stays in the trash: the schema
// spec's 7 days. TRASH_RETENTION overrides it.
const DefaultTaskRetention = 7 * 24 * time.Hour

// TrashPurgeInterval is how often the server erases expired trash. An
// hour late is harmless: the retention is a promise of at least so long.
const TrashPurgeInterval = time.Hour

// MaxTrashShown bounds the trash page; older deletions beyond it are
// counted, not listed (they are erased first anyway).
const MaxTrashShown = 500

// purgeBatch is how many tasks one purge statement erases: small enough
// that no statement holds locks (or SQLite's one writer) for long.
const purgeBatch = 1000

// notTrashed is the condition every query on live tasks carries. Written
// as in the partial indexes of migration 202612071000, so that the
// planners can use them.
const notTrashed = "deleted_at IS NULL"

// liveTasks is the one scope for the tasks a user works with: q narrowed
// to userID's tasks (the owner guard's condition) that are not in the
// trash. The list, counts, search, due views, bulk actions, the task page,
// edit, status change, delete and the export all start from it.
func liveTasks(q *gorm.DB, userID int64) *gorm.DB {
	return q.Where("user_id = ?", userID).Where(notTrashed)
}

// trashedTasks is the other side: userID's tasks in the trash.
func trashedTasks(q *gorm.DB, userID int64) *gorm.DB {
	return q.Where("user_id = ?", userID).Where("deleted_at IS NOT NULL")
}

// RestoreTasks takes the tasks in ids out of userID's trash, all or
// nothing, and returns how many. If any id is not one of userID's trashed
// tasks (another user's, live, or erased), nothing changes and the error
// is ErrNotFound.
func (s *Store) RestoreTasks(ctx context.Context, userID int64, ids []int64) (int, error) {
	ids = normalizeIDs(ids)
	if len(ids) == 0 || len(ids) > MaxBulkTasks {
		return 0, fmt.Errorf("models: restore tasks: %d ids: %w", len(ids), ErrNotFound)
	}
	db, done := s.writer(ctx, userID)
	defer done()
	err := db.Transaction(func(tx *gorm.DB) error {
		res := trashedTasks(tx.Model(&Task{}), userID).Where("id IN ?", ids).Update("deleted_at", nil)
		if res.Error != nil {
			return res.Error
		}
		if res.RowsAffected != int64(len(ids)) {
			return ErrNotFound
		}
		return nil
	})
	if err != nil {
		return 0, classify("models: restore tasks", err)
	}
	s.tasksChanged(ctx, userID)
	return len(ids), nil
}

// UndoDeletion takes the tasks of one deletion (DeleteTask or DeleteTasks,
// named by the deleted_at it returned) out of userID's trash, and returns
// how many. None left to restore (restored already, erased, or another
// user's) is ErrNotFound.
func (s *Store) UndoDeletion(ctx context.Context, userID int64, at time.Time) (int, error) {
	db, done := s.writer(ctx, userID)
	defer done()
	res := trashedTasks(db.Model(&Task{}), userID).Where("deleted_at = ?", dbTime(at)).Update("deleted_at", nil)
	if res.Error != nil {
		return 0, classify("models: undo deletion", res.Error)
	}
	if res.RowsAffected == 0 {
		return 0, fmt.Errorf("models: undo deletion: %w", ErrNotFound)
	}
	s.tasksChanged(ctx, userID)
	return int(res.RowsAffected), nil
}

// TrashPage is what the trash view shows: the most recently deleted tasks
// first, at most MaxTrashShown of them, and how many there are in all.
type TrashPage struct {
	Tasks []Task
	Total int64
}

// Trash lists userID's trashed tasks, most recently deleted first.
func (s *Store) Trash(ctx context.Context, userID int64) (*TrashPage, error) {
	db, cancel := s.reader(ctx, userID)
	defer cancel()
	p := &TrashPage{}
	if err := trashedTasks(db.Model(&Task{}), userID).Count(&p.Total).Error; err != nil {
		return nil, classify("models: count trash", err)
	}
	if p.Total == 0 {
		return p, nil
	}
	p.Tasks = make([]Task, 0, min(p.Total, MaxTrashShown))
	err := trashedTasks(db, userID).Order("deleted_at DESC").Order("id DESC").Limit(MaxTrashShown).Find(&p.Tasks).Error
	if err != nil {
		return nil, classify("models: list trash", err)
	}
	return p, nil
}

// TrashedTask returns one of userID's trashed tasks, and ErrNotFound for
// any other id (live, another user's, or gone).
func (s *Store) TrashedTask(ctx context.Context, userID, id int64) (*Task, error) {
	var t Task
	db, cancel := s.reader(ctx, userID)
	defer cancel()
	if err := trashedTasks(db, userID).Where("id = ?", id).Take(&t).Error; err != nil {
		return nil, classify("models: trashed task", err)
	}
	return &t, nil
}

// EraseTask deletes one of userID's trashed tasks for good. A live task
// cannot be erased in one step: it goes to the trash first.
func (s *Store) EraseTask(ctx context.Context, userID, id int64) error {
	db, done := s.writer(ctx, userID)
	defer done()
	res := trashedTasks(db, userID).Where("id = ?", id).Delete(&Task{})
	if res.Error != nil {
		return classify("models: erase task", res.Error)
	}
	if res.RowsAffected == 0 {
		return fmt.Errorf("models: erase task: %w", ErrNotFound)
	}
	return nil
}

// EmptyTrash deletes every one of userID's trashed tasks for good and
// returns how many.
func (s *Store) EmptyTrash(ctx context.Context, userID int64) (int64, error) {
	db, done := s.writer(ctx, userID)
	defer done()
	res := trashedTasks(db, userID).Delete(&Task{})
	if res.Error != nil {
		return 0, classify("models: empty trash", res.Error)
	}
	return res.RowsAffected, nil
}

// TrashDue is what a purge with a cutoff would erase.
type TrashDue struct {
	Tasks  int64      // tasks deleted before the cutoff
	Users  int64      // whose trash they are in
	Oldest *time.Time // the earliest deletion among them; nil when none
}

// The purge is the one statement on tasks across users, so it cannot
// carry the owner guard's user_id = ?: it runs on database/sql, under the
// guard, and its only condition is the trash's own (deleted_at before the
// cutoff), which no live task meets.

// TrashDueBefore reports what PurgeTrash(cutoff) would erase, erasing
// nothing (taskapp purge --dry-run).
func (s *Store) TrashDueBefore(ctx context.Context, cutoff time.Time) (TrashDue, error) {
	ctx, cancel := context.WithTimeout(ctx, s.timeout)
	defer cancel()
	var d TrashDue
	at := dbTime(cutoff)
	q := "SELECT COUNT(*), COUNT(DISTINCT user_id) FROM tasks WHERE deleted_at < " + s.bind(1)
	if err := s.writeDB.QueryRowContext(ctx, q, at).Scan(&d.Tasks, &d.Users); err != nil {
		return TrashDue{}, classify("models: trash due", err)
	}
	if d.Tasks == 0 {
		return d, nil
	}
	// The column itself, not MIN(): SQLite's driver reads a TIMESTAMP
	// column as a time, an aggregate's result as text.
	var oldest sql.NullTime
	q = "SELECT deleted_at FROM tasks WHERE deleted_at < " + s.bind(1) + " ORDER BY deleted_at LIMIT 1"
	if err := s.writeDB.QueryRowContext(ctx, q, at).Scan(&oldest); err != nil {
		return TrashDue{}, classify("models: trash due", err)
	}
	if oldest.Valid {
		t := oldest.Time.UTC()
		d.Oldest = &t
	}
	return d, nil
}

// PurgeTrash erases every task deleted before cutoff, in batches, and
// returns how many. A task restored while the purge runs is not erased:
// each statement checks deleted_at again on the rows it deletes.
func (s *Store) PurgeTrash(ctx context.Context, cutoff time.Time) (int64, error) {
	p := s.bind(1)
	q := "DELETE FROM tasks WHERE deleted_at < " + p + " AND id IN (SELECT id FROM tasks WHERE deleted_at < " + p +
		" ORDER BY deleted_at LIMIT " + fmt.Sprint(purgeBatch) + ")"
	if s.dialect == migrations.SQLite {
		// SQLite numbers ?NNN parameters; the same value twice.
		q = "DELETE FROM tasks WHERE deleted_at < ?1 AND id IN (SELECT id FROM tasks WHERE deleted_at < ?1 ORDER BY deleted_at LIMIT " + fmt.Sprint(purgeBatch) + ")"
	}
	var total int64
	for {
		n, err := s.purgeBatch(ctx, q, dbTime(cutoff))
		total += n
		if err != nil {
			return total, err
		}
		if n < purgeBatch {
			return total, nil
		}
	}
}

func (s *Store) purgeBatch(ctx context.Context, q string, cutoff time.Time) (int64, error) {
	ctx, cancel := context.WithTimeout(ctx, s.timeout)
	defer cancel()
	res, err := s.writeDB.ExecContext(ctx, q, cutoff)
	if err != nil {
		return 0, classify("models: purge trash", err)
	}
	n, err := res.RowsAffected()
	if err != nil {
		return 0, classify("models: purge trash", err)
	}
	return n, nil
}

// bind is the n-th bind parameter in the store's dialect.
func (s *Store) bind(n int) string {
	if s.dialect == migrations.Postgres {
		return fmt.Sprintf("$%d", n)
	}
	return fmt.Sprintf("?%d", n)
}

// TrashPurgeJob is the scheduled purge of tasks deleted more than
// retention ago. It is a job of its own (not part of RegisterJobs) because
// its retention is a setting the caller reads.
const TrashPurgeJob = "purge-trashed-tasks"

// RegisterTrashPurge adds the trash purge to sch: every
// TrashPurgeInterval, erase the tasks deleted more than retention ago.
// Several instances may run it at once: Exclusive lets one of them.
func (s *Store) RegisterTrashPurge(sch *schedule.Scheduler, retention time.Duration) {
	sch.Add(schedule.Job{
		Name:  TrashPurgeJob,
		Every: TrashPurgeInterval,
		Run: func(ctx context.Context) error {
			_, err := s.PurgeTrash(ctx, Now().Add(-retention))
			return err
		},
		Preview: func(ctx context.Context) (string, error) {
			cutoff := Now().Add(-retention)
			d, err := s.TrashDueBefore(ctx, cutoff)
			if err != nil {
				return "", err
			}
			return d.describe(cutoff), nil
		},
	})
}

// describe is d as the dry run prints it.
func (d TrashDue) describe(cutoff time.Time) string {
	before := cutoff.UTC().Format(time.RFC3339)
	if d.Tasks == 0 {
		return "would erase nothing: no task was deleted before " + before
	}
	return fmt.Sprintf("would erase %d %s of %d %s, deleted before %s (the oldest at %s)",
		d.Tasks, plural(d.Tasks, "task", "tasks"), d.Users, plural(d.Users, "user", "users"),
		before, d.Oldest.UTC().Format(time.RFC3339))
}

func plural(n int64, one, many string) string {
	if n == 1 {
		return one
	}
	return many
}
