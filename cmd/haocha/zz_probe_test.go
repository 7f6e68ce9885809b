package main

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"runtime"
	"sync"
	"testing"
	"time"

	"github.com/haocha/haocha/internal/app"
	"github.com/haocha/haocha/internal/calendar"
	"github.com/haocha/haocha/internal/loadgen"
)

func TestZZProbePeriodsHeap(t *testing.T) {
	ctx := context.Background()
	clock := time.Date(2026, 12, 2, 10, 0, 0, 0, calendar.Zone)
	dsn := "/tmp/warm_probe/haocha.db"
	if _, err := os.Stat(dsn); err != nil {
		os.MkdirAll("/tmp/warm_probe", 0o755)
		bin := buildBinary(t)
		if out, err := exec.Command(bin, "demo", "--db", dsn, "--reviews", "0").CombinedOutput(); err != nil {
			t.Fatalf("demo: %v\n%s", err, out)
		}
		if err := loadgen.History(ctx, loadgen.HistoryConfig{DB: dsn, Rate: 2000, Days: 28, Now: clock, Seed: 1}); err != nil {
			t.Fatal(err)
		}
	}
	m, err := app.Open(ctx, app.Config{DB: dsn, NoDemo: true, BenchNow: clock, CacheBytes: 32 << 20,
		Log: slog.New(slog.NewTextHandler(io.Discard, nil)), Loop: app.LoopConfig{NoScheduler: true}})
	if err != nil {
		t.Fatal(err)
	}
	defer m.Close()
	if err := m.Boards.Warm(ctx); err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(m.Handler())
	defer srv.Close()
	runtime.GC()
	var base runtime.MemStats
	runtime.ReadMemStats(&base)
	var peakInuse, peakSys uint64
	stop := make(chan struct{})
	var sw sync.WaitGroup
	sw.Go(func() {
		for {
			select {
			case <-stop:
				return
			case <-time.After(5 * time.Millisecond):
			}
			var ms runtime.MemStats
			runtime.ReadMemStats(&ms)
			peakInuse = max(peakInuse, ms.HeapInuse)
			peakSys = max(peakSys, ms.HeapSys-ms.HeapReleased)
		}
	})
	scopes := []string{"workstation", "window", "hall", "unit", "item"}
	periods := make(chan string)
	var wg sync.WaitGroup
	began := time.Now()
	for range 8 {
		wg.Go(func() {
			for q := range periods {
				resp, err := http.Get(srv.URL + "/api/v1/index?" + q)
				if err != nil {
					t.Error(err)
					continue
				}
				io.Copy(io.Discard, resp.Body)
				resp.Body.Close()
			}
		})
	}
	for i := range 1000 {
		to := clock.AddDate(0, 0, -i)
		from := to.AddDate(0, 0, -(30 + i%60))
		periods <- fmt.Sprintf("scope=%s&from=%s&to=%s", scopes[i%len(scopes)], from.Format(time.DateOnly), to.Format(time.DateOnly))
	}
	close(periods)
	wg.Wait()
	close(stop)
	sw.Wait()
	t.Logf("heap in use %d MiB before; peak in use %d MiB, peak heap held %d MiB during 1,000 periods (%s); cache %d MiB",
		base.HeapInuse>>20, peakInuse>>20, peakSys>>20, time.Since(began).Round(time.Millisecond), m.Boards.Bytes()>>20)
}
