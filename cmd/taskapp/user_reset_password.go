package main

import (
	"context"
	"fmt"
)

// runUserResetPassword is `taskapp user reset-password EMAIL`, for an
// owner who has forgotten theirs (there is no email to send a link to).
// The new password ends every session of the account.
func runUserResetPassword(ctx context.Context, args []string, u *userIO) error {
	fs := newCommandFlags("user reset-password", "Usage: taskapp user reset-password EMAIL\n\n"+
		"Sets a new password and signs the account out everywhere. The password\n"+
		"is asked for on a terminal, or read as the first line of standard input.\n")
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
		return fmt.Errorf("user reset-password: %w", err)
	}
	hash, err := u.newPassword(email)
	if err != nil {
		return fmt.Errorf("user reset-password: %w", err)
	}
	if err := store.SetPasswordHash(ctx, usr.ID, hash, 0); err != nil {
		return fmt.Errorf("user reset-password: %w", err)
	}
	fmt.Fprintf(u.stdout, "password of %s changed; it is signed out everywhere\n", usr.Email)
	return nil
}
