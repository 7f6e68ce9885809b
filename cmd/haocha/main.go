// Command haocha runs Haocha, the government-service good/bad review
// system: review intake on every channel, 12345 work orders for bad
// reviews, and the evaluation index.
//
// Usage:
//
//	haocha [serve]            run the web UI and API (the default)
//	haocha migrate            bring the database schema up to date
//	haocha import FILE...     load catalogue records from CSV or JSON
//	haocha demo               load the demo catalogue and reviews
//	haocha user add|token|list|disable|enable|unlock|reset-password|revoke-token|tokens
//	                          staff accounts and API tokens
//	haocha report --period P --format F [--out FILE]  the periodic report (通报)
//	haocha index verify [--from --to]  recompute the index and compare with what is published
//	haocha audit verify       check the hash chain of the audit trail [--checkpoint FILE]
//	haocha export national --date D [--out DIR]  the day's national 好差评 exchange
//	haocha backup --out FILE  copy the database online (the key file apart)
//	haocha restore --in FILE  put a backup into --db (an empty database)
//	haocha keys rotate        add a master key and re-encrypt reviewer contacts
//	haocha calendar import FILE  add a year's holidays and make-up working days
//	haocha version            print the version, the commit and the Go that built it
//
// Every command takes --db (HAOCHA_DB), a SQLite file or postgres:// URL.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"os"
	"os/signal"
	"path/filepath"
	"strconv"
	"syscall"
	"time"

	"github.com/haocha/haocha/internal/app"
	"github.com/haocha/haocha/internal/board"
	"github.com/haocha/haocha/internal/catalog"
	"github.com/haocha/haocha/internal/demo"
	"github.com/haocha/haocha/internal/intake"
	"github.com/haocha/haocha/internal/progress"
	"github.com/haocha/haocha/internal/qr"
	"github.com/haocha/haocha/internal/review"
	"github.com/haocha/haocha/internal/store"
	"github.com/haocha/haocha/internal/web"
)

// Version and Commit are set at build time, as the package build does:
// -ldflags "-X main.Version=1.2.0 -X main.Commit=$(git rev-parse HEAD)".
// Without them, version reads what the Go toolchain recorded (buildinfo.go).
var (
	Version = "dev"
	Commit  = ""
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	if err := run(ctx, os.Args[1:], os.Stdout, os.Stderr); err != nil {
		if !errors.Is(err, flag.ErrHelp) {
			fmt.Fprintln(os.Stderr, "haocha:", err)
		}
		os.Exit(1)
	}
}

type command struct {
	name, usage string
	run         func(ctx context.Context, fs *flag.FlagSet, args []string, out io.Writer) error
}

var commands = []command{
	{"serve", "run the web UI and JSON API (the default)", runServe},
	{"migrate", "bring the database schema up to date", runMigrate},
	{"import", "load catalogue records: import FILE.json | units.csv items.csv stages.csv ...", runImport},
	{"demo", "load the demo catalogue and reviews", runDemo},
	{"user", "staff accounts: user add --role R [--unit U | --staff S] --name N; user token --name N [--expires 90d]; user list; user disable|enable|unlock|reset-password NAME; user tokens [NAME]; user revoke-token ID|PREFIX", runUser},
	{"audit", "audit verify: check that no row of the audit trail was edited or deleted", runAudit},
	{"report", "report --period 2026-07|2026-Q3 --format xlsx|csv|html [--out FILE]: the periodic report (通报)", runReport},
	{"index", "index verify [--from D --to D]: recompute every indicator and index from the raw rows and compare", runIndex},
	{"export", "export national --date D [--out DIR]: the day's national 好差评 exchange (JSON lines, CSV, signed manifest); export verify --manifest FILE; export public-key", runExport},
	{"backup", "backup --out FILE: an online copy of the database (SQLite: VACUUM INTO; PostgreSQL: pg_dump); the key file is not in it", runBackup},
	{"restore", "restore --in FILE [--force]: put a backup into the database named by --db (refused when it holds tables, unless --force)", runRestore},
	{"keys", "keys rotate: add a new master key (to the key file) and re-encrypt reviewer contacts with it", runKeys},
	{"calendar", "calendar import FILE: add holidays and make-up working days (CSV date,kind,name)", runCalendar},
	{"version", "print the version, the commit and the Go that built it", func(context.Context, *flag.FlagSet, []string, io.Writer) error { return nil }},
}

