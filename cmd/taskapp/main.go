// Command taskapp is the whole task manager in one binary: the web server,
// its schema migrations and its sample data.
//
//	taskapp                      serve on 127.0.0.1:8080 (SQLite ./data/taskapp.db)
//	taskapp migrate up|down|status
//	taskapp seed [--users N --tasks M]
//	taskapp user add|list|reset-password|delete|restore
//	taskapp purge [--dry-run]
//	taskapp version
//
// Configuration comes from the environment (DATABASE_URL and friends; see
// `taskapp help`).
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"strings"
	"syscall"
	_ "time/tzdata" // time zones for "today" even where the system has none

	"taskapp/models"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), syscall.SIGINT, syscall.SIGTERM)
	go func() {
		// After the first signal starts a graceful stop, a second one
		// kills the process the default way.
		<-ctx.Done()
		stop()
	}()
	err := run(ctx, os.Args[1:], os.Getenv, os.Stdin, os.Stdout, os.Stderr)
	stop()
	if err != nil {
		fmt.Fprintln(os.Stderr, "taskapp:", err)
		var ue *usageError
		if errors.As(err, &ue) {
			os.Exit(2)
		}
		os.Exit(1)
	}
}

const usage = `taskapp is a self-hosted task manager: one binary, a web app on SQLite or PostgreSQL.

Usage:
  taskapp [serve] [--addr HOST:PORT] [--secure-cookies auto|true|false]
  taskapp migrate up|down|status
  taskapp seed [--users N --tasks M [--seed S]]
  taskapp backup FILE
  taskapp restore FILE [--replace]
  taskapp check
  taskapp user add EMAIL | list | reset-password EMAIL | delete [--yes] EMAIL
                      | restore EMAIL
  taskapp purge [--dry-run]
  taskapp version
  taskapp help [COMMAND]

Commands:
  serve     apply pending migrations, then serve the web app (the default)
  migrate   apply all pending migrations (up), roll back the latest (down),
            or list them (status)
  seed      add the sample accounts and tasks, or generated volume data
  backup    write a portable backup of the database while it runs
  restore   load a backup into an empty database (SQLite or PostgreSQL)
  check     verify the schema against the migrations and every row's
            constraints; exit 0 only when all is well
  user      create, list, reset the password of, delete or restore
            accounts (passwords are read from a prompt or standard input)
  purge     run the periodic clean-up now (expired sessions, tasks in the
            trash past TRASH_RETENTION, accounts deleted longer ago than
            ACCOUNT_RETENTION), as serve does on start and every hour;
            --dry-run says what the purges would erase
  version   print this binary's version and the commit it was built from
  help      show this text, or a command's options

Environment:
  DATABASE_URL        postgres://… or postgresql://… for PostgreSQL,
                      sqlite:PATH for an SQLite file
                      (default: SQLite at ./data/taskapp.db)
  DATABASE_POOL_SIZE  most open connections, all kept idle (default 10)
  DATABASE_ECHO       log every SQL statement, with placeholders for the
                      values: true, false, 1 or 0 (default false)
  DATABASE_REPLICA_URLS
                      comma-separated postgres:// URLs of streaming replicas
                      that serve reads (default none)
  DATABASE_WAIT       how long a request waits for an unreachable PostgreSQL
                      before answering 503 (default 5s)
  LISTEN_ADDR         where HTTP is served (default 127.0.0.1:8080)
  SESSION_SECRET      signs and encrypts session cookies; comma-separated for
                      key rotation (default: generated once, kept in the data
                      directory)
  SECURE_COOKIES      Secure cookie flag: auto, true or false (default auto)
  TRUSTED_PROXIES     comma-separated addresses or CIDRs of reverse proxies
                      whose X-Forwarded-For/-Proto are believed (default none)
  REGISTRATION        open: anyone may create an account; closed: the Register
                      page answers 403 and the operator makes accounts with
                      'taskapp user add' (default open)
  ACCOUNT_RETENTION   how long a deleted account and its tasks are kept, and
                      can be restored, before they are erased: days such as
                      30d, or a duration such as 720h (default 30d)
  LOG_FORMAT          text or json, on standard error (default text)
  PPROF_ADDR          serve net/http/pprof on this loopback HOST:PORT
                      (default: off)
  BACKUP_DIR          serve writes automatic backups here (default: off)
  BACKUP_INTERVAL     time between automatic backups, e.g. 6h (default 24h)
  BACKUP_KEEP         automatic backups kept, newest first (default 7)
  TRASH_RETENTION     how long a deleted task stays in the trash before the
                      purge erases it, e.g. 7d or 36h (default 7d)
`

// usageError is a mistake in the command line or the environment: main
// exits 2 for it instead of 1.
type usageError struct{ msg string }

func (e *usageError) Error() string { return e.msg }

func usageErrorf(format string, args ...any) error {
	return &usageError{msg: fmt.Sprintf(format, args...)}
}

// redactedError carries err's message cleaned for the terminal (one line,
// no database password), keeping err in the chain for errors.As.
type redactedError struct {
	msg string
	err error
}

func (e *redactedError) Error() string { return e.msg }
func (e *redactedError) Unwrap() error { return e.err }

