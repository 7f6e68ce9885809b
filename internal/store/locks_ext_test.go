package store_test

import (
	"context"
	"testing"
	"time"

	"github.com/haocha/haocha/internal/store"
)

// Appending to the audit chain and creating partitions take locks of their
// own: a transaction holding the audit chain does not hold up partition
// upkeep (they once shared a key, and upkeep waited for every audit write).
func TestAuditLockDoesNotBlockPartitions(t *testing.T) {
	eachBackend(t, func(t *testing.T, st *store.Store) {
		ctx := context.Background()
		err := st.WhileAuditing(ctx, func() error {
			// Bounded so that a shared lock fails the test instead of hanging it.
			ctx, cancel := context.WithTimeout(ctx, 20*time.Second)
			defer cancel()
			month := time.Date(2031, 5, 1, 0, 0, 0, 0, time.UTC)
			return st.EnsurePartitions(ctx, month, month)
		})
		if err != nil {
			t.Fatalf("partition upkeep while the audit chain is held: %v", err)
		}
	})
}
