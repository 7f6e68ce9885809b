package intake

import (
	"fmt"
	"strings"
	"time"

	"github.com/haocha/haocha/internal/apperr"
	"github.com/haocha/haocha/internal/review"
)

// Presence checks a workstation's QR token at a time (qr.Signer).
type Presence interface {
	Check(workstation, token string, now time.Time) error
}

// present asks a review at a workstation (channel window or tablet) for
// proof that the reviewer stood there: the workstation's QR token, or a
// paired device of that workstation. Without it anyone could rate any
// window from anywhere. It reports whether the review proved it (a QR
// token of the workstation checked, on any channel, or its device).
func (s *Service) present(sub review.Submission, c Client) (bool, error) {
	ch := review.Channel(sub.Channel)
	ws := strings.TrimSpace(sub.Workstation)
	if ws == "" {
		return false, nil // review.Accept names a missing workstation
	}
	// Other channels ask no proof, but one they carry counts.
	needed := ch == review.Window || ch == review.Tablet
	if c.Device != nil {
		if c.Device.Workstation == ws {
			return true, nil
		} else if !needed {
			return false, nil
		}
		return false, apperr.New(apperr.Forbidden, "workstation", "this device is paired to workstation %s, not %s", c.Device.Workstation, ws)
	}
	if s.Presence == nil || (!needed && sub.QRToken == "") {
		return false, nil
	}
	if sub.QRToken == "" {
		return false, apperr.New(apperr.Forbidden, "qr_token",
			"a %s review needs the workstation's QR token (the t of its code's link) or a paired rating device", ch)
	}
	now := time.Now
	if s.Now != nil {
		now = s.Now
	}
	if err := s.Presence.Check(ws, sub.QRToken, now()); err != nil {
		if !needed {
			return false, nil
		}
		// Both: the edges read the code and field, the pages which words.
		return false, fmt.Errorf("%w: %w", apperr.New(apperr.Forbidden, "qr_token", "%s", err.Error()), err)
	}
	return true, nil
}

// bound reports whether rv is bound to a real visit: it names a
// transaction intake linked (as its invitation link does), or came from
// the workstation's paired rating device. Screening does not hold such a
// review for coming while its hall is closed. This is the one place to
// point at the review's verification level (transaction or presence)
// once reviews carry one.
func bound(rv *review.Review, c Client) bool {
	return rv.Origin == review.FromTransaction || c.Device != nil
}
