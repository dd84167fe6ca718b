package main

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"strings"

	"golang.org/x/term"

	"taskapp/models"
)

const userUsage = `Usage:
  taskapp user add EMAIL               create an account
  taskapp user list                    list the accounts
  taskapp user reset-password EMAIL    set a new password; signs the
                                       account out everywhere
  taskapp user delete [--yes] EMAIL    delete an account with its tasks;
                                       asks first unless --yes. Erased
                                       after ACCOUNT_RETENTION (30 days)
  taskapp user restore EMAIL           undo a deletion before the account
                                       is erased

Passwords are never taken from the command line: they are asked for twice
on a terminal, or read as the first line of standard input otherwise
(echo "$PASSWORD" | taskapp user add EMAIL).

Exit status: 0 done, 1 failed (no such user, email taken, password
refused, nothing to restore), 2 bad arguments.
`

// errNoSuchUser is exit status 1 with a one-line message naming the email.
var errNoSuchUser = errors.New("no such user")

// userIO is what a user subcommand talks to: the terminal or pipes, and
// the database, opened only once the arguments are known to be good.
type userIO struct {
	stdin  *bufio.Reader
	file   *os.File // stdin when it is a terminal, else nil
	stdout io.Writer
	prompt io.Writer // where prompts go: stderr, so stdout stays data
	open   func() (*models.Store, error)
}

func runUser(ctx context.Context, args []string, getenv func(string) string, stdin io.Reader, stdout, stderr io.Writer) error {
	if len(args) == 0 {
		return usageErrorf("user: say add, list, reset-password, delete or restore (run 'taskapp help user' for usage)")
	}
	if isHelpFlag(args[0]) {
		fmt.Fprint(stdout, userUsage)
		return nil
	}
	uio := &userIO{stdin: bufio.NewReader(stdin), stdout: stdout, prompt: stderr}
	if f, ok := stdin.(*os.File); ok && term.IsTerminal(int(f.Fd())) {
		uio.file = f
	}
	uio.open = func() (*models.Store, error) {
		cfg, err := loadConfig(getenv, stderr)
		if err != nil {
			return nil, err
		}
		return openMigrated(ctx, cfg, "user")
	}
	switch args[0] {
	case "add":
		return runUserAdd(ctx, args[1:], uio)
	case "list":
		return runUserList(ctx, args[1:], uio)
	case "reset-password":
		return runUserResetPassword(ctx, args[1:], uio)
	case "delete":
		return runUserDelete(ctx, args[1:], uio)
	case "restore":
		return runUserRestore(ctx, args[1:], uio)
	}
	return usageErrorf("user: unknown command %q: say add, list, reset-password, delete or restore", args[0])
}

// parseEmailArg parses fs's flags, before or after the one EMAIL argument,
// and returns the email, normalized and checked.
func parseEmailArg(fs commandFlags, args []string, stdout io.Writer) (string, error) {
	var rest []string
	for {
		if err := fs.parseFlags(args, stdout); err != nil {
			return "", err
		}
		if fs.NArg() == 0 {
			break
		}
		rest = append(rest, fs.Arg(0))
		args = fs.Args()[1:]
	}
	switch {
	case len(rest) == 0:
		return "", usageErrorf("%s: which account? Give its EMAIL (run 'taskapp help user' for usage)", fs.Name())
	case len(rest) > 1:
		return "", usageErrorf("%s: unexpected argument %q (run 'taskapp help user' for usage)", fs.Name(), rest[1])
	}
	email := models.NormalizeEmail(rest[0])
	if msg := models.ValidateEmail(email); msg != "" {
		return "", usageErrorf("%s: %q is not an email address: %s", fs.Name(), rest[0], msg)
	}
	return email, nil
}

// readLine reads one line of standard input, without its line ending.
func (u *userIO) readLine() (string, error) {
	line, err := u.stdin.ReadString('\n')
	if err != nil && (!errors.Is(err, io.EOF) || line == "") {
		if errors.Is(err, io.EOF) {
			return "", errors.New("standard input ended before a line was read")
		}
		return "", err
	}
	return strings.TrimRight(line, "\r\n"), nil
}

// newPassword asks for a password twice on a terminal (without echo), or
// reads it from the first line of standard input, and checks it against
// the same rules as the web forms.
func (u *userIO) newPassword(email string) (string, error) {
	var password string
	if u.file != nil {
		fmt.Fprintf(u.prompt, "New password for %s: ", email)
		first, err := term.ReadPassword(int(u.file.Fd()))
		fmt.Fprintln(u.prompt)
		if err != nil {
			return "", fmt.Errorf("read password: %w", err)
		}
		fmt.Fprint(u.prompt, "Repeat it: ")
		second, err := term.ReadPassword(int(u.file.Fd()))
		fmt.Fprintln(u.prompt)
		if err != nil {
			return "", fmt.Errorf("read password: %w", err)
		}
		if string(first) != string(second) {
			return "", errors.New("the passwords don't match; nothing was changed")
		}
		password = string(first)
	} else {
		var err error
		if password, err = u.readLine(); err != nil {
			return "", fmt.Errorf("read password from standard input: %w", err)
		}
	}
	if msg := models.ValidatePassword(password); msg != "" {
		return "", fmt.Errorf("password refused: %s", msg)
	}
	return models.HashPassword(password)
}

// userByEmail finds the live account, or errNoSuchUser naming the email;
// for a deleted account it says so, with how to restore it.
func userByEmail(ctx context.Context, store *models.Store, email string) (*models.User, error) {
	u, err := store.UserByEmail(ctx, email)
	if errors.Is(err, models.ErrNotFound) {
		if d, err := store.DeletedUserByEmail(ctx, email); err == nil {
			return nil, fmt.Errorf("%w: %s was deleted and is erased after %s ('taskapp user restore %s' brings it back)",
				errNoSuchUser, email, store.ErasesAt(*d.DeletedAt).Format(timeLayout), email)
		}
		return nil, fmt.Errorf("%w: %s", errNoSuchUser, email)
	}
	return u, err
}
