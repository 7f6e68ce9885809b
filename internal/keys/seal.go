package keys

import (
	"crypto/aes"
	"crypto/cipher"
	"crypto/rand"
	"encoding/base64"
	"errors"
	"fmt"
	"strings"

	"github.com/haocha/haocha/internal/review"
)

// prefix marks a sealed value: "hk1.<key id>.<base64 of nonce and
// ciphertext>". A value without it was written before encryption.
const prefix = "hk1."

// Sealed reports whether v is a sealed value, and under which key.
func Sealed(v string) (keyID string, ok bool) {
	rest, ok := strings.CutPrefix(v, prefix)
	if !ok {
		return "", false
	}
	id, _, ok := strings.Cut(rest, ".")
	return id, ok
}

func (r *Ring) aead(k Key) (cipher.AEAD, error) {
	if g, ok := r.aeads.Load(k.ID); ok {
		return g.(cipher.AEAD), nil // GCM keeps no state between calls
	}
	block, err := aes.NewCipher(deriveFrom(k.secret, "contacts"))
	if err != nil {
		return nil, err
	}
	g, err := cipher.NewGCM(block)
	if err != nil {
		return nil, err
	}
	r.aeads.Store(k.ID, g)
	return g, nil
}

// Seal encrypts plain with the current key, bound to field (so that a
// name cannot be passed off as a phone). The empty string stays empty.
func (r *Ring) Seal(field, plain string) (string, error) {
	if plain == "" {
		return "", nil
	}
	k := r.Current()
	g, err := r.aead(k)
	if err != nil {
		return "", err
	}
	nonce := make([]byte, g.NonceSize())
	rand.Read(nonce)
	out := g.Seal(nonce, nonce, []byte(plain), []byte(k.ID+"/"+field))
	return prefix + k.ID + "." + base64.RawURLEncoding.EncodeToString(out), nil
}

// Open decrypts a value Seal made with any key of the ring. A value
// written before encryption comes back as it is.
func (r *Ring) Open(field, v string) (string, error) {
	id, ok := Sealed(v)
	if !ok {
		return v, nil
	}
	var key *Key
	for i := range r.keys {
		if r.keys[i].ID == id {
			key = &r.keys[i]
		}
	}
	if key == nil {
		return "", fmt.Errorf("%s sealed with key %s, which is not in the ring", field, id)
	}
	raw, err := base64.RawURLEncoding.DecodeString(v[len(prefix)+len(id)+1:])
	if err != nil {
		return "", fmt.Errorf("%s: %w", field, err)
	}
	g, err := r.aead(*key)
	if err != nil {
		return "", err
	}
	if len(raw) < g.NonceSize() {
		return "", errors.New(field + ": sealed value too short")
	}
	plain, err := g.Open(nil, raw[:g.NonceSize()], raw[g.NonceSize():], []byte(id+"/"+field))
	if err != nil {
		return "", fmt.Errorf("%s: sealed value does not open: %w", field, err)
	}
	return string(plain), nil
}

// SealContact encrypts a reviewer's name and phone; it implements
// review.ContactCipher.
func (r *Ring) SealContact(c review.Contact) (review.Contact, error) {
	var err error
	if c.Name, err = r.Seal("name", c.Name); err != nil {
		return c, err
	}
	c.Phone, err = r.Seal("phone", c.Phone)
	return c, err
}

// OpenContact decrypts what SealContact made.
func (r *Ring) OpenContact(c review.Contact) (review.Contact, error) {
	var err error
	if c.Name, err = r.Open("name", c.Name); err != nil {
		return c, err
	}
	c.Phone, err = r.Open("phone", c.Phone)
	return c, err
}

// IsCurrent reports whether c is sealed with the current key (and so needs
// no rotation).
func (r *Ring) IsCurrent(c review.Contact) bool {
	id := r.Current().ID
	n, ok1 := Sealed(c.Name)
	p, ok2 := Sealed(c.Phone)
	return (c.Name == "" || ok1 && n == id) && (c.Phone == "" || ok2 && p == id)
}
