// Package smscode makes the six-digit codes Haocha texts to citizens (a
// work-order look-up's, a sign-in's) and the keyed hashes they and the
// other keys of their limits are stored as, so that no row can be read
// back as a code or a client's address.
package smscode

import (
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"math/big"
	"strings"
)

// New returns six random digits.
func New() (string, error) {
	n, err := rand.Int(rand.Reader, big.NewInt(1_000_000))
	if err != nil {
		return "", err
	}
	return fmt.Sprintf("%06d", n.Int64()), nil
}

// WellFormed reports whether code is six digits, as typed back.
func WellFormed(code string) bool {
	return len(code) == 6 && strings.Trim(code, "0123456789") == ""
}

// Hash is the keyed hash of v under key, hex.
func Hash(key []byte, v string) string {
	m := hmac.New(sha256.New, key)
	m.Write([]byte(v))
	return hex.EncodeToString(m.Sum(nil))
}
