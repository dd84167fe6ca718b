package main

import (
	"bytes"
	"context"
	"errors"
	"log/slog"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"taskapp/models"
	"taskapp/models/bulkload"
	"taskapp/models/dbtest"
)

// environ is a fake environment for run.
type environ map[string]string

func (e environ) getenv(name string) string { return e[name] }

// taskapp runs the command line args in-process and returns what it wrote.
func taskapp(t *testing.T, env environ, args ...string) (stdout, stderr string, err error) {
	t.Helper()
	return taskappWithInput(t, env, "", args...)
}

// taskappWithInput is taskapp with input on standard input (which is then
// not a terminal).
func taskappWithInput(t *testing.T, env environ, input string, args ...string) (stdout, stderr string, err error) {
	t.Helper()
	var out, errOut bytes.Buffer
	err = run(t.Context(), args, env.getenv, strings.NewReader(input), &out, &errOut)
	return out.String(), errOut.String(), err
}

// serveUntil runs `taskapp serve` in-process until done reports true, then
// stops it and expects a clean exit. It fails the test, saying that serve
// did not do what, if serve stops on its own or done is still false after
// a minute: a generous bound on a wait, not a timing claim, that only keeps
// a broken scheduler from hanging the suite.
func serveUntil(t *testing.T, env environ, what string, done func() bool) {
	t.Helper()
	ctx, cancel := context.WithCancel(t.Context())
	defer cancel()
	stopped := make(chan error, 1)
	go func() {
		var out, errOut bytes.Buffer
		stopped <- run(ctx, []string{"serve", "--addr", "127.0.0.1:0"}, env.getenv, strings.NewReader(""), &out, &errOut)
	}()
	giveUp := time.After(time.Minute)
	for !done() {
		select {
		case err := <-stopped:
			t.Fatalf("serve stopped: %v", err)
		case <-giveUp:
			cancel()
			<-stopped
			t.Fatalf("serve did not %s", what)
		case <-time.After(10 * time.Millisecond):
		}
	}
	cancel()
	if err := <-stopped; err != nil {
		t.Errorf("serve: %v", err)
	}
}

// mustRun runs args and fails the test if the command fails.
func mustRun(t *testing.T, env environ, args ...string) string {
	t.Helper()
	out, errOut, err := taskapp(t, env, args...)
	if err != nil {
		t.Fatalf("taskapp %s: %v\nstdout:\n%s\nstderr:\n%s", strings.Join(args, " "), err, out, errOut)
	}
	return out
}

// openStore opens the database at dbURL for checking what a command did.
func openTestStore(t testing.TB, dbURL string) *models.Store {
	t.Helper()
	s, err := models.Open(context.Background(), models.Config{URL: dbURL})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	return s
}

var (
	appliedLine = regexp.MustCompile(`(?m)^applied\s+(\d+) (\w+)`)
	statusLine  = regexp.MustCompile(`(?m)^(\d+)\s+(\w+)\s+(.+?)\s*$`)
)

// status runs `migrate status` and returns each version's last column.
func status(t *testing.T, env environ) (map[string]string, string) {
	t.Helper()
	out := mustRun(t, env, "migrate", "status")
	if !strings.HasPrefix(out, "VERSION") {
		t.Errorf("status has no header:\n%s", out)
	}
	got := map[string]string{}
	for _, m := range statusLine.FindAllStringSubmatch(out, -1) {
		got[m[1]] = m[3]
	}
	return got, out
}

