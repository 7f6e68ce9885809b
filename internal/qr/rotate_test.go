package qr

import (
	"errors"
	"testing"
	"time"

	"github.com/haocha/haocha/internal/calendar"
)

// at is a moment in the city's time zone.
func at(s string) time.Time {
	t, err := time.ParseInLocation("2006-01-02 15:04", s, calendar.Zone)
	if err != nil {
		panic(err)
	}
	return t
}

// TestRotatingTokens prints a code at one moment and scans it at others:
// a token works through its period and the grace after it, then is
// refused as expired; it never works at another workstation, and a
// lasting (unrotated) token is refused once the signer rotates.
func TestRotatingTokens(t *testing.T) {
	const ws = "H310101-00-W01-01"
	weekly := mustSigner(t, "0123456789abcdef0123456789abcdef")
	weekly.Every, weekly.Grace = Weekly, 3*24*time.Hour
	daily := mustSigner(t, "0123456789abcdef0123456789abcdef")
	daily.Every, daily.Grace = Daily, 2*time.Hour
	never := mustSigner(t, "0123456789abcdef0123456789abcdef")
	// Wednesday 5 August 2026: its week runs Monday 3 to Sunday 9.
	printed := at("2026-08-05 10:00")
	tests := []struct {
		name    string
		s       *Signer
		token   string
		station string
		scanned time.Time
		want    error
	}{
		{"weekly, same day", weekly, weekly.Current(ws, printed), ws, printed, nil},
		{"weekly, Sunday night", weekly, weekly.Current(ws, printed), ws, at("2026-08-09 23:59"), nil},
		{"weekly, in the grace", weekly, weekly.Current(ws, printed), ws, at("2026-08-12 23:59"), nil},
		{"weekly, after the grace", weekly, weekly.Current(ws, printed), ws, at("2026-08-13 00:01"), ErrExpired},
		{"weekly, other workstation", weekly, weekly.Current(ws, printed), "H310101-00-W01-02", printed, ErrInvalid},
		{"weekly, a week before it was issued", weekly, weekly.Current(ws, printed), ws, at("2026-08-02 23:59"), ErrInvalid},
		{"daily, same evening", daily, daily.Current(ws, printed), ws, at("2026-08-05 23:00"), nil},
		{"daily, next morning in the grace", daily, daily.Current(ws, printed), ws, at("2026-08-06 01:59"), nil},
		{"daily, next morning after it", daily, daily.Current(ws, printed), ws, at("2026-08-06 02:01"), ErrExpired},
		{"lasting token while rotating", weekly, weekly.Sign(ws), ws, printed, ErrInvalid},
		{"lasting token, no rotation", never, never.Current(ws, printed), ws, at("2030-01-01 00:00"), nil},
		{"timed token's period edited", weekly, "w2953" + weekly.Current(ws, printed)[5:], ws, at("2026-08-12 00:00"), ErrInvalid},
		{"period spelt with a zero", weekly, "w02952." + "AAAAAAAAAAAAAAAAAAAAAA", ws, printed, ErrInvalid},
		{"unknown period letter", weekly, "m1.AAAAAAAAAAAAAAAAAAAAAA", ws, printed, ErrInvalid},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := tt.s.Check(tt.station, tt.token, tt.scanned); !errors.Is(got, tt.want) {
				t.Errorf("Check(%q) at %s = %v, want %v", tt.token, tt.scanned, got, tt.want)
			}
		})
	}
}

// TestTokenChangesWithThePeriod: the printed code changes when the period
// turns, and says which period it is for.
func TestTokenChangesWithThePeriod(t *testing.T) {
	const ws = "H310101-00-W01-01"
	s := mustSigner(t, "0123456789abcdef0123456789abcdef")
	s.Every = Weekly
	sun, mon := s.Current(ws, at("2026-08-09 23:59")), s.Current(ws, at("2026-08-10 00:00"))
	if sun == mon {
		t.Fatalf("the token did not change on Monday: %q", sun)
	}
	if sun[:6] != "w2952." || mon[:6] != "w2953." {
		t.Errorf("tokens %q and %q do not name their weeks", sun, mon)
	}
	if got := s.Current(ws, at("2026-08-03 00:00")); got != sun {
		t.Errorf("Monday 3 August's token %q differs from Sunday 9 August's %q: same week", got, sun)
	}
}
