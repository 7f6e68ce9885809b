package intake

import (
	"context"
	"fmt"
	"sync"
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
	k := keyedHash(s.Salt)
	defer k.done()
	k.buf = append(append(k.buf[:0], "net\x00"...), account.AddressKey(address)...)
	k.h.Write(k.buf)
	return k.sum()
}

// screen scores rv against what came before it and marks it held when the
// score reaches the threshold. Without a detector it does nothing.
func (s *Service) screen(ctx context.Context, rv *review.Review, c *Client) (fraud.Verdict, error) {
	// A paired device is limited per device: a hall's address is not
	// its own (Admit leaves its network unmarked).
	rv.NetMark = c.netMark
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

// Admit marks c and refuses it, when the store keeps counts at hand and
// c is past the rate limit, before its submission is read at all: a door
// calls it before decoding the body, so that a flood costs two keyed
// hashes and a look at the counts in memory. A refusal is counted (see
// Refused). Submit does not check again a client that Admit let through.
func (s *Service) Admit(ctx context.Context, c *Client) error {
	if c.clientMark == "" {
		c.clientMark = s.mark(c)
		if c.Device == nil {
			c.netMark = s.NetMark(c.Address)
		}
	}
	l, ok := s.Store.(Limiter)
	if !ok || (s.Limit.Max <= 0 && s.Limit.AddressMax <= 0) {
		c.admitted = true
		return nil
	}
	probe := probes.Get().(*review.Review)
	probe.ClientMark, probe.NetMark = c.clientMark, c.netMark
	if s.Now != nil {
		probe.CreatedAt = s.Now()
	}
	err := l.OverLimit(ctx, probe, s.Limit)
	*probe = review.Review{}
	probes.Put(probe)
	if err != nil {
		return s.Refused(err)
	}
	c.admitted = true
	return nil
}

// probes are the reviews Admit asks the limiter about: only their marks
// and time are set, and the limiter keeps none of them, so one is reused
// rather than a whole review allocated for each request of a flood.
var probes = sync.Pool{New: func() any { return new(review.Review) }}

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