func TestMigrateUpThenStatus(t *testing.T) {
	t.Parallel()
	env := environ{"DATABASE_URL": dbtest.URL(t)}

	out := mustRun(t, env, "migrate", "up")
	applied := appliedLine.FindAllStringSubmatch(out, -1)
	if len(applied) == 0 {
		t.Fatalf("migrate up printed no applied migration:\n%s", out)
	}
	if !strings.Contains(out, "database is now at version "+applied[len(applied)-1][1]) {
		t.Errorf("migrate up does not end at the last version it applied:\n%s", out)
	}

	got, statusOut := status(t, env)
	if len(got) != len(applied) {
		t.Errorf("status lists %d migrations, up applied %d:\n%s", len(got), len(applied), statusOut)
	}
	for _, m := range applied {
		if at := got[m[1]]; !strings.HasSuffix(at, " UTC") {
			t.Errorf("status of %s %s = %q, want its UTC time of application", m[1], m[2], at)
		}
	}
	if !strings.Contains(statusOut, "0 pending") {
		t.Errorf("status after up should have nothing pending:\n%s", statusOut)
	}

	if out := mustRun(t, env, "migrate", "up"); !strings.Contains(out, "up to date") || appliedLine.MatchString(out) {
		t.Errorf("a second migrate up should apply nothing:\n%s", out)
	}
}

func TestMigrateDownThenStatusShowsPending(t *testing.T) {
	t.Parallel()
	env := environ{"DATABASE_URL": dbtest.URL(t)}
	applied := appliedLine.FindAllStringSubmatch(mustRun(t, env, "migrate", "up"), -1)
	last := applied[len(applied)-1]

	out := mustRun(t, env, "migrate", "down")
	if !strings.Contains(out, "rolled back "+last[1]+" "+last[2]) {
		t.Errorf("migrate down should roll back %s %s:\n%s", last[1], last[2], out)
	}
	got, statusOut := status(t, env)
	if got[last[1]] != "pending" {
		t.Errorf("after down, %s is %q, want pending:\n%s", last[1], got[last[1]], statusOut)
	}
	if !strings.Contains(statusOut, "1 pending") {
		t.Errorf("after one down, one migration should be pending:\n%s", statusOut)
	}

	// Down to nothing, then one more is an error, not a silent success.
	for range len(applied) - 1 {
		mustRun(t, env, "migrate", "down")
	}
	_, _, err := taskapp(t, env, "migrate", "down")
	if err == nil || !strings.Contains(err.Error(), "no applied migration") {
		t.Errorf("migrate down with nothing applied: err = %v, want 'no applied migration'", err)
	}

	// And up again restores everything.
	mustRun(t, env, "migrate", "up")
	if _, statusOut := status(t, env); !strings.Contains(statusOut, "0 pending") {
		t.Errorf("up after downs should leave nothing pending:\n%s", statusOut)
	}
}

// TestServeMigratesWithoutLockWhenUpToDate: serve's start applies what is
// pending, and on an up-to-date database does not take the migration lock,
// which a transaction-mode pooler (Neon's pooled endpoint) cannot hold
// reliably.
func TestServeMigratesWithoutLockWhenUpToDate(t *testing.T) {
	t.Parallel()
	dbURL := dbtest.URL(t)
	store := openTestStore(t, dbURL)
	var logs bytes.Buffer
	logger := slog.New(slog.NewTextHandler(&logs, nil))

	if err := applyMigrations(t.Context(), store, logger); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(logs.String(), "migration applied") {
		t.Errorf("the first start should log the migrations it applied:\n%s", logs.String())
	}
	logs.Reset()
	if err := applyMigrations(t.Context(), store, logger); err != nil {
		t.Fatal(err)
	}
	if strings.Contains(logs.String(), "migration applied") || !strings.Contains(logs.String(), "up to date") {
		t.Errorf("a second start should apply nothing and say the schema is up to date:\n%s", logs.String())
	}
	if !dbtest.Postgres() {
		return
	}

	// Another session holds the migration lock (migrations.advisoryLockID).
	const lockID = 0x7461736b617070
	hold := func() (release func()) {
		conn, err := store.DB().Conn(t.Context())
		if err != nil {
			t.Fatal(err)
		}
		if _, err := conn.ExecContext(t.Context(), "SELECT pg_advisory_lock($1)", lockID); err != nil {
			t.Fatal(err)
		}
		return func() {
			conn.ExecContext(context.Background(), "SELECT pg_advisory_unlock($1)", lockID)
			conn.Close()
		}
	}
	release := hold()
	ctx, cancel := context.WithTimeout(t.Context(), 5*time.Second)
	defer cancel()
	if err := applyMigrations(ctx, store, logger); err != nil {
		t.Errorf("an up-to-date start should not wait for the migration lock: %v", err)
	}
	release()

	// With something pending, it does wait: the lock above is the real one.
	mustRun(t, environ{"DATABASE_URL": dbURL}, "migrate", "down")
	release = hold()
	defer release()
	ctx, cancel = context.WithTimeout(t.Context(), 2*time.Second)
	defer cancel()
	if err := applyMigrations(ctx, store, logger); err == nil {
		t.Error("a pending migration was applied while another session held the migration lock")
	}
}

