package account

import (
	"strconv"
	"strings"
	"time"

	"github.com/haocha/haocha/internal/apperr"
)

// API token lifetimes: an integration's token dies on its own unless
// renewed, and never outlives its account.
const (
	TokenTTL    = 90 * 24 * time.Hour
	MaxTokenTTL = 366 * 24 * time.Hour
	// PrefixLen characters of a token are kept in clear, to name it in
	// lists and revoke it without the whole secret.
	PrefixLen = 8
)

// Token is an API token as an administrator sees it; its secret is not kept.
type Token struct {
	ID        int64
	User      string // login
	Prefix    string
	Label     string
	CreatedAt time.Time
	ExpiresAt time.Time
	LastUsed  time.Time // zero: never
	RevokedAt time.Time // zero: not revoked
}

// Live reports whether the token still opens the API at now (its account
// aside).
func (t Token) Live(now time.Time) bool { return t.RevokedAt.IsZero() && now.Before(t.ExpiresAt) }

// ParseTTL reads a token lifetime: "30d", or a Go duration ("720h").
func ParseTTL(s string) (time.Duration, error) {
	s = strings.TrimSpace(s)
	var d time.Duration
	var err error
	if n, ok := strings.CutSuffix(s, "d"); ok {
		var days int
		days, err = strconv.Atoi(n)
		d = time.Duration(min(max(days, 0), 367)) * 24 * time.Hour // no overflow
	} else {
		d, err = time.ParseDuration(s)
	}
	if err != nil || d <= 0 || d > MaxTokenTTL {
		return 0, apperr.Invalidf("expires", "want a lifetime such as 30d or 720h, at most 366d; got %q", s)
	}
	return d, nil
}
