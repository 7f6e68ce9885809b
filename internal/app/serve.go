package app

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"sync"
	"sync/atomic"
	"time"

	"golang.org/x/sync/errgroup"

	"github.com/haocha/haocha/internal/periodic"
)

// DefaultDrain is how long shutdown waits for requests in flight, and then
// for background steps in progress, before cutting them.
const DefaultDrain = 10 * time.Second

// upkeepEvery is the period of partition upkeep.
const upkeepEvery = 24 * time.Hour

// Run binds cfg.Addr before anything else, so that an unusable address
// fails at once and leaves the database untouched; then it opens the
// database and loads what it must while the port answers 503 "starting";
// then it serves, its readiness check (GET /healthz) answering 503
// "warming" until every board the pages draw is held, restored from the
// last run or computed, and keeps them warm (board.Cache.KeepWarm, from
// the restore on); it serves until ctx ends, shuts down in order and
// closes the store.
func Run(ctx context.Context, cfg Config) error {
	ln, err := Listen(cfg.Addr)
	if err != nil {
		return fmt.Errorf("listen on %q: %w", cfg.Addr, err)
	}
	var metricsLn net.Listener
	if cfg.MetricsAddr != "" {
		if metricsLn, err = net.Listen("tcp", cfg.MetricsAddr); err != nil {
			ln.Close()
			return fmt.Errorf("listen on %q for metrics: %w", cfg.MetricsAddr, err)
		}
		defer metricsLn.Close()
	}
	var h switchHandler
	h.set(http.HandlerFunc(starting))
	srv := newServer(&h, logger(cfg), cfg.IdleConns)
	served := make(chan error, 1)
	go func() { served <- srv.Serve(ln) }()
	logger(cfg).Info("Haocha is starting", "url", "http://"+ln.Addr().String()+"/", "db", cfg.DB)
	m, err := Open(ctx, cfg)
	if err != nil {
		srv.Close()
		<-served
		return err
	}
	m.Listener = ln
	srv.RegisterOnShutdown(m.deviceHub.Close)
	// Served, but not ready until every board the pages draw is held,
	// restored from the last run or computed; kept warm until shutdown
	// from the moment the restored ones are back, beside the warm-up, so
	// that none lapses while the others are computed.
	h.set(warming(m.handler))
	warm, stopWarm := context.WithCancel(context.WithoutCancel(ctx))
	var warmed sync.WaitGroup
	warmed.Go(func() {
		m.restore(warm)
		warmed.Go(func() {
			m.Boards.KeepWarm(warm, func(err error) { m.Log.ErrorContext(warm, "keep the boards warm", "err", err) })
		})
		// The models are read from model.bin in milliseconds; a build
		// whose themes' data differ trains them for seconds, beside the
		// boards' warm-up, so that readiness waits for the longer of the two.
		var trained sync.WaitGroup
		trained.Go(m.train)
		m.warm(warm)
		trained.Wait()
		h.set(m.handler)
	})
	if metricsLn != nil {
		mux := http.NewServeMux()
		mux.Handle("GET /metrics", m.metrics)
		ms := newServer(secure(mux), m.Log, 0)
		go ms.Serve(metricsLn)
		defer ms.Close()
	}
	err = m.serve(ctx, srv, served)
	stopWarm()
	warmed.Wait()
	return errors.Join(err, m.Close())
}

// Serve listens on the configured address (unless Listener is already set)
// and serves until ctx ends, then shuts down in order: it stops accepting
// and drains requests in flight, stops the scheduler and partition upkeep
// and waits for their steps in progress, and gives up the scheduler's
// lease. The store stays open: close it after Serve returns.
func (m *Main) Serve(ctx context.Context) error {
	if m.Listener == nil {
		ln, err := Listen(m.Config.Addr)
		if err != nil {
			return fmt.Errorf("listen on %q: %w", m.Config.Addr, err)
		}
		m.Listener = ln
	}
	srv := newServer(m.handler, m.Log, m.Config.IdleConns)
	srv.RegisterOnShutdown(m.deviceHub.Close)
	served := make(chan error, 1)
	go func() { served <- srv.Serve(m.Listener) }()
	return m.serve(ctx, srv, served)
}

