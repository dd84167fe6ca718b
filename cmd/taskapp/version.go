package main

import (
	"fmt"
	"io"
	"runtime/debug"
)

const versionUsage = `Usage: taskapp version

Prints the version of this binary, the commit it was built from (and
whether the work tree had uncommitted changes) and the Go version.
`

// runVersion prints what the Go toolchain stamped into the binary: the
// module version (from a release tag, or a pseudo-version) and the VCS
// commit. Both survive -trimpath and -ldflags "-s -w", which remove file
// paths and symbols, not the build information.
func runVersion(args []string, stdout io.Writer) error {
	if len(args) > 0 {
		if isHelpFlag(args[0]) {
			fmt.Fprint(stdout, versionUsage)
			return nil
		}
		return usageErrorf("version takes no arguments (run 'taskapp help version' for usage)")
	}
	info, ok := debug.ReadBuildInfo()
	if !ok {
		info = nil
	}
	fmt.Fprintln(stdout, versionLine(info))
	return nil
}

// versionLine describes info in one line, e.g.
// "taskapp v1.2.0 (commit 0a1b2c3d4e5f, 2026-12-07T15:00:00Z) go1.26.10".
func versionLine(info *debug.BuildInfo) string {
	if info == nil {
		return "taskapp (no build information)"
	}
	version := info.Main.Version
	if version == "" {
		version = "(devel)"
	}
	var commit, when string
	modified := false
	for _, s := range info.Settings {
		switch s.Key {
		case "vcs.revision":
			commit = s.Value
		case "vcs.time":
			when = s.Value
		case "vcs.modified":
			modified = s.Value == "true"
		}
	}
	vcs := "commit unknown"
	if commit != "" {
		vcs = "commit " + commit
		if modified {
			vcs += ", modified"
		}
		if when != "" {
			vcs += ", " + when
		}
	}
	return fmt.Sprintf("taskapp %s (%s) %s", version, vcs, info.GoVersion)
}
