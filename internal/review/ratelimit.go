package review

import (
	"time"

	"github.com/haocha/haocha/internal/apperr"
)

// RateWindow is the window of the per-device review limit by default.
const RateWindow = 10 * time.Minute

// RateLimit is the per-device review limit: at most Max reviews from one
// client mark within Window. A zero Max means no limit. Storage counts the
// reviews; the limit decides.
type RateLimit struct {
	Max    int
	Window time.Duration
}

// Allow refuses one more review from a device that gave already reviews
// within the window.
func (l RateLimit) Allow(already int) error {
	if l.Max <= 0 || already < l.Max {
		return nil
	}
	return apperr.New(apperr.TooMany, "client", "too many reviews from this device: at most %d in %v", l.Max, l.Window)
}

// On reports whether the limit limits anything.
func (l RateLimit) On() bool { return l.Max > 0 }
