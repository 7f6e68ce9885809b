package account

import (
	"net/netip"
	"time"
)

// Failed logins are counted three ways, each in a fixed window, so that a
// stranger cannot lock a real user out: the address that fails is the one
// refused. The counts live in the database, so every process agrees.
//
//   - per address (IPv4 /32, IPv6 /64), whatever the account: a flood from
//     one client is refused before any password is hashed;
//   - per address and account: a guesser is refused that account alone;
//   - per account, from everywhere: a spread-out guess (many addresses)
//     closes the account to every address that has failed on it, while an
//     address that has not failed (the user's own office) still logs in.
//
// Counts are kept by login name as typed, known or not, so that being
// throttled says nothing about whether an account exists.

// Throttle is the login throttle's policy.
type Throttle struct {
	Window          time.Duration // a count starts at its first failure and lasts this long
	AddressFailures int           // from one address, any account
	PairFailures    int           // from one address on one account
	AccountFailures int           // on one account, from all addresses
}

// DefaultThrottle sizes the address limit for a government office behind
// one NAT address: twenty typos a quarter hour is a lot of staff.
var DefaultThrottle = Throttle{Window: LockFor, AddressFailures: 20, PairFailures: MaxFailures, AccountFailures: 50}

// Count is failures within a window that started at Since.
type Count struct {
	Failures int
	Since    time.Time
}

// live is the count as of now: zero once its window has passed.
func (c Count) live(window time.Duration, now time.Time) Count {
	if c.Since.IsZero() || !now.Before(c.Since.Add(window)) {
		return Count{}
	}
	return c
}

// Counts are the three counts that bear on one login attempt.
type Counts struct {
	Address, Pair, Account Count
}

// Admit decides an attempt before its password is hashed. It refuses, with
// how long to wait, when the address or the address on this account has
// failed too often, or the account is under attack from many places and
// this address is one that failed on it. Otherwise it counts the attempt as
// a failure in advance (Refund takes it back on success), so that attempts
// arriving together cannot all slip past the limit.
func (p Throttle) Admit(c *Counts, now time.Time) (wait time.Duration, ok bool) {
	a, pr, ac := c.Address.live(p.Window, now), c.Pair.live(p.Window, now), c.Account.live(p.Window, now)
	switch {
	case a.Failures >= p.AddressFailures:
		return a.Since.Add(p.Window).Sub(now), false
	case pr.Failures >= p.PairFailures:
		return pr.Since.Add(p.Window).Sub(now), false
	case ac.Failures >= p.AccountFailures && pr.Failures > 0:
		// Whichever count ends first lets the address try again.
		return min(ac.Since.Add(p.Window).Sub(now), pr.Since.Add(p.Window).Sub(now)), false
	}
	c.Address, c.Pair, c.Account = a.add(now), pr.add(now), ac.add(now)
	return 0, true
}

func (c Count) add(now time.Time) Count {
	if c.Failures == 0 {
		c.Since = now
	}
	c.Failures++
	return c
}

// Refund takes back an admitted attempt whose password was right: the
// address and the account lose one failure, and the address's failures on
// this account are forgotten, as a right password ends a run of typos.
func (p Throttle) Refund(c *Counts) {
	c.Address.Failures = max(c.Address.Failures-1, 0)
	c.Account.Failures = max(c.Account.Failures-1, 0)
	c.Pair = Count{}
}

// Reached reports which limits the attempt just counted brought its counts
// to, for the audit trail: "address", "pair", "account" or "".
func (p Throttle) Reached(c Counts) string {
	switch {
	case c.Address.Failures == p.AddressFailures:
		return "address"
	case c.Pair.Failures == p.PairFailures:
		return "pair"
	case c.Account.Failures == p.AccountFailures:
		return "account"
	}
	return ""
}

// AddressKey is the network a client address is counted under: an IPv4
// address itself, an IPv6 address's /64 (one household or office gets a
// /64, and a client may pick any address in it). Anything unparsable is
// counted as itself.
func AddressKey(host string) string {
	ip, err := netip.ParseAddr(host)
	if err != nil || ip.Is4() {
		// A dotted quad parses only in its one spelling: host is it.
		return host
	}
	ip = ip.Unmap()
	if ip.Is4() {
		return ip.String()
	}
	pfx, _ := ip.WithZone("").Prefix(64)
	return pfx.String()
}
