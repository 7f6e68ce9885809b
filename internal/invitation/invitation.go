// Package invitation invites the applicant of a reported transaction to
// rate it: an SMS with a single-use link to the transaction's rating page,
// a reminder before the rating window closes, and the citizen's wish to
// get no more (退订). The link is the proof of the transaction: whoever
// holds it rates that transaction, once, until its window closes. Only a
// keyed hash of the link's token is stored, and only a keyed hash of an
// opted-out phone.
package invitation

import (
	"context"
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"fmt"
	"strings"
	"time"

	"github.com/haocha/haocha/internal/apperr"
	"github.com/haocha/haocha/internal/calendar"
	"github.com/haocha/haocha/internal/catalog"
	"github.com/haocha/haocha/internal/review"
	"github.com/haocha/haocha/internal/sms"
	"github.com/haocha/haocha/internal/transaction"

	"github.com/haocha/haocha/internal/i18n"
)

// Kind tells the first message from the reminder.
type Kind string

// Kinds of message.
const (
	Invite Kind = "invitation"
	Remind Kind = "reminder"
)

// DefaultRemindBefore is how long before the window closes the one
// reminder goes out.
const DefaultRemindBefore = 3 * 24 * time.Hour

// Quiet hours: no invitation or reminder is texted from 21:00 to 08:00
// Shanghai time; what falls due then goes out at eight.
const (
	QuietFrom = 21
	QuietTo   = 8
)

// Quiet reports whether now is in the quiet hours.
func Quiet(now time.Time) bool {
	h := now.In(calendar.Zone).Hour()
	return h >= QuietFrom || h < QuietTo
}

// Path is where an invitation link points: Path + token.
const Path = "/i/"

// Due is a transaction to text, with the applicant's phone.
type Due struct {
	Transaction *transaction.Transaction
	Phone       string
}

// Link is what a token opens.
type Link struct {
	Transaction *transaction.Transaction
	Used        bool // a review was given through a link of the transaction
	Rated       bool // a review was given for the transaction, by any door
}

// Store is what the service needs of storage.
type Store interface {
	Item(ctx context.Context, code string) (catalog.Item, error)
	Unit(ctx context.Context, code string) (catalog.Unit, error)
	// ToInvite lists transactions with a phone, their window open at now,
	// not rated, never invited.
	ToInvite(ctx context.Context, now time.Time, limit int) ([]Due, error)
	// ToRemind lists invitations whose reminder is due at now, their
	// window open, neither used nor rated.
	ToRemind(ctx context.Context, now time.Time, limit int) ([]Due, error)
	OptedOut(ctx context.Context, phoneHash string) (bool, error)
	// SaveInvitation records kind for txn and, with m, the link's token
	// hash and m queued, in one database transaction; without m (the phone
	// opted out) it records only that nothing is to be sent. An
	// invitation's reminder falls due at remindAt (zero: none). It reports
	// false when another process recorded it first.
	SaveInvitation(ctx context.Context, txn string, kind Kind, tokenHash string, m *sms.Message, now, remindAt time.Time) (bool, error)
	// InvitationLink is what the token hash opens; NotFound if nothing.
	InvitationLink(ctx context.Context, tokenHash string) (Link, error)
	// ClaimInvitation marks txn's links used, reporting false when they
	// were already; ReleaseInvitation undoes a claim whose review failed;
	// InvitationReview records the review given.
	ClaimInvitation(ctx context.Context, txn string, now time.Time) (bool, error)
	ReleaseInvitation(ctx context.Context, txn string) error
	InvitationReview(ctx context.Context, txn string, review int64) error
	TransactionPhone(ctx context.Context, number string) (string, error)
	OptOut(ctx context.Context, phoneHash, source string, now time.Time) error
}

// Service sends invitations and reminders and opens their links.
type Service struct {
	Store Store
	// LinkKey keys the stored hash of link tokens; PhoneKey the hash of
	// opted-out phones. Both are derived from the master key.
	LinkKey, PhoneKey []byte
	// Base is the site's absolute address the links start with.
	Base string
	// RemindBefore is how long before the window closes the reminder is
	// sent; 0 sends none.
	RemindBefore time.Duration
	Now          func() time.Time
}

