package account

import (
	"testing"
	"time"

	"golang.org/x/crypto/bcrypt"
)

// TestDummyHashCostsAsMuchAsARealOne: an unknown login is compared against
// a hash of the cost real passwords get, so it takes as long.
func TestDummyHashCostsAsMuchAsARealOne(t *testing.T) {
	defer func(c int) { Cost = c }(Cost)
	for _, c := range []int{bcrypt.MinCost, bcrypt.MinCost + 2} {
		Cost = c
		real, err := HashPassword("a long enough password")
		if err != nil {
			t.Fatal(err)
		}
		rc, _ := bcrypt.Cost([]byte(real))
		dc, _ := bcrypt.Cost(dummy())
		if rc != dc {
			t.Errorf("cost %d: real hash %d, dummy %d", c, rc, dc)
		}
		if PasswordMatches("", "") || PasswordMatches("", "a long enough password") {
			t.Error("an unknown login matched")
		}
	}
}

func TestThrottle(t *testing.T) {
	p := Throttle{Window: 10 * time.Minute, AddressFailures: 3, PairFailures: 2, AccountFailures: 4}
	t0 := time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC)
	tests := []struct {
		name     string
		c        Counts
		at       time.Duration
		ok       bool
		wait     time.Duration
		addrFail int
	}{
		{"fresh", Counts{}, 0, true, 0, 1},
		{"address at its limit", Counts{Address: Count{3, t0}}, 4 * time.Minute, false, 6 * time.Minute, 3},
		{"address window passed", Counts{Address: Count{3, t0}}, 10 * time.Minute, true, 0, 1},
		{"pair at its limit", Counts{Pair: Count{2, t0}}, time.Minute, false, 9 * time.Minute, 0},
		{"account under attack, this address failed", Counts{Pair: Count{1, t0}, Account: Count{4, t0.Add(time.Minute)}}, 2 * time.Minute, false, 8 * time.Minute, 0},
		{"account under attack, a clean address", Counts{Account: Count{9, t0}}, time.Minute, true, 0, 1},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := tt.c
			wait, ok := p.Admit(&c, t0.Add(tt.at))
			if ok != tt.ok || wait != tt.wait || c.Address.Failures != tt.addrFail {
				t.Errorf("admit = %v, wait %s, address failures %d; want %v, %s, %d", ok, wait, c.Address.Failures, tt.ok, tt.wait, tt.addrFail)
			}
		})
	}
	c := Counts{Address: Count{2, t0}, Pair: Count{1, t0}, Account: Count{3, t0}}
	p.Refund(&c)
	if c.Address.Failures != 1 || c.Pair.Failures != 0 || c.Account.Failures != 2 {
		t.Errorf("after a refund: %+v", c)
	}
}

func TestAddressKey(t *testing.T) {
	for in, want := range map[string]string{
		"192.0.2.7":               "192.0.2.7",
		"::ffff:192.0.2.7":        "192.0.2.7",
		"2001:db8:1:2:3:4:5:6":    "2001:db8:1:2::/64",
		"2001:db8:1:2::9":         "2001:db8:1:2::/64",
		"fe80::1%eth0":            "fe80::/64",
		"not an address":          "not an address",
		"2001:db8:1:3:ffff::abcd": "2001:db8:1:3::/64",
	} {
		if got := AddressKey(in); got != want {
			t.Errorf("AddressKey(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestParseTTL(t *testing.T) {
	for in, want := range map[string]time.Duration{"30d": 30 * 24 * time.Hour, "720h": 720 * time.Hour, "366d": MaxTokenTTL} {
		if got, err := ParseTTL(in); err != nil || got != want {
			t.Errorf("ParseTTL(%q) = %s, %v", in, got, err)
		}
	}
	for _, in := range []string{"", "0d", "367d", "99999999999999d", "-1h", "soon"} {
		if _, err := ParseTTL(in); err == nil {
			t.Errorf("ParseTTL(%q) accepted", in)
		}
	}
}
