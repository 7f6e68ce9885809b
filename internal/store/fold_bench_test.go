package store

import (
	"fmt"
	"syscall"
	"testing"
	"time"

	"github.com/haocha/haocha/internal/calendar"
	"github.com/haocha/haocha/internal/review"
)

// BenchmarkFoldRows is the Go side of a fold of a busy second, without
// the database: 1,000 reviews over a city's catalogue (200 items of five
// stages, 60 units, 16 districts, the channels, 200 halls; a third
// unverified), encoded into delta rows of 16 as the group commit writes
// them, read back and summed into rollup rows, and the upserts made:
//
//	go test ./internal/store -run '^$' -bench FoldRows -benchmem
func BenchmarkFoldRows(b *testing.B) {
	const n = 1000
	channels := []review.Channel{review.Window, review.Tablet, review.Kiosk, review.PC, review.App,
		review.WeChat, review.Alipay, review.Hotline}
	at := time.Date(2026, 7, 22, 10, 0, 0, 0, calendar.Zone)
	var blobs [][]byte
	var ru *rollups
	for i := range n {
		if i%16 == 0 {
			ru = &rollups{month: monthOf(at)}
		}
		item := i * 7919 % 200
		r := &review.Review{CreatedAt: at.Add(time.Duration(i) * time.Millisecond), Channel: channels[i%len(channels)],
			Item: fmt.Sprintf("ITEM-%03d", item), Stage: fmt.Sprintf("stage-%d", i%5), Unit: fmt.Sprintf("U%02d", item%60),
			District: fmt.Sprintf("D%02d", item%16), Stars: 1 + i%5, DimensionSet: 1, Scores: []int{5, 4, 5, 0, 0, 0},
			Origin: review.Free, Verification: review.ByPresence}
		if i%3 == 0 {
			r.Hall, r.Verification = fmt.Sprintf("H%03d", i*31%200), review.Unverified
		}
		ru.add(r, 1)
		if i%16 == 15 || i == n-1 {
			blobs = append(blobs, ru.buf)
		}
	}
	s := &Store{}
	b.ReportAllocs()
	cpu := processCPU()
	var args []any // kept from fold to fold, as the store's folder keeps it
	for b.Loop() {
		rr := s.newRollupRows()
		for _, blob := range blobs {
			if _, err := rr.addDeltas(blob); err != nil {
				b.Fatal(err)
			}
		}
		var st []stmt
		st, args = rr.stmtsIn(args[:0])
		if len(st) == 0 {
			b.Fatal("no statements")
		}
	}
	// CPU rather than wall time: on a shared machine the wall time is
	// mostly waiting for a core.
	b.ReportMetric(float64((processCPU()-cpu).Nanoseconds())/float64(b.N*n), "cpu-ns/review")
}

// processCPU is this process's CPU time so far, user and system.
func processCPU() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}
