// Package app wires Haocha together: configuration, the store, the demo
// data, the HTTP server and its routes.
package app

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"github.com/haocha/haocha/internal/workorder"
	"log/slog"
	"maps"
	"net"
	"net/http"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/haocha/haocha/internal/alert"
	"github.com/haocha/haocha/internal/api"
	"github.com/haocha/haocha/internal/board"
	"github.com/haocha/haocha/internal/citizen"
	"github.com/haocha/haocha/internal/demo"
	"github.com/haocha/haocha/internal/device"
	"github.com/haocha/haocha/internal/fraud"
	"github.com/haocha/haocha/internal/intake"
	"github.com/haocha/haocha/internal/invitation"
	"github.com/haocha/haocha/internal/lookup"
	"github.com/haocha/haocha/internal/metrics"
	"github.com/haocha/haocha/internal/qr"
	"github.com/haocha/haocha/internal/review"
	"github.com/haocha/haocha/internal/route"
	"github.com/haocha/haocha/internal/scheduler"
	"github.com/haocha/haocha/internal/sms"
	"github.com/haocha/haocha/internal/store"
	"github.com/haocha/haocha/internal/web"
)

// Config is what the server is told at start.
type Config struct {
	Addr   string // listen address, host:port
	DB     string // SQLite file or postgres:// URL
	NoDemo bool   // do not load demo data into an empty database
	Demo   demo.Options
	// ReviewRate is how many reviews one device may give in ten minutes;
	// 0 means no limit.
	ReviewRate int
	// AddressRate is how many reviews one network (IPv4 address, IPv6
	// /64) may give in an hour, whatever the device; 0 means no limit.
	AddressRate int
	// Fraud are the fraud detectors' rules; nil is fraud.DefaultRules.
	Fraud *fraud.Rules
	Log   *slog.Logger
	// QRSecret signs workstation QR links; empty: the secret derived from the
	// master key for "qr" (keys.Ring), the same on every process.
	QRSecret string
	// BaseURL is the absolute address printed in QR codes; empty: the
	// address a sheet is requested on.
	BaseURL string
	// QRRotation is how often workstation QR tokens change: never, daily
	// or weekly (DefaultQRRotation when empty); QRGrace is how long a
	// replaced token keeps working (DefaultQRGrace when zero).
	QRRotation string
	QRGrace    time.Duration
	Loop       LoopConfig // the work-order loop: cookies, scheduler, webhooks
	// Drain bounds each stage of shutdown: requests in flight, then the
	// background steps in progress. DefaultDrain when zero.
	Drain time.Duration
	// Metrics are never public. MetricsToken serves them on the main port
	// to "Authorization: Bearer TOKEN"; MetricsAddr serves them alone on a
	// listen address of their own, for a scraper on a private network.
	MetricsToken string
	MetricsAddr  string
	// CacheBytes is the memory the cache of index boards and their
	// answers may take; board.DefaultBytes when zero.
	CacheBytes int64
	// DBCacheBytes is the resident memory SQLite's page caches share
	// (store.OpenCache); store.DefaultCacheBytes when zero.
	DBCacheBytes int64
	// IdleConns is how many keep-alive connections the server keeps idle,
	// the longest idle closed past it; DefaultIdleConns when zero.
	IdleConns int
	// SMS texts citizens their private links, look-up codes and rating
	// invitations, behind the outbox (sms.Outbox): the HTTP gateway when
	// HAOCHA_SMS_URL is set; nil: the log (sms.Log), which masks the
	// phone and keeps the text out.
	SMS sms.Sender
	// SMSInboundToken authenticates the gateway delivering citizens'
	// replies (TD) to POST /api/v1/sms/inbound; empty refuses every call.
	SMSInboundToken string
	// DBRead, when set, is a read replica of DB that public figures (index
	// boards, statistics, published results) are counted on, stating
	// their staleness; writes and what staff act on stay on DB.
	DBRead string
	// OIDCIssuer, when set, lets citizens sign in with the city's
	// identity provider (OpenID Connect), as the client OIDCClientID with
	// OIDCClientSecret; its callback is BaseURL/signin/oidc/callback.
	OIDCIssuer, OIDCClientID, OIDCClientSecret string
	// BenchNow, when set, starts the server's clock at that time, running
	// on from there: benchmarks play the halls' opening hours whatever
	// the hour (HAOCHA_BENCH_NOW). Never for a server in service.
	BenchNow time.Time
}