func run(ctx context.Context, args []string, out, errOut io.Writer) error {
	name := "serve"
	if len(args) > 0 && len(args[0]) > 0 && args[0][0] != '-' {
		name, args = args[0], args[1:]
	}
	if name == "version" {
		fmt.Fprintln(out, versionLine())
		return nil
	}
	if name == "help" {
		usage(errOut)
		return nil
	}
	for _, c := range commands {
		if c.name != name {
			continue
		}
		fs := flag.NewFlagSet("haocha "+name, flag.ContinueOnError)
		fs.SetOutput(errOut)
		return c.run(ctx, fs, args, out)
	}
	usage(errOut)
	return fmt.Errorf("unknown command %q", name)
}

func usage(w io.Writer) {
	fmt.Fprintln(w, "usage: haocha [command] [flags]")
	for _, c := range commands {
		fmt.Fprintf(w, "  %-9s %s\n", c.name, c.usage)
	}
	fmt.Fprintln(w, "Run 'haocha COMMAND -h' for a command's flags.")
}

// env returns the environment variable or def.
func env(name, def string) string {
	if v, ok := os.LookupEnv(name); ok && v != "" {
		return v
	}
	return def
}

func dbFlag(fs *flag.FlagSet) *string {
	return fs.String("db", env("HAOCHA_DB", "haocha.db"), "SQLite file or postgres:// URL (env HAOCHA_DB)")
}

func demoFlags(fs *flag.FlagSet) *demo.Options {
	o := &demo.Options{}
	fs.IntVar(&o.Reviews, "reviews", demo.TrialReviews, "number of demo reviews; 0 loads the catalogue only")
	fs.Uint64Var(&o.Seed, "seed", 1, "seed of the demo generator: the same seed gives the same reviews")
	fs.IntVar(&o.Days, "days", 16, "spread demo reviews over this many days from the trial's start")
	fs.BoolVar(&o.Attack, "attack", false, "add a day of honest reviews with labelled synthetic attacks of each kind, through the real intake and its fraud detectors")
	return o
}

// progressOut is where a command reports the progress of long work: its
// stderr (the flags' output), so that stdout keeps only what it prints.
func progressOut(fs *flag.FlagSet) io.Writer { return fs.Output() }

// logger is the serve command's log, to stderr, its lines written in
// batches (logBatch): flush it before the process ends.
func logger() (*slog.Logger, *logBatch) {
	level := slog.LevelInfo
	if v := os.Getenv("HAOCHA_LOG_LEVEL"); v != "" {
		level.UnmarshalText([]byte(v))
	}
	out := &logBatch{w: os.Stderr}
	return slog.New(flushing{slog.NewTextHandler(out, &slog.HandlerOptions{Level: level}), out}), out
}

