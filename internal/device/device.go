// Package device holds the window rating device (评价器): a screen facing
// the citizen at a workstation, paired to it by an administrator with a
// one-time code, then trusted by its token. It shows the transaction the
// business system has just reported (or the staff member asked it to
// show) and sends the citizen's rating through intake, exactly once per
// rating even when it was queued offline and sent again.
package device

import (
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"strings"
	"time"

	"github.com/haocha/haocha/internal/apperr"
)

// Device is a paired rating device.
type Device struct {
	ID          int64
	Workstation string
	PairedBy    int64
	PairedAt    time.Time
	// LastSeen is when the device last called in; zero before it has.
	LastSeen time.Time
	// Revoked is when the device was unpaired; zero while it is paired.
	Revoked time.Time
}

// Pairing is what a device shows while it waits to be paired: the code
// an administrator types in, and the claim secret the device keeps to
// fetch its token once the code is entered. Both are stored hashed.
type Pairing struct {
	Code      string
	Claim     string
	ExpiresAt time.Time
}

// Prompt is a transaction the device should ask the citizen to rate: At
// is when it was reported, or when the staff member last asked again.
type Prompt struct {
	Transaction string
	At          time.Time
}

// Receipt is what the device is told of a rating it sent; a rating sent
// again gets the first receipt.
type Receipt struct {
	Review    int64
	WorkOrder string
	// Held: screening holds the review for a supervisor to check, so its
	// work order is not with the 12345 operator yet and the device must
	// not say it is.
	Held bool
	// FollowToken is the private token of the work order's follow page,
	// for the device to show as a QR code to the citizen at the window.
	// Only the first answer has it: it is not kept, and a rating sent
	// again (from the offline queue) reaches a device whose citizen left.
	FollowToken string
}

// Pairing limits. The code is short to type (eight digits) and lives ten
// minutes; guessing is throttled per account and per address.
const (
	CodeTTL        = 10 * time.Minute
	codeDigits     = 8
	BeginsPerHour  = 20 // pairing codes one address may ask for
	TriesPerWindow = 10 // wrong codes one account may enter in CodeTTL
)

// NewCode returns a random code of eight digits.
func NewCode() string {
	b := make([]byte, codeDigits)
	rand.Read(b)
	var sb strings.Builder
	for _, c := range b {
		// 256 is not a multiple of 10: redraw the top 6 values' bias away.
		for c >= 250 {
			var one [1]byte
			rand.Read(one[:])
			c = one[0]
		}
		sb.WriteByte('0' + c%10)
	}
	return sb.String()
}

// NewSecret returns a random secret of 256 bits, URL-safe.
func NewSecret() string {
	b := make([]byte, 32)
	rand.Read(b)
	return base64.RawURLEncoding.EncodeToString(b)
}

// Hash is how codes, claims and tokens are stored: a random secret of
// this size needs no salt or stretching, and a database read does not
// give a usable token.
func Hash(secret string) string {
	h := sha256.Sum256([]byte(secret))
	return hex.EncodeToString(h[:])
}

// NormalizeCode takes the code as typed: spaces and dashes between the
// digits are fine.
func NormalizeCode(s string) (string, error) {
	s = strings.Map(func(r rune) rune {
		if r == ' ' || r == '-' {
			return -1
		}
		return r
	}, s)
	if len(s) != codeDigits || strings.Trim(s, "0123456789") != "" {
		return "", apperr.Invalidf("code", "the pairing code is the %d digits shown on the device", codeDigits)
	}
	return s, nil
}

// MaxClientID bounds the id a device makes for a rating.
const MaxClientID = 64

// CheckClientID refuses an id that is empty, too long or not plain
// letters, digits and dashes.
func CheckClientID(id string) error {
	if id == "" {
		return apperr.Invalidf("client_id", "required: the id the device made for this rating")
	}
	if len(id) > MaxClientID {
		return apperr.Invalidf("client_id", "at most %d characters", MaxClientID)
	}
	for _, r := range id {
		if !(r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || r == '-' || r == '_') {
			return apperr.Invalidf("client_id", "letters, digits, - and _ only")
		}
	}
	return nil
}
