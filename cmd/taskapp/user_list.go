package main

import (
	"context"
	"fmt"
	"text/tabwriter"
)

// timeLayout is how the user commands print a moment: UTC, to the minute.
const timeLayout = "2006-01-02 15:04 UTC"

// runUserList is `taskapp user list`: every account, oldest first, with
// the deleted ones marked and the time they will be erased.
func runUserList(ctx context.Context, args []string, u *userIO) error {
	fs := newCommandFlags("user list", "Usage: taskapp user list\n\n"+
		"Lists every account, oldest first. A deleted account is listed until it\n"+
		"is erased, with its STATUS saying when ('taskapp user restore EMAIL'\n"+
		"brings it back until then).\n")
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
	fmt.Fprintln(w, "ID\tEMAIL\tCREATED\tSTATUS")
	deleted := 0
	for _, usr := range users {
		status := "active"
		if usr.DeletedAt != nil {
			deleted++
			status = "deleted, erased after " + store.ErasesAt(*usr.DeletedAt).Format(timeLayout)
		}
		fmt.Fprintf(w, "%d\t%s\t%s\t%s\n", usr.ID, usr.Email, usr.CreatedAt.UTC().Format(timeLayout), status)
	}
	if err := w.Flush(); err != nil {
		return err
	}
	if deleted > 0 {
		fmt.Fprintf(u.stdout, "%d accounts, %d of them deleted\n", len(users), deleted)
	} else {
		fmt.Fprintf(u.stdout, "%d accounts\n", len(users))
	}
	return nil
}
