package main

import (
	"cmp"
	"fmt"
	"runtime"
	"runtime/debug"
)

// versionLine is what "haocha version" prints: the version, the commit and
// the Go that built it. A package build names them with -ldflags; a plain
// "go build" in a git checkout has the commit from the toolchain's
// build information (vcs.revision), marked when the tree had changes.
func versionLine() string {
	version, commit, modified := Version, Commit, false
	if bi, ok := debug.ReadBuildInfo(); ok {
		if version == "dev" && bi.Main.Version != "" && bi.Main.Version != "(devel)" {
			version = bi.Main.Version // go install module@version
		}
		for _, s := range bi.Settings {
			switch s.Key {
			case "vcs.revision":
				commit = cmp.Or(commit, s.Value)
			case "vcs.modified":
				modified = s.Value == "true" && Commit == ""
			}
		}
	}
	commit = cmp.Or(commit, "unknown")
	if modified {
		commit += " (modified)"
	}
	return fmt.Sprintf("haocha %s commit %s %s", version, commit, runtime.Version())
}
