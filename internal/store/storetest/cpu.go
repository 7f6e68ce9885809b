package storetest

import (
	"database/sql"
	"fmt"
	"os"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"
)

// cpuTime is the user and system CPU time this process has used.
func cpuTime() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

// Rate measures a benchmark's records per second of wall time and this
// process's CPU time per record. On a machine shared with other work the
// first falls with the load and the second much less; the SQLite engine
// runs in the process, a PostgreSQL server does not.
type Rate struct{ cpu0 time.Duration }

// StartRate resets b's timer and starts measuring: call it after the setup.
func StartRate(b *testing.B) *Rate {
	b.ResetTimer()
	return &Rate{cpu0: cpuTime()}
}

// Report reports records (unit, e.g. "txn") per second and CPU µs each.
func (r *Rate) Report(b *testing.B, records int, unit string) {
	cpu := cpuTime() - r.cpu0
	b.ReportMetric(float64(records)/b.Elapsed().Seconds(), unit+"/s")
	b.ReportMetric(float64(cpu.Microseconds())/float64(records), "cpu-µs/"+unit)
}

// BackendsCPU is the CPU time so far of the PostgreSQL backends of db's
// database but the one asking (user + system from /proc/PID/stat, in
// clock ticks of 10 ms), when the server runs on this machine: a pool's
// connections stay open from one measurement to the next, so the
// difference is the database's work for what ran between. It leaves out
// the cluster's background processes (WAL writer, checkpointer), which
// other databases share.
func BackendsCPU(tb testing.TB, db *sql.DB) time.Duration {
	tb.Helper()
	rows, err := db.Query("SELECT pid FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid()")
	if err != nil {
		tb.Fatal(err)
	}
	defer rows.Close()
	var total time.Duration
	for rows.Next() {
		var pid int
		if err := rows.Scan(&pid); err != nil {
			tb.Fatal(err)
		}
		raw, err := os.ReadFile(fmt.Sprintf("/proc/%d/stat", pid))
		if err != nil {
			continue // ended meanwhile, or on another machine
		}
		// utime and stime: fields 14 and 15, the 12th and 13th after the
		// command's closing parenthesis.
		_, rest, _ := strings.Cut(string(raw), ") ")
		f := strings.Fields(rest)
		if len(f) < 13 {
			continue
		}
		u, _ := strconv.ParseInt(f[11], 10, 64)
		s, _ := strconv.ParseInt(f[12], 10, 64)
		total += time.Duration(u+s) * 10 * time.Millisecond
	}
	if err := rows.Err(); err != nil {
		tb.Fatal(err)
	}
	return total
}