func TestSeedSampleIsIdempotent(t *testing.T) {
	t.Parallel()
	dbURL := dbtest.URL(t)
	env := environ{"DATABASE_URL": dbURL}

	// seed migrates a fresh database first.
	out := mustRun(t, env, "seed")
	for _, want := range append(sampleAccounts, models.SamplePassword) {
		if !strings.Contains(out, want) {
			t.Errorf("seed output should mention %q:\n%s", want, out)
		}
	}
	mustRun(t, env, "seed")

	s := openTestStore(t, dbURL)
	if n := dbtest.Count(t, s, "SELECT count(*) FROM users"); n != 2 {
		t.Errorf("users after seeding twice = %d, want the spec's 2", n)
	}
	if n := dbtest.Count(t, s, "SELECT count(*) FROM tasks"); n != 3 {
		t.Errorf("tasks after seeding twice = %d, want the spec's 3", n)
	}
	for _, email := range sampleAccounts {
		u, err := s.UserByEmail(t.Context(), email)
		if err != nil {
			t.Fatalf("sample account %s: %v", email, err)
		}
		if !models.CheckPassword(u.HashedPassword, models.SamplePassword) {
			t.Errorf("sample account %s does not take the printed password", email)
		}
	}
}

func TestSeedVolume(t *testing.T) {
	t.Parallel()
	dbURL := dbtest.URL(t)
	env := environ{"DATABASE_URL": dbURL}

	out, errOut, err := taskapp(t, env, "seed", "--users", "5", "--tasks", "200")
	if err != nil {
		t.Fatalf("seed --users 5 --tasks 200: %v\n%s", err, errOut)
	}
	if !regexp.MustCompile(`seeded 5 accounts and 200 tasks in \S+ \(\d+ rows/s\)`).MatchString(out) {
		t.Errorf("seed should end with a summary with rows/s:\n%s", out)
	}
	for _, want := range []string{"[2/3] tasks", "205/205", "[3/3]"} {
		if !strings.Contains(errOut, want) {
			t.Errorf("progress on stderr lacks %q:\n%q", want, errOut)
		}
	}
	if strings.Contains(out, "[2/3]") {
		t.Errorf("the progress bar belongs on stderr, not stdout:\n%s", out)
	}

	s := openTestStore(t, dbURL)
	if n := dbtest.Count(t, s, "SELECT count(*) FROM users"); n != 5 {
		t.Errorf("users = %d, want 5", n)
	}
	if n := dbtest.Count(t, s, "SELECT count(*) FROM tasks"); n != 200 {
		t.Errorf("tasks = %d, want 200", n)
	}
	// The generated accounts are real ones: they sign in and own tasks.
	u, err := s.UserByEmail(t.Context(), bulkload.Email(1))
	if err != nil {
		t.Fatal(err)
	}
	if !models.CheckPassword(u.HashedPassword, models.SamplePassword) {
		t.Error("generated accounts should take the sample password")
	}
	var listed int
	for i := 1; i <= 5; i++ {
		u, err := s.UserByEmail(t.Context(), bulkload.Email(i))
		if err != nil {
			t.Fatal(err)
		}
		page, err := s.ListTasks(t.Context(), u.ID, models.ListOptions{})
		if err != nil {
			t.Fatal(err)
		}
		listed += int(page.Total)
	}
	if listed != 200 {
		t.Errorf("the generated accounts' lists hold %d tasks, want 200", listed)
	}

	// A second run adds accounts numbered on from the first.
	mustRun(t, env, "seed", "--users", "2", "--tasks", "10")
	if _, err := s.UserByEmail(t.Context(), bulkload.Email(7)); err != nil {
		t.Errorf("second volume seed should add %s: %v", bulkload.Email(7), err)
	}
	if n := dbtest.Count(t, s, "SELECT count(*) FROM tasks"); n != 210 {
		t.Errorf("tasks after a second run = %d, want 210", n)
	}
}

