package store_test

import (
	"context"
	"sync/atomic"
	"testing"
	"time"

	"github.com/haocha/haocha/internal/review"
	"github.com/haocha/haocha/internal/sms"
	"github.com/haocha/haocha/internal/store"
	"github.com/haocha/haocha/internal/store/storetest"
)

// TestOperatorReadings: the figures the alerts read follow the outbox, the
// audit checkpoint and the group committer on both databases; replication
// lag is unknown where no standby streams.
func TestOperatorReadings(t *testing.T) {
	eachBackend(t, func(t *testing.T, st *store.Store) {
		ctx := context.Background()
		n, oldest, err := st.SMSBacklog(ctx)
		if n != 0 || !oldest.IsZero() || err != nil {
			t.Fatalf("empty outbox: %d, %v, %v", n, oldest, err)
		}
		t0 := storetest.Now
		first, err := st.QueueSMS(ctx, sms.Message{Phone: "13800001111", Purpose: sms.FollowLink, Text: "a"}, t0, t0)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := st.QueueSMS(ctx, sms.Message{Phone: "13800002222", Purpose: sms.FollowLink, Text: "b"}, t0.Add(time.Minute), t0.Add(time.Minute)); err != nil {
			t.Fatal(err)
		}
		// The first is given up after its last attempt: no longer waiting.
		if err := st.SMSFailed(ctx, first, time.Time{}, "gateway down"); err != nil {
			t.Fatal(err)
		}
		n, oldest, err = st.SMSBacklog(ctx)
		if n != 1 || !oldest.Equal(t0.Add(time.Minute)) || err != nil {
			t.Errorf("outbox backlog: %d since %v (err %v), want 1 since %v", n, oldest, err, t0.Add(time.Minute))
		}

		if at, err := st.CheckpointAt(ctx); !at.IsZero() || err != nil {
			t.Errorf("checkpoint before any: %v, %v", at, err)
		}
		if err := st.SetSetting(ctx, "checkpoint_at", "1784628000123"); err != nil {
			t.Fatal(err)
		}
		if at, err := st.CheckpointAt(ctx); at.UnixMilli() != 1784628000123 || err != nil {
			t.Errorf("checkpoint: %v, %v", at, err)
		}

		if lag, known, err := st.ReplicationLag(ctx); known || err != nil {
			t.Errorf("replication lag with no standby: %v known %v (err %v)", lag, known, err)
		}

		var groups atomic.Int64
		st.OnGroupCommit(func(took time.Duration) {
			if took > 0 {
				groups.Add(1)
			}
		})
		r := mustAccept(t, st, review.Submission{Channel: "pc", Item: "GA-001", Stage: "acceptance", Stars: 5, Anonymous: &yes})
		if _, err := st.CreateReview(ctx, r, review.RateLimit{}); err != nil {
			t.Fatal(err)
		}
		if groups.Load() != 1 {
			t.Errorf("group commits observed: %d, want 1", groups.Load())
		}
	})
}

func TestSQLiteFile(t *testing.T) {
	for dsn, want := range map[string]string{"/var/lib/haocha/haocha.db": "/var/lib/haocha/haocha.db",
		"h.db?_pragma=cache_size(-524288)": "h.db", "postgres://h@db/haocha": ""} {
		if got, ok := store.SQLiteFile(dsn); got != want || ok != (want != "") {
			t.Errorf("SQLiteFile(%q) = %q, %v; want %q", dsn, got, ok, want)
		}
	}
}
