package scheduler

import (
	"bytes"
	"context"
	"fmt"

	"github.com/haocha/haocha/internal/report"
)

// reportActor is who issues the scheduled reports in the audit trail.
const reportActor = "scheduler"

// issueReports makes the report of the last month and quarter on the
// first working day after each, in every format, unless it was issued or
// the period has no reviews: a stored report is never made again, so a
// restart or a second process changes nothing. It reports how many files
// it stored.
func (s *Scheduler) issueReports(ctx context.Context) (int, error) {
	cal, err := s.Store.Calendar(ctx)
	if err != nil {
		return 0, err
	}
	now := s.Store.Now()
	issued := 0
	for _, p := range report.Due(now, cal) {
		var missing []report.Format
		for _, f := range report.Formats {
			ok, err := s.Store.HasReport(ctx, p.String(), f)
			if err != nil {
				return issued, err
			}
			if !ok {
				missing = append(missing, f)
			}
		}
		if len(missing) == 0 {
			continue
		}
		r, err := report.Build(ctx, s.Store, s.ReportAlerts, p, now)
		if err != nil {
			return issued, err
		}
		if r.City.N == 0 {
			// A period without a review has nothing to report: issuing
			// it would offer the office an empty 通报. Reviews stored
			// late for it are reported on the next tick.
			continue
		}
		for _, f := range missing {
			var buf bytes.Buffer
			if err := r.Write(&buf, f); err != nil {
				return issued, fmt.Errorf("report %s %s: %w", p, f, err)
			}
			saved, err := s.Store.SaveReport(ctx, p.String(), f, buf.Bytes(), reportActor)
			if err != nil {
				return issued, err
			}
			if saved {
				issued++
			}
		}
	}
	return issued, nil
}