func TestSeedVolumeIsReproducible(t *testing.T) {
	t.Parallel()
	const rows = "SELECT title || '|' || status || '|' || user_id FROM tasks ORDER BY id"
	load := func(seed string) []string {
		dbURL := dbtest.URL(t)
		mustRun(t, environ{"DATABASE_URL": dbURL}, "seed", "--users", "3", "--tasks", "40", "--seed", seed)
		s := openTestStore(t, dbURL)
		r, err := s.DB().QueryContext(t.Context(), rows)
		if err != nil {
			t.Fatal(err)
		}
		defer r.Close()
		var got []string
		for r.Next() {
			var row string
			if err := r.Scan(&row); err != nil {
				t.Fatal(err)
			}
			got = append(got, row)
		}
		return got
	}
	a, b, c := load("7"), load("7"), load("8")
	if strings.Join(a, "\n") != strings.Join(b, "\n") {
		t.Error("the same --seed gave different tasks")
	}
	if strings.Join(a, "\n") == strings.Join(c, "\n") {
		t.Error("different --seed values gave the same tasks")
	}
}

func TestUsageErrors(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name string
		env  environ
		args []string
		want string
	}{
		{"unknown command", nil, []string{"bogus"}, `unknown command "bogus"`},
		{"unknown serve flag", nil, []string{"serve", "--nope"}, "-nope"},
		{"unknown flag without command", nil, []string{"--nope"}, "-nope"},
		{"serve argument", nil, []string{"serve", "now"}, `unexpected argument "now"`},
		{"bad --secure-cookies", nil, []string{"serve", "--secure-cookies", "yes"}, "--secure-cookies must be auto, true or false"},
		{"migrate without action", nil, []string{"migrate"}, "up, down or status"},
		{"migrate unknown action", nil, []string{"migrate", "sideways"}, `"sideways"`},
		{"migrate two actions", nil, []string{"migrate", "up", "down"}, "up, down or status"},
		{"seed tasks without users", nil, []string{"seed", "--tasks", "3"}, "--tasks needs --users"},
		{"seed zero users", nil, []string{"seed", "--users", "0"}, "--users must be at least 1"},
		{"seed negative tasks", nil, []string{"seed", "--users", "1", "--tasks", "-1"}, "--tasks must not be negative"},
		{"seed non-number", nil, []string{"seed", "--users", "many"}, "-users"},
		{"seed --seed alone", nil, []string{"seed", "--seed", "3"}, "--seed applies only with"},
		{"seed argument", nil, []string{"seed", "now"}, `unexpected argument "now"`},
		{"help unknown", nil, []string{"help", "bogus"}, `unknown command "bogus"`},
		{"user without action", nil, []string{"user"}, "add, list, reset-password, delete or restore"},
		{"user unknown action", nil, []string{"user", "promote"}, `unknown command "promote"`},
		{"user add without email", nil, []string{"user", "add"}, "which account? Give its EMAIL"},
		{"user add bad email", nil, []string{"user", "add", "not-an-email"}, `"not-an-email" is not an email address`},
		{"user add password in argv", nil, []string{"user", "add", "pat@example.com", "hunter22"}, `unexpected argument "hunter22"`},
		{"user list argument", nil, []string{"user", "list", "all"}, `unexpected argument "all"`},
		{"user reset-password without email", nil, []string{"user", "reset-password"}, "which account?"},
		{"user delete unknown flag", nil, []string{"user", "delete", "--force", "pat@example.com"}, "-force"},
		{"user delete two emails", nil, []string{"user", "delete", "a@example.com", "b@example.com"}, `unexpected argument "b@example.com"`},
		{"purge argument", nil, []string{"purge", "now"}, `unexpected argument "now"`},
		{"user restore without email", nil, []string{"user", "restore"}, "which account?"},
		{"account retention word", environ{"ACCOUNT_RETENTION": "a month"}, []string{"purge"}, `ACCOUNT_RETENTION must be a positive number of days such as 30d, or a duration such as 720h, not "a month"`},
		{"account retention zero", environ{"ACCOUNT_RETENTION": "0d"}, []string{"serve"}, "ACCOUNT_RETENTION must be a positive"},
		{"account retention negative", environ{"ACCOUNT_RETENTION": "-24h"}, []string{"user", "list"}, "ACCOUNT_RETENTION must be a positive"},
		{"account retention huge", environ{"ACCOUNT_RETENTION": "999999999d"}, []string{"serve"}, "ACCOUNT_RETENTION must be a positive"},
		{"trash retention word", environ{"TRASH_RETENTION": "a week"}, []string{"purge"}, `TRASH_RETENTION must be a positive number of days such as 30d, or a duration such as 720h, not "a week"`},
		{"trash retention zero days", environ{"TRASH_RETENTION": "0d"}, []string{"purge"}, "TRASH_RETENTION must be a positive"},
		{"trash retention negative", environ{"TRASH_RETENTION": "-1h"}, []string{"serve"}, "TRASH_RETENTION must be a positive"},
		{"pool size word", environ{"DATABASE_POOL_SIZE": "ten"}, []string{"migrate", "up"}, `DATABASE_POOL_SIZE must be a positive whole number, not "ten"`},
		{"pool size zero", environ{"DATABASE_POOL_SIZE": "0"}, []string{"seed"}, "DATABASE_POOL_SIZE must be a positive"},
		{"pool size negative", environ{"DATABASE_POOL_SIZE": "-5"}, []string{"serve"}, "DATABASE_POOL_SIZE must be a positive"},
		{"pool size fraction", environ{"DATABASE_POOL_SIZE": "2.5"}, []string{"migrate", "status"}, "DATABASE_POOL_SIZE must be a positive"},
		{"echo", environ{"DATABASE_ECHO": "maybe"}, []string{"migrate", "status"}, "DATABASE_ECHO must be true, false, 1 or 0"},
		{"replica not postgres", environ{"DATABASE_URL": "postgres://db/x", "DATABASE_REPLICA_URLS": "postgres://r1/x, sqlite:r2.db"}, []string{"serve"}, "DATABASE_REPLICA_URLS must list postgres:// URLs"},
		{"replica without postgres", environ{"DATABASE_REPLICA_URLS": "postgres://r1/x"}, []string{"serve"}, "DATABASE_REPLICA_URLS needs DATABASE_URL to be PostgreSQL"},
		{"wait word", environ{"DATABASE_WAIT": "five"}, []string{"serve"}, `DATABASE_WAIT must be a positive duration such as 5s or 1500ms, not "five"`},
		{"wait zero", environ{"DATABASE_WAIT": "0s"}, []string{"serve"}, "DATABASE_WAIT must be a positive duration"},
		{"secure cookies", environ{"SECURE_COOKIES": "sometimes"}, nil, "SECURE_COOKIES must be auto, true or false"},
		{"log format", environ{"LOG_FORMAT": "xml"}, nil, "LOG_FORMAT must be text or json"},
		{"registration", environ{"REGISTRATION": "invite"}, nil, `REGISTRATION must be open or closed, not "invite"`},
		{"database scheme", environ{"DATABASE_URL": "mysql://db/x"}, []string{"migrate", "up"}, "DATABASE_URL must start with"},
		{"empty sqlite path", environ{"DATABASE_URL": "sqlite:"}, []string{"migrate", "up"}, "sqlite: needs a file path"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			// Where a database would go if the command wrongly got that far.
			dbPath := filepath.Join(t.TempDir(), "never.db")
			env := environ{"DATABASE_URL": "sqlite:" + dbPath}
			for k, v := range tt.env {
				env[k] = v
			}
			_, _, err := taskapp(t, env, tt.args...)
			var ue *usageError
			if !errors.As(err, &ue) {
				t.Fatalf("err = %v, want a usage error (exit 2)", err)
			}
			if msg := err.Error(); !strings.Contains(msg, tt.want) || strings.Contains(msg, "\n") {
				t.Errorf("err = %q, want one line containing %q", msg, tt.want)
			}
			if _, err := os.Stat(dbPath); !errors.Is(err, os.ErrNotExist) {
				t.Errorf("a usage error should stop before the database is opened (stat: %v)", err)
			}
		})
	}
}

