// Package transaction holds what a transaction (办件) is: a finished piece
// of service a business system reports, so that the citizen rates that
// very transaction (一次一评) and the share never rated (未评率) is known.
// It holds the record's rules and its rating window; storage and HTTP
// depend on it.
package transaction

import (
	"strings"
	"time"
	"unicode/utf8"

	"github.com/haocha/haocha/internal/apperr"
	"github.com/haocha/haocha/internal/review"
)

// ApplicantKind tells a person from an organisation.
type ApplicantKind string

// Applicant kinds.
const (
	Person       ApplicantKind = "person"
	Organisation ApplicantKind = "organisation"
)

// MaxBatch is the most records one report may carry.
const MaxBatch = 1000

// DefaultRatingDays is how long after a transaction finished it may be
// rated, unless configured otherwise.
const DefaultRatingDays = 15

// DefaultStars is the rating a default review (默认好评) records: 满意.
const DefaultStars = 4

// Outcome is what became of a transaction when its rating window closed.
type Outcome string

// Outcomes. A transaction whose window is open has none.
const (
	Rated   Outcome = "rated"   // a review was given for it
	Unrated Outcome = "unrated" // none was: it counts as unrated
	// Defaulted: none was, and the default-review policy recorded one; it
	// still counts as unrated, since the citizen gave nothing.
	Defaulted Outcome = "default"
)

// Record is a transaction as a business system sends it.
type Record struct {
	Number        string   `json:"number"`
	Item          string   `json:"item"`
	Stages        []string `json:"stages"`
	Unit          string   `json:"unit"`
	Hall          string   `json:"hall,omitempty"`
	Workstation   string   `json:"workstation,omitempty"`
	Channel       string   `json:"channel,omitempty"`
	Staff         string   `json:"staff,omitempty"`
	ApplicantKind string   `json:"applicant_kind"`
	AcceptedAt    string   `json:"accepted_at"`
	FinishedAt    string   `json:"finished_at"`
	Phone         string   `json:"phone,omitempty"`
}

// Transaction is a checked record.
type Transaction struct {
	Number        string
	Item          string
	Stages        []string
	Unit          string
	District      string
	Hall          string
	Window        string
	Workstation   string
	Channel       review.Channel
	Staff         string
	ApplicantKind ApplicantKind
	AcceptedAt    time.Time
	FinishedAt    time.Time
	Phone         string // "" when not given; personal data
	// RatingClosesAt is when the rating window closes.
	RatingClosesAt time.Time
	// ReportedAt is when the business system reported it: zero means now,
	// as for every report; only a history loaded at once (the demo's) sets it.
	ReportedAt time.Time
}

// offline channels need a workstation; the others are online.
func offline(c review.Channel) bool {
	return c == review.Window || c == review.Tablet || c == review.Kiosk
}

// Check validates everything in rec that does not need the catalogue and
// returns the transaction it describes, its rating window ratingDays long.
func (rec Record) Check(ratingDays int) (*Transaction, error) {
	t := &Transaction{
		Number:        strings.TrimSpace(rec.Number),
		Item:          strings.TrimSpace(rec.Item),
		Unit:          strings.TrimSpace(rec.Unit),
		Hall:          strings.TrimSpace(rec.Hall),
		Workstation:   strings.TrimSpace(rec.Workstation),
		Channel:       review.Channel(strings.TrimSpace(rec.Channel)),
		Staff:         strings.TrimSpace(rec.Staff),
		ApplicantKind: ApplicantKind(strings.TrimSpace(rec.ApplicantKind)),
	}
	for _, f := range []struct{ field, text string }{{"number", t.Number}, {"item", t.Item}, {"unit", t.Unit},
		{"hall", t.Hall}, {"workstation", t.Workstation}, {"staff", t.Staff}} {
		if err := review.CheckText(f.field, f.text, false); err != nil {
			return nil, err
		}
	}
	switch {
	case t.Number == "":
		return nil, apperr.Invalidf("number", "required")
	case utf8.RuneCountInString(t.Number) > review.MaxTransaction:
		return nil, apperr.Invalidf("number", "longer than %d characters", review.MaxTransaction)
	case t.Item == "":
		return nil, apperr.Invalidf("item", "required")
	case len(rec.Stages) == 0:
		return nil, apperr.Invalidf("stages", "name at least one stage")
	case t.Unit == "":
		return nil, apperr.Invalidf("unit", "required")
	case t.ApplicantKind != Person && t.ApplicantKind != Organisation:
		return nil, apperr.Invalidf("applicant_kind", "want person or organisation, got %q", rec.ApplicantKind)
	}
	seen := map[string]bool{}
	for _, s := range rec.Stages {
		s = strings.TrimSpace(s)
		if s == "" || seen[s] {
			return nil, apperr.Invalidf("stages", "an empty or repeated stage")
		}
		seen[s] = true
		t.Stages = append(t.Stages, s)
	}
	if err := t.checkPlace(); err != nil {
		return nil, err
	}
	var err error
	if t.AcceptedAt, err = parseTime("accepted_at", rec.AcceptedAt); err != nil {
		return nil, err
	}
	if t.FinishedAt, err = parseTime("finished_at", rec.FinishedAt); err != nil {
		return nil, err
	}
	if t.FinishedAt.Before(t.AcceptedAt) {
		return nil, apperr.Invalidf("finished_at", "before accepted_at")
	}
	if rec.Phone != "" {
		if t.Phone = review.NormalizePhone(rec.Phone); !review.ValidPhone(t.Phone) {
			return nil, apperr.Invalidf("phone", "not a phone number: want 11 digits of a mobile or a fixed line with area code")
		}
	}
	t.RatingClosesAt = RatingCloses(t.FinishedAt, ratingDays)
	return t, nil
}

