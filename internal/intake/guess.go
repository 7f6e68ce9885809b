package intake

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"sync"
	"time"

	"github.com/haocha/haocha/internal/apperr"
)

// Guesses throttles refused transaction numbers, per client address and
// per number, so that numbers cannot be tried in bulk. It counts in
// memory first: a client already past a limit here is refused without a
// write (a flood of refusals must not load the database). With Shared,
// every other refusal is also counted in the database, so that the
// processes behind one address share the limits and a restart forgets
// nothing; without it each process counts apart. The zero value uses
// the default limits; a nil *Guesses throttles nothing (tests only).
type Guesses struct {
	// PerAddress and PerNumber are the refusals allowed within Window;
	// zero takes the defaults.
	PerAddress, PerNumber int
	Window                time.Duration
	// Shared counts refusals across processes; nil counts in memory only.
	Shared GuessCounter

	mu    sync.Mutex
	start time.Time
	seen  map[string]int
}

// GuessCounter counts refusals by key in the database, in fixed windows:
// CountGuesses adds one to each key's count in the window that began at
// start (a count of an earlier window starts again at one), forgets the
// windows that ended before start, and returns the counts.
type GuessCounter interface {
	CountGuesses(ctx context.Context, keys []string, start time.Time) ([]int, error)
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
func (g *Guesses) Allow(ctx context.Context, address, number string, now time.Time) error {
	if g == nil {
		return nil
	}
	window := g.Window
	if window <= 0 {
		window = DefaultGuessWindow
	}
	perAddress, perNumber := g.PerAddress, g.PerNumber
	if perAddress <= 0 {
		perAddress = DefaultGuessesPerAddress
	}
	if perNumber <= 0 {
		perNumber = DefaultGuessesPerNumber
	}
	a, n := "a\x00"+address, "n\x00"+number
	g.mu.Lock()
	// Fixed windows, on the clock so that every process turns them at
	// once: a guesser gets at most twice a limit across the turn.
	start := now.Truncate(window)
	if g.seen == nil || !g.start.Equal(start) {
		g.start, g.seen = start, map[string]int{}
	}
	if len(g.seen) >= maxGuessKeys {
		g.mu.Unlock()
		return throttled()
	}
	g.seen[a]++
	g.seen[n]++
	ca, cn := g.seen[a], g.seen[n]
	g.mu.Unlock()
	if ca > perAddress || cn > perNumber {
		return throttled() // past it here already: no write
	}
	if g.Shared != nil {
		// Keyed by hash: the database keeps no address and no number.
		counts, err := g.Shared.CountGuesses(ctx, []string{guessKey(a), guessKey(n)}, start)
		if err != nil {
			return err
		}
		ca, cn = max(ca, counts[0]), max(cn, counts[1])
	}
	if ca > perAddress || cn > perNumber {
		return throttled()
	}
	return nil
}

func guessKey(k string) string {
	sum := sha256.Sum256([]byte(k))
	return hex.EncodeToString(sum[:16])
}

func throttled() error {
	return apperr.New(apperr.TooMany, "transaction", "too many transaction numbers refused: try again later")
}
