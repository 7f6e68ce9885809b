package store_test

import (
	"context"
	"testing"
	"time"

	"github.com/haocha/haocha/internal/account"
	"github.com/haocha/haocha/internal/calendar"
	"github.com/haocha/haocha/internal/store"
	"github.com/haocha/haocha/internal/workorder"
)

// TestStepsKeepTheirAccount: a step keeps the login of the account that
// took it, and a step older than migration 150 gets it from the audit
// trail when the migration runs, so the operators' figures count the
// history from before the upgrade too.
func TestStepsKeepTheirAccount(t *testing.T) {
	eachBackend(t, func(t *testing.T, st *store.Store) {
		ctx := context.Background()
		cal := calendar.New(calendar.Shipped())
		o := badOrder(t, st)
		if err := st.CreateUser(ctx, &account.User{Login: "op7", Role: account.Operator, PasswordHash: "x"}, "test"); err != nil {
			t.Fatal(err)
		}
		op := account.Actor{Role: account.Operator, Name: "op7"}
		if _, _, err := st.ChangeOrder(ctx, o.ID, op, func(o *workorder.Order) (workorder.Change, error) {
			return o.Dispatch(st.Now(), cal, workorder.Assignment{Unit: "310101", Complexity: workorder.Simple, Days: 1})
		}); err != nil {
			t.Fatal(err)
		}
		figures := func() int64 {
			t.Helper()
			now := st.Now()
			ops, err := st.Operators(ctx, now.Add(-24*time.Hour), now)
			if err != nil {
				t.Fatal(err)
			}
			for _, o := range ops {
				if o.Login == "op7" {
					return o.Dispatched
				}
			}
			return 0
		}
		if n := figures(); n != 1 {
			t.Fatalf("op7 dispatched %d, want 1", n)
		}
		// The database as it stood before migration 150.
		for _, q := range []string{
			"DROP INDEX work_order_steps_action_at",
			"ALTER TABLE work_order_steps DROP COLUMN account",
			"DELETE FROM schema_migrations WHERE version = 150",
		} {
			if _, err := st.DB().Exec(q); err != nil {
				t.Fatalf("%s: %v", q, err)
			}
		}
		if err := st.Migrate(ctx); err != nil {
			t.Fatal(err)
		}
		if n := figures(); n != 1 {
			t.Errorf("after migration 150 on an older history, op7 dispatched %d, want 1", n)
		}
	})
}
