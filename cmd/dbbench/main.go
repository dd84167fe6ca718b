// Command dbbench measures the schema spec's queries at volume through the
// real store code, on PostgreSQL and on SQLite.
//
// For each database it creates a fresh one (PostgreSQL: CREATE DATABASE on
// the server named by -pg; SQLite: a file in a temporary directory),
// migrates it, seeds it with bulkload.Load, times each store call N
// times after a warm-up, prints p50/p95/p99 and throughput beside the
// spec's p95 target, then prints the plan of every statement those calls
// send and fails loudly if any of them scans the whole tasks table. The
// database is dropped at the end unless -keep is given.
//
//	go run ./cmd/dbbench                      # both dialects, 10k users, 1M tasks
//	go run ./cmd/dbbench -db sqlite -tasks 100000 -n 500
package main

import (
	"context"
	"database/sql"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"path/filepath"
	"runtime"
	"strings"
	"syscall"
	"time"

	"taskapp/models"
	"taskapp/models/bulkload"
	"taskapp/models/dbtest"
)

// defaultPostgres is the local development server (trust auth).
const defaultPostgres = "postgres://postgres@127.0.0.1:5432/postgres"

type options struct {
	dialects []string
	pgURL    string
	users    int
	tasks    int
	n        int
	warmup   int
	seed     uint64
	keep     bool
	planOnly bool
}

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	// Output piped into head must not kill the program before it has
	// dropped its database: a closed pipe becomes a write error instead.
	signal.Ignore(syscall.SIGPIPE)
	if err := run(ctx, os.Args[1:], os.Stdout); err != nil {
		fmt.Fprintln(os.Stderr, "dbbench:", err)
		os.Exit(1)
	}
}

func run(ctx context.Context, args []string, out io.Writer) error {
	fs := flag.NewFlagSet("dbbench", flag.ContinueOnError)
	var o options
	dialects := fs.String("db", "postgres,sqlite", "databases to measure, comma-separated: postgres, sqlite")
	fs.StringVar(&o.pgURL, "pg", firstEnv(defaultPostgres, "BENCH_DATABASE_URL", "TEST_DATABASE_URL"),
		"PostgreSQL server to create the benchmark database on (env BENCH_DATABASE_URL, then TEST_DATABASE_URL)")
	fs.IntVar(&o.users, "users", 10000, "accounts to seed")
	fs.IntVar(&o.tasks, "tasks", 1000000, "tasks to seed")
	fs.IntVar(&o.n, "n", 2000, "timed calls per query")
	fs.IntVar(&o.warmup, "warmup", 200, "untimed calls per query before timing")
	fs.Uint64Var(&o.seed, "seed", 1, "seed for the generated data and the sampled users")
	fs.BoolVar(&o.keep, "keep", false, "keep the benchmark database instead of dropping it")
	fs.BoolVar(&o.planOnly, "plans-only", false, "skip timing; seed and print the query plans only")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if o.users <= 0 || o.tasks <= 0 || o.n <= 0 || o.warmup < 0 {
		return errors.New("-users, -tasks and -n must be positive")
	}
	for _, d := range strings.Split(*dialects, ",") {
		switch d = strings.TrimSpace(d); d {
		case "postgres", "sqlite":
			o.dialects = append(o.dialects, d)
		case "":
		default:
			return fmt.Errorf("-db: unknown database %q (postgres, sqlite)", d)
		}
	}

	fmt.Fprintf(out, "dbbench: %s, %d CPUs, GOMAXPROCS %d; load average at start: %s\n",
		runtime.Version(), runtime.NumCPU(), runtime.GOMAXPROCS(0), loadAvg())
	var failed []string
	for _, d := range o.dialects {
		if ctx.Err() != nil {
			break
		}
		if err := benchDialect(ctx, out, d, o); err != nil {
			failed = append(failed, fmt.Sprintf("%s: %v", d, err))
		}
	}
	fmt.Fprintf(out, "\nload average at end: %s\n", loadAvg())
	if ctx.Err() != nil {
		return ctx.Err()
	}
	if len(failed) > 0 {
		return errors.New(strings.Join(failed, "; "))
	}
	return nil
}

