// Command mutate checks that the test suite notices realistic bugs. It
// copies the repository to a temporary directory once, then for each named
// mutant in mutants.go replaces one exact piece of source text, runs the
// tests of the packages that own the behaviour, and puts the text back. A
// mutant whose tests fail is KILLED; one whose tests pass SURVIVED, and
// unless the list records why that is acceptable, the command fails.
//
// The working tree is never touched. Tests run on SQLite, or on PostgreSQL
// when TEST_DATABASE_URL is set, exactly as `go test` would run them.
//
//	go run ./cmd/mutate              # every mutant
//	go run ./cmd/mutate -run csrf    # mutants whose name matches
//	go run ./cmd/mutate -list        # names only
package main

import (
	"bytes"
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/exec"
	"os/signal"
	"path/filepath"
	"regexp"
	"strings"
	"time"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	defer stop()
	if err := run(ctx, os.Args[1:], os.Stdout); err != nil {
		fmt.Fprintln(os.Stderr, "mutate:", err)
		os.Exit(1)
	}
}

// outcome is what became of one mutant.
type outcome string

const (
	killed   outcome = "KILLED"
	survived outcome = "SURVIVED"
	skipped  outcome = "SKIPPED" // cannot be killed on this database
	stale    outcome = "STALE"   // the original text is gone: update the list
	broken   outcome = "BROKEN"  // the mutant does not compile: fix the list
)

func run(ctx context.Context, args []string, out io.Writer) error {
	fs := flag.NewFlagSet("mutate", flag.ContinueOnError)
	pattern := fs.String("run", "", "only mutants whose name matches this regular expression")
	list := fs.Bool("list", false, "list the mutants and exit")
	show := fs.Bool("v", false, "print go test's output for each mutant")
	skip := fs.String("skip", defaultSkip, "go test -skip: tests not run for any mutant")
	timeout := fs.Duration("timeout", 10*time.Minute, "go test -timeout for each mutant (a hang counts as killed)")
	if err := fs.Parse(args); err != nil {
		return err
	}
	re, err := regexp.Compile(*pattern)
	if err != nil {
		return fmt.Errorf("-run: %w", err)
	}
	var selected []mutant
	for _, m := range mutants {
		if re.MatchString(m.Name) {
			selected = append(selected, m)
		}
	}
	if *list {
		for _, m := range selected {
			fmt.Fprintf(out, "%-45s %s\n", m.Name, m.File)
		}
		return nil
	}
	if len(selected) == 0 {
		return errors.New("no mutant matches -run")
	}

	root, err := repoRoot(ctx)
	if err != nil {
		return err
	}
	work, err := os.MkdirTemp("", "taskapp-mutate-")
	if err != nil {
		return err
	}
	defer os.RemoveAll(work)
	if err := copyRepo(ctx, root, work); err != nil {
		return err
	}
	db := "sqlite"
	if os.Getenv("TEST_DATABASE_URL") != "" {
		db = "postgres"
	}
	t := tester{dir: work, timeout: *timeout, skip: *skip}

	start := time.Now()
	fmt.Fprintf(out, "mutate: %d mutants on %s, copy in %s\n", len(selected), db, work)
	if res := t.test(ctx, packagesOf(selected)); res.err != nil || res.failed {
		return fmt.Errorf("the unmutated suite does not pass, so no mutant can be judged:\n%s", res.output)
	}
	fmt.Fprintf(out, "baseline passes (%s)\n", time.Since(start).Round(time.Second))

	counts := map[outcome]int{}
	var unaccepted []string
	for i, m := range selected {
		if ctx.Err() != nil {
			return ctx.Err()
		}
		began := time.Now()
		o, detail, output := t.try(ctx, m, db)
		counts[o]++
		note := detail
		switch {
		case o == survived && m.Accepted != "":
			note = "accepted: " + m.Accepted
		case o == survived, o == stale, o == broken:
			unaccepted = append(unaccepted, m.Name)
		case o == killed && m.Accepted != "":
			note += "; it was listed as accepted, remove the note"
		}
		fmt.Fprintf(out, "[%2d/%d] %-8s %-45s %5s  %s\n", i+1, len(selected), o, m.Name,
			time.Since(began).Round(time.Second), note)
		if *show {
			out.Write(output)
		}
	}
	judged := counts[killed] + counts[survived]
	score := 0.0
	if judged > 0 {
		score = 100 * float64(counts[killed]) / float64(judged)
	}
	fmt.Fprintf(out, "\nscore %.1f%%: %d killed, %d survived, %d skipped, %d stale, %d broken; %s on %s\n",
		score, counts[killed], counts[survived], counts[skipped], counts[stale], counts[broken],
		time.Since(start).Round(time.Second), db)
	if len(unaccepted) > 0 {
		return fmt.Errorf("needs attention: %s", strings.Join(unaccepted, ", "))
	}
	return nil
}

