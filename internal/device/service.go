package device

import (
	"context"
	"fmt"
	"log/slog"
	"strings"
	"time"

	"github.com/haocha/haocha/internal/account"
	"github.com/haocha/haocha/internal/apperr"
	"github.com/haocha/haocha/internal/catalog"
	"github.com/haocha/haocha/internal/intake"
	"github.com/haocha/haocha/internal/review"
)

// Store is what the device service needs of storage.
type Store interface {
	// CountAttempt records an attempt of kind by key and counts those
	// since since (the look-up throttle's table).
	CountAttempt(ctx context.Context, kind, key string, now, since time.Time) (int, error)
	CreatePairing(ctx context.Context, codeHash, claimHash string, at, expires time.Time) error
	// PairDevice pairs the live, unused code to workstation: NotFound when
	// there is no such code.
	PairDevice(ctx context.Context, codeHash, workstation string, by int64, at time.Time) (*Device, error)
	// ClaimDevice gives the paired device of claim the token tokenHash
	// hashes, once: nil while nobody has entered the code yet; NotFound
	// when the claim is unknown, expired or claimed.
	ClaimDevice(ctx context.Context, claimHash, tokenHash string, at time.Time) (*Device, error)
	// DeviceByToken finds a paired device and notes that it was seen;
	// NotFound when the token is unknown or revoked.
	DeviceByToken(ctx context.Context, tokenHash string, at time.Time) (*Device, error)
	Devices(ctx context.Context, hall string) ([]Device, error)
	RevokeDevice(ctx context.Context, id int64, at time.Time) (*Device, error)
	// DevicePrompts are the unrated transactions of workstation whose
	// rating window is open, reported or invited since since, newest
	// first, at most limit.
	DevicePrompts(ctx context.Context, workstation string, now, since time.Time, limit int) ([]Prompt, error)
	// StaffPrompt is the newest unrated transaction a staff member served
	// at a workstation, rating window open; nil when none.
	StaffPrompt(ctx context.Context, staff string, now time.Time) (*Prompt, string, error)
	AddInvite(ctx context.Context, workstation, txn string, at time.Time) error
	// DeviceReceipt is the receipt of a rating a device sent before; nil
	// when none.
	DeviceReceipt(ctx context.Context, device int64, clientID string) (*Receipt, error)
	// SaveDeviceReceipt keeps rc unless the device sent the rating
	// before, and returns the first receipt either way.
	SaveDeviceReceipt(ctx context.Context, device int64, clientID string, rc Receipt, at time.Time) (Receipt, error)
	// OwnTransactionReview records review, of transaction txn, as the
	// review of the citizen whose phone the transaction's applicant gave
	// (their identity hash), for their own page; nothing when it has none.
	OwnTransactionReview(ctx context.Context, txn string, review int64, at time.Time) error
	Place(ctx context.Context, workstation string) (catalog.Place, error)
}

// Intake is the review intake every door uses.
type Intake interface {
	Submit(ctx context.Context, sub review.Submission, c intake.Client) (intake.Receipt, error)
}

// Service pairs devices and takes their ratings.
type Service struct {
	Store  Store
	Intake Intake
	Now    func() time.Time
	// Wake is told the workstations whose device should look again at
	// once (an invitation); nil tells nobody, devices then find it on
	// their next look.
	Wake func(workstations ...string)
}

func (s *Service) now() time.Time {
	if s.Now == nil {
		return time.Now()
	}
	return s.Now()
}

// Begin makes a pairing code for a device asking from address (a keyed
// mark, never the address itself), at most BeginsPerHour an hour.
func (s *Service) Begin(ctx context.Context, addressMark string) (Pairing, error) {
	now := s.now()
	n, err := s.Store.CountAttempt(ctx, "device_pair_begin", addressMark, now, now.Add(-time.Hour))
	if err != nil {
		return Pairing{}, err
	}
	if n > BeginsPerHour {
		return Pairing{}, apperr.New(apperr.TooMany, "address", "too many pairing codes from this network: at most %d an hour", BeginsPerHour)
	}
	p := Pairing{Code: NewCode(), Claim: NewSecret(), ExpiresAt: now.Add(CodeTTL)}
	if err := s.Store.CreatePairing(ctx, Hash(p.Code), Hash(p.Claim), now, p.ExpiresAt); err != nil {
		return Pairing{}, fmt.Errorf("create pairing: %w", err)
	}
	return p, nil
}

