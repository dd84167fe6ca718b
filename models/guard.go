package models

import (
	"errors"
	"fmt"
	"regexp"

	"gorm.io/gorm"
	"gorm.io/gorm/clause"
)

// errUnscopedTaskQuery is what the owner guard fails a statement with.
var errUnscopedTaskQuery = errors.New("models: statement on tasks without a user_id condition")

// errTrashUnstated is what the guard fails a statement on tasks with that
// does not say which side of the trash it is on.
var errTrashUnstated = errors.New("models: statement on tasks without a deleted_at condition (liveTasks or trashedTasks)")

// trashCondition matches a raw condition on deleted_at as trash.go writes
// them: IS NULL (live), IS NOT NULL (in the trash), or compared with a
// value (one deletion, for Undo).
var trashCondition = regexp.MustCompile(`(?i)^\s*("?tasks"?\.)?"?deleted_at"?\s*(IS\s+(NOT\s+)?NULL|(=|<|<=|>|>=)\s*(\?|\$\d+))\s*$`)

// ownerCondition matches a raw condition "user_id = ?" (optionally
// table-qualified), the form every task query in this package uses.
var ownerCondition = regexp.MustCompile(`^\s*("?tasks"?\.)?"?user_id"?\s*=\s*(\?|\$\d+)\s*$`)

// rawOwnerCondition finds the same condition inside hand-written SQL.
var rawOwnerCondition = regexp.MustCompile(`(?i)\buser_id\s*=\s*(\?|\$\d+)`)
var rawTasksTable = regexp.MustCompile(`(?i)\b(from|update|into|join)\s+"?tasks"?\b`)

// rawOr finds an OR in hand-written SQL. The guard does not parse SQL, so
// it cannot tell whether an OR sits beside the owner condition ("id = ? OR
// user_id = ?" scopes nothing) or below it: raw SQL on tasks with an OR is
// refused, and such queries go through the builder.
var rawOr = regexp.MustCompile(`(?i)\bor\b`)

// tasksName finds the tasks table in a table expression or join, however
// it is quoted, qualified or aliased ("tasks AS t", "JOIN tasks ON …").
var tasksName = regexp.MustCompile(`(?i)\btasks\b`)

// installOwnerGuard makes the schema spec's isolation rule ("ALL queries on
// tasks MUST include WHERE user_id = ?") a property the machine checks: any
// select, update or delete on tasks whose WHERE lacks a top-level
// user_id = ? is refused before it reaches the database. Built statements
// must also state a top-level deleted_at condition (see hasTrashCondition). It runs in
// production too; the check is a walk over a handful of clauses.
func installOwnerGuard(db *gorm.DB) error {
	cb := db.Callback()
	for name, err := range map[string]error{
		"query":  cb.Query().Before("gorm:query").Register("taskapp:owner_guard", guardStatement),
		"update": cb.Update().Before("gorm:update").Register("taskapp:owner_guard", guardStatement),
		"delete": cb.Delete().Before("gorm:delete").Register("taskapp:owner_guard", guardStatement),
		"row":    cb.Row().Before("gorm:row").Register("taskapp:owner_guard", guardStatement),
		"raw":    cb.Raw().Before("gorm:raw").Register("taskapp:owner_guard", guardStatement),
	} {
		if err != nil {
			return fmt.Errorf("models: register owner guard on %s: %w", name, err)
		}
	}
	return nil
}

func guardStatement(db *gorm.DB) {
	if db.Error != nil {
		return
	}
	stmt := db.Statement
	if stmt.SQL.Len() > 0 { // Raw / Exec: hand-written SQL
		sql := stmt.SQL.String()
		if rawTasksTable.MatchString(sql) && (!rawOwnerCondition.MatchString(sql) || rawOr.MatchString(sql)) {
			_ = db.AddError(fmt.Errorf("%w: %s", errUnscopedTaskQuery, sql))
		}
		return
	}
	if !onTasks(stmt) {
		return
	}
	switch {
	case !hasOwnerCondition(stmt):
		_ = db.AddError(errUnscopedTaskQuery)
	case !hasTrashCondition(stmt):
		_ = db.AddError(errTrashUnstated)
	}
}

// hasTrashCondition reports whether the top level of WHERE (ANDed, and
// free of a lone OR, which hasOwnerCondition checked first) tests
// deleted_at: every builder statement on tasks says whether it works on
// live tasks or on the trash, so that a query written without liveTasks
// fails in the first test that runs it instead of showing trashed tasks.
// Hand-written SQL is not held to this; the store writes none on tasks
// through GORM (the purge, the backup and the checks use database/sql).
func hasTrashCondition(stmt *gorm.Statement) bool {
	where, ok := stmt.Clauses["WHERE"].Expression.(clause.Where)
	if !ok {
		return false
	}
	for _, e := range where.Exprs {
		if e, ok := e.(clause.Expr); ok && trashCondition.MatchString(e.SQL) {
			return true
		}
	}
	return false
}

// onTasks reports whether the statement reads or writes tasks: as its model
// or table, under an alias (GORM then names the statement's table after
// the alias), or through a join.
func onTasks(stmt *gorm.Statement) bool {
	table := stmt.Table
	if table == "" && stmt.Schema != nil {
		table = stmt.Schema.Table
	}
	if table == "tasks" {
		return true
	}
	if stmt.TableExpr != nil && tasksName.MatchString(stmt.TableExpr.SQL) {
		return true
	}
	for _, j := range stmt.Joins {
		if tasksName.MatchString(j.Name) {
			return true
		}
	}
	return false
}

// hasOwnerCondition looks only at the top level of WHERE, whose expressions
// are ANDed: a user_id test nested under an OR would not scope anything.
func hasOwnerCondition(stmt *gorm.Statement) bool {
	c, ok := stmt.Clauses["WHERE"]
	if !ok {
		return false
	}
	where, ok := c.Expression.(clause.Where)
	if !ok {
		return false
	}
	for _, e := range where.Exprs {
		// GORM joins a single-condition OrConditions to the rest with OR:
		// Where("user_id = ?").Or("id = ?") is "user_id = ? OR id = ?".
		if or, ok := e.(clause.OrConditions); ok && len(or.Exprs) == 1 {
			return false
		}
	}
	for _, e := range where.Exprs {
		switch e := e.(type) {
		case clause.Eq:
			if col, ok := e.Column.(clause.Column); ok && col.Name == "user_id" && e.Value != nil {
				return true
			}
		case clause.Expr:
			if ownerCondition.MatchString(e.SQL) && len(e.Vars) == 1 {
				return true
			}
		}
	}
	return false
}
