package main

import (
	"log/slog"
	"strings"
	"testing"
	"time"
)

func batchLog() (*slog.Logger, *syncBuffer) {
	w := &syncBuffer{}
	out := &logBatch{w: w}
	return slog.New(flushing{slog.NewTextHandler(out, nil), out}), w
}

// TestLogLinesAreWrittenSoon: request lines are written together, but
// within the batch period, not held until the next warning.
func TestLogLinesAreWrittenSoon(t *testing.T) {
	log, w := batchLog()
	log.Info("request", "path", "/api/v1/reviews")
	log.Info("request", "path", "/index")
	deadline := time.Now().Add(10 * logEvery)
	for !strings.Contains(w.String(), "/index") {
		if time.Now().After(deadline) {
			t.Fatalf("after %v the log holds %q", 10*logEvery, w.String())
		}
		time.Sleep(logEvery / 4)
	}
	if got := w.String(); strings.Index(got, "/api/v1/reviews") > strings.Index(got, "/index") {
		t.Errorf("lines out of order: %q", got)
	}
}

// TestLogWarningIsWrittenAtOnce: a warning goes out at once, after the
// lines logged before it.
func TestLogWarningIsWrittenAtOnce(t *testing.T) {
	log, w := batchLog()
	log.Info("request", "path", "/index")
	log.With("part", "store").Warn("database unavailable")
	got := w.String()
	i, j := strings.Index(got, "/index"), strings.Index(got, "database unavailable")
	if i < 0 || j < i {
		t.Errorf("right after the warning the log holds %q, want the request line and then the warning", got)
	}
}

// TestLogBatchIsBounded: past logBatchMax bytes waiting, the lines are
// written without waiting for the period.
func TestLogBatchIsBounded(t *testing.T) {
	log, w := batchLog()
	line := strings.Repeat("x", 1000)
	for range logBatchMax / 1000 {
		log.Info("request", "path", line)
	}
	if len(w.String()) < logBatchMax/2 {
		t.Errorf("%d bytes written after %d KiB of lines, want them written", len(w.String()), logBatchMax>>10)
	}
}
