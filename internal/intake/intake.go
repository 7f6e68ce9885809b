// Package intake takes reviews in: the one path every door (the JSON API,
// the rating forms, later the window device and reported transactions)
// hands a submission to. It checks the submission, marks the client,
// applies the per-device limit, stores the review and counts what it
// accepted and refused, so every door follows the same rules.
package intake

import (
	"bytes"
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"hash"
	"log/slog"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/haocha/haocha/internal/apperr"
	"github.com/haocha/haocha/internal/fraud"
	"github.com/haocha/haocha/internal/review"
	"github.com/haocha/haocha/internal/sms"
	"github.com/haocha/haocha/internal/transaction"
	"github.com/haocha/haocha/internal/workorder"

	"github.com/haocha/haocha/internal/i18n"
)

// Store is what intake needs of storage: the catalogue to resolve codes
// against, and a write that counts the device's recent reviews in the same
// transaction as it stores one.
type Store interface {
	review.Source
	CreateReview(ctx context.Context, r *review.Review, lim review.RateLimit) (*workorder.NewOrder, error)
}

// Transactions finds reported transactions; an unknown number is
// NotFound.
type Transactions interface {
	Transaction(ctx context.Context, number string) (*transaction.Transaction, error)
}

// Counter counts accepted reviews by channel and refused ones by reason.
type Counter interface {
	Accepted(channel string)
	Refused(reason string)
}

// Client is who sent a review, as far as intake may know it: enough to
// spot a flood from one device, never enough to identify a person.
type Client struct {
	Address   string // the remote address, without the port
	UserAgent string
	// Device is the paired rating device the review came from, nil when
	// none: it is limited as one device, whatever its address.
	Device *PairedDevice

	// The client's marks, once Admit has made them, and whether Admit
	// let it through: Submit then neither hashes nor counts it again.
	clientMark, netMark string
	admitted            bool
}

// PairedDevice is a rating device whose token proved it stands at
// Workstation.
type PairedDevice struct {
	ID          int64
	Workstation string
}

// Receipt is what the reviewer is told of an accepted review.
type Receipt struct {
	ID           int64
	Channel      review.Channel
	Stars        int
	Verification review.Verification
	// Item, Stage and Scores are what was rated, for the receipt's
	// summary: Scores by position in the active dimension set, 0 not given.
	Item, Stage string
	Scores      []int
	// WorkOrder is the order a bad review opened; nil when none.
	WorkOrder *workorder.NewOrder
	// LinkSentTo is the masked phone the private link was sent to by SMS;
	// empty when none was sent.
	LinkSentTo string
	// Follows is the first review a later review (追评) follows; 0 for a
	// first review.
	Follows int64
	// Held: screening holds the review for a supervisor to check. The
	// citizen is told it was received and is being checked, not that it
	// went to 12345; its text waits for the release.
	Held bool
}

// Service is review intake.
type Service struct {
	Store Store
	// Salt keys the client mark kept with each review.
	Salt []byte
	// Limit is the per-device review limit; a zero Max means none.
	Limit review.RateLimit
	// Counter counts accepted and refused reviews; nil counts nothing.
	Counter Counter
	// Contacts seals a real-name reviewer's name and phone before the
	// store sees them; nil stores them as given (tests only).
	Contacts review.ContactCipher
	// SMS sends a real-name reviewer the private link of the work order
	// their review opened; nil sends nothing.
	SMS sms.Sender
	// FollowBase is the site's absolute address that the link in the SMS
	// starts with, such as https://haoping.example.gov.cn.
	FollowBase string
	// Log records a link that could not be sent; nil: slog.Default.
	Log *slog.Logger
	// Transactions links a review naming a reported transaction to it; nil
	// takes every transaction number as the client's free text.
	Transactions Transactions
	// Detector feeds the fraud detectors; nil scores nothing (tests only).
	Detector Detector
	// Rules are the detectors' rules; nil means fraud.DefaultRules.
	Rules *fraud.Rules
	// Now is the clock reviews are stamped and scored by; nil is the
	// wall clock.
	Now func() time.Time
	// Presence checks the QR token of a review at a workstation (see
	// verify); nil checks nothing (tests only).
	Presence Presence
	// Proofs checks a signed-in citizen's proofs; nil: none is taken.
	Proofs Proofs
	// Invitations opens the invitation token a review may carry; nil:
	// none is taken.
	Invitations Invitations
	// ProofKey keys the rating device's per-transaction proof
	// (TransactionProof).
	ProofKey []byte
	// Guesses throttles refused transaction numbers; nil: none is.
	Guesses *Guesses
}

