// Package metrics exposes Haocha's operational figures to Prometheus:
// reviews accepted and refused, work orders by state, request latency,
// database pool use, and the figures the alerting rules read
// (deploy/prometheus/haocha-rules.yml, docs/alerts.md): group-commit
// latency, the scheduler's last tick, the SMS outbox, the national push,
// the audit checkpoint, the SQLite disk and replication lag.
package metrics

import (
	"context"
	"database/sql"
	"log/slog"
	"net/http"
	"sync"
	"sync/atomic"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"
	"github.com/prometheus/client_golang/prometheus/promhttp"
)

// Metrics holds the collectors of one server process.
type Metrics struct {
	reg      *prometheus.Registry
	accepted *prometheus.CounterVec
	refused  *prometheus.CounterVec
	latency  *prometheus.HistogramVec
	ops      operations

	// The vectors' children by their labels, as every request and review
	// looks them up.
	acceptedBy byLabels[string, prometheus.Counter]
	latencyBy  byLabels[routeClass, prometheus.Observer]
}

// routeClass is a request's labels in latency: its route pattern and
// status class.
type routeClass struct {
	route string
	class int
}

// New registers Haocha's metrics. db is the pool whose use is reported;
// states counts work orders by state when scraped.
func New(db *sql.DB, states func(context.Context) (map[string]int64, error), log *slog.Logger) *Metrics {
	m := &Metrics{
		reg: prometheus.NewRegistry(),
		accepted: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "haocha_reviews_accepted_total", Help: "Reviews stored, by channel.",
		}, []string{"channel"}),
		refused: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "haocha_reviews_refused_total", Help: "Reviews refused, by reason (error code and field).",
		}, []string{"reason"}),
		latency: prometheus.NewHistogramVec(prometheus.HistogramOpts{
			Name: "haocha_http_request_duration_seconds", Help: "HTTP request latency, by route pattern and status class.",
			Buckets: []float64{.001, .0025, .005, .01, .025, .05, .1, .25, .5, 1, 2.5, 10},
		}, []string{"route", "code"}),
	}
	m.acceptedBy.child = func(channel string) prometheus.Counter { return m.accepted.WithLabelValues(channel) }
	m.latencyBy.child = func(k routeClass) prometheus.Observer {
		return m.latency.WithLabelValues(k.route, statusClasses[k.class])
	}
	m.ops = newOperations()
	m.reg.MustRegister(m.ops.collectors()...)
	m.reg.MustRegister(m.accepted, m.refused, m.latency,
		collectors.NewGoCollector(), collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}),
		collectors.NewDBStatsCollector(db, "haocha"),
		&stateCollector{states: states, log: log,
			desc: prometheus.NewDesc("haocha_work_orders", "Work orders by state.", []string{"state"}, nil)})
	return m
}

// Handler serves the metrics in Prometheus' text format.
func (m *Metrics) Handler() http.Handler {
	return promhttp.HandlerFor(m.reg, promhttp.HandlerOpts{})
}

// Accepted counts a stored review.
func (m *Metrics) Accepted(channel string) {
	if m != nil {
		m.acceptedBy.get(channel).Inc()
	}
}

// Refused counts a refused review; reason is short and bounded (code:field).
func (m *Metrics) Refused(reason string) {
	if m != nil {
		m.refused.WithLabelValues(reason).Inc()
	}
}

// Observe records a request's latency under its route pattern, never its
// path, so that codes and tokens in paths do not become labels.
func (m *Metrics) Observe(route string, status int, took time.Duration) {
	if m == nil {
		return
	}
	if route == "" {
		route = "unmatched"
	}
	m.latencyBy.get(routeClass{route, statusClass(status)}).Observe(took.Seconds())
}

// statusClasses are the labels statusClass answers, made once rather
// than for every request.
var statusClasses = [...]string{"0xx", "1xx", "2xx", "3xx", "4xx", "5xx", "6xx", "7xx", "8xx", "9xx"}

// statusClass is status's index in statusClasses.
func statusClass(status int) int {
	if c := status / 100; c >= 0 && c < len(statusClasses) {
		return c
	}
	return 0
}

// byLabels are a vector's children by their label values, made by child
// at first use. A vector's WithLabelValues hashes the values and compares
// them under a lock at each call (two a review: 0.4–0.6% of the server's
// CPU in an honest run); a hit here is one read of a map, copied when a
// child is added (labels are few and bounded: channels, route patterns,
// status classes). BenchmarkObserve: 156–162 → 74–87 CPU ns a review.
type byLabels[K comparable, C any] struct {
	child func(K) C
	mu    sync.Mutex // serializes adding
	m     atomic.Pointer[map[K]C]
}

func (b *byLabels[K, C]) get(k K) C {
	if m := b.m.Load(); m != nil {
		if c, ok := (*m)[k]; ok {
			return c
		}
	}
	b.mu.Lock()
	defer b.mu.Unlock()
	var old map[K]C
	if m := b.m.Load(); m != nil {
		old = *m
	}
	if c, ok := old[k]; ok {
		return c
	}
	next := make(map[K]C, len(old)+1)
	for key, c := range old {
		next[key] = c
	}
	c := b.child(k)
	next[k] = c
	b.m.Store(&next)
	return c
}

// stateCollector reads work-order counts from the database at each scrape,
// so every process reports the same, current figures.
type stateCollector struct {
	states func(context.Context) (map[string]int64, error)
	log    *slog.Logger
	desc   *prometheus.Desc
}

func (c *stateCollector) Describe(ch chan<- *prometheus.Desc) { ch <- c.desc }

func (c *stateCollector) Collect(ch chan<- prometheus.Metric) {
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	counts, err := c.states(ctx)
	if err != nil {
		c.log.Warn("metrics: count work orders", "err", err)
		return
	}
	for state, n := range counts {
		ch <- prometheus.MustNewConstMetric(c.desc, prometheus.GaugeValue, float64(n), state)
	}
}
