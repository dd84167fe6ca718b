package main

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"taskapp/models"
)

// runUserDelete is `taskapp user delete [--yes] EMAIL`: deletes the
// account, its tasks and its sessions, after asking unless --yes.
func runUserDelete(ctx context.Context, args []string, u *userIO) error {
	var yes bool
	fs := newCommandFlags("user delete", "Usage: taskapp user delete [--yes] EMAIL\n\n"+
		"Deletes the account with all its tasks, and signs it out everywhere.\n"+
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
		fmt.Fprintf(u.prompt, "Delete %s and its %d tasks for good? [y/N] ", usr.Email, counts.All())
		answer, err := u.readLine()
		if err != nil {
			return fmt.Errorf("user delete: no answer, nothing deleted: %w", err)
		}
		if a := strings.ToLower(strings.TrimSpace(answer)); a != "y" && a != "yes" {
			return errors.New("user delete: not confirmed, nothing deleted")
		}
	}
	if err := store.DeleteUser(ctx, usr.ID); err != nil {
		return fmt.Errorf("user delete: %w", err)
	}
	fmt.Fprintf(u.stdout, "deleted %s with its tasks and sessions\n", usr.Email)
	return nil
}
