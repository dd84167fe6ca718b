package models

import (
	"context"

	"gorm.io/gorm"
)

// Hooks for the black-box tests in package models_test. They live here, in
// an internal test file, because an internal test cannot import dbtest
// (dbtest imports models) and the tests need its fresh databases.

// ErrUnscopedTaskQuery is the owner guard's error.
var ErrUnscopedTaskQuery = errUnscopedTaskQuery

// ErrTrashUnstated is the guard's error for a statement on tasks that
// does not say whether it reads the trash.
var ErrTrashUnstated = errTrashUnstated

// GormRead is the store's query handle, owner guard installed.
func (s *Store) GormRead() *gorm.DB { return s.read }

// GormWrite is the store's write handle, owner guard installed.
func (s *Store) GormWrite() *gorm.DB { return s.write }

// CommitBatch runs fns as one group-commit batch, fns[i] as if called with
// ctxs[i], and returns each one's error. On PostgreSQL, which has no group
// commit, each runs alone in a transaction of its own, so that the test
// states the same contract: a write that fails leaves nothing behind.
func (s *Store) CommitBatch(ctxs []context.Context, fns []func(*gorm.DB) error) []error {
	errs := make([]error, len(fns))
	if s.group == nil {
		for i, fn := range fns {
			if errs[i] = ctxs[i].Err(); errs[i] == nil {
				db, done := s.writer(ctxs[i], 0)
				errs[i] = db.Transaction(func(tx *gorm.DB) error { return runWrite(tx, fn) })
				done()
			}
		}
		return errs
	}
	batch := make([]*queuedWrite, len(fns))
	for i, fn := range fns {
		batch[i] = &queuedWrite{ctx: ctxs[i], fn: fn, result: make(chan error, 1)}
	}
	s.group.commit(batch)
	for i, w := range batch {
		errs[i] = <-w.result
	}
	return errs
}

// CommitWrite is commitWrite: fn on the writer, in the group commit on SQLite.
func (s *Store) CommitWrite(ctx context.Context, fn func(*gorm.DB) error) error {
	return s.commitWrite(ctx, 0, fn)
}