func runServe(ctx context.Context, fs *flag.FlagSet, args []string, out io.Writer) error {
	addr := fs.String("addr", env("HAOCHA_ADDR", "127.0.0.1:8080"), "listen address (env HAOCHA_ADDR)")
	db := dbFlag(fs)
	dbRead := fs.String("db-read", env("HAOCHA_DB_READ", ""), "a read replica of --db that public boards and statistics are counted on, e.g. postgres://u:p@replica:5432/haocha (env HAOCHA_DB_READ; default: --db)")
	noDemo := fs.Bool("no-demo", boolEnv("HAOCHA_NO_DEMO"), "do not load demo data into an empty database (env HAOCHA_NO_DEMO)")
	withDemo := fs.Bool("demo", false, "load demo data into an empty database named by --db or HAOCHA_DB (only the default embedded database gets it without asking)")
	baseURL := fs.String("base-url", env("HAOCHA_BASE_URL", ""), "absolute address printed in QR codes, e.g. https://haoping.example.gov.cn (env HAOCHA_BASE_URL; default: the address a sheet is requested on)")
	qrSecret := fs.String("qr-secret", env("HAOCHA_QR_SECRET", ""), "secret signing workstation QR links (env HAOCHA_QR_SECRET; default: derived from the master key)")
	qrRotation := fs.String("qr-rotation", env("HAOCHA_QR_ROTATION", app.DefaultQRRotation), "how often workstation QR tokens change: never, daily or weekly (env HAOCHA_QR_ROTATION)")
	qrGrace := fs.Duration("qr-grace", durationEnv("HAOCHA_QR_GRACE", app.DefaultQRGrace), "how long a replaced QR token keeps working after its period (env HAOCHA_QR_GRACE)")
	drain := fs.Duration("drain", durationEnv("HAOCHA_DRAIN", app.DefaultDrain), "at shutdown, how long to wait for requests in flight and then for background steps in progress (env HAOCHA_DRAIN)")
	rate := fs.Int("review-rate", intEnv("HAOCHA_REVIEW_RATE", 30), "reviews one device may give in 10 minutes; 0 for no limit (env HAOCHA_REVIEW_RATE)")
	addressRate := fs.Int("address-rate", intEnv("HAOCHA_ADDRESS_RATE", review.AddressRateMax), "reviews one network (IPv4 address, IPv6 /64) may give in an hour, sized for a hall whose citizens share one; 0 for no limit (env HAOCHA_ADDRESS_RATE)")
	metricsToken := fs.String("metrics-token", env("HAOCHA_METRICS_TOKEN", ""), "serve /metrics on the main port to Authorization: Bearer TOKEN (env HAOCHA_METRICS_TOKEN)")
	cacheBytes := fs.Int("cache-bytes", intEnv("HAOCHA_CACHE_BYTES", board.DefaultBytes), "bytes of memory the cache of index boards, their answers and the public pages rendered from them may take (env HAOCHA_CACHE_BYTES)")
	dbCacheBytes := fs.Int("db-cache-bytes", intEnv("HAOCHA_DB_CACHE_BYTES", store.DefaultCacheBytes), "bytes of resident memory the page caches of a SQLite database's connections share, half the writer's (env HAOCHA_DB_CACHE_BYTES)")
	idleConns := fs.Int("idle-conns", intEnv("HAOCHA_IDLE_CONNS", app.DefaultIdleConns), "keep-alive connections kept idle; past it the longest idle is closed (env HAOCHA_IDLE_CONNS)")
	metricsAddr := fs.String("metrics-addr", env("HAOCHA_METRICS_ADDR", ""), "serve /metrics alone on this listen address, e.g. 10.0.0.5:9090 (env HAOCHA_METRICS_ADDR)")
	oidcIssuer := fs.String("oidc-issuer", env("HAOCHA_OIDC_ISSUER", ""), "let citizens sign in with the city's OpenID Connect identity provider at this issuer URL; its callback is --base-url/signin/oidc/callback (env HAOCHA_OIDC_ISSUER)")
	oidcClientID := fs.String("oidc-client-id", env("HAOCHA_OIDC_CLIENT_ID", ""), "Haocha's client id at --oidc-issuer (env HAOCHA_OIDC_CLIENT_ID)")
	oidcSecret := fs.String("oidc-client-secret", env("HAOCHA_OIDC_CLIENT_SECRET", ""), "Haocha's client secret at --oidc-issuer; prefer the env, which the process list does not show (env HAOCHA_OIDC_CLIENT_SECRET)")
	o := demoFlags(fs)
	loop := loopFlags(fs)
	if err := fs.Parse(args); err != nil {
		return err
	}
	demoOn, err := demoWanted(fs, *withDemo, *noDemo)
	if err != nil {
		return err
	}
	if *oidcIssuer != "" && (*oidcClientID == "" || *oidcSecret == "") {
		return fmt.Errorf("--oidc-issuer: give --oidc-client-id and --oidc-client-secret (or HAOCHA_OIDC_CLIENT_ID and HAOCHA_OIDC_CLIENT_SECRET) too")
	}
	if *cacheBytes <= 0 {
		return fmt.Errorf("--cache-bytes: want a positive number of bytes, got %d", *cacheBytes)
	}
	if *dbCacheBytes <= 0 {
		return fmt.Errorf("--db-cache-bytes: want a positive number of bytes, got %d", *dbCacheBytes)
	}
	if *idleConns <= 0 {
		return fmt.Errorf("--idle-conns: want a positive number of connections, got %d", *idleConns)
	}
	serveCollector()
	log, logOut := logger()
	defer logOut.Flush()
	o.Progress = progressOut(fs) // the demo load of an empty database
	gateway, err := smsGateway()
	if err != nil {
		return err
	}
	var benchNow time.Time
	if v := os.Getenv("HAOCHA_BENCH_NOW"); v != "" {
		if benchNow, err = time.Parse(time.RFC3339, v); err != nil {
			return fmt.Errorf("HAOCHA_BENCH_NOW: want a time such as 2026-07-21T10:00:00+08:00: %w", err)
		}
	}
	return app.Run(ctx, app.Config{BenchNow: benchNow, Addr: *addr, DB: *db, DBRead: *dbRead, NoDemo: !demoOn, Demo: *o, ReviewRate: *rate, AddressRate: *addressRate, Log: log,
		BaseURL: *baseURL, QRSecret: *qrSecret, QRRotation: *qrRotation, QRGrace: *qrGrace, Loop: loop(out), Drain: *drain,
		MetricsToken: *metricsToken, MetricsAddr: *metricsAddr, CacheBytes: int64(*cacheBytes), IdleConns: *idleConns, DBCacheBytes: int64(*dbCacheBytes), SMS: gateway, SMSInboundToken: os.Getenv("HAOCHA_SMS_INBOUND_TOKEN"),
		OIDCIssuer: *oidcIssuer, OIDCClientID: *oidcClientID, OIDCClientSecret: *oidcSecret})
}

