package main

import (
	"runtime/debug"
	"testing"
)

// TestServeCollectorTarget: serve sets the collector's target to
// serveGCPercent, unless GOGC gives one.
func TestServeCollectorTarget(t *testing.T) {
	was := debug.SetGCPercent(100)
	t.Cleanup(func() { debug.SetGCPercent(was) })
	t.Setenv("GOGC", "")
	serveCollector()
	if got := debug.SetGCPercent(100); got != serveGCPercent {
		t.Errorf("without GOGC the target is %d, want %d", got, serveGCPercent)
	}
	t.Setenv("GOGC", "100")
	serveCollector()
	if got := debug.SetGCPercent(100); got != 100 {
		t.Errorf("with GOGC=100 the target is %d, want the operator's 100", got)
	}
}
