package intake

// A transaction number alone proves nothing. A review naming a 办件 is
// taken only from a caller who shows it owns it: through the
// transaction's invitation link, from the paired rating device of the
// workstation that served it, or, for a later review (追评), with the
// later-review token the first review's receipt gave. Every other caller
// gets one answer, whether the number is unknown or someone else's, before
// anything else of the review is checked, so that no answer (a malformed
// review's included) tells a reported number from a made-up one. Failed
// attempts are counted per network and per device, so guessing stops.

import (
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"net/netip"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/haocha/haocha/internal/apperr"
	"github.com/haocha/haocha/internal/review"
)

// Guess limits: a citizen mistypes a number once or twice; a guesser
// needs thousands. A hall's citizens share a network, so it gets more.
const (
	GuessWindow     = 10 * time.Minute
	GuessDeviceMax  = 10
	GuessNetworkMax = 60
	guessKeys       = 10000
)

// notOwned is the one answer to a review naming a transaction its caller
// cannot show it owns, whatever the number.
func notOwned() error {
	return apperr.New(apperr.Forbidden, "transaction",
		"a review of a transaction is given through its invitation link or the rating device of its window; a later review needs the later_token of the first review's receipt")
}

// LaterToken is the token a first review of txn gets in its receipt: its
// later review (追评) must carry it.
func (s *Service) LaterToken(txn string) string {
	m := hmac.New(sha256.New, s.Salt)
	m.Write([]byte("later\x00"))
	m.Write([]byte(strings.TrimSpace(txn)))
	return hex.EncodeToString(m.Sum(nil)[:16])
}

// own refuses sub when it names a transaction that c cannot show it owns.
func (s *Service) own(ctx context.Context, sub review.Submission, c Client) error {
	number := strings.TrimSpace(sub.Transaction)
	if number == "" {
		return nil // a later review without one is refused naming transaction
	}
	if sub.Later {
		// The proof the first review carried: its receipt's token.
		want := s.LaterToken(number)
		if hmac.Equal([]byte(strings.TrimSpace(sub.LaterToken)), []byte(want)) {
			return nil
		}
		return s.guessed(c)
	}
	if s.Transactions == nil {
		return nil // no reported transactions: the number is free text
	}
	if c.Owns != "" && c.Owns == number {
		return nil
	}
	if err := s.Guesses.allow(c, s.now()); err != nil {
		return err
	}
	if c.Device != nil {
		t, err := s.Transactions.Transaction(ctx, number)
		if err != nil && !apperr.Is(err, apperr.NotFound) {
			return err
		}
		if err == nil && t.Workstation == c.Device.Workstation {
			return nil
		}
	}
	return s.guessed(c)
}

// guessed counts a failed attempt of c and returns the one answer.
func (s *Service) guessed(c Client) error {
	if err := s.Guesses.allow(c, s.now()); err != nil {
		return err
	}
	s.Guesses.fail(c, s.now())
	return notOwned()
}

func (s *Service) now() time.Time {
	if s.Now != nil {
		return s.Now()
	}
	return time.Now()
}

// Guesses counts, in memory, the failed transaction attempts of each
// network and device within GuessWindow. A nil *Guesses limits nothing.
type Guesses struct {
	mu    sync.Mutex
	count map[string][]time.Time
}

// keys are the network and the device of c.
func (g *Guesses) keys(c Client) (network, device string) {
	if c.Device != nil {
		return "", "paired\x00" + strconv.FormatInt(c.Device.ID, 10)
	}
	network = c.Address
	if a, err := netip.ParseAddr(c.Address); err == nil {
		bits := 24
		if !a.Unmap().Is4() {
			bits = 56
		}
		if p, err := a.Unmap().Prefix(bits); err == nil {
			network = p.String()
		}
	}
	return "net\x00" + network, "dev\x00" + c.Address + "\x00" + c.UserAgent
}

// recent drops the attempts of key older than the window and counts the rest.
func (g *Guesses) recent(key string, now time.Time) int {
	ts := g.count[key]
	i := 0
	for i < len(ts) && !ts[i].After(now.Add(-GuessWindow)) {
		i++
	}
	if i == len(ts) {
		delete(g.count, key)
		return 0
	}
	g.count[key] = ts[i:]
	return len(ts) - i
}

// allow refuses c once its network or device failed too often.
func (g *Guesses) allow(c Client, now time.Time) error {
	if g == nil {
		return nil
	}
	network, device := g.keys(c)
	g.mu.Lock()
	defer g.mu.Unlock()
	if network != "" && g.recent(network, now) >= GuessNetworkMax || g.recent(device, now) >= GuessDeviceMax {
		return apperr.New(apperr.TooMany, "transaction", "too many attempts naming transactions from this network or device: try again in %v", GuessWindow)
	}
	return nil
}

func (g *Guesses) fail(c Client, now time.Time) {
	if g == nil {
		return
	}
	network, device := g.keys(c)
	g.mu.Lock()
	defer g.mu.Unlock()
	if g.count == nil {
		g.count = map[string][]time.Time{}
	}
	if len(g.count) > guessKeys {
		// Many devices (a guesser changing its browser): forget the quiet ones.
		for k := range g.count {
			g.recent(k, now)
		}
	}
	if network != "" {
		g.count[network] = append(g.count[network], now)
	}
	g.count[device] = append(g.count[device], now)
}
