package loadgen_test

import (
	"context"
	"database/sql"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"net/http/httptest"
	"os"
	"path/filepath"
	"runtime/pprof"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/haocha/haocha/internal/app"
	"github.com/haocha/haocha/internal/calendar"
	"github.com/haocha/haocha/internal/demo"
	"github.com/haocha/haocha/internal/loadgen"
	"github.com/haocha/haocha/internal/review"
	"github.com/haocha/haocha/internal/store"
	"github.com/haocha/haocha/internal/store/storetest"
)

// BenchmarkHonestIntake posts honest traffic (many networks and paced
// devices) to a server in this process set up as scripts/bench.sh sets
// its own (the shipped review limits, the halls' opening hours, the past
// of a city as busy as the load), for a CPU profile of intake:
//
//	go test ./internal/loadgen/ -run '^$' -bench HonestIntake/sqlite -benchtime 1x -cpuprofile cpu.out
//
// The profile holds the load generator too (internal/loadgen, net/http's
// client): leave it out with pprof -ignore 'loadgen\.|http\.\(\*Transport'.
// With HAOCHA_TEST_POSTGRES set, HonestIntake/postgres measures PostgreSQL.
//
// Besides reviews/s it reports, per review stored, what this process (the
// server and the load generator; with SQLite the database engine too)
// wrote: bytes to storage and write system calls (/proc/self/io; the
// calls include both ends' socket writes), its CPU time, and with
// PostgreSQL the bytes of WAL the whole cluster wrote meanwhile (other
// databases' writes count too: run it on a quiet cluster).
func BenchmarkHonestIntake(b *testing.B) {
	for _, backend := range []string{"sqlite", "postgres"} {
		b.Run(backend, func(b *testing.B) {
			dsn := benchDSN(b, backend)
			if backend == "sqlite" && *benchFrom != "" {
				copyDB(b, *benchFrom, dsn)
			}
			url, m := benchServer(b, dsn, *benchServe)
			for round := range b.N {
				folds := m.Store.FoldCounts()
				stop := loadProfile(b, round)
				before := writesNow(b, dsn)
				res, err := loadgen.Run(context.Background(), honestLoad(url))
				if err != nil {
					b.Fatal(err)
				}
				after := writesNow(b, dsn)
				stop()
				if res.OK < res.Requests {
					b.Logf("round: %d of %d requests refused", res.Requests-res.OK, res.Requests)
				}
				b.ReportMetric(res.Throughput, "reviews/s")
				n := float64(max(res.OK, 1))
				b.ReportMetric(float64(after.bytes-before.bytes)/n, "wbytes/review")
				b.ReportMetric(float64(after.calls-before.calls)/n, "syscw/review")
				b.ReportMetric(float64((after.cpu-before.cpu).Microseconds())/n, "cpu-µs/review")
				b.ReportMetric(res.P99, "p99-ms")
				b.Logf("round: %.0f reviews/s, p99 %.1f ms, %.0f cpu-µs/review, %.0f database cpu-µs/review, %.1f read calls/review%s",
					res.Throughput, res.P99, float64((after.cpu-before.cpu).Microseconds())/n,
					float64((after.dbCPU-before.dbCPU).Microseconds())/n, float64(after.reads-before.reads)/n, fileSizes(dsn))
				if f := m.Store.FoldCounts(); f.Folds > folds.Folds {
					k := float64(f.Folds - folds.Folds)
					b.Logf("round: %.0f folds, a fold %.0f delta rows, %.0f reviews, %.0f rollup rows, %.1f statements; %.2f rollup rows a review",
						k, float64(f.Deltas-folds.Deltas)/k, float64(f.Reviews-folds.Reviews)/k, float64(f.Rows-folds.Rows)/k,
						float64(f.Statements-folds.Statements)/k, float64(f.Rows-folds.Rows)/float64(f.Reviews-folds.Reviews))
				}
				if backend == "postgres" {
					b.ReportMetric(float64(after.wal-before.wal)/n, "wal-bytes/review")
					b.ReportMetric(float64((after.dbCPU-before.dbCPU).Microseconds())/n, "db-cpu-µs/review")
				}
			}
		})
	}
}

