package models

import (
	"context"
	"fmt"
	"strconv"

	"gorm.io/gorm"
)

// One user's tasks in and out of files (the formats are in ./taskfile).

// ExportBatch is how many tasks EachTask reads per query: enough that a
// large export is a handful of round trips, few enough that memory stays
// flat however many tasks the user has.
const ExportBatch = 500

// EachTask calls fn for every task userID can see in the list, oldest
// first (in id order), reading them ExportBatch at a time. It selects
// through listFilter, the list's own filter with no tab or search, so a
// rule about which tasks a user sees (the owner guard, the trash) holds
// here without being written twice. The *Task is reused between calls.
func (s *Store) EachTask(ctx context.Context, userID int64, fn func(*Task) error) error {
	batch := make([]Task, 0, ExportBatch)
	var after int64
	for {
		batch = batch[:0]
		if err := s.taskBatch(ctx, userID, after, &batch); err != nil {
			return err
		}
		for i := range batch {
			if err := fn(&batch[i]); err != nil {
				return err
			}
		}
		if len(batch) < ExportBatch {
			return nil
		}
		after = batch[len(batch)-1].ID
	}
}

// taskBatch reads the next batch of userID's tasks after id after. Each
// batch is its own query with its own timeout: a slow reader of a large
// export holds no connection or transaction between batches.
func (s *Store) taskBatch(ctx context.Context, userID, after int64, batch *[]Task) error {
	db, cancel := s.reader(ctx, userID)
	defer cancel()
	err := s.listFilter(db, userID, ListOptions{}).
		Where("id > ?", after).Order("id ASC").Limit(ExportBatch).
		Find(batch).Error
	if err != nil {
		return classify("models: each task", err)
	}
	return nil
}

// MaxImportTasks bounds one import: what one transaction adds, and what a
// person can check in the list of rejected rows.
const MaxImportTasks = 5000

// importBatch is how many rows one INSERT carries: 500 rows of 7 values
// stay far under SQLite's 32,766 bound parameters.
const importBatch = 500

// ImportError lists the inputs an import refused, by their index in the
// list given to ImportTasks. When it is returned, nothing was imported.
type ImportError struct {
	Rows map[int]FieldErrors
}

func (e *ImportError) Error() string {
	return "models: import: " + strconv.Itoa(len(e.Rows)) + " invalid rows"
}

// Unwrap makes an ImportError an ErrInvalid.
func (e *ImportError) Unwrap() error { return ErrInvalid }

// ImportTasks adds every task in ins to userID's list, all or nothing, in
// one transaction, and returns how many it added. Each input is
// normalized and validated by the task form's rules first; if any is
// invalid, nothing is written and the error is an *ImportError. The new
// tasks get the import's time as their created and updated times, in the
// order given.
func (s *Store) ImportTasks(ctx context.Context, userID int64, ins []TaskInput) (int, error) {
	switch {
	case len(ins) == 0:
		return 0, invalid(FieldErrors{"file": "There are no tasks to import."})
	case len(ins) > MaxImportTasks:
		return 0, invalid(FieldErrors{"file": fmt.Sprintf("Import at most %d tasks at a time.", MaxImportTasks)})
	}
	tasks := make([]Task, len(ins))
	bad := map[int]FieldErrors{}
	now := Now()
	for i, in := range ins {
		in.Normalize()
		if fe := in.Validate(); len(fe) > 0 {
			bad[i] = fe
			continue
		}
		tasks[i] = Task{Title: in.Title, Description: nullable(in.Description), Status: in.Status,
			DueDate: dueDate(in.DueDate), UserID: userID, CreatedAt: now, UpdatedAt: now}
	}
	if len(bad) > 0 {
		return 0, &ImportError{Rows: bad}
	}
	db, done := s.writer(ctx, userID)
	defer done()
	err := db.Transaction(func(tx *gorm.DB) error {
		return tx.CreateInBatches(tasks, importBatch).Error
	})
	if err != nil {
		// A foreign key failure means the owner no longer exists.
		return 0, classify("models: import tasks", err)
	}
	s.tasksChanged(ctx, userID)
	return len(tasks), nil
}