// mayPair refuses everyone but an administrator (the hall administrator
// role does not exist yet).
func mayPair(by *account.Actor) error {
	if by == nil || by.Role != account.Admin {
		return apperr.New(apperr.Forbidden, "role", "only an administrator pairs rating devices")
	}
	return nil
}

// Pair pairs the device showing code to workstation.
func (s *Service) Pair(ctx context.Context, by *account.Actor, code, workstation string) (*Device, error) {
	if err := mayPair(by); err != nil {
		return nil, err
	}
	workstation = strings.TrimSpace(workstation)
	if workstation == "" {
		return nil, apperr.Invalidf("workstation", "required")
	}
	if _, err := s.Store.Place(ctx, workstation); err != nil {
		if apperr.Is(err, apperr.NotFound) {
			return nil, apperr.Invalidf("workstation", "no workstation %s", workstation)
		}
		return nil, err
	}
	code, err := NormalizeCode(code)
	if err != nil {
		return nil, err
	}
	now := s.now()
	n, err := s.Store.CountAttempt(ctx, "device_pair_try", fmt.Sprint(by.ID), now, now.Add(-CodeTTL))
	if err != nil {
		return nil, err
	}
	if n > TriesPerWindow {
		return nil, apperr.New(apperr.TooMany, "code", "too many pairing attempts: wait %v", CodeTTL)
	}
	d, err := s.Store.PairDevice(ctx, Hash(code), workstation, by.ID, now)
	if apperr.Is(err, apperr.NotFound) {
		return nil, apperr.Invalidf("code", "no device shows this code, or it expired: the device shows a new one")
	}
	return d, err
}

// Claim gives the device holding claim its token once the code it showed
// was entered: "" while it has not been.
func (s *Service) Claim(ctx context.Context, claim string) (string, *Device, error) {
	if claim == "" {
		return "", nil, apperr.Invalidf("claim", "required")
	}
	token := NewSecret()
	d, err := s.Store.ClaimDevice(ctx, Hash(claim), Hash(token), s.now())
	if err != nil || d == nil {
		return "", nil, err
	}
	return token, d, nil
}

// Authenticate finds the paired device that holds token. A device is no
// staff member: its routes are public in the route registry, and a
// missing or revoked token is refused with 403 naming "token", never with
// the staff's 401.
func (s *Service) Authenticate(ctx context.Context, token string) (*Device, error) {
	if token == "" {
		return nil, errUnpaired
	}
	d, err := s.Store.DeviceByToken(ctx, Hash(token), s.now())
	if apperr.Is(err, apperr.NotFound) {
		return nil, errUnpaired
	}
	return d, err
}

var errUnpaired = apperr.New(apperr.Forbidden, "token", "this device is not paired, or was unpaired: pair it again")

// Devices lists the devices paired in hall, for an administrator.
func (s *Service) Devices(ctx context.Context, by *account.Actor, hall string) ([]Device, error) {
	if err := mayPair(by); err != nil {
		return nil, err
	}
	return s.Store.Devices(ctx, hall)
}

// Unpair revokes device id: its token stops working at once.
func (s *Service) Unpair(ctx context.Context, by *account.Actor, id int64) (*Device, error) {
	if err := mayPair(by); err != nil {
		return nil, err
	}
	d, err := s.Store.RevokeDevice(ctx, id, s.now())
	if err == nil && s.Wake != nil {
		s.Wake(d.Workstation) // its stream looks again, and ends
	}
	return d, err
}

// Pending bounds what a device is offered: the transactions of the last
// hour, a few at most (one citizen's several matters, rated one after the
// other); older ones are rated by link or not at all.
const (
	PendingFor = time.Hour
	PendingMax = 5
)