// demoWanted says whether serve loads the demo into an empty database:
// the default embedded database gets it (the README's first command shows
// a working city) unless --no-demo; a database named by --db or HAOCHA_DB
// is an operator's, and gets it only when --demo asks.
func demoWanted(fs *flag.FlagSet, demo, noDemo bool) (bool, error) {
	if demo && noDemo {
		return false, fmt.Errorf("--demo and --no-demo (or HAOCHA_NO_DEMO) contradict each other: give one")
	}
	named := os.Getenv("HAOCHA_DB") != ""
	fs.Visit(func(f *flag.Flag) { named = named || f.Name == "db" })
	return demo || (!named && !noDemo), nil
}

func intEnv(name string, def int) int {
	if v, err := strconv.Atoi(os.Getenv(name)); err == nil {
		return v
	}
	return def
}

func durationEnv(name string, def time.Duration) time.Duration {
	if d, err := time.ParseDuration(os.Getenv(name)); err == nil {
		return d
	}
	return def
}

func boolEnv(name string) bool {
	b, _ := strconv.ParseBool(os.Getenv(name))
	return b
}

// openStore opens the database and brings its schema up to date.
func openStore(ctx context.Context, dsn string) (*store.Store, error) {
	st, err := store.Open(ctx, dsn)
	if err != nil {
		return nil, err
	}
	if err := st.Migrate(ctx); err != nil {
		st.Close()
		return nil, err
	}
	return st, nil
}

