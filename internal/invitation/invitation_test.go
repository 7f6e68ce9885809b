package invitation

import (
	"testing"
	"time"

	"github.com/haocha/haocha/internal/calendar"
	"github.com/haocha/haocha/internal/transaction"
)

func TestIsOptOut(t *testing.T) {
	for reply, want := range map[string]bool{"TD": true, " td ": true, "T D": true, "退订": true, "t": true,
		"谢谢": false, "TD谢谢": false, "": false, "5": false} {
		if got := IsOptOut(reply); got != want {
			t.Errorf("IsOptOut(%q) = %v, want %v", reply, got, want)
		}
	}
}

// TestTokens: tokens are distinct, well formed, and hashed under the key:
// another key gives another hash, so a copy of the database without the
// master key matches no token.
func TestTokens(t *testing.T) {
	a, b := NewToken(), NewToken()
	if a == b || !WellFormed(a) || len(a) != 22 {
		t.Fatalf("tokens %q %q", a, b)
	}
	for _, bad := range []string{"", "x", a + "A", a[:21] + "*", "../../etc/passwd"} {
		if WellFormed(bad) {
			t.Errorf("%q taken as a token", bad)
		}
	}
	s1, s2 := &Service{LinkKey: []byte("k1"), PhoneKey: []byte("p1")}, &Service{LinkKey: []byte("k2"), PhoneKey: []byte("p2")}
	if s1.TokenHash(a) == s2.TokenHash(a) || s1.TokenHash(a) == s1.TokenHash(b) || s1.TokenHash(a) != s1.TokenHash(a) {
		t.Error("token hashes do not depend on the key and the token alone")
	}
	if s1.PhoneHash("139 1234 5678") != s1.PhoneHash("13912345678") || s1.PhoneHash("13912345678") == s2.PhoneHash("13912345678") {
		t.Error("phone hashes: the same phone written two ways differs, or the key does not matter")
	}
}

// TestQuietAndRemindAt: quiet from 21:00 to 08:00 Shanghai time; the
// reminder falls RemindBefore before the close, none for an invitation
// sent later than that or with reminders off.
func TestQuietAndRemindAt(t *testing.T) {
	at := func(s string) time.Time {
		v, err := time.ParseInLocation("2006-01-02 15:04", s, calendar.Zone)
		if err != nil {
			t.Fatal(err)
		}
		return v
	}
	for s, want := range map[string]bool{"2026-07-20 07:59": true, "2026-07-20 08:00": false, "2026-07-20 20:59": false, "2026-07-20 21:00": true} {
		if Quiet(at(s)) != want {
			t.Errorf("Quiet(%s) != %v", s, want)
		}
	}
	tr := &transaction.Transaction{RatingClosesAt: at("2026-08-04 10:00")}
	s := &Service{RemindBefore: DefaultRemindBefore}
	tests := []struct {
		name string
		s    *Service
		kind Kind
		now  string
		want time.Time
	}{
		{"invited early", s, Invite, "2026-07-20 10:00", at("2026-08-01 10:00")},
		{"invited late", s, Invite, "2026-08-02 10:00", time.Time{}},
		{"reminders off", &Service{}, Invite, "2026-07-20 10:00", time.Time{}},
		{"a reminder has none", s, Remind, "2026-07-20 10:00", time.Time{}},
	}
	for _, tt := range tests {
		if got := tt.s.remindAt(tr, tt.kind, at(tt.now)); !got.Equal(tt.want) {
			t.Errorf("%s: %v, want %v", tt.name, got, tt.want)
		}
	}
}
