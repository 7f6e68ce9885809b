// Package csrf holds the form token of the citizen's follow-up form: the
// page (package web) prints it and the action (package console) checks it,
// so neither needs the other.
package csrf

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
)

// Follow is the CSRF token of the follow-up form on the citizen's private
// page: tied to the order's token, so only that page can post it.
func Follow(secret []byte, token string) string {
	m := hmac.New(sha256.New, secret)
	m.Write([]byte("follow:" + token))
	return hex.EncodeToString(m.Sum(nil)[:16])
}