// Sent counts what one round did.
type Sent struct {
	Invited, Reminded, OptedOut int
}

// batch bounds one round: the rest waits for the next tick.
const batch = 500

// Run sends the invitations and reminders due now: the scheduler's step.
// Messages go to the outbox with their record, so a restart neither loses
// nor repeats one. In the quiet hours it sends nothing.
func (s *Service) Run(ctx context.Context) (Sent, error) {
	var out Sent
	now := s.Now()
	if Quiet(now) {
		return out, nil
	}
	due, err := s.Store.ToInvite(ctx, now, batch)
	if err != nil {
		return out, fmt.Errorf("invitations: %w", err)
	}
	for _, d := range due {
		if err := s.send(ctx, d, Invite, now, &out); err != nil {
			return out, err
		}
	}
	if due, err = s.Store.ToRemind(ctx, now, batch); err != nil {
		return out, fmt.Errorf("reminders: %w", err)
	}
	for _, d := range due {
		if err := s.send(ctx, d, Remind, now, &out); err != nil {
			return out, err
		}
	}
	return out, nil
}

func (s *Service) send(ctx context.Context, d Due, kind Kind, now time.Time, out *Sent) error {
	t := d.Transaction
	opted, err := s.Store.OptedOut(ctx, s.PhoneHash(d.Phone))
	if err != nil {
		return err
	}
	if opted {
		if _, err := s.Store.SaveInvitation(ctx, t.Number, kind, "", nil, now, time.Time{}); err != nil {
			return err
		}
		out.OptedOut++
		return nil
	}
	token := NewToken()
	text, err := s.text(ctx, t, kind, token)
	if err != nil {
		return err
	}
	m := &sms.Message{Phone: d.Phone, Purpose: sms.Invitation, Text: text}
	if kind == Remind {
		m.Purpose = sms.Reminder
	}
	ok, err := s.Store.SaveInvitation(ctx, t.Number, kind, s.TokenHash(token), m, now, s.remindAt(t, kind, now))
	if err != nil || !ok {
		return err
	}
	if kind == Invite {
		out.Invited++
	} else {
		out.Reminded++
	}
	return nil
}

// remindAt is when the reminder of an invitation of t sent at now falls
// due: RemindBefore before its window closes; none when that is past (an
// invitation sent late is not followed by a reminder at once) or
// reminders are off.
func (s *Service) remindAt(t *transaction.Transaction, kind Kind, now time.Time) time.Time {
	at := t.RatingClosesAt.Add(-s.RemindBefore)
	if kind != Invite || s.RemindBefore <= 0 || at.Before(now) {
		return time.Time{}
	}
	return at
}

// text is the message: what was done, where, the link and until when.
func (s *Service) text(ctx context.Context, t *transaction.Transaction, kind Kind, token string) (string, error) {
	item, err := s.Store.Item(ctx, t.Item)
	if err != nil {
		return "", err
	}
	unit, err := s.Store.Unit(ctx, t.Unit)
	if err != nil {
		return "", err
	}
	link := strings.TrimRight(s.Base, "/") + Path + token
	// The window closes at the end of the day before it shows.
	until := t.RatingClosesAt.In(calendar.Zone).Add(-time.Millisecond).Format("1月2日")
	if kind == Remind {
		return i18n.ZH.Tf("sms.invite.reminder", unit.NameZH, item.NameZH, until, link), nil
	}
	return i18n.ZH.Tf("sms.invite", unit.NameZH, item.NameZH, link, until), nil
}

// Gone is the refusal of a link that was used or whose window closed.
func gone(format string, args ...any) error { return apperr.New(apperr.Gone, "token", format, args...) }

// Open returns the transaction a token's link rates, refusing an unknown
// token (NotFound), and one used or past its window (Gone).
func (s *Service) Open(ctx context.Context, token string) (*Link, error) {
	if !WellFormed(token) {
		return nil, apperr.NotFoundf("token", "no such invitation")
	}
	l, err := s.Store.InvitationLink(ctx, s.TokenHash(token))
	if err != nil {
		return nil, err
	}
	switch {
	case l.Used || l.Rated:
		return &l, gone("this transaction has been rated")
	case !s.Now().Before(l.Transaction.RatingClosesAt):
		return &l, gone("the rating window of this transaction closed")
	}
	return &l, nil
}

