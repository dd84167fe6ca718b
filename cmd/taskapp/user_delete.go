package main

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"taskapp/models"
	"taskapp/views"
)

// runUserDelete is `taskapp user delete [--yes] EMAIL`: deletes the
// account as its owner would from the account page (signed out, hidden,
// erased with its tasks after ACCOUNT_RETENTION), after asking unless
// --yes.
func runUserDelete(ctx context.Context, args []string, u *userIO) error {
	var yes bool
	fs := newCommandFlags("user delete", "Usage: taskapp user delete [--yes] EMAIL\n\n"+
		"Deletes the account with all its tasks, and signs it out everywhere.\n"+
		"The account can no longer sign in and its email stays taken; it is\n"+
		"erased with its tasks after ACCOUNT_RETENTION (default 30 days), and\n"+
		"'taskapp user restore EMAIL' brings it back until then.\n"+
		"Asks for confirmation (a line of standard input) unless --yes.\n\nFlags:\n")
	fs.BoolVar(&yes, "yes", false, "delete without asking")
	email, err := parseEmailArg(fs, args, u.stdout)
	if err != nil {
		return ignoreHelp(err)
	}
	store, err := u.open()
	if err != nil {
		return err
	}
	defer store.Close()
	usr, err := userByEmail(ctx, store, email)
	if err != nil {
		return fmt.Errorf("user delete: %w", err)
	}
	if !yes {
		counts, err := store.CountTasks(ctx, usr.ID, models.ListOptions{})
		if err != nil {
			return fmt.Errorf("user delete: %w", err)
		}
		fmt.Fprintf(u.prompt, "Delete %s and its %d tasks (erased after %s)? [y/N] ", usr.Email, counts.All(), views.Duration(store.AccountRetention()))
		answer, err := u.readLine()
		if err != nil {
			return fmt.Errorf("user delete: no answer, nothing deleted: %w", err)
		}
		if a := strings.ToLower(strings.TrimSpace(answer)); a != "y" && a != "yes" {
			return errors.New("user delete: not confirmed, nothing deleted")
		}
	}
	erases, err := store.DeleteUser(ctx, usr.ID)
	if err != nil {
		return fmt.Errorf("user delete: %w", err)
	}
	fmt.Fprintf(u.stdout, "deleted %s and signed it out everywhere; it is erased with its tasks after %s (undo before then with: taskapp user restore %s)\n",
		usr.Email, erases.Format(timeLayout), usr.Email)
	return nil
}
