package metrics

import (
	"bufio"
	"context"
	"database/sql"
	"errors"
	"io"
	"log/slog"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	_ "modernc.org/sqlite"
)

// scrape returns the value of each series, by its line's name and labels.
func scrape(t *testing.T, m *Metrics) map[string]float64 {
	t.Helper()
	rec := httptest.NewRecorder()
	m.Handler().ServeHTTP(rec, httptest.NewRequest("GET", "/metrics", nil))
	series := map[string]float64{}
	sc := bufio.NewScanner(rec.Body)
	for sc.Scan() {
		line := sc.Text()
		if strings.HasPrefix(line, "#") {
			continue
		}
		i := strings.LastIndexByte(line, ' ')
		v, err := strconv.ParseFloat(line[i+1:], 64)
		if err != nil {
			t.Fatalf("line %q: %v", line, err)
		}
		series[line[:i]] = v
	}
	return series
}

func newTestMetrics(t testing.TB) *Metrics {
	db, err := sql.Open("sqlite", ":memory:")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	states := func(context.Context) (map[string]int64, error) { return nil, nil }
	return New(db, states, slog.New(slog.NewTextHandler(io.Discard, nil)))
}

// TestOperationsMetrics: every series an alerting rule reads is exported
// with the value of what it measures, under the name the rules use.
func TestOperationsMetrics(t *testing.T) {
	m := newTestMetrics(t)
	file := filepath.Join(t.TempDir(), "haocha.db")
	os.WriteFile(file, make([]byte, 4096), 0o600)
	os.WriteFile(file+"-wal", make([]byte, 1000), 0o600)
	queued := time.UnixMilli(1784628000500)
	m.Read(Readings{
		SMSOutbox:       func(context.Context) (int64, time.Time, error) { return 3, queued, nil },
		NationalFailing: func(context.Context) (int64, error) { return 2, nil },
		Checkpoint:      func(context.Context) (time.Time, error) { return time.Time{}, nil },
		ReplicationLag:  func(context.Context) (time.Duration, bool, error) { return 1500 * time.Millisecond, true, nil },
		SQLiteFile:      file,
	}, slog.New(slog.NewTextHandler(io.Discard, nil)))
	m.GroupCommitted(30 * time.Millisecond)
	m.GroupCommitted(2 * time.Second)
	m.SchedulerTicked(time.UnixMilli(1784628060250))
	m.NationalPushFailed()
	got := scrape(t, m)
	for name, want := range map[string]float64{
		"haocha_sms_outbox_backlog":                              3,
		"haocha_sms_outbox_oldest_timestamp_seconds":             1784628000.5,
		"haocha_national_push_failing_days":                      2,
		"haocha_audit_checkpoint_last_timestamp_seconds":         0, // never
		"haocha_db_replication_lag_seconds":                      1.5,
		"haocha_sqlite_file_bytes":                               5096,
		"haocha_group_commit_duration_seconds_count":             2,
		`haocha_group_commit_duration_seconds_bucket{le="0.05"}`: 1,
		"haocha_scheduler_last_tick_timestamp_seconds":           1784628060.25,
		"haocha_national_push_failures_total":                    1,
	} {
		if v, ok := got[name]; !ok || v != want {
			t.Errorf("%s = %v (exported %v), want %v", name, v, ok, want)
		}
	}
	if free, size := got["haocha_sqlite_disk_free_bytes"], got["haocha_sqlite_disk_size_bytes"]; free <= 0 || size < free {
		t.Errorf("sqlite disk: %v free of %v", free, size)
	}
}

// TestReadingsUnknown: a figure that cannot be read, or is not known, is
// left out rather than reported as 0, which the rules would take for a
// healthy value; the others are still exported.
func TestReadingsUnknown(t *testing.T) {
	m := newTestMetrics(t)
	m.Read(Readings{
		SMSOutbox:       func(context.Context) (int64, time.Time, error) { return 0, time.Time{}, errors.New("database gone") },
		NationalFailing: func(context.Context) (int64, error) { return 0, nil },
		ReplicationLag:  func(context.Context) (time.Duration, bool, error) { return 0, false, nil },
		SQLiteFile:      filepath.Join(t.TempDir(), "missing.db"),
	}, slog.New(slog.NewTextHandler(io.Discard, nil)))
	got := scrape(t, m)
	for _, name := range []string{"haocha_sms_outbox_backlog", "haocha_db_replication_lag_seconds", "haocha_sqlite_file_bytes", "haocha_audit_checkpoint_last_timestamp_seconds"} {
		if v, ok := got[name]; ok {
			t.Errorf("%s exported as %v, want it absent", name, v)
		}
	}
	if v, ok := got["haocha_national_push_failing_days"]; !ok || v != 0 {
		t.Errorf("haocha_national_push_failing_days = %v (exported %v), want 0", v, ok)
	}
	// A process that never ticked reports 0: the rules take the largest.
	if v, ok := got["haocha_scheduler_last_tick_timestamp_seconds"]; !ok || v != 0 {
		t.Errorf("haocha_scheduler_last_tick_timestamp_seconds = %v (exported %v), want 0", v, ok)
	}
}
