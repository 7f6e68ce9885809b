package metrics

import (
	"context"
	"log/slog"
	"time"

	"github.com/prometheus/client_golang/prometheus"
)

// operations are the figures the alerting rules read that a process
// measures itself: each is kept by the process that did the work.
type operations struct {
	groupCommit   prometheus.Histogram
	schedulerTick prometheus.Gauge
	nationalFails prometheus.Counter
}

func newOperations() operations {
	return operations{
		groupCommit: prometheus.NewHistogram(prometheus.HistogramOpts{
			Name: "haocha_group_commit_duration_seconds", Help: "Time to store one group of reviews, from a committer taking it up to its callers being answered.",
			Buckets: []float64{.001, .0025, .005, .01, .025, .05, .1, .25, .5, 1, 2.5, 5},
		}),
		schedulerTick: prometheus.NewGauge(prometheus.GaugeOpts{
			Name: "haocha_scheduler_last_tick_timestamp_seconds", Help: "When this process last finished a scheduler tick without error as the lease holder; 0 when it never did.",
		}),
		nationalFails: prometheus.NewCounter(prometheus.CounterOpts{
			Name: "haocha_national_push_failures_total", Help: "Attempts of this process to push a day's national exchange that the endpoint did not acknowledge.",
		}),
	}
}

func (o operations) collectors() []prometheus.Collector {
	return []prometheus.Collector{o.groupCommit, o.schedulerTick, o.nationalFails}
}

// GroupCommitted records the time one group of reviews took to store.
func (m *Metrics) GroupCommitted(took time.Duration) {
	if m != nil {
		m.ops.groupCommit.Observe(took.Seconds())
	}
}

// SchedulerTicked records a scheduler tick finished without error at at.
func (m *Metrics) SchedulerTicked(at time.Time) {
	if m != nil {
		m.ops.schedulerTick.Set(float64(at.UnixMilli()) / 1000)
	}
}

// NationalPushFailed counts a push of the national exchange that failed.
func (m *Metrics) NationalPushFailed() {
	if m != nil {
		m.ops.nationalFails.Inc()
	}
}

// Readings are figures read at each scrape from the database or the
// disk, so that every process reports the same, current values. A nil
// func exports nothing.
type Readings struct {
	// SMSOutbox: messages waiting in the outbox and when the oldest was
	// queued (zero when none wait).
	SMSOutbox func(context.Context) (backlog int64, oldest time.Time, err error)
	// NationalFailing: days whose national push failed and is not yet
	// acknowledged.
	NationalFailing func(context.Context) (int64, error)
	// Checkpoint: when the audit trail was last checkpointed; zero: never.
	Checkpoint func(context.Context) (time.Time, error)
	// ReplicationLag: how far standbys are behind; exported only when known.
	ReplicationLag func(context.Context) (lag time.Duration, known bool, err error)
	// SQLiteFile is the SQLite database's file, whose size (with its
	// write-ahead log) and whose file system's free and total bytes are
	// reported; empty on PostgreSQL.
	SQLiteFile string
}

// Read registers the readings, taken at each scrape.
func (m *Metrics) Read(r Readings, log *slog.Logger) {
	m.reg.MustRegister(&readings{r: r, log: log,
		smsBacklog:  prometheus.NewDesc("haocha_sms_outbox_backlog", "Text messages waiting in the SMS outbox (queued, not delivered, not given up).", nil, nil),
		smsOldest:   prometheus.NewDesc("haocha_sms_outbox_oldest_timestamp_seconds", "When the oldest message waiting in the SMS outbox was queued; 0 when none waits.", nil, nil),
		national:    prometheus.NewDesc("haocha_national_push_failing_days", "Days whose national exchange push failed and is not yet acknowledged.", nil, nil),
		checkpoint:  prometheus.NewDesc("haocha_audit_checkpoint_last_timestamp_seconds", "When the audit trail was last fixed in a signed checkpoint; 0 when never.", nil, nil),
		lag:         prometheus.NewDesc("haocha_db_replication_lag_seconds", "How far the PostgreSQL standbys are behind in replaying the primary (largest replay lag); absent when not known.", nil, nil),
		sqliteBytes: prometheus.NewDesc("haocha_sqlite_file_bytes", "Size of the SQLite database file with its write-ahead log.", nil, nil),
		diskFree:    prometheus.NewDesc("haocha_sqlite_disk_free_bytes", "Bytes free to Haocha on the file system holding the SQLite database.", nil, nil),
		diskSize:    prometheus.NewDesc("haocha_sqlite_disk_size_bytes", "Size of the file system holding the SQLite database.", nil, nil),
	})
}

type readings struct {
	r   Readings
	log *slog.Logger

	smsBacklog, smsOldest, national, checkpoint, lag, sqliteBytes, diskFree, diskSize *prometheus.Desc
}

func (c *readings) Describe(ch chan<- *prometheus.Desc) {
	for _, d := range []*prometheus.Desc{c.smsBacklog, c.smsOldest, c.national, c.checkpoint, c.lag, c.sqliteBytes, c.diskFree, c.diskSize} {
		ch <- d
	}
}

// Collect leaves out a figure it cannot read, with a warning: an absent
// series is what the rules treat as unknown, never a false zero.
func (c *readings) Collect(ch chan<- prometheus.Metric) {
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	gauge := func(d *prometheus.Desc, v float64) {
		ch <- prometheus.MustNewConstMetric(d, prometheus.GaugeValue, v)
	}
	seconds := func(t time.Time) float64 {
		if t.IsZero() {
			return 0
		}
		return float64(t.UnixMilli()) / 1000
	}
	warn := func(what string, err error) { c.log.Warn("metrics: read "+what, "err", err) }
	if f := c.r.SMSOutbox; f != nil {
		if n, oldest, err := f(ctx); err != nil {
			warn("sms outbox", err)
		} else {
			gauge(c.smsBacklog, float64(n))
			gauge(c.smsOldest, seconds(oldest))
		}
	}
	if f := c.r.NationalFailing; f != nil {
		if n, err := f(ctx); err != nil {
			warn("national pushes", err)
		} else {
			gauge(c.national, float64(n))
		}
	}
	if f := c.r.Checkpoint; f != nil {
		if at, err := f(ctx); err != nil {
			warn("audit checkpoint", err)
		} else {
			gauge(c.checkpoint, seconds(at))
		}
	}
	if f := c.r.ReplicationLag; f != nil {
		if lag, known, err := f(ctx); err != nil {
			warn("replication lag", err)
		} else if known {
			gauge(c.lag, lag.Seconds())
		}
	}
	if c.r.SQLiteFile != "" {
		if size, err := fileBytes(c.r.SQLiteFile); err != nil {
			warn("sqlite file", err)
		} else {
			gauge(c.sqliteBytes, float64(size))
		}
		if free, total, err := diskSpace(c.r.SQLiteFile); err != nil {
			warn("sqlite disk", err)
		} else {
			gauge(c.diskFree, float64(free))
			gauge(c.diskSize, float64(total))
		}
	}
}