// LinkTransaction is the number of the transaction token's link rates,
// used or not: a review's proof that the transaction is the reviewer's
// (a later review (追评) comes through the same link). NotFound when the
// token is no link's.
func (s *Service) LinkTransaction(ctx context.Context, token string) (string, error) {
	if !WellFormed(token) {
		return "", apperr.NotFoundf("token", "no such invitation")
	}
	l, err := s.Store.InvitationLink(ctx, s.TokenHash(token))
	if err != nil {
		return "", err
	}
	return l.Transaction.Number, nil
}

// Claim makes the link of l used before its review is stored, so two
// posts of one link cannot both rate; done records the review (id > 0),
// or gives the link back when the review was refused (id 0).
func (s *Service) Claim(ctx context.Context, l *Link) (done func(ctx context.Context, id int64) error, err error) {
	txn := l.Transaction.Number
	ok, err := s.Store.ClaimInvitation(ctx, txn, s.Now())
	if err != nil {
		return nil, err
	}
	if !ok {
		return nil, gone("this transaction has been rated")
	}
	return func(ctx context.Context, id int64) error {
		if id == 0 {
			return s.Store.ReleaseInvitation(ctx, txn)
		}
		return s.Store.InvitationReview(ctx, txn, id)
	}, nil
}

// OptOutLink stops invitations to the phone a link was sent to, used or
// not: the citizen pressed "do not send me invitations" on the page.
func (s *Service) OptOutLink(ctx context.Context, token string) error {
	if !WellFormed(token) {
		return apperr.NotFoundf("token", "no such invitation")
	}
	l, err := s.Store.InvitationLink(ctx, s.TokenHash(token))
	if err != nil {
		return err
	}
	phone, err := s.Store.TransactionPhone(ctx, l.Transaction.Number)
	if err != nil || phone == "" {
		return err // erased after retention: nothing more will be sent
	}
	return s.Store.OptOut(ctx, s.PhoneHash(phone), "page", s.Now())
}

// OptOutPhone stops invitations to phone: a reply the gateway delivered.
func (s *Service) OptOutPhone(ctx context.Context, phone, source string) error {
	p := review.NormalizePhone(phone)
	if !review.ValidPhone(p) {
		return apperr.Invalidf("phone", "not a phone number: want 11 digits of a mobile or a fixed line with area code")
	}
	return s.Store.OptOut(ctx, s.PhoneHash(p), source, s.Now())
}

// IsOptOut reports whether a citizen's reply asks for no more messages:
// TD (退订), the word itself, or their common variants.
func IsOptOut(reply string) bool {
	switch strings.ToUpper(strings.Join(strings.Fields(reply), "")) {
	case "TD", "退订", "T", "N", "STOP", "UNSUBSCRIBE":
		return true
	}
	return false
}

// tokenBytes is the randomness of a link token: 128 bits.
const tokenBytes = 16

// NewToken returns a new link token.
func NewToken() string {
	b := make([]byte, tokenBytes)
	rand.Read(b)
	return base64.RawURLEncoding.EncodeToString(b)
}

// WellFormed reports whether token could be one NewToken made.
func WellFormed(token string) bool {
	b, err := base64.RawURLEncoding.DecodeString(token)
	return err == nil && len(b) == tokenBytes
}

// TokenHash is what the store keeps of a token.
func (s *Service) TokenHash(token string) string { return keyed(s.LinkKey, token) }

// PhoneHash is what the store keeps of an opted-out phone.
// It is the key the outbox counts a phone's texts by (sms.PhoneHash).
func (s *Service) PhoneHash(phone string) string {
	return sms.PhoneHash(s.PhoneKey, review.NormalizePhone(phone))
}

func keyed(key []byte, v string) string {
	m := hmac.New(sha256.New, key)
	m.Write([]byte(v))
	return hex.EncodeToString(m.Sum(nil))
}
