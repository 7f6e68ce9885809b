package review

import (
	"sync"
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
	return refusal(limitKey{"client", l.Max, l.Window}, "too many reviews from this device: at most %d in %v")
}

// On reports whether the device limit limits anything.
func (l RateLimit) On() bool { return l.Max > 0 }

// AllowAddress refuses one more review from a network that gave already
// reviews within the address window.
func (l RateLimit) AllowAddress(already int) error {
	if l.AddressMax <= 0 || already < l.AddressMax {
		return nil
	}
	return refusal(limitKey{"address", l.AddressMax, l.AddressWindow}, "too many reviews from this network: at most %d in %v")
}

// limitKey names a limit's refusal: its field, maximum and window.
type limitKey struct {
	field  string
	max    int
	window time.Duration
}

// refusals are the limits' refusals, made once each: a flood is refused
// thousands of times a second with the same words. A process has a
// limit or two (the configured ones, and a test's), so this stays small.
var refusals struct {
	sync.RWMutex
	m map[limitKey]*apperr.Error
}

// refusal is the refusal of k, worded by format from its maximum and
// window. Callers only read it, as every *apperr.Error.
func refusal(k limitKey, format string) *apperr.Error {
	refusals.RLock()
	e := refusals.m[k]
	refusals.RUnlock()
	if e != nil {
		return e
	}
	e = apperr.New(apperr.TooMany, k.field, format, k.max, k.window)
	refusals.Lock()
	defer refusals.Unlock()
	if refusals.m == nil {
		refusals.m = make(map[limitKey]*apperr.Error)
	}
	refusals.m[k] = e
	return e
}

// Address defaults: a busy hall's shared address gives a few hundred
// reviews an hour at most (20 workstations, one citizen each every few
// minutes); a flood from one machine gives thousands.
const (
	AddressRateMax    = 300
	AddressRateWindow = time.Hour
)
