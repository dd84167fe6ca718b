// Command loadgen measures taskapp the way its users hit it: the real
// binary, real sign-ins, and the htmx requests the pages send.
//
// For each database (PostgreSQL and/or SQLite) it creates a fresh one,
// seeds signed-in users with 100 tasks each (plus an optional background
// volume), builds ./cmd/taskapp, starts `taskapp serve` on a free loopback
// port, signs every user in through GET and POST /login (CSRF token
// scraped from the page), then runs a closed loop with no think time at
// each concurrency for a fixed time, mixing the journeys of the task list:
// the full page, search, htmx create, status change, inline edit and
// delete. It prints requests/s, p50/p95/p99 and errors per endpoint and
// the server's peak RSS, stops the server and drops the database.
//
//	go run ./cmd/loadgen                              # both databases, 1/8/32/128
//	go run ./cmd/loadgen -db sqlite -c 32 -duration 20s -mix page
//
// Traffic goes to 127.0.0.1 only. Clients bind to other loopback source
// addresses (127.0.0.10, .11, …) so that sign-in rate limits, which are per
// client address, see several clients rather than one.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strconv"
	"strings"
	"taskapp/cmd/internal/bench"
	"taskapp/migrations"
	"time"
)

type options struct {
	dbs        bench.Databases
	levels     []int
	duration   time.Duration
	warmup     time.Duration
	users      int
	perUser    int
	bgUsers    int
	bgTasks    int
	mix        string
	bin        string
	keep       bool
	profileDir string
	profileAt  int
	serverLog  string
	poolSize   int
	burst      int
	streams    int
	writes     int
}

func main() { bench.Main("loadgen", run) }

func run(ctx context.Context, args []string, out io.Writer) error {
	fs := flag.NewFlagSet("loadgen", flag.ContinueOnError)
	var o options
	o.dbs.Register(fs, "run against")
	levels := fs.String("c", "1,8,32,128", "concurrency levels (closed loop, no think time), comma-separated")
	fs.DurationVar(&o.duration, "duration", 15*time.Second, "measured time per concurrency level")
	fs.DurationVar(&o.warmup, "warmup", 3*time.Second, "unmeasured time before each level")
	fs.IntVar(&o.users, "users", 0, "signed-in users, one per client (default: the highest concurrency)")
	fs.IntVar(&o.perUser, "tasks", 100, "tasks each signed-in user starts with")
	fs.IntVar(&o.bgUsers, "background-users", 1000, "other accounts in the database (bulkload.Load)")
	fs.IntVar(&o.bgTasks, "background-tasks", 100000, "tasks among the other accounts")
	fs.StringVar(&o.mix, "mix", "journeys", "journeys: the mix of real journeys; page: only the full /tasks page; events: idle event streams and write-to-event latency")
	fs.IntVar(&o.streams, "streams", 1000, "with -mix events: idle event streams to hold open")
	fs.IntVar(&o.writes, "writes", 200, "with -mix events: writes whose event latency is measured")
	fs.StringVar(&o.bin, "bin", "", "taskapp binary to run (default: go build ./cmd/taskapp into a temp dir)")
	fs.BoolVar(&o.keep, "keep", false, "keep the database and the temp dir")
	fs.StringVar(&o.profileDir, "profile", "", "write the server's CPU and allocation profiles at -profile-at into this directory (starts the server with PPROF_ADDR)")
	fs.IntVar(&o.profileAt, "profile-at", 32, "concurrency level to profile")
	fs.StringVar(&o.serverLog, "server-log", "", "file for the server's log (default: in the temp dir)")
	fs.IntVar(&o.burst, "burst", 50, "users who sign in at the same moment before the levels (peak RSS of password hashing); 0 skips")
	fs.IntVar(&o.poolSize, "pool", 0, "DATABASE_POOL_SIZE for the server (default: the server's own default)")
	if err := fs.Parse(args); err != nil {
		return err
	}
	dialects, err := o.dbs.Dialects()
	if err != nil {
		return err
	}
	for _, l := range strings.Split(*levels, ",") {
		n, err := strconv.Atoi(strings.TrimSpace(l))
		if err != nil || n <= 0 {
			return fmt.Errorf("-c: %q is not a positive number", l)
		}
		o.levels = append(o.levels, n)
		o.users = max(o.users, n)
	}
	if o.mix != "journeys" && o.mix != "page" && o.mix != "events" {
		return fmt.Errorf("-mix must be journeys, page or events")
	}
	if o.mix == "events" && (o.streams < 1 || o.writes < 1) {
		return errors.New("-streams and -writes must be at least 1")
	}
	if o.duration <= 0 || o.duration > 10*time.Minute || o.perUser < 1 {
		return errors.New("-duration must be in (0, 10m] and -tasks at least 1")
	}

	tmp, err := os.MkdirTemp("", "taskapp-loadgen-")
	if err != nil {
		return err
	}
	defer func() {
		if !o.keep {
			os.RemoveAll(tmp)
		}
	}()
	if o.bin == "" {
		o.bin = filepath.Join(tmp, "taskapp")
		root, err := moduleRoot()
		if err != nil {
			return err
		}
		fmt.Fprintf(out, "building ./cmd/taskapp ...\n")
		cmd := exec.CommandContext(ctx, "go", "build", "-o", o.bin, "./cmd/taskapp")
		cmd.Dir, cmd.Stdout, cmd.Stderr = root, os.Stderr, os.Stderr
		if err := cmd.Run(); err != nil {
			return fmt.Errorf("go build ./cmd/taskapp: %w", err)
		}
	}
	fmt.Fprintf(out, "loadgen: %s, %d CPUs; load average at start: %s\n", runtime.Version(), runtime.NumCPU(), bench.LoadAvg())
	return bench.EachDialect(ctx, out, dialects, func(d migrations.Dialect) error {
		return runDialect(ctx, out, d, tmp, o)
	})
}

