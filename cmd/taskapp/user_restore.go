package main

import (
	"context"
	"errors"
	"fmt"

	"taskapp/models"
	"taskapp/views"
)

// runUserRestore is `taskapp user restore EMAIL`: undoes the deletion of
// an account within ACCOUNT_RETENTION, with its tasks. Its sessions ended
// with the deletion: its owner signs in again.
func runUserRestore(ctx context.Context, args []string, u *userIO) error {
	fs := newCommandFlags("user restore", "Usage: taskapp user restore EMAIL\n\n"+
		"Brings back a deleted account with its tasks, as long as it has not been\n"+
		"erased (ACCOUNT_RETENTION after its deletion, default 30 days). Its owner\n"+
		"signs in again with the same password.\n")
	email, err := parseEmailArg(fs, args, u.stdout)
	if err != nil {
		return ignoreHelp(err)
	}
	store, err := u.open()
	if err != nil {
		return err
	}
	defer store.Close()
	usr, err := store.RestoreUser(ctx, email, models.Now())
	switch {
	case errors.Is(err, models.ErrNotFound):
		return fmt.Errorf("user restore: no deleted account %s: it never existed or has already been erased", email)
	case errors.Is(err, models.ErrNotDeleted):
		return fmt.Errorf("user restore: %s is not deleted; nothing to restore", email)
	case errors.Is(err, models.ErrRetentionOver):
		return fmt.Errorf("user restore: %s was deleted more than %s ago (ACCOUNT_RETENTION) and is being erased; it cannot be restored",
			email, views.Duration(store.AccountRetention()))
	case err != nil:
		return fmt.Errorf("user restore: %w", err)
	}
	fmt.Fprintf(u.stdout, "restored %s (id %d) with its tasks; it can sign in again\n", usr.Email, usr.ID)
	return nil
}
