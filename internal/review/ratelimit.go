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
	// AddressMax reviews at most from one network within AddressWindow,
	// whatever the device: a hall's citizens share an address, so it is
	// sized for a hall; 0 means none.
	AddressMax    int
	AddressWindow time.Duration
	// LaterWindow is how long after the first review a later review
	// (追评) is taken; 0 means DefaultLaterWindow.
	LaterWindow time.Duration
}

// Allow refuses one more review from a device that gave already reviews
// within the window.
func (l RateLimit) Allow(already int) error {
	if l.Max <= 0 || already < l.Max {
		return nil
	}
	return apperr.New(apperr.TooMany, "client", "too many reviews from this device: at most %d in %v", l.Max, l.Window)
}

// On reports whether the device limit limits anything.
func (l RateLimit) On() bool { return l.Max > 0 }

// AllowAddress refuses one more review from a network that gave already
// reviews within the address window.
func (l RateLimit) AllowAddress(already int) error {
	if l.AddressMax <= 0 || already < l.AddressMax {
		return nil
	}
	return apperr.New(apperr.TooMany, "address", "too many reviews from this network: at most %d in %v", l.AddressMax, l.AddressWindow)
}

// Address defaults: a busy hall's shared address gives a few hundred
// reviews an hour at most (20 workstations, one citizen each every few
// minutes); a flood from one machine gives thousands.
const (
	AddressRateMax    = 300
	AddressRateWindow = time.Hour
)
