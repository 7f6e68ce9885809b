package intake

import (
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"time"

	"github.com/haocha/haocha/internal/account"
	"github.com/haocha/haocha/internal/calendar"
	"github.com/haocha/haocha/internal/fraud"
	"github.com/haocha/haocha/internal/review"
)

// Detector is what the fraud detectors need of storage: the counts of
// what came just before a review, which every process sees alike. A held
// review names the bursts it ends (review.Burst): the store holds their
// earlier reviews in the transaction that stores it.
type Detector interface {
	RecentActivity(ctx context.Context, r *review.Review, rules fraud.Rules) (fraud.Recent, error)
}

// Limiter refuses a review past the rate limit from counts it keeps at
// hand, before anything else is done for the review: a flood then costs
// no database round. The store counts again what it lets through.
type Limiter interface {
	OverLimit(ctx context.Context, r *review.Review, lim review.RateLimit) error
}

// NetMark is a keyed hash of the network of address: the IPv4 address or
// the IPv6 /64, so that a client picking addresses within its /64 is one
// network. The console marks staff sign-ins with it, so that the two
// compare.
func (s *Service) NetMark(address string) string {
	if address == "" {
		return ""
	}
	m := hmac.New(sha256.New, s.Salt)
	m.Write([]byte("net\x00"))
	m.Write([]byte(account.AddressKey(address)))
	return hex.EncodeToString(m.Sum(nil)[:12])
}

// screen scores rv against what came before it and marks it held when the
// score reaches the threshold. Without a detector it does nothing.
func (s *Service) screen(ctx context.Context, rv *review.Review, c Client) (fraud.Verdict, error) {
	if c.Device == nil {
		// A paired device is limited per device: a hall's address is
		// not its own.
		rv.NetMark = s.NetMark(c.Address)
	}
	rv.TextPrint = fraud.TextPrint(rv.Comment)
	if s.Detector == nil {
		return fraud.Verdict{}, nil
	}
	if rv.CreatedAt.IsZero() {
		rv.CreatedAt = time.Now()
		if s.Now != nil {
			rv.CreatedAt = s.Now()
		}
	}
	rules := s.rules()
	recent, err := s.Detector.RecentActivity(ctx, rv, rules)
	if err != nil {
		return fraud.Verdict{}, fmt.Errorf("screen review: %w", err)
	}
	a := arrival(rv)
	// A window's device rates one citizen after another: its pace is
	// the window's, which the workstation rules watch.
	a.Device = a.Device && c.Device == nil
	// A review bound to a visit (its level) is not caught in a burst of
	// unbound ones, nor held for coming while the hall is closed.
	a.Bound = bound(rv)
	a.Present = a.Bound
	v := rules.Score(a, recent)
	rv.Held = v.Reasons()
	if v.Held {
		for _, f := range v.Findings {
			rv.Bursts = append(rv.Bursts, review.Burst{Signal: string(f.Signal), Window: f.Window})
		}
	}
	return v, nil
}

// overLimit refuses, when the store keeps counts at hand, a client past
// the rate limit before the submission is even read against the
// catalogue.
func (s *Service) overLimit(ctx context.Context, c Client) error {
	l, ok := s.Store.(Limiter)
	if !ok || (s.Limit.Max <= 0 && s.Limit.AddressMax <= 0) {
		return nil
	}
	probe := &review.Review{ClientMark: s.mark(c)}
	if c.Device == nil {
		probe.NetMark = s.NetMark(c.Address)
	}
	if s.Now != nil {
		probe.CreatedAt = s.Now()
	}
	return l.OverLimit(ctx, probe, s.Limit)
}

func (s *Service) rules() fraud.Rules {
	if s.Rules != nil {
		return *s.Rules
	}
	return fraud.DefaultRules
}

// arrival is what the detectors need of rv itself.
func arrival(rv *review.Review) fraud.Arrival {
	return fraud.Arrival{At: rv.CreatedAt.In(calendar.Zone), Stars: rv.Stars, Workstation: rv.Workstation != "",
		Text: rv.TextPrint != "", Address: rv.NetMark != "", Device: rv.ClientMark != "",
		Unverified: rv.Verification.Or() == review.Unverified, District: rv.District != ""}
}

// SubmitAt is Submit as if the clock read at: the demo plays a day of
// reviews and attacks through the real intake, detectors included.
func (s *Service) SubmitAt(ctx context.Context, at time.Time, sub review.Submission, c Client) (Receipt, error) {
	cp := *s
	cp.Now = func() time.Time { return at }
	return cp.Submit(ctx, sub, c)
}