// defaultSkip leaves out the outage tests: they stop and start a private
// PostgreSQL cluster, take minutes, fail on their timing when the machine
// is overloaded (a false KILLED, or a baseline that does not pass), and no
// mutant in the list touches the outage path they guard.
const defaultSkip = "^TestPostgres(RestartUnderWritersIsInvisible|LongOutageAnswers503)$"

// tester runs go test in the copy.
type tester struct {
	dir     string
	timeout time.Duration
	skip    string
}

type testResult struct {
	failed bool   // tests failed (or did not build)
	output []byte // go test's combined output
	err    error  // go test could not be run at all
}

func (t tester) test(ctx context.Context, pkgs []string) testResult {
	args := []string{"test", "-count=1", "-failfast", "-timeout", t.timeout.String()}
	if t.skip != "" {
		args = append(args, "-skip", t.skip)
	}
	args = append(args, pkgs...)
	cmd := exec.CommandContext(ctx, "go", args...)
	cmd.Dir = t.dir
	out, err := cmd.CombinedOutput()
	var exit *exec.ExitError
	if errors.As(err, &exit) {
		return testResult{failed: true, output: out}
	}
	return testResult{output: out, err: err}
}

// try applies m to the copy, runs its packages' tests and restores the
// file. It returns the outcome, a note for the report and go test's output.
func (t tester) try(ctx context.Context, m mutant, db string) (outcome, string, []byte) {
	if m.Only != "" && m.Only != db {
		return skipped, "only " + m.Only + " can kill it", nil
	}
	path := filepath.Join(t.dir, filepath.FromSlash(m.File))
	orig, err := os.ReadFile(path)
	if err != nil {
		return stale, err.Error(), nil
	}
	if n := bytes.Count(orig, []byte(m.From)); n != 1 {
		return stale, fmt.Sprintf("the original text occurs %d times in %s", n, m.File), nil
	}
	mutated := bytes.Replace(orig, []byte(m.From), []byte(m.To), 1)
	if err := os.WriteFile(path, mutated, 0o644); err != nil {
		return broken, err.Error(), nil
	}
	defer os.WriteFile(path, orig, 0o644)

	res := t.test(ctx, m.packages())
	switch {
	case res.err != nil:
		return broken, res.err.Error(), res.output
	case bytes.Contains(res.output, []byte("[build failed]")), bytes.Contains(res.output, []byte("[setup failed]")):
		return broken, firstLine(res.output), res.output
	case res.failed:
		return killed, failures(res.output), res.output
	}
	return survived, "", res.output
}

// failures names the first test that failed, for the report. Later ones
// are often knock-on failures: -failfast skips the subtests a test has not
// started yet, and its own checks after them then fail.
var failLine = regexp.MustCompile(`(?m)^--- FAIL: (\S+)`)

func failures(out []byte) string {
	if m := failLine.FindSubmatch(out); m != nil {
		return "by " + string(m[1])
	}
	return firstLine(out)
}

func firstLine(b []byte) string {
	line, _, _ := strings.Cut(strings.TrimSpace(string(b)), "\n")
	return line
}

func repoRoot(ctx context.Context) (string, error) {
	out, err := exec.CommandContext(ctx, "git", "rev-parse", "--show-toplevel").Output()
	if err != nil {
		return "", fmt.Errorf("run inside the repository: %w", err)
	}
	return strings.TrimSpace(string(out)), nil
}

// copyRepo copies the files git knows of (tracked, and untracked but not
// ignored) as they are in the working tree, so local edits are tested too.
func copyRepo(ctx context.Context, root, dst string) error {
	cmd := exec.CommandContext(ctx, "git", "ls-files", "-z", "--cached", "--others", "--exclude-standard")
	cmd.Dir = root
	out, err := cmd.Output()
	if err != nil {
		return fmt.Errorf("list files: %w", err)
	}
	for name := range strings.SplitSeq(strings.TrimRight(string(out), "\x00"), "\x00") {
		data, err := os.ReadFile(filepath.Join(root, name))
		if errors.Is(err, os.ErrNotExist) {
			continue // deleted in the working tree
		}
		if err != nil {
			return err
		}
		target := filepath.Join(dst, name)
		if err := os.MkdirAll(filepath.Dir(target), 0o755); err != nil {
			return err
		}
		if err := os.WriteFile(target, data, 0o644); err != nil {
			return err
		}
	}
	return nil
}
