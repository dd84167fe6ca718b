// Package bench is what the measuring commands (cmd/dbbench, cmd/loadgen)
// share: their main, the -db and -pg flags, a fresh database per run, and
// the machine's load average printed beside the figures.
package bench

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"path/filepath"
	"strings"
	"syscall"

	"taskapp/migrations"
	"taskapp/models/dbtest"
)

// Main runs a tool's run function with the process's arguments and
// standard output, stops it on SIGINT or SIGTERM, and exits 1 with one
// line on error.
func Main(name string, run func(ctx context.Context, args []string, out io.Writer) error) {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	// Output piped into head must not kill the program before it has
	// dropped its database: a closed pipe becomes a write error instead.
	signal.Ignore(syscall.SIGPIPE)
	err := run(ctx, os.Args[1:], os.Stdout)
	if errors.Is(err, flag.ErrHelp) {
		return // -h: the flag package has printed the usage
	}
	if err != nil {
		fmt.Fprintln(os.Stderr, name+":", err)
		stop()
		os.Exit(1)
	}
}

// defaultPostgres is the local development server (trust auth).
const defaultPostgres = "postgres://postgres@127.0.0.1:5432/postgres"

// Databases are the -db and -pg flags: which databases to run against, and
// the PostgreSQL server to create a fresh database on.
type Databases struct {
	list        string
	PostgresURL string
}

// Register adds -db and -pg to fs; purpose completes "databases to …".
func (d *Databases) Register(fs *flag.FlagSet, purpose string) {
	fs.StringVar(&d.list, "db", "postgres,sqlite", "databases to "+purpose+", comma-separated: postgres, sqlite")
	fs.StringVar(&d.PostgresURL, "pg", firstEnv(defaultPostgres, "BENCH_DATABASE_URL", "TEST_DATABASE_URL"),
		"PostgreSQL server to create the database on (env BENCH_DATABASE_URL, then TEST_DATABASE_URL)")
}

// Dialects is -db, checked.
func (d *Databases) Dialects() ([]migrations.Dialect, error) {
	var out []migrations.Dialect
	for _, s := range strings.Split(d.list, ",") {
		switch s = strings.TrimSpace(s); migrations.Dialect(s) {
		case migrations.Postgres, migrations.SQLite:
			out = append(out, migrations.Dialect(s))
		case "":
		default:
			return nil, fmt.Errorf("-db: unknown database %q (postgres, sqlite)", s)
		}
	}
	return out, nil
}

// Fresh creates an empty database of dialect for the tool called name and
// returns its DATABASE_URL and a function that removes it: on SQLite a
// file in a temporary directory, on PostgreSQL a new database on pgURL's
// server.
func (d *Databases) Fresh(ctx context.Context, dialect migrations.Dialect, name string) (string, func() error, error) {
	if dialect == migrations.SQLite {
		dir, err := os.MkdirTemp("", "taskapp-"+name+"-")
		if err != nil {
			return "", nil, err
		}
		return "sqlite:" + filepath.Join(dir, "taskapp.db"), func() error { return os.RemoveAll(dir) }, nil
	}
	return dbtest.CreatePostgres(ctx, d.PostgresURL, "taskapp_"+name+"_")
}

// EachDialect runs fn for each dialect in turn until ctx is cancelled,
// then prints the load average. It returns ctx's error, or every
// dialect's failure in one error.
func EachDialect(ctx context.Context, out io.Writer, dialects []migrations.Dialect, fn func(migrations.Dialect) error) error {
	var failed []string
	for _, d := range dialects {
		if ctx.Err() != nil {
			break
		}
		if err := fn(d); err != nil {
			failed = append(failed, fmt.Sprintf("%s: %v", d, err))
		}
	}
	fmt.Fprintf(out, "\nload average at end: %s\n", LoadAvg())
	if ctx.Err() != nil {
		return ctx.Err()
	}
	if len(failed) > 0 {
		return errors.New(strings.Join(failed, "; "))
	}
	return nil
}

// LoadAvg is the machine's 1, 5 and 15 minute load averages, printed with
// the figures because other work on the machine skews them.
func LoadAvg() string {
	b, err := os.ReadFile("/proc/loadavg")
	if err != nil {
		return "unknown"
	}
	f := strings.Fields(string(b))
	if len(f) < 3 {
		return "unknown"
	}
	return strings.Join(f[:3], " ")
}

func firstEnv(def string, names ...string) string {
	for _, n := range names {
		if v := os.Getenv(n); v != "" {
			return v
		}
	}
	return def
}
