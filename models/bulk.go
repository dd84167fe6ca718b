package models

import (
	"context"
	"fmt"
	"slices"
	"time"

	"gorm.io/gorm"
)

// MaxBulkTasks bounds one bulk change: a few pages' worth, far more than
// "select all on this page" picks, and few enough that the id list stays
// well under either database's bound-parameter limit.
const MaxBulkTasks = 1000

// BulkChange is one action applied to many tasks at once. Exactly one of
// its fields is set. New bulk actions (a due date, a move to the trash)
// are new fields here and a new branch in ApplyBulk.
type BulkChange struct {
	Status *TaskStatus // set every task to this status
	Delete bool        // move every task to the trash
}

// normalizeIDs drops repeated ids, so that a task selected twice counts once.
func normalizeIDs(ids []int64) []int64 {
	ids = slices.Clone(ids)
	slices.Sort(ids)
	return slices.Compact(ids)
}

// Validate returns the messages for a bulk change of n tasks.
func (b BulkChange) Validate(n int) FieldErrors {
	fe := FieldErrors{}
	switch {
	case n == 0:
		fe["ids"] = "Select at least one task."
	case n > MaxBulkTasks:
		fe["ids"] = fmt.Sprintf("Select at most %d tasks at a time.", MaxBulkTasks)
	}
	switch {
	case b.Status != nil && b.Delete, b.Status == nil && !b.Delete:
		fe["action"] = "Choose one action."
	case b.Status != nil:
		if msg := validateStatus(*b.Status); msg != "" {
			fe["status"] = msg
		}
	}
	return fe
}

// ApplyBulk applies change to every task in ids, all or nothing, in one
// transaction, and returns how many tasks it changed. The owner guard
// holds for each id: if any of them is not userID's live task (another
// user's, in the trash, or gone), nothing changes and the error is ErrNotFound, as for one task.
func (s *Store) ApplyBulk(ctx context.Context, userID int64, ids []int64, change BulkChange) (int, error) {
	n, _, err := s.applyBulk(ctx, userID, ids, change)
	return n, err
}

// DeleteTasks is ApplyBulk's delete: it moves the tasks in ids to the
// trash, all or nothing, and returns how many and the deleted_at they all
// share, which names this deletion for UndoDeletion.
func (s *Store) DeleteTasks(ctx context.Context, userID int64, ids []int64) (int, time.Time, error) {
	return s.applyBulk(ctx, userID, ids, BulkChange{Delete: true})
}

func (s *Store) applyBulk(ctx context.Context, userID int64, ids []int64, change BulkChange) (int, time.Time, error) {
	ids = normalizeIDs(ids)
	if err := invalid(change.Validate(len(ids))); err != nil {
		return 0, time.Time{}, err
	}
	at := Now()
	db, done := s.writer(ctx, userID)
	defer done()
	err := db.Transaction(func(tx *gorm.DB) error {
		owned := liveTasks(tx.Model(&Task{}), userID).Where("id IN ?", ids)
		var res *gorm.DB
		if change.Delete {
			res = owned.Update("deleted_at", at) // to the trash
		} else {
			res = owned.Updates(map[string]any{"status": *change.Status})
		}
		if res.Error != nil {
			return res.Error
		}
		// Every id matched one of the user's rows, or none may change:
		// rolling back keeps another user's id from changing anything
		// and tells the caller nothing about whose it was.
		if res.RowsAffected != int64(len(ids)) {
			return ErrNotFound
		}
		return nil
	})
	if err != nil {
		return 0, time.Time{}, classify("models: bulk change", err)
	}
	s.tasksChanged(ctx, userID)
	if !change.Delete {
		at = time.Time{}
	}
	return len(ids), at, nil
}