func TestHelp(t *testing.T) {
	t.Parallel()
	tests := []struct {
		args []string
		want string
	}{
		{[]string{"help"}, "DATABASE_POOL_SIZE"},
		{[]string{"-h"}, "taskapp migrate up|down|status"},
		{[]string{"--help"}, "SECURE_COOKIES"},
		{[]string{"help", "seed"}, "-users N"},
		{[]string{"seed", "-h"}, "-tasks M"},
		{[]string{"help", "migrate"}, "roll back"},
		{[]string{"migrate", "--help"}, "roll back"},
		{[]string{"serve", "-h"}, "-addr HOST:PORT"},
		{[]string{"help", "serve"}, "-secure-cookies"},
		{[]string{"help", "user"}, "taskapp user reset-password EMAIL"},
		{[]string{"user", "--help"}, "taskapp user delete [--yes] EMAIL"},
		{[]string{"user", "delete", "-h"}, "-yes"},
		{[]string{"help", "purge"}, "expired sessions"},
		{[]string{"help"}, "ACCOUNT_RETENTION"},
		{[]string{"help", "user"}, "taskapp user restore EMAIL"},
		{[]string{"user", "restore", "-h"}, "ACCOUNT_RETENTION"},
		{[]string{"help", "purge"}, "--dry-run"},
		{[]string{"help"}, "TRASH_RETENTION"},
	}
	for _, tt := range tests {
		// Help needs no valid environment: a broken one must not hide it.
		out, _, err := taskapp(t, environ{"DATABASE_POOL_SIZE": "broken"}, tt.args...)
		if err != nil {
			t.Errorf("taskapp %s: %v", strings.Join(tt.args, " "), err)
		}
		if !strings.Contains(out, "Usage:") || !strings.Contains(out, tt.want) {
			t.Errorf("taskapp %s printed no usage with %q:\n%s", strings.Join(tt.args, " "), tt.want, out)
		}
	}
}

