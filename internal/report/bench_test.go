package report_test

import (
	"bytes"
	"context"
	"os"
	"strconv"
	"testing"
	"time"

	"github.com/haocha/haocha/internal/calendar"
	"github.com/haocha/haocha/internal/demo"
	"github.com/haocha/haocha/internal/report"
	"github.com/haocha/haocha/internal/store/storetest"
)

// BenchmarkYearReportXLSX builds a year's city report from a year of
// reviews (HAOCHA_BENCH_REVIEWS, 300,000 by default: the trial's rate over
// a year) on SQLite and writes it as XLSX. The goal is under 10 s.
func BenchmarkYearReportXLSX(b *testing.B) {
	n := 300_000
	if v, err := strconv.Atoi(os.Getenv("HAOCHA_BENCH_REVIEWS")); err == nil && v > 0 {
		n = v
	}
	ctx := context.Background()
	st := storetest.Open(b, storetest.SQLiteDSN(b))
	now := time.Date(2027, 1, 4, 9, 0, 0, 0, calendar.Zone)
	st.Now = func() time.Time { return now }
	err := demo.Load(ctx, st, demo.Options{Reviews: n, Seed: 1, From: time.Date(2026, 1, 1, 0, 0, 0, 0, calendar.Zone), Days: 365, Now: now, Frozen: true})
	if err != nil {
		b.Fatal(err)
	}
	p, _ := report.ParsePeriod("2026")
	b.ResetTimer()
	for b.Loop() {
		r, err := report.Build(ctx, st, nil, p, now)
		if err != nil {
			b.Fatal(err)
		}
		var buf bytes.Buffer
		if err := r.Write(&buf, report.XLSX); err != nil {
			b.Fatal(err)
		}
		b.ReportMetric(float64(buf.Len()), "bytes")
	}
	b.ReportMetric(float64(n), "reviews")
}