var (
	benchClients = flag.Int("clients", 16, "the honest traffic's clients (HonestIntake, FloodAfterHonest)")
	benchSources = flag.Int("sources", 200, "the honest traffic's source addresses (HonestIntake, FloodAfterHonest)")
	benchServe   = flag.Bool("serve", false, "serve as haocha serve does, with the scheduler")
	benchFrom    = flag.String("from", "", "start HonestIntake/sqlite from a copy of this SQLite database (e.g. one haocha demo loaded)")
)

var loadProfileOut = flag.String("loadprofile", "", "write a CPU profile of the load phase alone (no setup) to this file")

// loadProfile starts the -loadprofile CPU profile, if asked; stop ends it.
func loadProfile(b *testing.B, round int) (stop func()) {
	if *loadProfileOut == "" {
		return func() {}
	}
	f, err := os.Create(fmt.Sprintf("%s.%d", *loadProfileOut, round))
	if err != nil {
		b.Fatal(err)
	}
	if err := pprof.StartCPUProfile(f); err != nil {
		b.Fatal(err)
	}
	return func() { pprof.StopCPUProfile(); f.Close() }
}

// copyDB copies the SQLite database from (checkpointed: its WAL is not
// copied) to dsn.
func copyDB(b *testing.B, from, dsn string) {
	b.Helper()
	db, err := sql.Open("sqlite", from)
	if err != nil {
		b.Fatal(err)
	}
	_, err = db.Exec("PRAGMA wal_checkpoint(TRUNCATE)")
	db.Close()
	if err != nil {
		b.Fatalf("checkpoint %s: %v", from, err)
	}
	raw, err := os.ReadFile(from)
	if err != nil {
		b.Fatal(err)
	}
	if err := os.WriteFile(dsn, raw, 0o600); err != nil {
		b.Fatal(err)
	}
	if key, err := os.ReadFile(from + ".key"); err == nil {
		os.WriteFile(dsn+".key", key, 0o600)
	}
}

// fileSizes are the sizes of a SQLite database's files, for a round's
// log line: the WAL growing from round to round is worth seeing.
func fileSizes(dsn string) string {
	if store.IsPostgres(dsn) {
		return ""
	}
	var out string
	for _, f := range []string{dsn, dsn + "-wal"} {
		if fi, err := os.Stat(f); err == nil {
			out += fmt.Sprintf(", %s %.1f MiB", filepath.Base(f), float64(fi.Size())/(1<<20))
		}
	}
	return out
}

// benchClock is a working day's opening hours in the city, as bench.sh's
// BENCH_NOW: no hall review is off hours.
var benchClock = time.Date(2026, 7, 22, 10, 0, 0, 0, calendar.Zone)

// benchDSN is a fresh database for a benchmark on backend: a SQLite file
// in b's temporary folder, or a schema on HAOCHA_TEST_POSTGRES.
func benchDSN(b *testing.B, backend string) string {
	if backend == "postgres" {
		return storetest.PostgresDSN(b)
	}
	return storetest.SQLiteDSN(b)
}

// honestLoad is the honest traffic of the benchmarks, to url: -clients
// clients from -sources addresses, many paced devices, for 8 seconds.
func honestLoad(url string) loadgen.Config {
	return loadgen.Config{URL: url, Concurrency: *benchClients, Duration: 8 * time.Second,
		Sources: *benchSources, Devices: 100000, Now: benchClock}
}

// floodLoad is a flood to url for d: 16 clients from one address and
// one browser, refused once past the limit's first reviews.
func floodLoad(url string, d time.Duration) loadgen.Config {
	return loadgen.Config{URL: url, Concurrency: 16, Duration: d, Now: benchClock}
}

