package citizen

import (
	"context"
	"crypto/hmac"
	"errors"
	"fmt"
	"net/netip"
	"strings"
	"time"

	"github.com/haocha/haocha/internal/apperr"
	"github.com/haocha/haocha/internal/i18n"
	"github.com/haocha/haocha/internal/review"
	"github.com/haocha/haocha/internal/sms"
	"github.com/haocha/haocha/internal/smscode"
)

// A code is six digits, lives five minutes and is burnt by its third
// wrong try: one code gives a guesser 3 chances in a million, and the
// limits below give few codes.
const (
	CodeTTL  = 5 * time.Minute
	MaxTries = 3
	// Window is the span code requests and checks are counted over (the
	// look-up's window: the two share a table of attempts).
	Window = time.Hour
)

// Kinds of counted attempts, beside the look-up's.
const (
	KindPhone   = "signin_phone"   // a code request, by the phone's hash
	KindNetwork = "signin_network" // a code request, by the client's network
	KindTotal   = "signin_total"   // every code request
	KindCheck   = "signin_check"   // a code check, by the client's network
)

// Limits cap the code requests an hour: per phone, per network (an IPv4
// /24 or an IPv6 /48, so that hopping addresses within one network does
// not help) and in total, which bounds what an attacker who changes both
// network and phone can make Haocha text; Checks caps the codes tried
// from one network.
type Limits struct {
	PerPhone, PerNetwork, Total, Checks int
}

// DefaultLimits: a citizen needs one code, two if the first is slow; a
// hall's citizens share one network; the total is far above a city's
// sign-ins in an hour and far below a gateway's bill worth stealing.
var DefaultLimits = Limits{PerPhone: 3, PerNetwork: 30, Total: 2000, Checks: 60}

func (s *Service) limits() Limits {
	if s.Limits == (Limits{}) {
		return DefaultLimits
	}
	return s.Limits
}

// Code is a sign-in code as stored: its keyed hash, never the digits.
type Code struct {
	Hash    string
	Expires time.Time
	Tries   int // wrong tries so far
}

// Live reports whether the code may still be tried at now.
func (c Code) Live(now time.Time) bool {
	return now.Before(c.Expires) && c.Tries < MaxTries
}

// RequestCode texts a sign-in code to phone, asked from address (the
// client's, caller.RemoteHost). With ShowCodes it also returns the code,
// for the page to show; otherwise "".
func (s *Service) RequestCode(ctx context.Context, phone, address string) (string, error) {
	phone = review.NormalizePhone(phone)
	if !review.ValidPhone(phone) {
		return "", apperr.Invalidf("phone", "not a phone number: want 11 digits of a mobile or a fixed line with area code")
	}
	now := s.Now()
	l := s.limits()
	id := s.PhoneIdentity(phone)
	for _, c := range []struct {
		kind, key, field string
		max              int
	}{
		{KindNetwork, s.hash(Network(address)), "client", l.PerNetwork},
		{KindPhone, id, "phone", l.PerPhone},
		{KindTotal, "all", "client", l.Total},
	} {
		if err := s.limit(ctx, c.kind, c.key, c.max, now, c.field); err != nil {
			return "", err
		}
	}
	digits, err := smscode.New()
	if err != nil {
		return "", err
	}
	if err := s.Store.SaveSignInCode(ctx, id, Code{Hash: s.hash(id + "|" + digits), Expires: now.Add(CodeTTL)}); err != nil {
		return "", err
	}
	err = s.SMS.Send(ctx, sms.Message{Phone: phone, Purpose: sms.SignInCode, Text: i18n.ZH.Tf("sms.signin", digits)})
	var refused *sms.Refused
	if errors.As(err, &refused) {
		return "", apperr.New(apperr.TooMany, "phone", "this phone has had too many texts today: try again tomorrow")
	}
	if err != nil {
		return "", err
	}
	if s.ShowCodes {
		return digits, nil
	}
	return "", nil
}

// SignInWithCode checks the code texted to phone and, when right, starts
// a session. A wrong, expired, used or burnt code is one refusal.
func (s *Service) SignInWithCode(ctx context.Context, phone, code, address string) (Session, error) {
	phone = review.NormalizePhone(phone)
	code = strings.TrimSpace(code)
	if !review.ValidPhone(phone) {
		return Session{}, apperr.Invalidf("phone", "not a phone number: want 11 digits of a mobile or a fixed line with area code")
	}
	if !smscode.WellFormed(code) {
		return Session{}, apperr.Invalidf("code", "want the 6 digits sent by SMS")
	}
	now := s.Now()
	if err := s.limit(ctx, KindCheck, s.hash(Network(address)), s.limits().Checks, now, "client"); err != nil {
		return Session{}, err
	}
	id := s.PhoneIdentity(phone)
	want := s.hash(id + "|" + code)
	ok, err := s.Store.UseSignInCode(ctx, id, func(c Code) bool {
		return c.Live(now) && hmac.Equal([]byte(c.Hash), []byte(want))
	})
	if err != nil {
		return Session{}, err
	}
	if !ok {
		return Session{}, apperr.Invalidf("code", "wrong or expired code")
	}
	return s.Start(ctx, id)
}

// limit counts one attempt and refuses it past max.
func (s *Service) limit(ctx context.Context, kind, key string, max int, now time.Time, field string) error {
	n, err := s.Store.CountAttempt(ctx, kind, key, now, now.Add(-Window))
	if err != nil {
		return fmt.Errorf("count %s attempt: %w", kind, err)
	}
	if n > max {
		return apperr.New(apperr.TooMany, field, "too many sign-in attempts: try again in an hour")
	}
	return nil
}

// Network is the network a client address belongs to: its IPv4 /24 or
// IPv6 /48. Anything else is taken as it is.
func Network(address string) string {
	ip, err := netip.ParseAddr(address)
	if err != nil {
		return address
	}
	ip = ip.Unmap().WithZone("")
	bits := 48
	if ip.Is4() {
		bits = 24
	}
	p, _ := ip.Prefix(bits)
	return p.String()
}
