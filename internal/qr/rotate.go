package qr

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/haocha/haocha/internal/calendar"
)

// Period is how often a workstation's token changes.
type Period string

// Periods. Days and weeks are counted in the city's time zone; a week
// begins on Monday.
const (
	Never  Period = "never" // one token for ever, as before rotation
	Daily  Period = "daily"
	Weekly Period = "weekly"
)

// ParsePeriod reads a rotation setting.
func ParsePeriod(s string) (Period, error) {
	switch p := Period(s); p {
	case Never, Daily, Weekly:
		return p, nil
	}
	return "", fmt.Errorf("qr rotation: want never, daily or weekly, got %q", s)
}

// Errors of Check. Both answer 403: the citizen is told to scan the code
// at the window again.
var (
	ErrInvalid = errors.New("workstation token does not match")
	ErrExpired = errors.New("workstation token has expired: scan the code at the window again")
)

// epochMonday is the Monday weeks are counted from: 1970-01-05 is day 4.
const epochMonday = 4

// day is the number of the day t falls on in the city, counted from
// 1970-01-01.
func day(t time.Time) int64 {
	y, m, d := t.In(calendar.Zone).Date()
	return time.Date(y, m, d, 0, 0, 0, 0, time.UTC).Unix() / 86400
}

// dayStart is when day n begins in the city.
func dayStart(n int64) time.Time {
	u := time.Unix(n*86400, 0).UTC()
	return time.Date(u.Year(), u.Month(), u.Day(), 0, 0, 0, 0, calendar.Zone)
}

// index is the number of the period t falls in.
func (p Period) index(t time.Time) int64 {
	d := day(t)
	if p == Weekly {
		return floorDiv(d-epochMonday, 7)
	}
	return d
}

// end is when period n ends.
func (p Period) end(n int64) time.Time {
	if p == Weekly {
		return dayStart((n+1)*7 + epochMonday)
	}
	return dayStart(n + 1)
}

func (p Period) letter() string { return string(p[:1]) } // "d" or "w"

func floorDiv(a, b int64) int64 {
	q := a / b
	if a%b != 0 && (a < 0) != (b < 0) {
		q--
	}
	return q
}

// Current is the token printed for workstation at now: the token of the
// period now falls in, or the lasting token when the signer does not
// rotate.
func (s *Signer) Current(workstation string, now time.Time) string {
	if s.Every == "" || s.Every == Never {
		return s.Sign(workstation)
	}
	return s.signPeriod(workstation, s.Every.letter()+strconv.FormatInt(s.Every.index(now), 10))
}

// signPeriod signs workstation for the period named id ("d20667",
// "w2952"); the token carries the id, so that it says when it was issued.
func (s *Signer) signPeriod(workstation, id string) string {
	m := hmac.New(sha256.New, s.key)
	m.Write([]byte("haocha/workstation/period\x00"))
	m.Write([]byte(id))
	m.Write([]byte{0})
	m.Write([]byte(workstation))
	return id + "." + base64.RawURLEncoding.EncodeToString(m.Sum(nil)[:tokenBytes])
}

// Check decides whether token admits a review at workstation at now: the
// token must be exactly one this signer issued for the workstation, for
// the current period or one that ended no more than Grace ago. A lasting
// token is taken only while the signer does not rotate.
func (s *Signer) Check(workstation, token string, now time.Time) error {
	id, _, timed := strings.Cut(token, ".")
	if !timed {
		if (s.Every == "" || s.Every == Never) && s.Verify(workstation, token) {
			return nil
		}
		return ErrInvalid
	}
	if len(id) < 2 {
		return ErrInvalid
	}
	p := Daily
	if id[0] == 'w' {
		p = Weekly
	} else if id[0] != 'd' {
		return ErrInvalid
	}
	n, err := strconv.ParseInt(id[1:], 10, 64)
	if err != nil || id[1:] != strconv.FormatInt(n, 10) {
		return ErrInvalid
	}
	if !hmac.Equal([]byte(token), []byte(s.signPeriod(workstation, id))) {
		return ErrInvalid
	}
	if n > p.index(now) {
		return ErrInvalid // issued for a period to come: not by this clock
	}
	if now.After(p.end(n).Add(s.Grace)) {
		return ErrExpired
	}
	return nil
}
