package storetest

import (
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