// Prompts are what d should offer now, newest first: none is the idle
// screen.
func (s *Service) Prompts(ctx context.Context, d *Device) ([]Prompt, error) {
	now := s.now()
	return s.Store.DevicePrompts(ctx, d.Workstation, now, now.Add(-PendingFor), PendingMax)
}

// Invite asks the device at the staff member's workstation to show their
// newest unrated transaction again.
func (s *Service) Invite(ctx context.Context, by *account.Actor) (*Prompt, error) {
	if by == nil || by.Role != account.Staff || by.Staff == "" {
		return nil, apperr.New(apperr.Forbidden, "role", "window staff invite ratings at their own workstation")
	}
	now := s.now()
	p, ws, err := s.Store.StaffPrompt(ctx, by.Staff, now)
	if err != nil {
		return nil, err
	}
	if p == nil {
		return nil, apperr.NotFoundf("transaction", "no transaction of yours waits for a rating")
	}
	if err := s.Store.AddInvite(ctx, ws, p.Transaction, now); err != nil {
		return nil, err
	}
	if s.Wake != nil {
		s.Wake(ws)
	}
	p.At = now
	return p, nil
}

// Rating is a citizen's rating as the device sends it.
type Rating struct {
	ClientID    string         `json:"client_id"`
	Transaction string         `json:"transaction"`
	Stage       string         `json:"stage,omitempty"`
	Stars       int            `json:"stars"`
	Dimensions  map[string]int `json:"dimensions,omitempty"`
	Tags        []string       `json:"tags,omitempty"`
	Comment     string         `json:"comment,omitempty"`
}

// Rate takes a rating from d, once per client id: a rating sent again
// (the device queued it offline and did not hear the answer) gets the
// first receipt and stores nothing. The review is anonymous, of the
// transaction, on the tablet channel, and limited per device.
func (s *Service) Rate(ctx context.Context, d *Device, rt Rating) (rc Receipt, repeat bool, err error) {
	if err := CheckClientID(rt.ClientID); err != nil {
		return Receipt{}, false, err
	}
	if strings.TrimSpace(rt.Transaction) == "" {
		return Receipt{}, false, apperr.Invalidf("transaction", "required: the device rates reported transactions")
	}
	if first, err := s.Store.DeviceReceipt(ctx, d.ID, rt.ClientID); err != nil || first != nil {
		return deref(first), err == nil, err
	}
	anon := true
	sub := review.Submission{Channel: string(review.Tablet), Transaction: rt.Transaction, Stage: rt.Stage,
		Workstation: d.Workstation, Stars: rt.Stars, Dimensions: rt.Dimensions, Tags: rt.Tags, Comment: rt.Comment,
		Anonymous: &anon, ReviewerKind: string(review.Person)}
	got, err := s.Intake.Submit(ctx, sub, intake.Client{Device: &intake.PairedDevice{ID: d.ID, Workstation: d.Workstation}})
	if apperr.Is(err, apperr.Conflict) {
		// Sent twice at once: the other send may have stored it.
		if first, err2 := s.Store.DeviceReceipt(ctx, d.ID, rt.ClientID); err2 == nil && first != nil {
			return *first, true, nil
		}
	}
	if err != nil {
		return Receipt{}, false, err
	}
	rc = Receipt{Review: got.ID, Held: got.Held}
	if got.WorkOrder != nil {
		rc.WorkOrder = got.WorkOrder.Number
	}
	first, err := s.Store.SaveDeviceReceipt(ctx, d.ID, rt.ClientID, rc, s.now())
	if err != nil || first.Review != rc.Review {
		return first, err == nil, err
	}
	// The citizen at the window is the applicant: signed in later with
	// their phone, they find the rating on their own page.
	// The rating is stored by then: a failure costs only the citizen's list.
	if err := s.Store.OwnTransactionReview(ctx, rt.Transaction, rc.Review, s.now()); err != nil {
		slog.ErrorContext(ctx, "device rating not recorded as the citizen's", "review", rc.Review, "err", err)
	}
	if got.WorkOrder != nil {
		first.FollowToken = got.WorkOrder.Token
	}
	return first, false, nil
}

func deref(rc *Receipt) Receipt {
	if rc == nil {
		return Receipt{}
	}
	return *rc
}
