package models

import (
	"context"
	"time"

	"gorm.io/gorm"
	"gorm.io/gorm/clause"
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
	t := &Task{Title: in.Title, Description: nullable(in.Description), Status: in.Status, DueDate: dueDate(in.DueDate), UserID: userID}
	if err := s.commitWrite(ctx, userID, func(db *gorm.DB) error { return db.Create(t).Error }); err != nil {
		// A foreign key failure means the owner no longer exists.
		return nil, classify("models: create task", err)
	}
	s.tasksChanged(ctx, userID)
	return t, nil
}

// TaskByID returns the task if userID owns it and it is not in the trash,
// and ErrNotFound otherwise, whether or not a task with that id exists.
func (s *Store) TaskByID(ctx context.Context, userID, id int64) (*Task, error) {
	var t Task
	db, cancel := s.reader(ctx, userID)
	defer cancel()
	if err := liveTasks(db, userID).Where("id = ?", id).Take(&t).Error; err != nil {
		return nil, classify("models: task by id", err)
	}
	return &t, nil
}

// UpdateTask applies patch to the task if userID owns it (and it is not
// in the trash) and returns the
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
	if patch.DueDate != nil {
		changes["due_date"] = dueDate(*patch.DueDate)
	}
	if len(changes) == 0 {
		return s.TaskByID(ctx, userID, id)
	}
	var t Task
	err := s.commitWrite(ctx, userID, func(db *gorm.DB) error {
		t = Task{ID: id}
		res := liveTasks(db.Model(&t).Clauses(clause.Returning{}), userID).
			Where("id = ?", id).
			Updates(changes)
		if res.Error == nil && res.RowsAffected == 0 {
			return ErrNotFound
		}
		return res.Error
	})
	if err != nil {
		return nil, classify("models: update task", err)
	}
	s.tasksChanged(ctx, userID)
	return &t, nil
}

// DeleteTask moves the task to the trash if userID owns it and it is live,
// and returns the deleted_at it now has, which names the deletion for
// UndoDeletion (EraseTask or the purge erase it for good).
func (s *Store) DeleteTask(ctx context.Context, userID, id int64) (time.Time, error) {
	at := Now()
	err := s.commitWrite(ctx, userID, func(db *gorm.DB) error {
		res := liveTasks(db.Model(&Task{}), userID).Where("id = ?", id).Update("deleted_at", at)
		if res.Error == nil && res.RowsAffected == 0 {
			return ErrNotFound
		}
		return res.Error
	})
	if err != nil {
		return time.Time{}, classify("models: delete task", err)
	}
	s.tasksChanged(ctx, userID)
	return at, nil
}

// nullable maps "" to NULL for optional text columns.
func nullable(s string) *string {
	if s == "" {
		return nil
	}
	return &s
}
