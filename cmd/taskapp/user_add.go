package main

import (
	"context"
	"errors"
	"fmt"

	"taskapp/models"
)

// runUserAdd is `taskapp user add EMAIL`: the way to create accounts when
// registration is closed.
func runUserAdd(ctx context.Context, args []string, u *userIO) error {
	fs := newCommandFlags("user add", "Usage: taskapp user add EMAIL\n\n"+
		"Creates an account. The password is asked for on a terminal, or read\n"+
		"as the first line of standard input.\n")
	email, err := parseEmailArg(fs, args, u.stdout)
	if err != nil {
		return ignoreHelp(err)
	}
	store, err := u.open()
	if err != nil {
		return err
	}
	defer store.Close()
	if _, err := store.UserByEmail(ctx, email); err == nil {
		return fmt.Errorf("user add: an account with %s already exists", email)
	}
	// A deleted account keeps its email until it is erased: say so before
	// asking for a password that could not be used.
	if d, err := store.DeletedUserByEmail(ctx, email); err == nil {
		return fmt.Errorf("user add: %s belongs to a deleted account, erased after %s; 'taskapp user restore %s' brings it back",
			email, store.ErasesAt(*d.DeletedAt).Format(timeLayout), email)
	}
	hash, err := u.newPassword(email)
	if err != nil {
		return fmt.Errorf("user add: %w", err)
	}
	created, err := store.CreateUser(ctx, email, hash)
	if errors.Is(err, models.ErrEmailTaken) {
		return fmt.Errorf("user add: an account with %s already exists", email)
	}
	if err != nil {
		return fmt.Errorf("user add: %w", err)
	}
	fmt.Fprintf(u.stdout, "created %s (id %d)\n", created.Email, created.ID)
	return nil
}