// serve runs the background work beside srv until ctx ends or srv fails,
// then shuts both down in order.
func (m *Main) serve(ctx context.Context, srv *server, served <-chan error) error {
	m.Log.Info("Haocha is serving", "url", "http://"+m.Listener.Addr().String()+"/", "db", m.Config.DB)
	drain := m.Config.Drain
	if drain <= 0 {
		drain = DefaultDrain
	}
	// Background work stops only once requests have drained: it has a
	// context of its own, not ctx.
	bg, stopBackground := context.WithCancel(context.WithoutCancel(ctx))
	defer stopBackground()
	var g errgroup.Group
	if m.Store.Postgres() {
		g.Go(func() error {
			periodic.Run(bg, upkeepEvery, drain, m.upkeep)
			return nil
		})
	}
	if m.Scheduler != nil {
		m.Scheduler.Grace = drain
		g.Go(func() error { return m.Scheduler.Run(bg) })
	}

	var err error
	select {
	case err = <-served:
		err = fmt.Errorf("serve: %w", err)
	case <-ctx.Done():
		m.Log.Info("shutting down")
		err = m.drain(srv, served, drain)
	}
	stopBackground()
	if berr := g.Wait(); berr != nil {
		// Not fatal: the lease expires by itself.
		m.Log.Error("shutdown", "err", berr)
	}
	m.Log.Info("background work stopped")
	return err
}

// drain stops accepting and waits up to d for requests in flight; past
// that it cuts their connections.
func (m *Main) drain(srv *server, served <-chan error, d time.Duration) error {
	sctx, cancel := context.WithTimeout(context.Background(), d)
	defer cancel()
	if err := srv.Shutdown(sctx); err != nil {
		m.Log.Warn("requests still running at the drain deadline: cut", "drain", d)
		srv.Close()
	}
	if err := <-served; !errors.Is(err, http.ErrServerClosed) {
		return fmt.Errorf("serve: %w", err)
	}
	return nil
}

// upkeep is one round of partition upkeep: review partitions for the
// months ahead, on PostgreSQL.
func (m *Main) upkeep(ctx context.Context) {
	if err := m.Store.PartitionsAhead(ctx); err != nil {
		m.Log.ErrorContext(ctx, "create review partitions", "err", err)
	}
}

// Listen listens on the TCP address addr for the server.
//
// Its connections have no TCP keep-alive: switching it on costs four
// system calls a connection (a phone's review is often a connection of
// its own), and it finds nothing the server's timeouts do not (newServer:
// an idle connection is closed after two minutes, a request that does not
// arrive or an answer that is not read after theirs; the device stream
// sets a deadline for each write).
func Listen(addr string) (net.Listener, error) {
	lc := net.ListenConfig{KeepAlive: -1}
	return lc.Listen(context.Background(), "tcp", addr)
}

// The server's timeouts: a request's header must arrive within
// readHeaderTimeout and the whole request within readTimeout; its answer
// must be read within writeTimeout; a keep-alive connection is closed
// after idleTimeout idle.
const (
	readHeaderTimeout = 5 * time.Second
	readTimeout       = 30 * time.Second
	writeTimeout      = 2 * time.Minute // printable QR sheets of a whole city are large
	idleTimeout       = 2 * time.Minute
)

func logger(cfg Config) *slog.Logger {
	if cfg.Log != nil {
		return cfg.Log
	}
	return slog.Default()
}

// switchHandler serves whichever handler was set last: "starting" while the
// database loads, then the whole interface.
type switchHandler struct{ h atomic.Pointer[http.Handler] }

func (s *switchHandler) set(h http.Handler) { s.h.Store(&h) }

func (s *switchHandler) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	(*s.h.Load()).ServeHTTP(w, r)
}

// starting answers every request while the server loads: 503 with
// Retry-After, so that a load balancer's health check (GET /healthz) keeps
// the process out of rotation and a client knows to come back, rather
// than waiting on a connection nobody reads.
func starting(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("Content-Type", "application/json")
	w.Header().Set("Retry-After", "5")
	w.WriteHeader(http.StatusServiceUnavailable)
	fmt.Fprintln(w, `{"status":"starting","error":"the server is starting: try again shortly"}`)
}
