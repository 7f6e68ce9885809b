// Package qr makes the QR codes printed at every workstation: a signed link
// to the workstation's rating page, drawn as PNG or SVG.
package qr

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
	"errors"
	"time"
)

// tokenBytes is how much of the HMAC a token keeps: 128 bits is far beyond
// guessing and keeps the printed code small.
const tokenBytes = 16

// Signer signs and checks workstation tokens with HMAC-SHA256.
type Signer struct {
	key []byte
	// Every is how often tokens rotate (Never when empty); Grace is how
	// long a token keeps working after its period has ended, so that a
	// sheet printed last week still takes reviews while the new one goes
	// up.
	Every Period
	Grace time.Duration
}

// NewSigner returns a signer keyed by secret, which must not be empty.
func NewSigner(secret []byte) (*Signer, error) {
	if len(secret) < 16 {
		return nil, errors.New("qr: the signing secret must be at least 16 bytes")
	}
	return &Signer{key: append([]byte(nil), secret...)}, nil
}

// Sign returns the token that vouches for workstation.
func (s *Signer) Sign(workstation string) string {
	m := hmac.New(sha256.New, s.key)
	m.Write([]byte("haocha/workstation\x00"))
	m.Write([]byte(workstation))
	return base64.RawURLEncoding.EncodeToString(m.Sum(nil)[:tokenBytes])
}

// Verify reports whether token was made by Sign for workstation, in
// constant time. The text is compared, not the decoded bytes: the base64
// decoder skips line breaks and ignores the last character's spare bits,
// so several spellings would decode to the one signature.
func (s *Signer) Verify(workstation, token string) bool {
	return hmac.Equal([]byte(token), []byte(s.Sign(workstation)))
}
