package main

import (
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"os"
	"time"

	"github.com/haocha/haocha/internal/loadgen"
)

// loadFlags are the flags loadgen and benchraw share.
type loadFlags struct {
	concurrency int
	rate        float64
	duration    time.Duration
	requests    int
	seed        uint64
	json        bool
}

func addLoadFlags(fs *flag.FlagSet) *loadFlags {
	f := &loadFlags{}
	fs.IntVar(&f.concurrency, "concurrency", 16, "workers, each with one request in flight")
	fs.Float64Var(&f.rate, "rate", 0, "target requests per second (0: as fast as the workers go)")
	fs.DurationVar(&f.duration, "duration", 10*time.Second, "how long to send (0 with --requests: until they are sent)")
	fs.IntVar(&f.requests, "requests", 0, "stop after this many requests (0: --duration bounds the run)")
	fs.Uint64Var(&f.seed, "seed", 1, "seed of the payload generator")
	fs.BoolVar(&f.json, "json", false, "print the result as JSON")
	return f
}

func (f *loadFlags) print(out io.Writer, res *loadgen.Result) error {
	if !f.json {
		res.Print(out)
		return nil
	}
	e := json.NewEncoder(out)
	e.SetIndent("", "  ")
	return e.Encode(res)
}

func runLoadgen(ctx context.Context, fs *flag.FlagSet, args []string, out io.Writer) error {
	url := fs.String("url", "http://127.0.0.1:8080", "base URL of a Haocha server on a loopback address")
	get := fs.String("get", "", "GET this path and query (e.g. /api/v1/stats?unit=310101) instead of posting reviews")
	acked := fs.String("acked", "", "append \"id<TAB>work order\" of every review answered 201 to this file")
	sources := fs.Int("sources", 0, "send each request from one of N loopback addresses, 127.0.0.2 onwards, in turn (0: 127.0.0.1): N networks")
	devices := fs.Int("devices", 0, "give requests N browser identities in turn, each device paced by --device-gap: honest citizens (0: one identity, unpaced: a flood)")
	rotate := fs.Bool("rotate", false, "give every request a browser identity of its own, unpaced (not with --devices): a flood that changes identity, and with --sources address, every request")
	deviceGap := fs.Duration("device-gap", loadgen.DefaultDeviceGap, "with --devices, the least time between two reviews of one device")
	now := fs.String("now", "", "the server's clock at the start, as its HAOCHA_BENCH_NOW (RFC 3339, e.g. 2026-07-21T10:00:00+08:00), stated in the output")
	f := addLoadFlags(fs)
	if err := fs.Parse(args); err != nil {
		return err
	}
	var at time.Time
	if *now != "" {
		var err error
		if at, err = time.Parse(time.RFC3339, *now); err != nil {
			return fmt.Errorf("loadgen: --now: %w", err)
		}
	}
	var ackedTo io.Writer
	if *acked != "" {
		file, err := os.OpenFile(*acked, os.O_WRONLY|os.O_CREATE|os.O_APPEND, 0o644)
		if err != nil {
			return fmt.Errorf("loadgen: %w", err)
		}
		defer file.Close()
		ackedTo = file
	}
	if *get != "" && f.requests > 0 && !flagSet(fs, "duration") {
		f.duration = 0 // --requests alone bounds a GET run
	}
	res, err := loadgen.Run(ctx, loadgen.Config{URL: *url, Get: *get, Concurrency: f.concurrency, Rate: f.rate,
		Duration: f.duration, Requests: f.requests, Seed: f.seed, Acked: ackedTo,
		Sources: *sources, Devices: *devices, DeviceGap: *deviceGap, Rotate: *rotate, Now: at})
	return f.finish(out, res, err, "loadgen")
}

// finish prints what was measured, also when the run was interrupted.
func (f *loadFlags) finish(out io.Writer, res *loadgen.Result, err error, name string) error {
	if res != nil {
		if perr := f.print(out, res); err == nil {
			err = perr
		}
	}
	if err != nil {
		return fmt.Errorf("%s: %w", name, err)
	}
	return nil
}

func runBenchRaw(ctx context.Context, fs *flag.FlagSet, args []string, out io.Writer) error {
	// No default and not HAOCHA_DB: benchraw fills the database with
	// made-up reviews that bypass the rollups, so it must be named.
	db := fs.String("db", "", "scratch SQLite file or postgres:// URL to fill with benchmark rows (required)")
	batch := fs.Int("batch", 1, "rows per INSERT, each in its own transaction (the ceiling of a group commit that size)")
	f := addLoadFlags(fs)
	if err := fs.Parse(args); err != nil {
		return err
	}
	if *batch < 1 || *batch > 1024 {
		return fmt.Errorf("benchraw: --batch must be 1 to 1024, got %d", *batch)
	}
	if *db == "" {
		return fmt.Errorf("benchraw: name a scratch database with --db: it is filled with made-up reviews")
	}
	res, err := loadgen.RunRaw(ctx, loadgen.RawConfig{DB: *db, Concurrency: f.concurrency, Rate: f.rate,
		Duration: f.duration, Requests: f.requests, Seed: f.seed, Batch: *batch})
	return f.finish(out, res, err, "benchraw")
}

// flagSet reports whether the flag name was given on the command line.
func flagSet(fs *flag.FlagSet, name string) bool {
	set := false
	fs.Visit(func(f *flag.Flag) { set = set || f.Name == name })
	return set
}

func runHistory(ctx context.Context, fs *flag.FlagSet, args []string, out io.Writer) error {
	db := fs.String("db", "", "a benchmark database holding the demo catalogue (required)")
	rate := fs.Float64("rate", 2000, "reviews a second the city received while its halls were open")
	days := fs.Int("days", 28, "days of history before --now's day (the detectors read 28)")
	now := fs.String("now", "", "the server's clock of the runs to come, as its HAOCHA_BENCH_NOW (RFC 3339; default now)")
	seed := fs.Uint64("seed", 1, "seed of the generator whose mix the history has")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if *db == "" {
		return fmt.Errorf("history: name a benchmark database with --db: its boards will count reviews that do not exist")
	}
	var at time.Time
	if *now != "" {
		var err error
		if at, err = time.Parse(time.RFC3339, *now); err != nil {
			return fmt.Errorf("history: --now: %w", err)
		}
	}
	if err := loadgen.History(ctx, loadgen.HistoryConfig{DB: *db, Rate: *rate, Days: *days, Now: at, Seed: *seed}); err != nil {
		return err
	}
	fmt.Fprintf(out, "history: %d days at %g reviews a second while the halls are open\n", *days, *rate)
	return nil
}
