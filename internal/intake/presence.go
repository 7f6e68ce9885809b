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
// window from anywhere.
func (s *Service) present(sub review.Submission, c Client) error {
	ch := review.Channel(sub.Channel)
	ws := strings.TrimSpace(sub.Workstation)
	if ch != review.Window && ch != review.Tablet || ws == "" {
		return nil // review.Accept names a missing workstation
	}
	if c.Device != nil {
		if c.Device.Workstation != ws {
			return apperr.New(apperr.Forbidden, "workstation", "this device is paired to workstation %s, not %s", c.Device.Workstation, ws)
		}
		return nil
	}
	if s.Presence == nil {
		return nil
	}
	if sub.QRToken == "" {
		return apperr.New(apperr.Forbidden, "qr_token",
			"a %s review needs the workstation's QR token (the t of its code's link) or a paired rating device", ch)
	}
	now := time.Now
	if s.Now != nil {
		now = s.Now
	}
	if err := s.Presence.Check(ws, sub.QRToken, now()); err != nil {
		// Both: the edges read the code and field, the pages which words.
		return fmt.Errorf("%w: %w", apperr.New(apperr.Forbidden, "qr_token", "%s", err.Error()), err)
	}
	return nil
}
