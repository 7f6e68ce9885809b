package report_test

import (
	"bytes"
	"context"
	"testing"

	"github.com/haocha/haocha/internal/demo/demotest"
	"github.com/haocha/haocha/internal/i18n"
	"github.com/haocha/haocha/internal/report"
)

// BenchmarkYearReportXLSX builds a year's city report from a year of
// reviews (HAOCHA_BENCH_REVIEWS, 300,000 by default: the trial's rate over
// a year) on SQLite and writes it as XLSX. The goal is under 10 s.
func BenchmarkYearReportXLSX(b *testing.B) {
	st, now, n := demotest.Year(b)
	ctx := context.Background()
	p, _ := report.ParsePeriod("2026")
	b.ResetTimer()
	for b.Loop() {
		r, err := report.Build(ctx, st, nil, p, now)
		if err != nil {
			b.Fatal(err)
		}
		var buf bytes.Buffer
		if err := r.Write(&buf, report.XLSX, i18n.ZH); err != nil {
			b.Fatal(err)
		}
		b.ReportMetric(float64(buf.Len()), "bytes")
	}
	b.ReportMetric(float64(n), "reviews")
}
