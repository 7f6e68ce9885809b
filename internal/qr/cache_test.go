package qr

import (
	"fmt"
	"runtime"
	"testing"

	"github.com/haocha/haocha/internal/qr/qrtest"
)

func mustCache(tb testing.TB, size int) *Cache {
	tb.Helper()
	c, err := NewCache(size)
	if err != nil {
		tb.Fatal(err)
	}
	return c
}

// TestCacheIsKeyedByContent: a workstation whose token changes (tokens are
// to rotate) prints its new link, never the cached old one.
func TestCacheIsKeyedByContent(t *testing.T) {
	cache := mustCache(t, 8)
	links := []string{
		"http://x/r/H310101-00-W01-01?t=ih9a2LFXpWp4Wlsn_RzVKg",
		"http://x/r/H310101-00-W01-01?t=BBBBBBBBBBBBBBBBBBBBBB", // the same workstation, a new token
		"http://y/r/H310101-00-W01-01?t=BBBBBBBBBBBBBBBBBBBBBB", // another base address
	}
	for round := range 2 { // encoded, then from the cache
		for _, l := range links {
			c, err := cache.Encode(l)
			if err != nil {
				t.Fatal(err)
			}
			if got := qrtest.DecodeSVG(t, svgOf(t, c, "x")); got != l {
				t.Errorf("round %d: code for %q reads %q", round, l, got)
			}
		}
	}
	if cache.Len() != len(links) {
		t.Errorf("cache holds %d codes, want %d", cache.Len(), len(links))
	}
}

func TestCacheIsBounded(t *testing.T) {
	cache := mustCache(t, 3)
	for i := range 10 {
		l := fmt.Sprintf("http://x/r/W%d", i)
		c, err := cache.Encode(l)
		if err != nil {
			t.Fatal(err)
		}
		if got := qrtest.DecodeSVG(t, svgOf(t, c, "x")); got != l {
			t.Errorf("code for %q reads %q", l, got)
		}
	}
	if cache.Len() != 3 {
		t.Errorf("cache holds %d codes, want its bound 3", cache.Len())
	}
	if _, err := NewCache(0); err == nil {
		t.Error("a cache of no codes was made")
	}
}

// BenchmarkCacheMemory fills a cache with the city's 20,000 workstation
// codes and reports the heap it holds per code, links included.
//
//	go test ./internal/qr -run '^$' -bench CacheMemory -benchtime 1x
func BenchmarkCacheMemory(b *testing.B) {
	const city = 20000
	for b.Loop() {
		var before, after runtime.MemStats
		runtime.GC()
		runtime.ReadMemStats(&before)
		cache := mustCache(b, city)
		for i := range city {
			l := fmt.Sprintf("http://127.0.0.1:8080/r/H310%03d-%02d-W%02d-%02d?t=ih9a2LFXpWp4Wlsn_RzVKg", i%16, i/1600, i/16%100, i%10)
			if _, err := cache.Encode(l); err != nil {
				b.Fatal(err)
			}
		}
		runtime.GC()
		runtime.ReadMemStats(&after)
		b.ReportMetric(float64(after.HeapAlloc-before.HeapAlloc)/city, "B/code")
		runtime.KeepAlive(cache)
	}
}