// The QR codes' rotation by default: a printed sheet is changed once a
// week and an old one is taken for a week more, so a hall has the whole
// week to put the new sheet up.
const (
	DefaultQRRotation = string(qr.Weekly)
	DefaultQRGrace    = 7 * 24 * time.Hour
)

// Main is a running Haocha.
type Main struct {
	Config Config
	Store  *store.Store
	Log    *slog.Logger
	// Listener is set once Serve listens; tests read its address.
	Listener net.Listener
	// Intake takes reviews in from every door.
	Intake *intake.Service
	// Orders is the work-order service every door of the loop calls.
	Orders *workorder.Service
	// Boards holds the published index boards the pages draw.
	Boards *board.Cache
	// Scheduler is the background job of the work-order loop.
	Scheduler *scheduler.Scheduler
	// Signer signs and checks workstation QR tokens, for the pages and
	// intake alike.
	Signer *qr.Signer
	// Devices pairs window rating devices and takes their ratings.
	Devices   *device.Service
	deviceHub *device.Hub
	// SMS is the outbox every text message goes through.
	SMS *sms.Outbox
	// Invitations sends rating invitations and opens their links.
	Invitations *invitation.Service
	// Citizens signs citizens in, on the pages and over the API.
	Citizens *citizen.Service

	// Figures is the read replica of Config.DBRead, or nil.
	Figures *store.Store

	handler http.Handler
	routes  *route.Mux
	metrics http.Handler // Prometheus metrics, for the token route or MetricsAddr
	met     *metrics.Metrics
}

