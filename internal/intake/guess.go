package intake

import (
	"sync"
	"time"

	"github.com/haocha/haocha/internal/apperr"
)

// Guesses throttles refused transaction numbers, per client address and
// per number, so that numbers cannot be tried in bulk. It counts in
// memory: a refusal then costs no write (a flood of them must not load
// the database), and a restart that forgets the counts only gives a
// guesser one more window. Several server processes each count apart,
// which multiplies the limits by their number. The zero value uses the
// default limits; a nil *Guesses throttles nothing (tests only).
type Guesses struct {
	// PerAddress and PerNumber are the refusals allowed within Window;
	// zero takes the defaults.
	PerAddress, PerNumber int
	Window                time.Duration

	mu    sync.Mutex
	start time.Time
	seen  map[string]int
}

// Default guess limits: an honest citizen mistypes a number a few times,
// not ten in an hour.
const (
	DefaultGuessesPerAddress = 10
	DefaultGuessesPerNumber  = 5
	DefaultGuessWindow       = time.Hour
	// maxGuessKeys bounds the memory the counts take; past it every
	// unproven number is refused as throttled until the window ends.
	maxGuessKeys = 100_000
)

// Allow counts one refused number from address and returns a TooMany
// error when address or number is past its limit.
func (g *Guesses) Allow(address, number string, now time.Time) error {
	if g == nil {
		return nil
	}
	g.mu.Lock()
	defer g.mu.Unlock()
	window := g.Window
	if window <= 0 {
		window = DefaultGuessWindow
	}
	// Fixed windows: a guesser gets at most twice a limit across the turn.
	if g.seen == nil || now.Sub(g.start) >= window {
		g.start, g.seen = now, map[string]int{}
	}
	if len(g.seen) >= maxGuessKeys {
		return throttled()
	}
	perAddress, perNumber := g.PerAddress, g.PerNumber
	if perAddress <= 0 {
		perAddress = DefaultGuessesPerAddress
	}
	if perNumber <= 0 {
		perNumber = DefaultGuessesPerNumber
	}
	a, n := "a\x00"+address, "n\x00"+number
	g.seen[a]++
	g.seen[n]++
	if g.seen[a] > perAddress || g.seen[n] > perNumber {
		return throttled()
	}
	return nil
}

func throttled() error {
	return apperr.New(apperr.TooMany, "transaction", "too many transaction numbers refused: try again later")
}