func TestUnreachableDatabase(t *testing.T) {
	t.Parallel()
	tests := []struct{ name, url, secret string }{
		{"no password", "postgres://nobody@127.0.0.1:1/x", ""},
		{"password in userinfo", "postgres://nobody:s3cret-pa55@127.0.0.1:1/x", "s3cret-pa55"},
		{"escaped password", "postgresql://nobody:p%40ss%2Fw0rd@127.0.0.1:1/x?sslmode=disable", "p@ss/w0rd"},
		{"password parameter", "postgres://nobody@127.0.0.1:1/x?password=hunter2hunter2", "hunter2hunter2"},
	}
	for _, tt := range tests {
		for _, args := range [][]string{{"migrate", "up"}, {"migrate", "status"}, {"seed"}, {"serve"}} {
			t.Run(tt.name+"/"+args[0], func(t *testing.T) {
				t.Parallel()
				out, errOut, err := taskapp(t, environ{"DATABASE_URL": tt.url}, args...)
				if err == nil {
					t.Fatal("no error from an unreachable database")
				}
				var ue *usageError
				if errors.As(err, &ue) {
					t.Errorf("an unreachable database is not a usage error (exit 1, not 2): %v", err)
				}
				msg := err.Error()
				if !strings.Contains(msg, "cannot reach") || !strings.Contains(msg, "127.0.0.1:1") {
					t.Errorf("err = %q, want it to say it cannot reach the database at 127.0.0.1:1", msg)
				}
				if strings.Contains(msg, "\n") {
					t.Errorf("err should be one line:\n%s", msg)
				}
				if tt.secret != "" {
					for _, s := range []string{tt.secret, "s3cret", "p%40ss", "hunter2"} {
						if strings.Contains(msg+out+errOut, s) {
							t.Errorf("the password leaked (%q):\nerr: %s\nstdout: %s\nstderr: %s", s, msg, out, errOut)
						}
					}
				}
			})
		}
	}
}