// Open opens and migrates the database and, when it holds no catalogue,
// loads the demo unless told not to.
func Open(ctx context.Context, cfg Config) (_ *Main, err error) {
	log := logger(cfg)
	st, err := store.OpenCache(ctx, cfg.DB, cfg.DBCacheBytes)
	if err != nil {
		return nil, err
	}
	defer func() {
		if err != nil {
			st.Close()
		}
	}()
	m := &Main{Config: cfg, Store: st, Log: log}
	if !cfg.BenchNow.IsZero() {
		offset := time.Until(cfg.BenchNow)
		st.Now = func() time.Time { return time.Now().Add(offset) }
		log.Warn("the clock is set for a benchmark", "now", cfg.BenchNow.Format(time.RFC3339))
	}
	if err := st.Migrate(ctx); err != nil {
		return nil, err
	}
	if cfg.DBRead != "" {
		if m.Figures, err = store.OpenCache(ctx, cfg.DBRead, cfg.DBCacheBytes); err != nil {
			return nil, fmt.Errorf("read replica: %w", err)
		}
		m.Figures.Now = func() time.Time { return st.Now() }
		defer func() {
			if err != nil {
				m.Figures.Close()
			}
		}()
	}
	// Contacts stored clear before encryption, or under a key since
	// replaced, are sealed with the current key before anyone reads them.
	if err := st.SealContactsOnce(ctx); err != nil {
		return nil, fmt.Errorf("seal contacts: %w", err)
	}
	loaded := false // the demo was loaded by this process
	if !cfg.NoDemo {
		// Processes starting together on one empty database load it once.
		err = st.Exclusively(ctx, store.LockDemo, func() error {
			has, err := st.HasCatalog(ctx)
			if err != nil || has {
				return err
			}
			log.Info("empty database: loading demo data", "reviews", cfg.Demo.Reviews)
			opts := cfg.Demo
			opts.Contacts = st.Keys
			if err := demo.Load(ctx, st, opts); err != nil {
				return fmt.Errorf("load demo: %w", err)
			}
			loaded = true
			// The demo's planted concentrations are alerts from the start,
			// scheduler or not.
			raised, err := alert.NewService(st, st.Now).Sweep(ctx)
			if err != nil {
				return fmt.Errorf("demo alerts: %w", err)
			}
			if !opts.Frozen {
				if err := demo.AlertLives(ctx, st, raised, st.Now()); err != nil {
					return err
				}
			}
			if err := DemoAccounts(ctx, st, cfg.Loop.Out); err != nil {
				return fmt.Errorf("demo accounts: %w", err)
			}
			return nil
		})
		if err != nil {
			return nil, err
		}
	}
	salt, err := st.Secret(ctx, "client_mark")
	if err != nil {
		return nil, err
	}
	met := metrics.New(st.DB(), st.WorkOrderStates, log)
	// The figures the operator's alerts read (docs/alerts.md).
	m.met = met
	st.OnGroupCommit(met.GroupCommitted)
	liteFile, _ := store.SQLiteFile(cfg.DB)
	met.Read(metrics.Readings{SMSOutbox: st.SMSBacklog, NationalFailing: st.NationalPushesFailing,
		Checkpoint: st.CheckpointAt, ReplicationLag: st.ReplicationLag, SQLiteFile: liteFile}, log)
	mux := route.NewMux()
	gateway := cfg.SMS
	if gateway == nil {
		gateway = sms.Log{Log: log}
	}
	m.SMS = &sms.Outbox{Queue: st, Sender: gateway, Now: func() time.Time { return st.Now() }, Log: log}
	texts := m.SMS
	if m.Invitations, err = invitations(ctx, st, cfg); err != nil {
		return nil, err
	}
	m.Intake = &intake.Service{Store: st, Salt: salt, Counter: met, Contacts: st.Keys,
		Limit: review.RateLimit{Max: cfg.ReviewRate, Window: review.RateWindow,
			AddressMax: cfg.AddressRate, AddressWindow: review.AddressRateWindow},
		SMS: texts, FollowBase: siteBase(cfg), Log: log,
		Transactions: st, Detector: st, Rules: cfg.Fraud, Now: func() time.Time { return st.Now() }}
	rotation, err := qr.ParsePeriod(cmp.Or(cfg.QRRotation, DefaultQRRotation))
	if err != nil {
		return nil, err
	}
	webCfg := web.Config{QRRotation: rotation, QRGrace: cmp.Or(cfg.QRGrace, DefaultQRGrace), Store: st, Log: log,
		QRSecret: []byte(cfg.QRSecret), BaseURL: cfg.BaseURL}
	if m.Signer, err = web.NewSigner(ctx, webCfg); err != nil {
		return nil, err
	}
	// Window reviews from the API carry the token the pages check.
	m.Intake.Presence = m.Signer
	if err := proveWith(ctx, m.Intake, st, m.Invitations); err != nil {
		return nil, err
	}
	if loaded && cfg.Demo.Attack {
		if err := playDemoAttack(ctx, m); err != nil {
			return nil, err
		}
	}
	m.Orders = workorder.NewService(st, func() time.Time { return st.Now() })
	m.Orders.Contacts = st.Keys
	m.Orders.Cursors = st.Keys
	if m.Citizens, err = citizens(ctx, st, cfg, texts, log); err != nil {
		return nil, err
	}
	jsonAPI := &api.API{Store: st, Log: log, Intake: m.Intake, Figures: m.Figures, Citizens: m.Citizens}
	jsonAPI.Register(mux)
	// Boards are counted on the read replica when there is one.
	figures := st
	if m.Figures != nil {
		figures = m.Figures
	}
	m.Boards = boards(figures, st, cfg.CacheBytes, log)
	jsonAPI.Boards = m.Boards
	m.metrics = met.Handler()
	if cfg.MetricsToken != "" {
		// Guarded by its own token, not a staff role.
		mux.Handle("GET /metrics", route.Public, bearer(cfg.MetricsToken, m.metrics))
	}
	lookupKey, err := st.Secret(ctx, "follow_lookup")
	if err != nil {
		return nil, err
	}
	finder := &lookup.Service{Store: st, SMS: texts, Key: lookupKey, Now: func() time.Time { return st.Now() }, Log: log, Contacts: st.Keys}
	webCfg.Intake, webCfg.Orders, webCfg.Boards, webCfg.Lookup, webCfg.Signer = m.Intake, m.Orders, m.Boards, finder, m.Signer
	webCfg.Devices, webCfg.Invitations = m.openDevices(), m.Invitations
	webCfg.Figures, webCfg.Citizens = m.Figures, m.Citizens
	pages, err := web.New(ctx, webCfg)
	if err != nil {
		return nil, err
	}
	pages.Register(mux)
	jsonAPI.RegisterSMSInbound(mux, m.Invitations, cfg.SMSInboundToken)
	if err := m.openLoop(ctx, mux); err != nil {
		return nil, err
	}
	m.routes = mux
	m.handler = secure(observe(log, met, crossOrigin(mux)))
	return m, nil
}

