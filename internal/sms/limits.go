package sms

// Texts per phone. Whatever asks for a text (a real-name review's follow-up
// link, an invitation, its reminder, a look-up code), the outbox counts it
// against its phone before queueing it, so that nobody can make Haocha
// text a stranger over and over by naming the stranger's phone. The count
// is kept under a keyed hash of the phone, never the phone.

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"time"
)

// Limits caps the texts to one phone: PerDay in any 24 hours, Burst in
// any BurstWindow. Refused texts do not count.
type Limits struct {
	PerDay      int
	Burst       int
	BurstWindow time.Duration
}

// DefaultLimits: 10 texts a phone in 24 hours, 5 in 10 minutes. An honest
// citizen's busiest day (an invitation and its reminder, a bad review's
// follow-up link, two look-up codes) stays well below both.
var DefaultLimits = Limits{PerDay: 10, Burst: 5, BurstWindow: 10 * time.Minute}

// Day is the span of the daily cap: a rolling 24 hours, so that midnight
// gives a flood no fresh allowance.
const Day = 24 * time.Hour

// Why a text was refused, as recorded in the outbox.
const (
	RefusedOptedOut = "opted_out" // the phone replied TD (退订)
	RefusedDaily    = "daily_cap" // PerDay texts in the last 24 hours
	RefusedBurst    = "burst_cap" // Burst texts in the last BurstWindow
)

// Requested reports whether texts of purpose p are sent only because the
// citizen asked for them at that moment (a look-up code), and so go out
// despite an opt-out: 退订 stops what Haocha sends on its own or on
// someone else's word, not the code the citizen is waiting for (a look-up
// or a sign-in).
func (p Purpose) Requested() bool { return p == FollowCode || p == SignInCode }

// Refuse says why m is not to be sent to a phone that opted out (or not)
// and had day texts in the last 24 hours and burst in the last
// BurstWindow; "" sends it.
func (l Limits) Refuse(m Message, optedOut bool, day, burst int) string {
	switch {
	case optedOut && !m.Purpose.Requested():
		return RefusedOptedOut
	case l.PerDay > 0 && day >= l.PerDay:
		return RefusedDaily
	case l.Burst > 0 && burst >= l.Burst:
		return RefusedBurst
	}
	return ""
}

// Or returns l, or DefaultLimits when l is zero.
func (l Limits) Or() Limits {
	if l == (Limits{}) {
		return DefaultLimits
	}
	return l
}

// Refused is the outbox's answer for a text it recorded but will not send.
type Refused struct {
	ID      int64
	Purpose Purpose
	Reason  string
}

func (r *Refused) Error() string {
	return fmt.Sprintf("sms %d (%s) refused: %s", r.ID, r.Purpose, r.Reason)
}

// PhoneHash is the keyed hash a phone (normalized: digits only) is known by
// in the outbox's counts and the opt-out list.
func PhoneHash(key []byte, phone string) string {
	m := hmac.New(sha256.New, key)
	m.Write([]byte(phone))
	return hex.EncodeToString(m.Sum(nil))
}