// TestDefaultDatabaseIsRelativeToWorkingDir is what `go run ./cmd/taskapp
// migrate up` does for a newcomer: with no DATABASE_URL the SQLite file is
// ./data/taskapp.db under the current directory.
func TestDefaultDatabaseIsRelativeToWorkingDir(t *testing.T) {
	dir := t.TempDir()
	t.Chdir(dir)
	env := environ{}

	mustRun(t, env, "migrate", "up")
	if _, err := os.Stat(filepath.Join(dir, "data", "taskapp.db")); err != nil {
		t.Fatalf("migrate up with no DATABASE_URL should create ./data/taskapp.db: %v", err)
	}
	mustRun(t, env, "seed")
	if _, out := status(t, env); !strings.Contains(out, "0 pending") {
		t.Errorf("status:\n%s", out)
	}
	s := openTestStore(t, "sqlite:"+filepath.Join(dir, "data", "taskapp.db"))
	if n := dbtest.Count(t, s, "SELECT count(*) FROM tasks"); n != 3 {
		t.Errorf("tasks in ./data/taskapp.db = %d, want the 3 sample tasks", n)
	}
	entries, _ := os.ReadDir(dir)
	if len(entries) != 1 || entries[0].Name() != "data" {
		t.Errorf("only ./data should appear in the working directory, found %v", entries)
	}
}