// Submit checks sub, resolves it against the catalogue and stores it for
// client. A refusal is an *apperr.Error naming the field at fault, counted
// by its reason.
func (s *Service) Submit(ctx context.Context, sub review.Submission, client Client) (Receipt, error) {
	if !client.admitted {
		if err := s.Admit(ctx, &client); err != nil {
			return Receipt{}, err
		}
	}
	linked, level, err := s.verify(ctx, &sub, client)
	if err != nil {
		return Receipt{}, s.Refused(err)
	}
	rv, err := review.Accept(ctx, s.Store, &sub)
	if err != nil {
		return Receipt{}, s.Refused(err)
	}
	rv.Verification = level
	if linked != nil {
		transaction.Fill(linked, rv)
		rv.Origin = review.FromTransaction
	}
	rv.ClientMark = client.clientMark
	if _, err := s.screen(ctx, rv, &client); err != nil {
		return Receipt{}, err
	}
	phone := "" // in clear, for the SMS: the store gets it sealed
	if rv.Contact != nil {
		phone = rv.Contact.Phone
	}
	if rv.Contact != nil && s.Contacts != nil {
		c, err := s.Contacts.SealContact(*rv.Contact)
		if err != nil {
			return Receipt{}, fmt.Errorf("seal contact: %w", err)
		}
		rv.Contact = &c
	}
	wo, texted, err := s.create(ctx, rv, phone)
	if err != nil {
		return Receipt{}, s.Refused(err)
	}
	if s.Counter != nil {
		s.Counter.Accepted(string(rv.Channel))
	}
	rc := Receipt{ID: rv.ID, Channel: rv.Channel, Stars: rv.Stars, Verification: rv.Verification,
		Item: rv.Item, Stage: rv.Stage, Scores: rv.Scores, WorkOrder: wo, Follows: rv.Follows, Held: rv.Held != ""}
	switch {
	case wo == nil || phone == "":
	case texted != nil:
		rc.LinkSentTo = s.storedLink(ctx, *texted, wo)
	case rc.Held:
		// A held review's order waits for the supervisor, and so does its
		// text: a flood cannot make the service text strangers' phones.
		s.holdLink(ctx, phone, wo, rv.ID)
	default:
		rc.LinkSentTo = s.sendLink(ctx, phone, wo)
	}
	return rc, nil
}

// TextStore stores a review and, in the same transaction, the text its
// work order is due (store.Store): the text is in the outbox once the
// review is, and held with it when the review is held, its group's
// screening included.
type TextStore interface {
	CreateReviewTexted(ctx context.Context, r *review.Review, lim review.RateLimit,
		text func(*workorder.NewOrder) sms.Message) (*workorder.NewOrder, *sms.Stored, error)
}

// create stores rv, with the private link's text to phone when the
// store can queue it with rv into the outbox that sends it: texted is then
// what became of the text (nil when rv opened no order).
func (s *Service) create(ctx context.Context, rv *review.Review, phone string) (*workorder.NewOrder, *sms.Stored, error) {
	o, ok := s.SMS.(*sms.Outbox)
	ts, same := s.Store.(TextStore)
	if !ok || !same || phone == "" || any(o.Queue) != any(s.Store) {
		wo, err := s.Store.CreateReview(ctx, rv, s.Limit)
		return wo, nil, err
	}
	return ts.CreateReviewTexted(ctx, rv, s.Limit, func(wo *workorder.NewOrder) sms.Message {
		return s.linkMessage(phone, wo)
	})
}

// storedLink tries the link's text the store queued with its review, as
// sendLink sends one and holdLink keeps one, and returns the phone masked
// when the text is on its way.
func (s *Service) storedLink(ctx context.Context, st sms.Stored, wo *workorder.NewOrder) string {
	err := s.SMS.(*sms.Outbox).TryStored(ctx, st)
	switch {
	case err != nil && st.Held:
		s.logger().WarnContext(ctx, "follow link not kept for the held review", "work_order", wo.Number, "err", err)
	case err != nil:
		s.logger().WarnContext(ctx, "follow link not sent", "work_order", wo.Number, "err", err)
	}
	if err != nil || st.Held {
		return ""
	}
	return review.MaskPhone(st.Phone)
}

