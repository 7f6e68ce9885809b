package main

import (
	"bytes"
	"context"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"

	"github.com/haocha/haocha/internal/report"
)

// runReport writes the periodic report (通报) of a month, quarter or year.
func runReport(ctx context.Context, fs *flag.FlagSet, args []string, out io.Writer) error {
	db := dbFlag(fs)
	period := fs.String("period", "", "the month (2026-07), quarter (2026-Q3) or year (2026) to report on")
	format := fs.String("format", "xlsx", "xlsx, csv (open data) or html (print-ready A4)")
	file := fs.String("out", "", "file to write (default: report-PERIOD.FORMAT in the current directory)")
	if err := fs.Parse(args); err != nil {
		return err
	}
	p, err := report.ParsePeriod(*period)
	if err != nil {
		return fmt.Errorf("report: --period: %w", err)
	}
	f, err := report.ParseFormat(*format)
	if err != nil {
		return fmt.Errorf("report: --format: %w", err)
	}
	path := *file
	if path == "" {
		path = report.Filename(p, f)
	}
	st, err := openStore(ctx, *db)
	if err != nil {
		return err
	}
	defer st.Close()
	r, err := report.Build(ctx, st, nil, p, st.Now())
	if err != nil {
		return err
	}
	var buf bytes.Buffer
	if err := r.Write(&buf, f); err != nil {
		return fmt.Errorf("report: %w", err)
	}
	if err := os.WriteFile(path, buf.Bytes(), 0o644); err != nil {
		return fmt.Errorf("report: %w", err)
	}
	abs, err := filepath.Abs(path)
	if err != nil {
		abs = path
	}
	fmt.Fprintln(out, abs)
	return nil
}
