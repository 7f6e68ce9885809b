package main

import (
	"bytes"
	"context"
	"flag"
	"fmt"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"time"

	"github.com/haocha/haocha/internal/calendar"
	"github.com/haocha/haocha/internal/i18n"
	"github.com/haocha/haocha/internal/progress"
	"github.com/haocha/haocha/internal/recount"
	"github.com/haocha/haocha/internal/report"
	"github.com/haocha/haocha/internal/review"
	"github.com/haocha/haocha/internal/store"
	"github.com/haocha/haocha/internal/verify"
)

// runReport writes the periodic report (通报) of a month, quarter or year.
func runReport(ctx context.Context, fs *flag.FlagSet, args []string, out io.Writer) error {
	db := dbFlag(fs)
	period := fs.String("period", "", "the month (2026-07), quarter (2026-Q3) or year (2026) to report on")
	format := fs.String("format", "xlsx", "xlsx, csv (open data) or html (print-ready A4)")
	file := fs.String("out", "", "file to write (default: report-PERIOD.FORMAT in the current directory)")
	langFlag := fs.String("lang", "zh", "the report's language: zh or en")
	if err := fs.Parse(args); err != nil {
		return err
	}
	lang, ok := i18n.Parse(*langFlag)
	if !ok {
		return fmt.Errorf("report: --lang: want zh or en, got %q", *langFlag)
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
		path = report.FilenameIn(p, f, lang)
	}
	st, err := openStore(ctx, *db)
	if err != nil {
		return err
	}
	defer st.Close()
	// The parts read, then the file written: the bar's last step.
	bar := progress.New(progressOut(fs), int64(report.Parts()+1), "report "+p.String())
	defer bar.Finish()
	r, err := report.BuildParts(ctx, st, st, p, st.Now(), func() { bar.Add(1) })
	if err != nil {
		return err
	}
	var buf bytes.Buffer
	if err := r.Write(&buf, f, lang); err != nil {
		return fmt.Errorf("report: %w", err)
	}
	bar.Add(1)
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

// runIndex is `haocha index verify`.
func runIndex(ctx context.Context, fs *flag.FlagSet, args []string, out io.Writer) error {
	if len(args) == 0 || args[0] != "verify" {
		return fmt.Errorf("index: want verify")
	}
	db := dbFlag(fs)
	fromFlag := fs.String("from", "", "first day (default: 30 days before to)")
	toFlag := fs.String("to", "", "last day (default: today)")
	server := fs.String("server", "", "compare what the server at this URL publishes, over the standard periods, with a recomputation in plain SQL over --db")
	if err := fs.Parse(args[1:]); err != nil {
		return err
	}
	st, err := openStore(ctx, *db)
	if err != nil {
		return err
	}
	defer st.Close()
	if *server != "" {
		return verifyServer(ctx, st, *server, out)
	}
	to := calendar.Midnight(st.Now())
	if *toFlag != "" {
		if to, err = calendar.ParseDay(*toFlag); err != nil {
			return fmt.Errorf("index verify: --to: want a date like 2026-08-05, got %q", *toFlag)
		}
	}
	from := to.AddDate(0, 0, -29)
	if *fromFlag != "" {
		if from, err = calendar.ParseDay(*fromFlag); err != nil {
			return fmt.Errorf("index verify: --from: want a date like 2026-07-20, got %q", *fromFlag)
		}
	}
	if to.Before(from) {
		return fmt.Errorf("index verify: --to is before --from")
	}
	res, err := verify.Run(ctx, st, from, to)
	if err != nil {
		return err
	}
	for _, d := range res.Differences {
		fmt.Fprintln(out, d)
	}
	span := from.Format(time.DateOnly) + " to " + to.Format(time.DateOnly)
	if len(res.Differences) > 0 {
		return fmt.Errorf("index verify %s: %d differences", span, len(res.Differences))
	}
	fmt.Fprintf(out, "index verify %s: %d members' indexes and %d statistics recomputed from the raw rows; no difference\n",
		span, res.Members, res.Figures)
	return nil
}

// verifyServer is `haocha index verify --server URL`: every board the
// server publishes against internal/recount's plain SQL over the database.
func verifyServer(ctx context.Context, st *store.Store, server string, out io.Writer) error {
	cal, err := st.Calendar(ctx)
	if err != nil {
		return err
	}
	// A supervisor's API token adds the 12345 operators' own figures,
	// which are not public; from the environment, never a flag (ps).
	check := recount.Check{Server: server, Client: &http.Client{Timeout: time.Minute}, DB: st.DB(), Now: st.Now(),
		Workday: cal.IsWorkday, Tags: review.TagNames(), Token: os.Getenv("HAOCHA_VERIFY_TOKEN")}
	res, err := check.Run(ctx)
	if err != nil {
		return fmt.Errorf("index verify --server: %w", err)
	}
	for _, d := range res.Differences {
		fmt.Fprintln(out, d)
	}
	if len(res.Differences) > 0 {
		return fmt.Errorf("index verify --server %s: %d differences", server, len(res.Differences))
	}
	operators := "the operators' own figures not checked (set HAOCHA_VERIFY_TOKEN to a supervisor's API token)"
	if res.Operators {
		operators = "the operators' own figures included"
	}
	fmt.Fprintf(out, "index verify --server %s: %d members over %d periods recomputed in SQL from the raw tables as of each board's computed_at, %s, %d requests; no difference\n",
		server, res.Members, len(recount.StandardPeriods(check.Now)), operators, res.Requests)
	return nil
}
