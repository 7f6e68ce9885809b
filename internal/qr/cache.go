package qr

import (
	"fmt"

	lru "github.com/hashicorp/golang-lru/v2"
)

// Cache keeps the codes of recently encoded content, so that a sheet or an
// image asked for again is drawn without encoding: the general encoder
// takes about a millisecond a code, and a district's sheet holds over a
// thousand. It is keyed by the content itself, so a workstation whose token
// or base address changes gets a new code, and the old one ages out.
// A Cache is safe for concurrent use.
type Cache struct {
	codes *lru.Cache[string, Code]
}

// NewCache returns a cache of at most size codes, the least recently used
// dropped first.
func NewCache(size int) (*Cache, error) {
	codes, err := lru.New[string, Code](size)
	if err != nil {
		return nil, fmt.Errorf("qr: cache of %d codes: %w", size, err)
	}
	return &Cache{codes: codes}, nil
}

// Encode returns the code for content, encoding it on a miss.
func (c *Cache) Encode(content string) (Code, error) {
	if code, ok := c.codes.Get(content); ok {
		return code, nil
	}
	code, err := Encode(content)
	if err != nil {
		return Code{}, err
	}
	c.codes.Add(content, code)
	return code, nil
}

// Len is the number of codes held.
func (c *Cache) Len() int { return c.codes.Len() }