func TestLoadConfig(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name string
		env  environ
		args []string // serve's flags
		want func(c config) string
	}{
		{"defaults", environ{}, nil, func(c config) string {
			if c.DB.URL != "" || c.DB.PoolSize != 10 || c.DB.Echo || c.DB.WaitBudget != 5*time.Second ||
				c.Serve.Addr != "127.0.0.1:8080" || c.Serve.SecureCookies != "" ||
				c.Serve.SessionSecret != "" || c.Serve.DataDir != "data" || c.Serve.RegistrationClosed {
				return "not the product's defaults"
			}
			return ""
		}},
		{"environment", environ{
			"DATABASE_URL": "postgres://app@db.example:5432/tasks?sslmode=require", "DATABASE_POOL_SIZE": " 25 ",
			"DATABASE_ECHO": "TRUE", "LISTEN_ADDR": "0.0.0.0:9000", "SESSION_SECRET": "k1,k2",
			"SECURE_COOKIES": "true", "DATABASE_WAIT": "1500ms",
			"DATABASE_REPLICA_URLS": " postgres://r1/tasks ,postgresql://r2/tasks,",
		}, nil, func(c config) string {
			if len(c.DB.ReplicaURLs) != 2 || c.DB.ReplicaURLs[1] != "postgresql://r2/tasks" {
				return "DATABASE_REPLICA_URLS not read"
			}
			if c.DB.PoolSize != 25 || c.DB.WaitBudget != 1500*time.Millisecond || !c.DB.Echo || c.Serve.Addr != "0.0.0.0:9000" ||
				c.Serve.SessionSecret != "k1,k2" || c.Serve.SecureCookies != "true" || c.Serve.DataDir != "data" {
				return "environment not read"
			}
			return ""
		}},
		{"echo 1 and 0", environ{"DATABASE_ECHO": "1"}, nil, func(c config) string {
			if !c.DB.Echo {
				return "DATABASE_ECHO=1 should log SQL"
			}
			return ""
		}},
		{"registration closed", environ{"REGISTRATION": " Closed "}, nil, func(c config) string {
			if !c.Serve.RegistrationClosed {
				return "REGISTRATION=closed should close registration"
			}
			return ""
		}},
		{"registration open", environ{"REGISTRATION": "open"}, nil, func(c config) string {
			if c.Serve.RegistrationClosed {
				return "REGISTRATION=open should leave registration open"
			}
			return ""
		}},
		{"sqlite data dir", environ{"DATABASE_URL": "sqlite:/srv/taskapp/db/app.db"}, nil, func(c config) string {
			if c.Serve.DataDir != filepath.FromSlash("/srv/taskapp/db") {
				return "DataDir is " + c.Serve.DataDir + ", want the SQLite file's directory"
			}
			return ""
		}},
		{"flags override environment", environ{"LISTEN_ADDR": "127.0.0.1:1", "SECURE_COOKIES": "false"},
			[]string{"--addr", ":8081", "--secure-cookies=true"}, func(c config) string {
				if c.Serve.Addr != ":8081" || c.Serve.SecureCookies != "true" {
					return "flags should win over the environment"
				}
				return ""
			}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var stderr bytes.Buffer
			cfg, err := serveSettings(tt.args, tt.env.getenv, &bytes.Buffer{}, &stderr)
			if err != nil {
				t.Fatal(err)
			}
			if problem := tt.want(cfg); problem != "" {
				t.Errorf("%s: %+v", problem, cfg)
			}
			if cfg.Logger == nil || cfg.DB.Logger != cfg.Logger {
				t.Error("the database should log through the command's logger")
			}
		})
	}
}

func TestLogFormat(t *testing.T) {
	t.Parallel()
	for format, prefix := range map[string]string{"": "time=", "text": "time=", "json": "{"} {
		var stderr bytes.Buffer
		cfg, err := loadConfig(environ{"LOG_FORMAT": format}.getenv, &stderr)
		if err != nil {
			t.Fatal(err)
		}
		cfg.Logger.Info("hello")
		if !strings.HasPrefix(stderr.String(), prefix) {
			t.Errorf("LOG_FORMAT=%q logged %q, want it to start with %q", format, stderr.String(), prefix)
		}
	}
}

func TestRedact(t *testing.T) {
	t.Parallel()
	tests := []struct{ msg, url, want string }{
		{"dial postgres://u:pw1234@h/d failed", "postgres://u:pw1234@h/d", "dial postgres://u:xxxxx@h/d failed"},
		{"password p@ss/w0rd and p%40ss%2Fw0rd", "postgres://u:p%40ss%2Fw0rd@h/d", "password xxxxx and xxxxx"},
		{"x hunter22 y", "postgres://u@h/d?password=hunter22", "x xxxxx y"},
		{"bad url u:s3cret% here", "postgres://u:s3cret%@h/d", "bad url u:xxxxx here"},
		{"nothing to hide", "postgres://u@h/d", "nothing to hide"},
		{"nothing to hide", "", "nothing to hide"},
	}
	for _, tt := range tests {
		if got := redact(tt.msg, tt.url); got != tt.want {
			t.Errorf("redact(%q, %q) = %q, want %q", tt.msg, tt.url, got, tt.want)
		}
	}
}