// linkMessage is the text of wo's private link to phone.
func (s *Service) linkMessage(phone string, wo *workorder.NewOrder) sms.Message {
	return sms.Message{Phone: phone, Purpose: sms.FollowLink, Text: LinkText(strings.TrimRight(s.FollowBase, "/"), wo)}
}

// Holder keeps the text due for a held review until a supervisor decides
// (sms.Outbox): sent on release, never on rejection.
type Holder interface {
	Hold(ctx context.Context, m sms.Message, review int64) error
}

// holdLink keeps the private link's text for the held review id, when the
// sender can keep it; a sender that cannot sends nothing.
func (s *Service) holdLink(ctx context.Context, phone string, wo *workorder.NewOrder, id int64) {
	h, ok := s.SMS.(Holder)
	if !ok {
		return
	}
	if err := h.Hold(ctx, s.linkMessage(phone, wo), id); err != nil {
		s.logger().WarnContext(ctx, "follow link not kept for the held review", "work_order", wo.Number, "err", err)
	}
}

func (s *Service) logger() *slog.Logger {
	if s.Log == nil {
		return slog.Default()
	}
	return s.Log
}

// sendLink texts the private link to phone, so that the citizen has it
// after the thanks page is gone, and returns the phone masked, or "" when
// the message could not be sent: the review is stored either way, and the
// thanks page then shows only the link.
func (s *Service) sendLink(ctx context.Context, phone string, wo *workorder.NewOrder) string {
	if s.SMS == nil {
		return ""
	}
	if err := s.SMS.Send(ctx, s.linkMessage(phone, wo)); err != nil {
		s.logger().WarnContext(ctx, "follow link not sent", "work_order", wo.Number, "err", err)
		return ""
	}
	return review.MaskPhone(phone)
}

// LinkText is the SMS that carries a work order's private link.
func LinkText(base string, wo *workorder.NewOrder) string {
	return i18n.ZH.Tf("sms.order", wo.Number, base+"/follow/"+wo.Token)
}

// Refused counts err as a refused review and returns it: doors call it for
// what they refuse before Submit (a body that is not JSON).
func (s *Service) Refused(err error) error {
	if s.Counter != nil && err != nil {
		s.Counter.Refused(Reason(err))
	}
	return err
}

// Reason is the metrics label of a refusal: the error code and the first
// part of the field, e.g. "invalid:stars". Only the first part, so that a
// client's dimension names never become label values.
func Reason(err error) string {
	reason := string(apperr.CodeOf(err))
	if e := apperr.As(err); e != nil && e.Field != "" && e.Code != apperr.Malformed {
		field, _, _ := strings.Cut(e.Field, ".")
		reason += ":" + field
	}
	return reason
}

// mark is a keyed hash of the client's address and browser, or of the
// paired device.
func (s *Service) mark(c *Client) string {
	k := keyedHash(s.Salt)
	defer k.done()
	if c.Device != nil {
		k.buf = strconv.AppendInt(append(k.buf[:0], "device\x00"...), c.Device.ID, 10)
		k.h.Write(k.buf)
		return k.sum()
	}
	k.buf = append(append(append(k.buf[:0], c.Address...), 0), c.UserAgent...)
	k.h.Write(k.buf)
	return k.sum()
}

// keyed is an HMAC-SHA256 kept keyed between uses: New costs four
// allocations and two hashes of the key, every review and every refusal
// marks its client twice, and the salt is the same for a process.
type keyed struct {
	key []byte
	h   hash.Hash
	buf []byte
}

var keyedPool sync.Pool

// keyedHash is an HMAC keyed with key, reset; give it back with done.
func keyedHash(key []byte) *keyed {
	k, _ := keyedPool.Get().(*keyed)
	if k == nil || !bytes.Equal(k.key, key) {
		k = &keyed{key: bytes.Clone(key), h: hmac.New(sha256.New, key), buf: make([]byte, 0, 256)}
	}
	return k
}

// sum is the mark: the first 12 bytes of the HMAC, in hex.
func (k *keyed) sum() string {
	sum := k.h.Sum(k.buf[:0])
	var out [24]byte
	hex.Encode(out[:], sum[:12])
	return string(out[:])
}

func (k *keyed) done() {
	k.h.Reset()
	if cap(k.buf) > 4096 {
		// A huge User-Agent is not kept for every later request.
		k.buf = make([]byte, 0, 256)
	}
	keyedPool.Put(k)
}
