package models

import "gorm.io/gorm"

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
