package main

import (
	"context"
	"fmt"
	"text/tabwriter"
)

// runUserList is `taskapp user list`: every account, oldest first.
func runUserList(ctx context.Context, args []string, u *userIO) error {
	fs := newCommandFlags("user list", "Usage: taskapp user list\n\nLists every account, oldest first.\n")
	if err := fs.parse(args, u.stdout); err != nil {
		return ignoreHelp(err)
	}
	store, err := u.open()
	if err != nil {
		return err
	}
	defer store.Close()
	users, err := store.Users(ctx)
	if err != nil {
		return fmt.Errorf("user list: %w", err)
	}
	w := tabwriter.NewWriter(u.stdout, 0, 4, 2, ' ', 0)
	fmt.Fprintln(w, "ID\tEMAIL\tCREATED")
	for _, usr := range users {
		fmt.Fprintf(w, "%d\t%s\t%s\n", usr.ID, usr.Email, usr.CreatedAt.UTC().Format("2006-01-02 15:04 UTC"))
	}
	if err := w.Flush(); err != nil {
		return err
	}
	fmt.Fprintf(u.stdout, "%d accounts\n", len(users))
	return nil
}
