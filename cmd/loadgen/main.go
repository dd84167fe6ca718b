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
	"crypto/rand"
	"encoding/hex"
	"errors"
	"flag"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"os"
	"os/exec"
	"os/signal"
	"path/filepath"
	"runtime"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"time"

	"taskapp/models"
	"taskapp/models/bulkload"
	"taskapp/models/dbtest"
)

const defaultPostgres = "postgres://postgres@127.0.0.1:5432/postgres"

type options struct {
	dialects   []string
	pgURL      string
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
}

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	// Output piped into head must not kill the program before it has
	// dropped its database: a closed pipe becomes a write error instead.
	signal.Ignore(syscall.SIGPIPE)
	if err := run(ctx, os.Args[1:], os.Stdout); err != nil {
		fmt.Fprintln(os.Stderr, "loadgen:", err)
		os.Exit(1)
	}
}

func run(ctx context.Context, args []string, out io.Writer) error {
	fs := flag.NewFlagSet("loadgen", flag.ContinueOnError)
	var o options
	dialects := fs.String("db", "postgres,sqlite", "databases to run against, comma-separated: postgres, sqlite")
	fs.StringVar(&o.pgURL, "pg", firstEnv(defaultPostgres, "BENCH_DATABASE_URL", "TEST_DATABASE_URL"),
		"PostgreSQL server to create the load database on (env BENCH_DATABASE_URL, then TEST_DATABASE_URL)")
	levels := fs.String("c", "1,8,32,128", "concurrency levels (closed loop, no think time), comma-separated")
	fs.DurationVar(&o.duration, "duration", 15*time.Second, "measured time per concurrency level")
	fs.DurationVar(&o.warmup, "warmup", 3*time.Second, "unmeasured time before each level")
	fs.IntVar(&o.users, "users", 0, "signed-in users, one per client (default: the highest concurrency)")
	fs.IntVar(&o.perUser, "tasks", 100, "tasks each signed-in user starts with")
	fs.IntVar(&o.bgUsers, "background-users", 1000, "other accounts in the database (bulkload.Load)")
	fs.IntVar(&o.bgTasks, "background-tasks", 100000, "tasks among the other accounts")
	fs.StringVar(&o.mix, "mix", "journeys", "journeys: the mix of real journeys; page: only the full /tasks page")
	fs.StringVar(&o.bin, "bin", "", "taskapp binary to run (default: go build ./cmd/taskapp into a temp dir)")
	fs.BoolVar(&o.keep, "keep", false, "keep the database and the temp dir")
	fs.StringVar(&o.profileDir, "profile", "", "write the server's CPU and allocation profiles at -profile-at into this directory (starts the server with PPROF_ADDR)")
	fs.IntVar(&o.profileAt, "profile-at", 32, "concurrency level to profile")
	fs.StringVar(&o.serverLog, "server-log", "", "file for the server's log (default: in the temp dir)")
	fs.IntVar(&o.poolSize, "pool", 0, "DATABASE_POOL_SIZE for the server (default: the server's own default)")
	if err := fs.Parse(args); err != nil {
		return err
	}
	for _, d := range strings.Split(*dialects, ",") {
		switch d = strings.TrimSpace(d); d {
		case "postgres", "sqlite":
			o.dialects = append(o.dialects, d)
		case "":
		default:
			return fmt.Errorf("-db: unknown database %q", d)
		}
	}
	for _, l := range strings.Split(*levels, ",") {
		n, err := strconv.Atoi(strings.TrimSpace(l))
		if err != nil || n <= 0 {
			return fmt.Errorf("-c: %q is not a positive number", l)
		}
		o.levels = append(o.levels, n)
		o.users = max(o.users, n)
	}
	if o.mix != "journeys" && o.mix != "page" {
		return fmt.Errorf("-mix must be journeys or page")
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
	fmt.Fprintf(out, "loadgen: %s, %d CPUs; load average at start: %s\n", runtime.Version(), runtime.NumCPU(), loadAvg())
	var failed []string
	for _, d := range o.dialects {
		if ctx.Err() != nil {
			break
		}
		if err := runDialect(ctx, out, d, tmp, o); err != nil {
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

// runDialect seeds a fresh database, serves it and runs every level.
func runDialect(ctx context.Context, out io.Writer, dialect, tmp string, o options) (err error) {
	dir := filepath.Join(tmp, dialect)
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return err
	}
	dbURL, cleanup, err := freshDatabase(ctx, dialect, o.pgURL, dir)
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

	var totalErrors int
	var summary []string
	for _, c := range o.levels {
		if ctx.Err() != nil {
			return ctx.Err()
		}
		res, err := runLevel(ctx, srv, users[:c], c, o, filepath.Join(o.profileDir, dialect))
		if err != nil {
			return err
		}
		res.print(out, dialect, o)
		totalErrors += res.errors()
		if p, ok := res.endpoints[epPage]; ok {
			summary = append(summary, fmt.Sprintf("  c=%-4d GET /tasks page p95 %7.2f ms   all requests %7.0f req/s   errors %d   server peak RSS %s",
				c, p.pct(0.95), float64(res.total())/res.measured.Seconds(), res.errors(), mib(res.peakRSS)))
		}
	}
	fmt.Fprintf(out, "\n%s summary (target: GET /tasks page p95 < 20 ms at 32 users):\n%s\n", dialect, strings.Join(summary, "\n"))
	if totalErrors > 0 {
		return fmt.Errorf("%d errors (see above and %s)", totalErrors, logPath)
	}
	return nil
}

// vuser is one signed-in person: an account, its own cookie jar and
// connection, and the ids of the tasks it knows about.
type vuser struct {
	email   string
	client  *http.Client
	csrf    string
	tasks   []int64 // seeded or created, not deleted
	created []int64 // created during the run: the ones delete removes
}

// seed fills the database: the background volume first, then one account
// per client with exactly perUser tasks.
func seed(ctx context.Context, dbURL string, o options) ([]*vuser, error) {
	store, err := models.Open(ctx, models.Config{URL: dbURL})
	if err != nil {
		return nil, err
	}
	defer store.Close()
	if _, err := store.Migrate(ctx); err != nil {
		return nil, err
	}
	if o.bgUsers > 0 {
		if err := bulkload.Load(ctx, store, bulkload.Options{Users: o.bgUsers, Tasks: o.bgTasks, Seed: 1}); err != nil {
			return nil, err
		}
	}
	hash, err := models.HashPassword(models.SamplePassword)
	if err != nil {
		return nil, err
	}
	users := make([]*vuser, o.users)
	for i := range users {
		u, err := store.CreateUser(ctx, fmt.Sprintf("load%d@example.com", i+1), hash)
		if err != nil {
			return nil, err
		}
		users[i] = &vuser{email: u.Email}
	}
	// Tasks through the store, a few users at a time.
	var wg sync.WaitGroup
	errc := make(chan error, len(users))
	sem := make(chan struct{}, 4)
	for i, vu := range users {
		wg.Go(func() {
			sem <- struct{}{}
			defer func() { <-sem }()
			u, err := store.UserByEmail(ctx, vu.email)
			if err != nil {
				errc <- err
				return
			}
			for j := range o.perUser {
				in := models.TaskInput{
					Title:  fmt.Sprintf("%s #%d", bulkload.Title(i+j), j+1),
					Status: models.TaskStatuses()[j%3],
				}
				if j%2 == 0 {
					in.Description = "Details to remember for task " + strconv.Itoa(j+1) + "."
				}
				t, err := store.CreateTask(ctx, u.ID, in)
				if err != nil {
					errc <- err
					return
				}
				vu.tasks = append(vu.tasks, t.ID)
			}
		})
	}
	wg.Wait()
	close(errc)
	return users, <-errc
}

// server is the running taskapp.
type server struct {
	cmd    *exec.Cmd
	base   string
	pprof  string
	pgDB   string // the PostgreSQL database's name, "" on SQLite
	exited chan error
	log    *os.File
}

func startServer(ctx context.Context, o options, dbURL, dir, logPath string) (*server, error) {
	addr, err := freeAddr()
	if err != nil {
		return nil, err
	}
	secret := make([]byte, 32)
	rand.Read(secret)
	logf, err := os.Create(logPath)
	if err != nil {
		return nil, err
	}
	s := &server{base: "http://" + addr, exited: make(chan error, 1), log: logf}
	if u, err := url.Parse(dbURL); err == nil && strings.HasPrefix(u.Scheme, "postgres") {
		s.pgDB = strings.TrimPrefix(u.Path, "/")
	}
	env := append(os.Environ(),
		"DATABASE_URL="+dbURL,
		"LISTEN_ADDR="+addr,
		"SESSION_SECRET="+hex.EncodeToString(secret),
		"SECURE_COOKIES=false",
	)
	if o.poolSize > 0 {
		env = append(env, "DATABASE_POOL_SIZE="+strconv.Itoa(o.poolSize))
	}
	if o.profileDir != "" {
		if s.pprof, err = freeAddr(); err != nil {
			return nil, err
		}
		env = append(env, "PPROF_ADDR="+s.pprof)
	}
	// Not CommandContext: an interrupt must stop the server gracefully,
	// and stop does that.
	s.cmd = exec.Command(o.bin, "serve")
	s.cmd.Env, s.cmd.Dir, s.cmd.Stdout, s.cmd.Stderr = env, dir, logf, logf
	if err := s.cmd.Start(); err != nil {
		logf.Close()
		return nil, err
	}
	go func() { s.exited <- s.cmd.Wait() }()

	deadline := time.Now().Add(60 * time.Second)
	for {
		resp, err := http.Get(s.base + "/readyz")
		if err == nil {
			resp.Body.Close()
			if resp.StatusCode == http.StatusOK {
				return s, nil
			}
		}
		select {
		case err := <-s.exited:
			s.exited <- err
			s.stop()
			return nil, fmt.Errorf("server exited before it was ready (%v); see %s", err, logPath)
		case <-ctx.Done():
			s.stop()
			return nil, ctx.Err()
		case <-time.After(100 * time.Millisecond):
		}
		if time.Now().After(deadline) {
			s.stop()
			return nil, fmt.Errorf("server not ready after 60 s; see %s", logPath)
		}
	}
}

// stop asks the server to shut down (SIGTERM), and kills it after 25 s.
func (s *server) stop() error {
	defer s.log.Close()
	if s.cmd.ProcessState != nil {
		return nil
	}
	s.cmd.Process.Signal(syscall.SIGTERM)
	select {
	case err := <-s.exited:
		var exit *exec.ExitError
		if err != nil && !errors.As(err, &exit) {
			return err
		}
		if err != nil {
			return fmt.Errorf("server exited with %v after SIGTERM", err)
		}
		return nil
	case <-time.After(25 * time.Second):
		s.cmd.Process.Kill()
		<-s.exited
		return errors.New("server did not stop within 25 s of SIGTERM; killed")
	}
}

// freshDatabase creates an empty database and returns its DATABASE_URL
// and a function that removes it.
func freshDatabase(ctx context.Context, dialect, pgURL, dir string) (string, func() error, error) {
	if dialect == "sqlite" {
		path := filepath.Join(dir, "taskapp.db")
		return "sqlite:" + path, func() error {
			for _, suffix := range []string{"", "-wal", "-shm"} {
				if err := os.Remove(path + suffix); err != nil && !errors.Is(err, os.ErrNotExist) {
					return err
				}
			}
			return nil
		}, nil
	}
	return dbtest.CreatePostgres(ctx, pgURL, "taskapp_load_")
}

func freeAddr() (string, error) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return "", err
	}
	defer ln.Close()
	return ln.Addr().String(), nil
}

func moduleRoot() (string, error) {
	dir, err := os.Getwd()
	if err != nil {
		return "", err
	}
	for {
		if _, err := os.Stat(filepath.Join(dir, "go.mod")); err == nil {
			return dir, nil
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			return "", errors.New("run loadgen inside the taskapp module, or pass -bin")
		}
		dir = parent
	}
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
