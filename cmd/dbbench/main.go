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
	"runtime"
	"strings"
	"time"

	"taskapp/cmd/internal/bench"
	"taskapp/cmd/internal/seedbar"
	"taskapp/migrations"
	"taskapp/models"
	"taskapp/models/bulkload"
)

type options struct {
	dbs      bench.Databases
	users    int
	tasks    int
	n        int
	warmup   int
	seed     uint64
	keep     bool
	planOnly bool
	trashed  float64
}

func main() { bench.Main("dbbench", run) }

func run(ctx context.Context, args []string, out io.Writer) error {
	fs := flag.NewFlagSet("dbbench", flag.ContinueOnError)
	var o options
	o.dbs.Register(fs, "measure")
	fs.IntVar(&o.users, "users", 10000, "accounts to seed")
	fs.IntVar(&o.tasks, "tasks", 1000000, "tasks to seed")
	fs.IntVar(&o.n, "n", 2000, "timed calls per query")
	fs.IntVar(&o.warmup, "warmup", 200, "untimed calls per query before timing")
	fs.Uint64Var(&o.seed, "seed", 1, "seed for the generated data and the sampled users")
	fs.BoolVar(&o.keep, "keep", false, "keep the benchmark database instead of dropping it")
	fs.BoolVar(&o.planOnly, "plans-only", false, "skip timing; seed and print the query plans only")
	fs.Float64Var(&o.trashed, "trashed", 0.05, "fraction of the seeded tasks to move to the trash (0 to 0.5)")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if o.users <= 0 || o.tasks <= 0 || o.n <= 0 || o.warmup < 0 {
		return errors.New("-users, -tasks and -n must be positive")
	}
	if o.trashed < 0 || o.trashed > 0.5 {
		return errors.New("-trashed must be between 0 and 0.5")
	}
	dialects, err := o.dbs.Dialects()
	if err != nil {
		return err
	}

	fmt.Fprintf(out, "dbbench: %s, %d CPUs, GOMAXPROCS %d; load average at start: %s\n",
		runtime.Version(), runtime.NumCPU(), runtime.GOMAXPROCS(0), bench.LoadAvg())
	return bench.EachDialect(ctx, out, dialects, func(d migrations.Dialect) error {
		return benchDialect(ctx, out, d, o)
	})
}

// benchDialect runs the whole benchmark on a fresh database of one kind.
func benchDialect(ctx context.Context, out io.Writer, dialect migrations.Dialect, o options) (err error) {
	dbURL, cleanup, err := o.dbs.Fresh(ctx, dialect, "bench")
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
	bar := seedbar.New(os.Stderr, o.users, o.tasks)
	err = bulkload.Load(ctx, store, bulkload.Options{Users: o.users, Tasks: o.tasks, Seed: o.seed, Progress: bar.Add})
	if err != nil {
		bar.Abort()
		return err
	}
	took := time.Since(start)
	fmt.Fprintf(out, "seeded %d users and %d tasks in %.1fs (%.0f rows/s): users %.1fs, tasks %.1fs, then indexes and statistics %.1fs\n",
		o.users, o.tasks, took.Seconds(), float64(o.users+o.tasks)/took.Seconds(),
		bar.UsersDone.Sub(start).Seconds(), bar.RowsDone.Sub(bar.UsersDone).Seconds(), time.Since(bar.RowsDone).Seconds())

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

	if err := trashSome(ctx, out, store.DB(), dialect, o.trashed); err != nil {
		return err
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

// trashSome moves about fraction of the tasks to the trash, spread over
// every user, with deleted_at = created_at: the seed's creation times
// reach back months, so most of them are past the retention and due for
// the purge, some are recent. Then the planner statistics are refreshed,
// as autovacuum would after such a change.
func trashSome(ctx context.Context, out io.Writer, db *sql.DB, dialect migrations.Dialect, fraction float64) error {
	if fraction == 0 {
		fmt.Fprintln(out, "trash: none (-trashed 0)")
		return nil
	}
	every := max(2, int(1/fraction+0.5))
	start := time.Now()
	res, err := db.ExecContext(ctx, fmt.Sprintf("UPDATE tasks SET deleted_at = created_at WHERE id %% %d = 0", every))
	if err != nil {
		return fmt.Errorf("trash some tasks: %w", err)
	}
	n, _ := res.RowsAffected()
	analyze := "ANALYZE"
	if dialect != "sqlite" {
		analyze = "VACUUM (ANALYZE) tasks"
	}
	if _, err := db.ExecContext(ctx, analyze); err != nil {
		return fmt.Errorf("trash some tasks: %s: %w", analyze, err)
	}
	fmt.Fprintf(out, "trash: moved %d tasks (every %dth) to the trash, then %s, in %.1fs\n", n, every, analyze, time.Since(start).Seconds())
	return nil
}

func serverVersion(ctx context.Context, db *sql.DB, dialect migrations.Dialect) string {
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
