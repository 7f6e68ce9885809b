package scheduler

import (
	"context"
	"slices"

	"github.com/haocha/haocha/internal/i18n"
	"github.com/haocha/haocha/internal/report"
)

// reportActor is who issues the scheduled reports in the audit trail.
const reportActor = "scheduler"

// issueReports makes the report of the last month and quarter on the
// first working day after each, in every format and in both languages,
// unless it was issued or the period has no reviews: a stored report is
// never made again, so a restart or a second process changes nothing. It
// reports how many files it stored.
//
// Why both languages are stored when the report is issued, rather than
// the English rendered on demand from stored figures: an issued 通报 is a
// document the General Office sends out, and what was sent must be what
// anyone downloads later, byte for byte, with its SHA-256 in the audit
// trail. Rendering on demand would make the English file depend on the
// program's version (a reworded phrase, a renamed unit) and would need the
// figures kept in a second, parallel form; writing both files from one
// Build, in one transaction, fixes the English as firmly as the Chinese.
// A period issued before English was (Chinese files only) is not
// translated afterwards: the figures built now could differ from those
// issued, so its English readers get the Chinese files, marked as such.
func (s *Scheduler) issueReports(ctx context.Context) (int, error) {
	cal, err := s.Store.Calendar(ctx)
	if err != nil {
		return 0, err
	}
	now := s.Store.Now()
	issued := 0
	for _, p := range report.Due(now, cal) {
		have, err := s.Store.IssuedFiles(ctx, p.String())
		if err != nil {
			return issued, err
		}
		missing := missingFiles(p.String(), have)
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
		files, err := r.WriteFiles(missing)
		if err != nil {
			return issued, err
		}
		n, err := s.Store.SaveReports(ctx, files, reportActor)
		if err != nil {
			return issued, err
		}
		issued += n
	}
	return issued, nil
}

// missingFiles are the files of period still to issue, given those that
// were: every format in every language, except a language of which
// nothing was issued while another was (an issue made before that
// language was).
func missingFiles(period string, have []report.File) []report.File {
	issued := func(f report.Format, l i18n.Lang) bool {
		return slices.ContainsFunc(have, func(h report.File) bool { return h.Format == f && h.Lang == l })
	}
	anyIn := func(l i18n.Lang) bool {
		return slices.ContainsFunc(have, func(h report.File) bool { return h.Lang == l })
	}
	var out []report.File
	for _, l := range report.Langs {
		if len(have) > 0 && !anyIn(l) {
			continue
		}
		for _, f := range report.Formats {
			if !issued(f, l) {
				out = append(out, report.File{Period: period, Format: f, Lang: l})
			}
		}
	}
	return out
}