// runDialect seeds a fresh database, serves it and runs every level.
func runDialect(ctx context.Context, out io.Writer, dialect migrations.Dialect, tmp string, o options) (err error) {
	dir := filepath.Join(tmp, string(dialect))
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return err
	}
	dbURL, cleanup, err := o.dbs.Fresh(ctx, dialect, "load")
	if err != nil {
		return err
	}
	defer func() {
		if o.keep {
			fmt.Fprintf(out, "kept database: %s\n", dbURL)
			return
		}
		if cerr := cleanup(); cerr != nil {
			err = errors.Join(err, fmt.Errorf("drop database: %w", cerr))
		}
	}()

	fmt.Fprintf(out, "\n=== %s ===\n", dialect)
	start := time.Now()
	users, err := seed(ctx, dbURL, o)
	if err != nil {
		return fmt.Errorf("seed: %w", err)
	}
	fmt.Fprintf(out, "seeded %d signed-in users with %d tasks each, beside %d accounts with %d tasks, in %.1fs\n",
		len(users), o.perUser, o.bgUsers, o.bgTasks, time.Since(start).Seconds())

	logPath := o.serverLog
	if logPath == "" {
		logPath = filepath.Join(dir, "server.log")
	}
	srv, err := startServer(ctx, o, dbURL, dir, logPath)
	if err != nil {
		return err
	}
	defer func() {
		if serr := srv.stop(); serr != nil {
			err = errors.Join(err, serr)
		}
	}()
	fmt.Fprintf(out, "server: %s serve, pid %d, on %s (log: %s)\n", o.bin, srv.cmd.Process.Pid, srv.base, logPath)

	start = time.Now()
	if err := signIn(ctx, srv.base, users); err != nil {
		return fmt.Errorf("sign in: %w", err)
	}
	fmt.Fprintf(out, "signed in %d users in %.1fs (GET /login, POST /login, GET /tasks each)\n", len(users), time.Since(start).Seconds())
	runPeak := procStatusKB(srv.cmd.Process.Pid, "VmHWM") * 1024
	if o.burst > 0 {
		n := min(o.burst, len(users))
		peak, ok, busy, err := signInBurst(ctx, srv, users[:n])
		if err != nil {
			return fmt.Errorf("sign-in burst: %w", err)
		}
		runPeak = max(runPeak, peak)
		fmt.Fprintf(out, "sign-in burst: %d users at once: %d signed in, %d refused with 503 (hash gate full); server peak RSS %s (VmHWM); load average %s\n",
			n, ok, busy, mib(peak), bench.LoadAvg())
	}

	if o.mix == "events" {
		return runEvents(ctx, out, srv, users, o)
	}

	// pgbench runs the page's own SQL at each level, beside the app's run.
	var pgScript string
	if dialect == migrations.Postgres {
		if _, err := exec.LookPath("pgbench"); err != nil {
			fmt.Fprintf(out, "pgbench is not installed (PostgreSQL's client package): app ÷ pgbench ratio skipped\n")
		} else {
			stmts, err := pageSQL(ctx, dbURL, users[0].email)
			if err != nil {
				return fmt.Errorf("the page's SQL: %w", err)
			}
			if pgScript, err = pgbenchScript(dir, stmts); err != nil {
				return err
			}
			fmt.Fprintf(out, "pgbench script (one GET /tasks page's queries, %s's):\n  %s\n", users[0].email, strings.Join(stmts, "\n  "))
		}
	}

	var totalErrors int
	var summary []string
	for _, c := range o.levels {
		if ctx.Err() != nil {
			return ctx.Err()
		}
		res, err := runLevel(ctx, srv, users[:c], c, o, filepath.Join(o.profileDir, string(dialect)))
		if err != nil {
			return err
		}
		res.print(out, dialect, o)
		totalErrors += res.errors()
		runPeak = max(runPeak, res.peakRSS)
		ratio := ""
		if p, ok := res.endpoints[epPage]; ok && pgScript != "" {
			// A failure (the shared server's max_connections, say) is a
			// note: the app's figures stand without the ratio.
			if tps, err := runPgbench(ctx, dbURL, pgScript, c, o.duration); err != nil {
				fmt.Fprintf(out, "!!! pgbench, %d clients: %s\n", c, firstLines(err.Error(), 4))
			} else {
				pages := float64(len(p.ms)) / res.measured.Seconds()
				ratio = fmt.Sprintf("   pages/s ÷ pgbench tps %.0f ÷ %.0f = %.3f", pages, tps, pages/tps)
				fmt.Fprintf(out, "pgbench, %d clients, %s: %.0f tps of the page's queries; app %.0f pages/s (%s mix): ratio %.3f; load average %s\n",
					c, o.duration, tps, pages, o.mix, pages/tps, bench.LoadAvg())
			}
		}
		if p, ok := res.endpoints[epPage]; ok {
			summary = append(summary, fmt.Sprintf("  c=%-4d GET /tasks page p95 %7.2f ms   all requests %7.0f req/s   errors %d   server peak RSS %s   page %d B, on the wire %d B zstd, %d B gzip   server CPU %.3f ms/request%s",
				c, p.pct(0.95), float64(res.total())/res.measured.Seconds(), res.errors(), mib(res.peakRSS),
				res.pageBytes, res.pageWire, res.pageGzip, float64(res.serverCPU)/float64(time.Millisecond)/float64(max(1, res.total())), ratio))
		}
	}
	fmt.Fprintf(out, "\n%s summary (target: GET /tasks page p95 < 20 ms at 32 users):\n%s\n", dialect, strings.Join(summary, "\n"))
	fmt.Fprintf(out, "%s: server peak RSS over the whole run (VmHWM: sign-ins, burst and every level): %s\n", dialect, mib(runPeak))
	if totalErrors > 0 {
		return fmt.Errorf("%d errors (see above and %s)", totalErrors, logPath)
	}
	return nil
}

// firstLines is at most n lines of s.
func firstLines(s string, n int) string {
	lines := strings.SplitN(s, "\n", n+1)
	return strings.Join(lines[:min(n, len(lines))], " / ")
}
