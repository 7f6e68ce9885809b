package main

import (
	"os"
	"runtime/debug"
)

// serveGCPercent is the collector's target for `haocha serve`: the heap
// may grow by half its live data between collections, not by all of it
// (Go's default, GOGC=100). Past the parts each bounded by a setting
// (docs/operating.md, "Memory"), the collector's headroom was the largest
// part of the server's resident peak over the benchmark's intake: some 35
// MiB of heap past 35 live on SQLite, 50 past 50 on PostgreSQL; at 50 the
// peak fell from 152–156 to 126 MiB on SQLite, for collections twice as
// often (bench/RESULTS.md, "Server memory over the intake sequence").
const serveGCPercent = 50

// serveCollector sets the collector's target for serve, unless GOGC
// gives one: an operator's choice wins.
func serveCollector() {
	if os.Getenv("GOGC") == "" {
		debug.SetGCPercent(serveGCPercent)
	}
}
