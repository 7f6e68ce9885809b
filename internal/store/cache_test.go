package store

import (
	"errors"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

// TestCacheLoadsAnExpiredRecordOnce: the callers that find a record
// expired while it is loaded again get it as it was, not a query each;
// once loaded, they get the new one.
func TestCacheLoadsAnExpiredRecordOnce(t *testing.T) {
	var c cache[string]
	c.get("item", func() (string, error) { return "old", nil })
	c.m["item"] = cached[string]{v: "old", at: time.Now().Add(-2 * catalogTTL)}

	var loads atomic.Int32
	release := make(chan struct{})
	loading := make(chan struct{})
	go func() {
		c.get("item", func() (string, error) {
			loads.Add(1)
			close(loading)
			<-release
			return "new", nil
		})
	}()
	<-loading
	var wg sync.WaitGroup
	for range 16 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			v, err := c.get("item", func() (string, error) { loads.Add(1); return "again", nil })
			if err != nil || v != "old" {
				t.Errorf("during the load: %q, %v; want the record as it was", v, err)
			}
		}()
	}
	wg.Wait()
	close(release)
	deadline := time.Now().Add(5 * time.Second)
	for {
		v, _ := c.get("item", func() (string, error) { loads.Add(1); return "again", nil })
		if v == "new" {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("after the load: %q, want new", v)
		}
		time.Sleep(time.Millisecond)
	}
	if n := loads.Load(); n != 1 {
		t.Errorf("%d loads, want 1", n)
	}
}

// TestCacheRetriesAFailedLoad: a load that fails is the caller's error,
// and the next caller loads again.
func TestCacheRetriesAFailedLoad(t *testing.T) {
	var c cache[string]
	c.get("item", func() (string, error) { return "old", nil })
	c.m["item"] = cached[string]{v: "old", at: time.Now().Add(-2 * catalogTTL)}
	gone := errors.New("unknown item")
	if _, err := c.get("item", func() (string, error) { return "", gone }); err != gone {
		t.Fatalf("failed load: %v, want %v", err, gone)
	}
	v, err := c.get("item", func() (string, error) { return "new", nil })
	if err != nil || v != "new" {
		t.Errorf("after a failed load: %q, %v; want it loaded again", v, err)
	}
}