// run is the whole program behind main, with its surroundings passed in so
// that tests can call it: args without the program name, getenv for the
// environment, stdin for passwords and confirmations, stdout for results
// and stderr for logs, progress and prompts.
func run(ctx context.Context, args []string, getenv func(string) string, stdin io.Reader, stdout, stderr io.Writer) (err error) {
	defer func() {
		if err != nil {
			if msg := oneLine(redact(err.Error(), getenv("DATABASE_URL"))); msg != err.Error() {
				err = &redactedError{msg: msg, err: err}
			}
		}
	}()

	name, rest := "serve", args
	if len(args) > 0 && !strings.HasPrefix(args[0], "-") {
		name, rest = args[0], args[1:]
	}
	if len(args) > 0 && isHelpFlag(args[0]) {
		name, rest = "help", nil
	}
	switch name {
	case "serve":
		return runServe(ctx, rest, getenv, stdout, stderr)
	case "migrate":
		return runMigrate(ctx, rest, getenv, stdout, stderr)
	case "seed":
		return runSeed(ctx, rest, getenv, stdout, stderr)
	case "backup":
		return runBackup(ctx, rest, getenv, stdout, stderr)
	case "restore":
		return runRestore(ctx, rest, getenv, stdout, stderr)
	case "check":
		return runCheck(ctx, rest, getenv, stdout, stderr)
	case "user":
		return runUser(ctx, rest, getenv, stdin, stdout, stderr)
	case "purge":
		return runPurge(ctx, rest, getenv, stdout, stderr)
	case "version":
		return runVersion(rest, stdout)
	case "help":
		return runHelp(rest, stdout)
	}
	return usageErrorf("unknown command %q (run 'taskapp help' for usage)", name)
}

// oneLine joins a multi-line error message into one line, dropping repeated
// lines: pgx lists every connection attempt on its own line, and they are
// often the same.
func oneLine(msg string) string {
	if !strings.Contains(msg, "\n") {
		return msg
	}
	var parts []string
	seen := map[string]bool{}
	for _, line := range strings.Split(msg, "\n") {
		line = strings.TrimSpace(line)
		if line != "" && !seen[line] {
			seen[line] = true
			parts = append(parts, line)
		}
	}
	return strings.Join(parts, " ")
}

func isHelpFlag(arg string) bool {
	switch arg {
	case "-h", "-help", "--help":
		return true
	}
	return false
}

func runHelp(args []string, stdout io.Writer) error {
	if len(args) == 0 {
		fmt.Fprint(stdout, usage)
		return nil
	}
	if len(args) > 1 && args[0] != "user" { // help user add is help user
		return usageErrorf("help takes at most one command (run 'taskapp help' for usage)")
	}
	switch args[0] {
	case "serve":
		newServeFlags(new(serveFlags)).usage(stdout)
	case "migrate":
		fmt.Fprint(stdout, migrateUsage)
	case "seed":
		newSeedFlags(new(seedFlags)).usage(stdout)
	case "backup":
		newBackupFlags().usage(stdout)
	case "restore":
		newRestoreFlags(new(restoreFlags)).usage(stdout)
	case "check":
		newCheckFlags().usage(stdout)
	case "user":
		fmt.Fprint(stdout, userUsage)
	case "purge":
		newPurgeFlags().usage(stdout)
	case "version":
		fmt.Fprint(stdout, versionUsage)
	case "help":
		fmt.Fprint(stdout, usage)
	default:
		return usageErrorf("unknown command %q (run 'taskapp help' for usage)", args[0])
	}
	return nil
}

// commandFlags is a subcommand's flag set with its usage text.
type commandFlags struct {
	*flag.FlagSet
	synopsis string
}

func newCommandFlags(name, synopsis string) commandFlags {
	fs := flag.NewFlagSet(name, flag.ContinueOnError)
	// parse reports errors itself, in one line.
	fs.SetOutput(io.Discard)
	fs.Usage = func() {}
	return commandFlags{FlagSet: fs, synopsis: synopsis}
}

func (f commandFlags) usage(w io.Writer) {
	fmt.Fprint(w, f.synopsis)
	f.SetOutput(w)
	f.PrintDefaults()
	f.SetOutput(io.Discard)
}

// parse parses args. It returns errHelpShown after printing the usage for
// -h, and a usage error for anything it cannot parse or a stray argument.
func (f commandFlags) parse(args []string, stdout io.Writer) error {
	if err := f.parseFlags(args, stdout); err != nil {
		return err
	}
	if f.NArg() > 0 {
		return usageErrorf("%s: unexpected argument %q (run 'taskapp help %s' for usage)", f.Name(), f.Arg(0), f.Name())
	}
	return nil
}

// parseFlags parses the flags up to the first argument that is not one,
// with parse's errors.
func (f commandFlags) parseFlags(args []string, stdout io.Writer) error {
	if err := f.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			f.usage(stdout)
			return errHelpShown
		}
		return usageErrorf("%s: %v (run 'taskapp help %s' for usage)", f.Name(), err, f.Name())
	}
	return nil
}

// errHelpShown tells a command to stop without error: the user asked for
// its usage and got it.
var errHelpShown = errors.New("help shown")

// openStore opens the database cfg names. It does not migrate.
func openStore(ctx context.Context, cfg config) (*models.Store, error) {
	store, err := models.Open(ctx, cfg.DB)
	if err != nil {
		return nil, fmt.Errorf("cannot open the database: %w", err)
	}
	return store, nil
}

// openMigrated opens the database cfg names and applies pending
// migrations: what every command that reads or writes data starts with.
// cmd prefixes a migration error.
func openMigrated(ctx context.Context, cfg config, cmd string) (*models.Store, error) {
	store, err := openStore(ctx, cfg)
	if err != nil {
		return nil, err
	}
	if _, err := store.Migrate(ctx); err != nil {
		store.Close()
		return nil, fmt.Errorf("%s: %w", cmd, err)
	}
	return store, nil
}