func runMigrate(ctx context.Context, fs *flag.FlagSet, args []string, out io.Writer) error {
	db := dbFlag(fs)
	if err := fs.Parse(args); err != nil {
		return err
	}
	st, err := openStore(ctx, *db)
	if err != nil {
		return err
	}
	defer st.Close()
	fmt.Fprintln(out, "schema up to date:", *db)
	return nil
}

func runImport(ctx context.Context, fs *flag.FlagSet, args []string, out io.Writer) error {
	db := dbFlag(fs)
	kind := fs.String("kind", "", "record kind of CSV files whose name does not tell it; transactions: reported transactions (办件)")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if fs.NArg() == 0 {
		return fmt.Errorf("import: name at least one file")
	}
	st, err := openStore(ctx, *db)
	if err != nil {
		return err
	}
	defer st.Close()
	if *kind == "transactions" {
		return importTransactions(ctx, st, fs.Args(), out, progressOut(fs))
	}
	for _, name := range fs.Args() {
		f, err := os.Open(name)
		if err != nil {
			return err
		}
		c, err := catalog.ReadFile(name, f, *kind)
		f.Close()
		if err == nil {
			// One transaction a file: the bar moves when it is stored.
			n := int64(len(c.Units) + len(c.Items) + len(c.Halls) + len(c.Windows) + len(c.Workstations) + len(c.Staff) + len(c.HallItems))
			bar := progress.New(progressOut(fs), n, "import "+filepath.Base(name))
			if err = st.ImportCatalog(ctx, c); err == nil {
				bar.Add(n)
				bar.Finish()
			}
		}
		if err != nil {
			return fmt.Errorf("import rejected, nothing stored from %s: %w", name, err)
		}
		fmt.Fprintf(out, "%s: %d units, %d items, %d halls, %d windows, %d workstations, %d staff, %d hall items\n",
			name, len(c.Units), len(c.Items), len(c.Halls), len(c.Windows), len(c.Workstations), len(c.Staff), len(c.HallItems))
	}
	return nil
}

func runDemo(ctx context.Context, fs *flag.FlagSet, args []string, out io.Writer) error {
	db := dbFlag(fs)
	o := demoFlags(fs)
	if err := fs.Parse(args); err != nil {
		return err
	}
	st, err := openStore(ctx, *db)
	if err != nil {
		return err
	}
	defer st.Close()
	if o.Reviews == 0 {
		o.Reviews = -1 // the catalogue only
	}
	o.Contacts = st.Keys
	o.Progress = progressOut(fs)
	if err := demo.Load(ctx, st, *o); err != nil {
		return err
	}
	fmt.Fprintf(out, "demo loaded into %s: %d reviews (seed %d)\n", *db, max(o.Reviews, 0), o.Seed)
	if !o.Attack || o.Reviews < 0 {
		return nil
	}
	return demoAttack(ctx, st, *o, out)
}

// demoAttack plays the labelled fraud mix through an intake with the
// server's detectors and its client-mark key, and prints the figures.
func demoAttack(ctx context.Context, st *store.Store, o demo.Options, out io.Writer) error {
	salt, err := st.Secret(ctx, "client_mark")
	if err != nil {
		return err
	}
	in := &intake.Service{Store: st, Salt: salt, Contacts: st.Keys, Transactions: st, Detector: st, Now: st.Now}
	// The window reviews carry the token their code showed, as the
	// server asks; signed and checked here with the database's key.
	signer, err := web.NewSigner(ctx, web.Config{Store: st, QRRotation: qr.Weekly, QRGrace: app.DefaultQRGrace})
	if err != nil {
		return err
	}
	in.Presence, o.SignQR = signer, signer.Current
	mix, err := demo.Attack(ctx, st, in, o)
	if err != nil {
		return err
	}
	f, err := demo.Measure(ctx, st, mix)
	if err != nil {
		return err
	}
	fmt.Fprintf(out, "fraud mix added (labelled in demo_labels):\n%s\n", f)
	return nil
}