// checkPlace: a transaction was served at a workstation (window, tablet or
// kiosk; window by default) or on an online channel, never both.
func (t *Transaction) checkPlace() error {
	if t.Workstation != "" {
		if t.Channel == "" {
			t.Channel = review.Window
		}
		if !offline(t.Channel) {
			return apperr.Invalidf("channel", "a transaction at a workstation has channel window, tablet or kiosk, got %q", t.Channel)
		}
		return nil
	}
	switch {
	case t.Hall != "":
		return apperr.Invalidf("workstation", "required with a hall")
	case t.Channel == "":
		return apperr.Invalidf("channel", "required: a workstation or an online channel")
	case !t.Channel.Valid():
		return apperr.Invalidf("channel", "unknown channel %q", t.Channel)
	case offline(t.Channel):
		return apperr.Invalidf("workstation", "required for channel %s", t.Channel)
	}
	return nil
}

func parseTime(field, s string) (time.Time, error) {
	if strings.TrimSpace(s) == "" {
		return time.Time{}, apperr.Invalidf(field, "required")
	}
	t, err := time.Parse(time.RFC3339, strings.TrimSpace(s))
	if err != nil {
		return time.Time{}, apperr.Invalidf(field, "want a time like 2026-07-20T10:30:00+08:00")
	}
	return t, nil
}

// RatingCloses is when the rating window of a transaction finished at
// finished closes, days later.
func RatingCloses(finished time.Time, days int) time.Time {
	return finished.AddDate(0, 0, days)
}

// Same reports whether u reports the same transaction as t: a repeat of
// one number with the same content is unchanged, with other content an
// error, so a business system that retries a batch never changes what was
// rated.
func (t *Transaction) Same(u *Transaction) bool {
	return t.Number == u.Number && t.Item == u.Item && strings.Join(t.Stages, " ") == strings.Join(u.Stages, " ") &&
		t.Unit == u.Unit && t.Hall == u.Hall && t.Workstation == u.Workstation && t.Channel == u.Channel &&
		t.Staff == u.Staff && t.ApplicantKind == u.ApplicantKind && t.AcceptedAt.Equal(u.AcceptedAt) &&
		t.FinishedAt.Equal(u.FinishedAt)
}

// HasStage reports whether the transaction went through stage.
func (t *Transaction) HasStage(stage string) bool {
	for _, s := range t.Stages {
		if s == stage {
			return true
		}
	}
	return false
}

// Status is what became of one record of a report.
type Status string

// Statuses.
const (
	Created   Status = "created"
	Unchanged Status = "unchanged"
	Failed    Status = "error"
)

// Result is the answer for one record.
type Result struct {
	Number string `json:"number"`
	Status Status `json:"status"`
	Error  string `json:"error,omitempty"`
	Field  string `json:"field,omitempty"`
}

// Fail is the result of a record refused with err.
func Fail(number string, err error) Result {
	r := Result{Number: number, Status: Failed, Error: err.Error()}
	if e := apperr.As(err); e != nil {
		r.Error, r.Field = e.Message, e.Field
	}
	return r
}