// Routes lists every route with who may call it.
func (m *Main) Routes() []route.Route { return m.routes.Routes() }

// Handler is the whole HTTP interface: pages and API on one port.
func (m *Main) Handler() http.Handler { return m.handler }

// Close releases the database, flushing reviews waiting for their group
// commit, once the boards visitors set computing are done. Call it after
// Serve has returned.
func (m *Main) Close() error {
	if m.Boards != nil {
		m.Boards.Settle()
	}
	err := m.Store.Close()
	if m.Figures != nil {
		err = errors.Join(err, m.Figures.Close())
	}
	return err
}

// statusWriter remembers the status a handler wrote.
type statusWriter struct {
	http.ResponseWriter
	status int
}

func (w *statusWriter) WriteHeader(code int) {
	w.status = code
	w.ResponseWriter.WriteHeader(code)
}

func (w *statusWriter) Unwrap() http.ResponseWriter { return w.ResponseWriter }

// observe logs each request once it is answered and records its latency.
// Paths that carry a secret token are cut before the token. Requests
// refused by a limit (429) are logged together, a line a second by route
// (refusalLog): a flood's line per request would cost the server more
// than refusing it. The latency metric still counts each.
func observe(log *slog.Logger, met *metrics.Metrics, next http.Handler) http.Handler {
	refused := &refusalLog{log: log, every: time.Second}
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		start := time.Now()
		sw := &statusWriter{ResponseWriter: w, status: http.StatusOK}
		next.ServeHTTP(sw, r)
		took := time.Since(start)
		met.Observe(r.Pattern, sw.status, took)
		if sw.status == http.StatusTooManyRequests {
			refused.add(r.Pattern)
			return
		}
		path := r.URL.Path
		if i := strings.Index(path, "/follow/"); i >= 0 {
			path = path[:i] + "/follow/…"
		}
		if strings.HasPrefix(path, invitation.Path) {
			path = invitation.Path + "…"
		}
		logRequest(r.Context(), log, r.Method, path, sw.status, took)
	})
}

// refusalLog counts the requests refused by a limit and logs the counts,
// one line per route, every period: the first refusal after a quiet
// spell starts the period, so a refusal is in the log a period later at
// most, and a flood of thousands a second is a line a second.
type refusalLog struct {
	log   *slog.Logger
	every time.Duration

	mu      sync.Mutex
	counts  map[string]int // by route pattern
	pending bool           // a flush is due
}

func (l *refusalLog) add(route string) {
	if route == "" {
		route = "unmatched"
	}
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.counts == nil {
		l.counts = make(map[string]int)
	}
	l.counts[route]++
	if !l.pending {
		l.pending = true
		time.AfterFunc(l.every, l.flush)
	}
}

func (l *refusalLog) flush() {
	l.mu.Lock()
	counts := l.counts
	l.counts, l.pending = nil, false
	l.mu.Unlock()
	for _, route := range slices.Sorted(maps.Keys(counts)) {
		l.log.LogAttrs(context.Background(), slog.LevelInfo, "requests refused by a limit",
			slog.String("route", route), slog.Int("status", http.StatusTooManyRequests),
			slog.Int("count", counts[route]), slog.Duration("over", l.every))
	}
}

// siteBase is the address links sent by SMS start with: the configured
// base, else the listen address (right on a laptop; a deployment behind a
// proxy sets --base-url). Never the Host a request names: anyone could
// then have an official text sent to any phone, linking to their site.
func siteBase(cfg Config) string {
	if cfg.BaseURL != "" {
		return cfg.BaseURL
	}
	host := cfg.Addr
	if host == "" {
		host = "localhost"
	} else if strings.HasPrefix(host, ":") {
		host = "127.0.0.1" + host
	}
	return "http://" + host
}