// benchServer serves a catalogue-only database on dsn as bench.sh's
// intake server: the shipped review limits, the clock at benchClock, the
// history of a city as busy as the load.
//
// With serve it serves as `haocha serve` does, with its background work
// (the scheduler, the boards warm before the load and kept warm, the
// rollup folds), for a profile of the whole server.
func benchServer(b *testing.B, dsn string, serve bool) (string, *app.Main) {
	b.Helper()
	m := benchApp(b, dsn)
	if !serve {
		srv := httptest.NewServer(m.Handler())
		b.Cleanup(srv.Close)
		return srv.URL, m
	}
	ln, err := app.Listen("127.0.0.1:0")
	if err != nil {
		b.Fatal(err)
	}
	m.Listener = ln
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- m.Serve(ctx) }()
	go m.Boards.KeepWarm(ctx, func(err error) { b.Log("keep warm:", err) })
	b.Cleanup(func() { cancel(); <-done })
	if err := m.Boards.Warm(ctx); err != nil {
		b.Fatal(err)
	}
	return "http://" + ln.Addr().String(), m
}

// benchApp is benchServer's server before it listens.
func benchApp(b *testing.B, dsn string) *app.Main {
	b.Helper()
	m, err := app.Open(context.Background(), app.Config{
		DB:          dsn,
		Demo:        demo.Options{Reviews: -1}, // the catalogue only, as bench.sh
		ReviewRate:  30,
		AddressRate: review.AddressRateMax,
		BenchNow:    benchClock,
		Log:         slog.New(slog.NewTextHandler(io.Discard, nil)),
	})
	if err != nil {
		b.Fatalf("open: %v", err)
	}
	b.Cleanup(func() { m.Close() })
	// The past of a city as busy as the load, as bench.sh gives it.
	ctx := context.Background()
	if err := loadgen.History(ctx, loadgen.HistoryConfig{DB: dsn, Rate: 2000, Days: 28, Now: benchClock, Seed: 1}); err != nil {
		b.Fatal(err)
	}
	if err := m.Store.RefreshBaseline(ctx); err != nil {
		b.Fatal(err)
	}
	return m
}

// BenchmarkFloodIntake posts a flood (one address, one browser) to the
// same server as BenchmarkHonestIntake: after the limit's first reviews
// every request is refused 429, so a CPU profile of it is the cost of a
// refusal, which must stay below an honest review's:
//
//	go test ./internal/loadgen/ -run '^$' -bench FloodIntake/sqlite -benchtime 1x -cpuprofile cpu.out
func BenchmarkFloodIntake(b *testing.B) {
	for _, backend := range []string{"sqlite", "postgres"} {
		b.Run(backend, func(b *testing.B) {
			url, _ := benchServer(b, benchDSN(b, backend), false)
			for range b.N {
				res, err := loadgen.Run(context.Background(), floodLoad(url, 8*time.Second))
				if err != nil {
					b.Fatal(err)
				}
				b.ReportMetric(float64(res.Requests)/res.Seconds, "requests/s")
			}
		})
	}
}

// writes is what this process has written so far (/proc/self/io), its CPU
// time, and with PostgreSQL the cluster's WAL position.
type writes struct {
	bytes, calls, wal int64
	reads             int64 // read system calls (syscr): pages SQLite missed in its cache, and socket reads
	cpu               time.Duration
	// dbCPU is the CPU time of the PostgreSQL backends serving the
	// database (/proc/PID/stat), not the cluster's background processes.
	dbCPU time.Duration
}

func writesNow(b *testing.B, dsn string) writes {
	b.Helper()
	var w writes
	raw, err := os.ReadFile("/proc/self/io")
	if err != nil {
		b.Skipf("no /proc/self/io to measure writes with: %v", err)
	}
	for _, line := range strings.Split(string(raw), "\n") {
		name, v, _ := strings.Cut(line, ": ")
		n, _ := strconv.ParseInt(v, 10, 64)
		switch name {
		case "write_bytes":
			w.bytes = n
		case "syscw":
			w.calls = n
		case "syscr":
			w.reads = n
		}
	}
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err == nil {
		w.cpu = time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
	}
	if store.IsPostgres(dsn) {
		db, err := sql.Open("pgx", dsn)
		if err != nil {
			b.Fatal(err)
		}
		defer db.Close()
		if err := db.QueryRow("SELECT (pg_current_wal_insert_lsn() - '0/0')::bigint").Scan(&w.wal); err != nil {
			b.Fatal(err)
		}
		w.dbCPU = storetest.BackendsCPU(b, db)
	}
	return w
}
