// Package lookup lets a citizen who lost the private link find their work
// order again: they give its number and the phone of their real-name
// review, a 6-digit code goes by SMS to that phone if, and only if, the two
// match, and the right code gives them a fresh private link. The answer to
// a request is the same whether or not the pair matched, so the page
// cannot be used to learn whose order is whose; requests and checks are
// counted in the database per address and per order number, so that every
// process applies one limit.
package lookup

import (
	"context"
	"crypto/hmac"
	"crypto/rand"
	"encoding/base64"
	"fmt"
	"log/slog"
	"strings"
	"time"

	"github.com/haocha/haocha/internal/apperr"
	"github.com/haocha/haocha/internal/review"
	"github.com/haocha/haocha/internal/sms"
	"github.com/haocha/haocha/internal/smscode"

	"github.com/haocha/haocha/internal/i18n"
)

// Limits. A code is six digits: five tries at one code, three codes per
// order and hour, leave an attacker who knows a number a chance of about
// 15 in a million an hour.
const (
	CodeTTL       = 10 * time.Minute
	MaxAttempts   = 5         // wrong codes before a code is dead
	Window        = time.Hour // over which requests are counted
	MaxPerAddress = 5         // code requests from one address per Window
	MaxPerOrder   = 3         // code requests for one order number per Window
	MaxChecks     = 20        // code checks from one address per Window
)

// Kinds of counted attempts.
const (
	KindAddress = "address" // a code request, keyed by the client's address
	KindOrder   = "order"   // a code request, keyed by the order number typed
	KindCheck   = "check"   // a code check, keyed by the client's address
)

// Code is a look-up code as stored: its keyed hash, never the digits.
type Code struct {
	Hash     string
	Expires  time.Time
	Attempts int
}

// Live reports whether the code may still be tried at now.
func (c Code) Live(now time.Time) bool {
	return now.Before(c.Expires) && c.Attempts < MaxAttempts
}

// Store is what look-ups need of storage.
type Store interface {
	// CountAttempt records one attempt of kind under key at now, forgets
	// attempts older than since, and returns how many remain since then,
	// this one included.
	CountAttempt(ctx context.Context, kind, key string, now, since time.Time) (int, error)
	// RealNamePhone returns the order numbered number and the phone of
	// its real-name reviewer; not found when there is no such order or
	// its review was anonymous.
	RealNamePhone(ctx context.Context, number string) (order int64, phone string, err error)
	// SaveCode keeps c as the order's one live code, replacing any other.
	SaveCode(ctx context.Context, order int64, c Code) error
	// UseCode lets check decide on the code of the order numbered number,
	// in one transaction: true deletes the code and returns the order;
	// false counts a wrong attempt. No code: check is not called.
	UseCode(ctx context.Context, number string, check func(Code) bool) (order int64, ok bool, err error)
	// AddFollowToken gives the order another private token.
	AddFollowToken(ctx context.Context, order int64, token string) error
}

// Service is the look-up as the pages use it.
type Service struct {
	Store Store
	SMS   sms.Sender
	// Key keys the hashes of codes and addresses, so that neither a
	// stored code nor a client's address can be read back from the rows.
	Key []byte
	Now func() time.Time
	Log *slog.Logger
	// Contacts opens the phone on file, which the store keeps sealed;
	// nil compares it as stored.
	Contacts review.ContactCipher
}

// Request sends a code to phone when it is the phone of the real-name
// reviewer of the order numbered number. It answers the same whether or
// not they match: nil, or a refusal that concerns what was typed or how
// often, never the order.
func (s *Service) Request(ctx context.Context, number, phone, address string) error {
	number = NormalizeNumber(number)
	phone = review.NormalizePhone(phone)
	if number == "" {
		return apperr.Invalidf("number", "required: the work order number")
	}
	if !review.ValidPhone(phone) {
		return apperr.Invalidf("phone", "not a phone number: want 11 digits of a mobile or a fixed line with area code")
	}
	now := s.Now()
	if err := s.limit(ctx, KindAddress, s.hash(address), MaxPerAddress, now, "client"); err != nil {
		return err
	}
	// Counted by the number typed, whether or not it exists, so that the
	// limit itself says nothing of the order.
	if err := s.limit(ctx, KindOrder, number, MaxPerOrder, now, "number"); err != nil {
		return err
	}
	order, onFile, err := s.Store.RealNamePhone(ctx, number)
	if apperr.CodeOf(err) == apperr.NotFound {
		return nil
	}
	if err != nil {
		return err
	}
	if s.Contacts != nil {
		c, err := s.Contacts.OpenContact(review.Contact{Phone: onFile})
		if err != nil {
			return fmt.Errorf("open the phone on file: %w", err)
		}
		onFile = c.Phone
	}
	if !hmac.Equal([]byte(onFile), []byte(phone)) {
		return nil
	}
	digits, err := smscode.New()
	if err != nil {
		return err
	}
	if err := s.Store.SaveCode(ctx, order, Code{Hash: s.hash(number + "|" + digits), Expires: now.Add(CodeTTL)}); err != nil {
		return err
	}
	text := i18n.ZH.Tf("sms.lookup", number, digits)
	if err := s.SMS.Send(ctx, sms.Message{Phone: phone, Purpose: sms.FollowCode, Text: text}); err != nil {
		// Saying so would tell that the pair matched.
		s.log().WarnContext(ctx, "look-up code not sent", "err", err)
	}
	return nil
}

// Confirm checks code for the order numbered number and, when right,
// returns a fresh private token for it. A wrong, expired or used-up code,
// and a number without a code, are all the same refusal.
func (s *Service) Confirm(ctx context.Context, number, code, address string) (string, error) {
	number = NormalizeNumber(number)
	code = strings.TrimSpace(code)
	if number == "" {
		return "", apperr.Invalidf("number", "required: the work order number")
	}
	if !smscode.WellFormed(code) {
		return "", apperr.Invalidf("code", "want the 6 digits sent by SMS")
	}
	now := s.Now()
	if err := s.limit(ctx, KindCheck, s.hash(address), MaxChecks, now, "client"); err != nil {
		return "", err
	}
	want := s.hash(number + "|" + code)
	order, ok, err := s.Store.UseCode(ctx, number, func(c Code) bool {
		return c.Live(now) && hmac.Equal([]byte(c.Hash), []byte(want))
	})
	if err != nil {
		return "", err
	}
	if !ok {
		return "", apperr.Invalidf("code", "wrong or expired code")
	}
	b := make([]byte, 16)
	if _, err := rand.Read(b); err != nil {
		return "", err
	}
	token := base64.RawURLEncoding.EncodeToString(b)
	if err := s.Store.AddFollowToken(ctx, order, token); err != nil {
		return "", err
	}
	return token, nil
}

// limit counts one attempt and refuses it past max.
func (s *Service) limit(ctx context.Context, kind, key string, max int, now time.Time, field string) error {
	n, err := s.Store.CountAttempt(ctx, kind, key, now, now.Add(-Window))
	if err != nil {
		return fmt.Errorf("count %s attempt: %w", kind, err)
	}
	if n > max {
		return apperr.New(apperr.TooMany, field, "too many attempts: try again in an hour")
	}
	return nil
}

func (s *Service) hash(v string) string { return smscode.Hash(s.Key, v) }

func (s *Service) log() *slog.Logger {
	if s.Log != nil {
		return s.Log
	}
	return slog.Default()
}

// NormalizeNumber trims a typed work-order number and upper-cases it:
// numbers are GD and digits, and people type gd.
func NormalizeNumber(n string) string {
	return strings.ToUpper(strings.TrimSpace(n))
}
