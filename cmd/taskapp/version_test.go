package main

import (
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"runtime/debug"
	"strings"
	"testing"
)

func TestVersionLine(t *testing.T) {
	t.Parallel()
	info := &debug.BuildInfo{GoVersion: "go1.26.10", Main: debug.Module{Path: "taskapp", Version: "v1.2.0"}}
	for _, tc := range []struct {
		name     string
		settings []debug.BuildSetting
		want     string
	}{
		{"release", []debug.BuildSetting{{Key: "vcs.revision", Value: "0a1b2c"}, {Key: "vcs.time", Value: "2026-12-07T15:00:00Z"}, {Key: "vcs.modified", Value: "false"}},
			"taskapp v1.2.0 (commit 0a1b2c, 2026-12-07T15:00:00Z) go1.26.10"},
		{"uncommitted changes", []debug.BuildSetting{{Key: "vcs.revision", Value: "0a1b2c"}, {Key: "vcs.modified", Value: "true"}},
			"taskapp v1.2.0 (commit 0a1b2c, modified) go1.26.10"},
		{"no VCS (a source tarball)", nil, "taskapp v1.2.0 (commit unknown) go1.26.10"},
	} {
		i := *info
		i.Settings = tc.settings
		if got := versionLine(&i); got != tc.want {
			t.Errorf("%s: %q, want %q", tc.name, got, tc.want)
		}
	}
	if got := versionLine(nil); got != "taskapp (no build information)" {
		t.Errorf("without build information: %q", got)
	}
}

// The release build (-trimpath -ldflags "-s -w", as in the Taskfile and
// the README) keeps the build information: `taskapp version` shows the
// module version and commit that `go version -m` reads from the same
// file. In a plain clone the commit is there; in a git worktree (which
// the go command does not stamp) it says the commit is unknown.
func TestVersionOfReleaseBuild(t *testing.T) {
	if testing.Short() {
		t.Skip("builds the binary")
	}
	t.Parallel()
	bin := filepath.Join(t.TempDir(), "taskapp")
	build := exec.Command("go", "build", "-trimpath", "-ldflags", "-s -w", "-buildvcs=true", "-o", bin, ".")
	build.Env = append(os.Environ(), "CGO_ENABLED=0")
	if out, err := build.CombinedOutput(); err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	out, err := exec.Command(bin, "version").Output()
	if err != nil {
		t.Fatalf("taskapp version: %v", err)
	}
	got := strings.TrimSpace(string(out))
	meta, err := exec.Command("go", "version", "-m", bin).Output()
	if err != nil {
		t.Fatal(err)
	}
	field := func(re string) string {
		if m := regexp.MustCompile(re).FindSubmatch(meta); m != nil {
			return string(m[1])
		}
		return ""
	}
	mod, rev := field(`(?m)^\tmod\ttaskapp\t(\S+)`), field(`(?m)^\tbuild\tvcs\.revision=(\S+)`)
	if mod == "" || !strings.HasPrefix(got, "taskapp "+mod+" (") {
		t.Errorf("taskapp version = %q, want the module version %q", got, mod)
	}
	wantCommit := "commit unknown"
	if rev != "" {
		wantCommit = "commit " + rev
	}
	if !strings.Contains(got, "("+wantCommit) {
		t.Errorf("taskapp version = %q, want %q", got, wantCommit)
	}
	t.Logf("%s", got)
}
