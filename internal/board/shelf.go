package board

// The shelf: the boards of the standard periods as this server computed
// them, kept in the database for the next start. A server that starts
// (an upgrade, a restart) puts them back in the cache and serves them,
// stale, each with the instant it counts as of (computed_at, so that
// `haocha index verify --server` recounts it as of then), while it
// computes them again: at 10 million reviews warming every board takes
// minutes, and no first visitor should wait for it, nor the readiness
// check say "warming" that long.

import (
	"bytes"
	"compress/gzip"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"time"

	"github.com/haocha/haocha/internal/calendar"
	"github.com/haocha/haocha/internal/index"
)

// Stored is a board (or an axis's theme counts) on the shelf: its key,
// the instant it counts as of and its encoding.
type Stored struct {
	Key      string
	Computed time.Time
	Body     []byte
}

// Shelf is where the cache stores what it computes for the next start.
type Shelf struct {
	// Save stores s in place of the one of its key.
	Save func(ctx context.Context, s Stored) error
	// Load returns what is stored, dropping what was computed before
	// before.
	Load func(ctx context.Context, before time.Time) ([]Stored, error)
	// Failed is told of a board that could not be stored; the cache
	// goes on without it.
	Failed func(error)
}

// ShelveEvery is how often a board held is stored again: a start serves
// boards at most this old (and as old as the server was down) until it
// has computed them again.
const ShelveEvery = 10 * time.Minute

// shelfLife is how old a stored board may be and still be served at a
// start; older ones are dropped.
const shelfLife = 24 * time.Hour

// SetShelf makes the cache store what it computes of the standard periods
// on s, at most every ShelveEvery per board, and Restore read it back.
func (c *Cache) SetShelf(s Shelf) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.shelf = &s
	c.shelved = map[key]time.Time{}
}

// shelved is a board as it is stored: its key's parts and what it holds.
type shelved struct {
	Scope  index.Scope
	Parent string
	From   string
	To     string
	Themes bool
	Board  Board                       `json:",omitzero"`
	Counts map[string]map[string]int64 `json:",omitempty"`
}

// shelve stores h under k when the shelf has no copy of k computed in the
// last ShelveEvery.
func (c *Cache) shelve(ctx context.Context, k key, h *held) {
	c.mu.Lock()
	s, last := c.shelf, c.shelved[k]
	computed := h.board.Computed
	if k.themes {
		computed = h.computed
	}
	due := s != nil && (last.IsZero() || computed.Sub(last) >= ShelveEvery)
	if due {
		c.shelved[k] = computed
	}
	c.mu.Unlock()
	if !due {
		return
	}
	body, err := pack(shelved{Scope: k.scope, Parent: k.parent, From: k.from, To: k.to, Themes: k.themes,
		Board: h.board, Counts: h.themes})
	if err == nil {
		err = s.Save(ctx, Stored{Key: k.String(), Computed: computed, Body: body})
	}
	if err != nil {
		c.mu.Lock()
		delete(c.shelved, k) // tried again after the next computation
		c.mu.Unlock()
		if s.Failed != nil {
			s.Failed(err)
		}
	}
}

func pack(v shelved) ([]byte, error) {
	var buf bytes.Buffer
	zw, _ := gzip.NewWriterLevel(&buf, gzip.BestSpeed)
	if err := json.NewEncoder(zw).Encode(v); err != nil {
		return nil, fmt.Errorf("encode board %s: %w", v.Scope, err)
	}
	if err := zw.Close(); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}

func unpack(body []byte) (shelved, error) {
	var v shelved
	zr, err := gzip.NewReader(bytes.NewReader(body))
	if err != nil {
		return v, err
	}
	b, err := io.ReadAll(zr)
	if err != nil {
		return v, err
	}
	err = json.Unmarshal(b, &v)
	return v, err
}

// Restore puts back in the cache the stored boards of the periods that
// are standard today and not held already, each as it was computed (its
// Computed instant with it) and expired: served, stale, until computed
// again, for StaleFor TTLs at most, a computation each call that reads it
// (and KeepWarm) starts if none runs. One computed less than its TTL
// before (a restart soon after the last run) expires when that TTL ends,
// as it would have in the last run: such a restart computes again at once
// the boards of the periods running to today, not also the year of
// monthly boards it put back. It returns how many it put back.
func (c *Cache) Restore(ctx context.Context) (int, error) {
	c.mu.Lock()
	s := c.shelf
	c.mu.Unlock()
	if s == nil {
		return 0, nil
	}
	now := c.now()
	stored, err := s.Load(ctx, now.Add(-shelfLife))
	if err != nil {
		return 0, err
	}
	n := 0
	for _, st := range stored {
		v, err := unpack(st.Body)
		if err != nil {
			// Written by another version, say: computed again instead.
			continue
		}
		k := key{scope: v.Scope, parent: v.Parent, from: v.From, to: v.To, themes: v.Themes}
		from, err1 := time.ParseInLocation(time.DateOnly, v.From, calendar.Zone)
		to, err2 := time.ParseInLocation(time.DateOnly, v.To, calendar.Zone)
		if err1 != nil || err2 != nil || k.String() != st.Key || !Standard(from, to, now) {
			continue
		}
		at := st.Computed.In(now.Location())
		h := &held{until: c.restoredUntil(to, at, now)}
		if v.Themes {
			h.themes, h.computed = v.Counts, at
			h.size = themesSize(h.themes)
		} else {
			b := v.Board
			b.From, b.To, b.Computed = from, to, at
			h.board, h.enc = b, encode(b)
			h.size = sizeOf(h.board, h.enc)
		}
		c.mu.Lock()
		if _, ok := c.held.Peek(k); !ok && h.size <= c.budget {
			c.add(k, h)
			c.shelved[k] = at
			n++
		}
		c.mu.Unlock()
	}
	return n, nil
}

// restoredUntil is when a board of the period ending on to, computed at
// at and restored at now, expires: when its TTL from at ends, with the
// TTL of a board computed at at (a period open then has the short one),
// but not before now (expired at once, computed again at its first use),
// nor later than a board computed now would (a clock set back).
func (c *Cache) restoredUntil(to, at, now time.Time) time.Time {
	until := at.Add(c.ttlOf(to, at))
	if latest := now.Add(c.ttlOf(to, now)); until.After(latest) {
		return latest
	}
	if until.Before(now) {
		return now
	}
	return until
}