// benchDialect runs the whole benchmark on a fresh database of one kind.
func benchDialect(ctx context.Context, out io.Writer, dialect string, o options) (err error) {
	dbURL, cleanup, err := freshDatabase(ctx, dialect, o.pgURL)
	if err != nil {
		return err
	}
	defer func() {
		if o.keep {
			fmt.Fprintf(out, "kept database: %s\n", dbURL)
			return
		}
		if cerr := cleanup(); cerr != nil {
			err = errors.Join(err, fmt.Errorf("clean up: %w", cerr))
		}
	}()

	store, err := models.Open(ctx, models.Config{URL: dbURL})
	if err != nil {
		return err
	}
	defer store.Close()
	if _, err := store.Migrate(ctx); err != nil {
		return err
	}

	fmt.Fprintf(out, "\n=== %s: %s ===\n", dialect, serverVersion(ctx, store.DB(), dialect))
	start := time.Now()
	bar := newProgress(os.Stderr, o.users+o.tasks)
	bar.mark = o.users
	err = bulkload.Load(ctx, store, bulkload.Options{Users: o.users, Tasks: o.tasks, Seed: o.seed, Progress: bar.add})
	bar.done()
	if err != nil {
		return err
	}
	took := time.Since(start)
	fmt.Fprintf(out, "seeded %d users and %d tasks in %.1fs (%.0f rows/s): users %.1fs, tasks %.1fs, then indexes and statistics %.1fs\n",
		o.users, o.tasks, took.Seconds(), float64(o.users+o.tasks)/took.Seconds(),
		bar.marked.Sub(start).Seconds(), bar.full.Sub(bar.marked).Seconds(), time.Since(bar.full).Seconds())

	// The seed leaves hundreds of megabytes of dirty pages (PostgreSQL) or
	// a long WAL (SQLite); flush them now, or the timed writes below
	// queue behind that flush for the disk and measure the seed instead.
	flush := "CHECKPOINT"
	if dialect == "sqlite" {
		flush = "PRAGMA wal_checkpoint(TRUNCATE)"
	}
	start = time.Now()
	if _, err := store.DB().ExecContext(ctx, flush); err != nil {
		fmt.Fprintf(out, "warning: %s: %v (timed writes may compete with the seed's flush)\n", flush, err)
	} else {
		fmt.Fprintf(out, "%s after the seed: %.1fs\n", flush, time.Since(start).Seconds())
	}

	sample, err := drawSample(ctx, store.DB(), o)
	if err != nil {
		return err
	}
	fmt.Fprintf(out, "users: %d with tasks; heaviest 1%% (%d users) hold %d-%d tasks each, median user %d\n",
		len(sample.owners), len(sample.heavy), sample.heavyMin, sample.heavyMax, sample.median)

	var results []result
	if !o.planOnly {
		results = runBenchmarks(ctx, store, sample, o)
		printResults(out, dialect, results, o)
	}

	bad, err := explainAll(ctx, out, dialect, dbURL, sample)
	if err != nil {
		return err
	}
	var problems []string
	for _, r := range results {
		if r.errors > 0 {
			problems = append(problems, fmt.Sprintf("%s: %d errors (first: %v)", r.name, r.errors, r.firstErr))
		}
	}
	if bad > 0 {
		problems = append(problems, fmt.Sprintf("%d statements scan the whole tasks table", bad))
	}
	if len(problems) > 0 {
		return errors.New(strings.Join(problems, "; "))
	}
	return nil
}

// freshDatabase creates an empty database and returns its DATABASE_URL
// and a function that removes it.
func freshDatabase(ctx context.Context, dialect, pgURL string) (string, func() error, error) {
	if dialect == "sqlite" {
		dir, err := os.MkdirTemp("", "taskapp-dbbench-")
		if err != nil {
			return "", nil, err
		}
		return "sqlite:" + filepath.Join(dir, "bench.db"), func() error { return os.RemoveAll(dir) }, nil
	}
	return dbtest.CreatePostgres(ctx, pgURL, "taskapp_bench_")
}

func serverVersion(ctx context.Context, db *sql.DB, dialect string) string {
	q := "SELECT version()"
	if dialect == "sqlite" {
		q = "SELECT 'SQLite ' || sqlite_version()"
	}
	var v string
	if err := db.QueryRowContext(ctx, q).Scan(&v); err != nil {
		return "version unknown: " + err.Error()
	}
	return v
}

func firstEnv(def string, names ...string) string {
	for _, n := range names {
		if v := os.Getenv(n); v != "" {
			return v
		}
	}
	return def
}

func loadAvg() string {
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

// progress draws a one-line progress bar for the seed.
type progress struct {
	w           io.Writer
	total, rows int
	last        int
	start       time.Time
	// mark is a row count whose passing is timed (the users written);
	// marked and full are when it and the total were reached.
	mark         int
	marked, full time.Time
}

func newProgress(w io.Writer, total int) *progress {
	return &progress{w: w, total: total, last: -1, start: time.Now()}
}

func (p *progress) add(n int) {
	p.rows += n
	if p.marked.IsZero() && p.rows >= p.mark {
		p.marked = time.Now()
	}
	if p.full.IsZero() && p.rows >= p.total {
		p.full = time.Now()
	}
	pct := p.rows * 100 / max(1, p.total)
	if pct == p.last {
		return
	}
	p.last = pct
	const width = 40
	fill := pct * width / 100
	fmt.Fprintf(p.w, "\rseeding [%s%s] %3d%% %d/%d rows %.0fs", strings.Repeat("#", fill),
		strings.Repeat(".", width-fill), pct, p.rows, p.total, time.Since(p.start).Seconds())
}

func (p *progress) done() { fmt.Fprintln(p.w) }
