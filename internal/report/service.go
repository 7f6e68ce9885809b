package report

import (
	"bytes"
	"context"
	"strconv"
	"time"

	"github.com/haocha/haocha/internal/account"
	"github.com/haocha/haocha/internal/apperr"

	"github.com/haocha/haocha/internal/i18n"
)

// Issued is what reading issued reports and building assessments needs.
type Issued interface {
	Source
	Reports(ctx context.Context) ([]Stored, error)
	Report(ctx context.Context, period string, f Format, l i18n.Lang) (Stored, error)
}

// Service hands the General Office its issued reports and the year's
// assessment, for the console's pages and the API alike.
type Service struct {
	Store Issued
	Now   func() time.Time
}

// SupervisorOnly refuses everyone but the General Office: what names the
// papers, for the message.
func SupervisorOnly(by account.Actor, what string) error {
	if by.Role != account.Supervisor {
		return apperr.New(apperr.Forbidden, "", "%s are for the General Office (supervisor)", what)
	}
	return nil
}

// List is every issued report file, newest period first.
func (s *Service) List(ctx context.Context, by account.Actor) ([]Stored, error) {
	if err := SupervisorOnly(by, "reports"); err != nil {
		return nil, err
	}
	return s.Store.Reports(ctx)
}

// File is one issued report as stored in language l, with its file name.
// A report issued before reports were issued in English (migration 0155)
// has only its Chinese files: an English reader gets those, and the list
// says so (Stored.Lang), rather than a translation made now, whose
// figures could differ from those issued.
func (s *Service) File(ctx context.Context, by account.Actor, period, format string, l i18n.Lang) (string, Format, []byte, error) {
	if err := SupervisorOnly(by, "reports"); err != nil {
		return "", "", nil, err
	}
	p, err := ParsePeriod(period)
	if err != nil {
		return "", "", nil, err
	}
	f, err := ParseFormat(format)
	if err != nil {
		return "", "", nil, err
	}
	st, err := s.Store.Report(ctx, p.String(), f, l)
	if apperr.Is(err, apperr.NotFound) && l != i18n.ZH {
		st, err = s.Store.Report(ctx, p.String(), f, i18n.ZH)
	}
	if err != nil {
		return "", "", nil, err
	}
	return FilenameIn(p, f, st.Lang), f, st.Content, nil
}

// Assessment builds the assessment of year (this year when empty).
func (s *Service) Assessment(ctx context.Context, by account.Actor, year string) (*Assessment, error) {
	if err := SupervisorOnly(by, "assessments"); err != nil {
		return nil, err
	}
	y := s.Now().Year()
	if year != "" {
		n, err := strconv.Atoi(year)
		if err != nil || n < 2000 || n > 2999 {
			return nil, apperr.Invalidf("year", "want a year like 2026, got %q", year)
		}
		y = n
	}
	return BuildAssessment(ctx, s.Store, y, s.Now())
}

// Export is the assessment a as a file in format, with its file name.
func Export(a *Assessment, format string, lang i18n.Lang) (string, Format, []byte, error) {
	f, err := ParseFormat(format)
	if err != nil {
		return "", "", nil, err
	}
	var buf bytes.Buffer
	if err := a.Write(&buf, f, lang); err != nil {
		return "", "", nil, err
	}
	return a.Filename(f), f, buf.Bytes(), nil
}
