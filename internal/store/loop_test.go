package store_test

import (
	"context"
	"github.com/haocha/haocha/internal/audit"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/haocha/haocha/internal/account"
	"github.com/haocha/haocha/internal/apperr"
	"github.com/haocha/haocha/internal/calendar"
	"github.com/haocha/haocha/internal/review"
	"github.com/haocha/haocha/internal/store"
	"github.com/haocha/haocha/internal/workorder"
)

// badOrder stores a real-name bad review and returns its work order.
func badOrder(t *testing.T, st *store.Store) *workorder.Order {
	t.Helper()
	r := mustAccept(t, st, review.Submission{Channel: "pc", Item: "GA-001", Stage: "acceptance", Stars: 1,
		Comment: "没人接待", Anonymous: &no, Name: "赵女士", Phone: "13600002222"})
	wo, err := st.CreateReview(context.Background(), r, review.RateLimit{})
	if err != nil || wo == nil {
		t.Fatalf("create review: %v %v", wo, err)
	}
	o, err := st.OrderByToken(context.Background(), wo.Token)
	if err != nil {
		t.Fatal(err)
	}
	return o
}

var operator = account.Actor{Role: account.Operator, Name: "op"}

func TestChangeOrderStoresWhatTheDomainDid(t *testing.T) {
	eachBackend(t, func(t *testing.T, st *store.Store) {
		ctx := context.Background()
		cal := calendar.New(calendar.Shipped())
		o := badOrder(t, st)
		got, c, err := st.ChangeOrder(ctx, o.ID, operator, func(o *workorder.Order) (workorder.Change, error) {
			return o.Dispatch(st.Now(), cal, workorder.Assignment{Unit: "310101", Complexity: workorder.Complex, Days: 5})
		})
		if err != nil || c.To != workorder.Dispatched {
			t.Fatalf("dispatch: %v %+v", err, c)
		}
		back, err := st.Order(ctx, o.ID)
		if err != nil {
			t.Fatal(err)
		}
		if diff := cmp.Diff(got, back); diff != "" {
			t.Errorf("stored order differs from the changed one (-changed +stored):\n%s", diff)
		}
		// A refused change stores nothing, not even an audit row.
		rows := count(t, st, "audit_log")
		if _, _, err := st.ChangeOrder(ctx, o.ID, operator, func(o *workorder.Order) (workorder.Change, error) {
			return o.Dispatch(st.Now(), cal, workorder.Assignment{Unit: "310101", Complexity: workorder.Simple})
		}); apperr.CodeOf(err) != apperr.Conflict {
			t.Errorf("second dispatch: %v", err)
		}
		if n := count(t, st, "audit_log"); n != rows {
			t.Errorf("a refused change wrote %d audit rows", n-rows)
		}
		if n := count(t, st, "notifications"); n != 1 {
			t.Errorf("%d notifications queued, want 1 (dispatched)", n)
		}
		if _, err := st.VerifyAudit(ctx); err != nil {
			t.Error(err)
		}
	})
}

// TestConcurrentChangesDoNotBothWin: two writers changing one order at the
// same time; exactly one dispatch is stored, and the chain holds.
func TestConcurrentChangesDoNotBothWin(t *testing.T) {
	eachBackend(t, func(t *testing.T, st *store.Store) {
		ctx := context.Background()
		cal := calendar.New(calendar.Shipped())
		o := badOrder(t, st)
		var wg sync.WaitGroup
		errs := make([]error, 4)
		for i := range errs {
			wg.Add(1)
			go func() {
				defer wg.Done()
				_, _, errs[i] = st.ChangeOrder(ctx, o.ID, operator, func(o *workorder.Order) (workorder.Change, error) {
					return o.Dispatch(st.Now(), cal, workorder.Assignment{Unit: "310104", Complexity: workorder.Simple})
				})
			}()
		}
		wg.Wait()
		ok := 0
		for _, err := range errs {
			if err == nil {
				ok++
			} else if apperr.CodeOf(err) != apperr.Conflict {
				t.Errorf("concurrent dispatch: %v", err)
			}
		}
		if ok != 1 {
			t.Errorf("%d concurrent dispatches succeeded, want 1", ok)
		}
		if _, err := st.VerifyAudit(ctx); err != nil {
			t.Error(err)
		}
	})
}

func TestLeaseIsHeldByOne(t *testing.T) {
	eachBackend(t, func(t *testing.T, st *store.Store) {
		ctx := context.Background()
		now := time.Date(2026, 3, 2, 9, 0, 0, 0, calendar.Zone)
		st.Now = func() time.Time { return now }
		take := func(holder string) bool {
			ok, err := st.AcquireLease(ctx, "job", holder, time.Minute)
			if err != nil {
				t.Fatal(err)
			}
			return ok
		}
		if !take("a") || take("b") || !take("a") {
			t.Fatal("a lease is not held by its first taker alone")
		}
		now = now.Add(2 * time.Minute)
		if !take("b") || take("a") {
			t.Error("an expired lease is not taken over")
		}
		if err := st.ReleaseLease(ctx, "job", "b"); err != nil || !take("a") {
			t.Errorf("a released lease is not free: %v", err)
		}
	})
}

func TestLockoutAndSessions(t *testing.T) {
	eachBackend(t, func(t *testing.T, st *store.Store) {
		ctx := context.Background()
		now := time.Date(2026, 3, 2, 9, 0, 0, 0, calendar.Zone)
		u := &account.User{Login: "h", Role: account.Handler, Unit: "310101", PasswordHash: "x"}
		if err := st.CreateUser(ctx, u, "test"); err != nil {
			t.Fatal(err)
		}
		if err := st.CreateUser(ctx, &account.User{Login: "h", Role: account.Operator, PasswordHash: "x"}, "test"); apperr.CodeOf(err) != apperr.Conflict {
			t.Errorf("a second account named h: %v", err)
		}
		if err := st.CreateUser(ctx, &account.User{Login: "z", Role: account.Handler, Unit: "NOPE", PasswordHash: "x"}, "test"); apperr.CodeOf(err) != apperr.Invalid {
			t.Errorf("a handler of an unknown unit: %v", err)
		}
		// The throttle counts attempts made together one by one: of 12
		// at once from one address, exactly the limit are admitted.
		p := account.Throttle{Window: time.Minute, AddressFailures: 5, PairFailures: 100, AccountFailures: 100}
		var admitted atomic.Int32
		var wg sync.WaitGroup
		for i := 0; i < 12; i++ {
			wg.Add(1)
			go func() {
				defer wg.Done()
				_, ok, err := st.AdmitLogin(ctx, p, "192.0.2.1", "h", now)
				if err != nil {
					t.Error(err)
				}
				if ok {
					admitted.Add(1)
				}
			}()
		}
		wg.Wait()
		if admitted.Load() != 5 {
			t.Errorf("%d of 12 attempts at once admitted, want 5", admitted.Load())
		}
		if wait, ok, _ := st.AdmitLogin(ctx, p, "192.0.2.1", "h", now.Add(30*time.Second)); ok || wait != 30*time.Second {
			t.Errorf("a throttled address: admitted %v, wait %s", ok, wait)
		}
		if _, ok, _ := st.AdmitLogin(ctx, p, "192.0.2.1", "h", now.Add(time.Minute)); !ok {
			t.Error("the address is still refused after its window")
		}
		if err := st.CreateSession(ctx, u.ID, "hash1", "csrf1", now); err != nil {
			t.Fatal(err)
		}
		su, csrf, err := st.SessionUser(ctx, "hash1", now.Add(time.Hour))
		if err != nil || su.Login != "h" || su.Unit != "310101" || csrf != "csrf1" {
			t.Fatalf("session: %+v %q %v", su, csrf, err)
		}
		if _, _, err := st.SessionUser(ctx, "hash1", now.Add(account.SessionTTL+time.Second)); apperr.CodeOf(err) != apperr.NotFound {
			t.Errorf("an expired session: %v", err)
		}
		st.DeleteSession(ctx, "hash1", now)
		if _, _, err := st.SessionUser(ctx, "hash1", now); apperr.CodeOf(err) != apperr.NotFound {
			t.Errorf("a deleted session: %v", err)
		}
	})
}

func TestAuditVerifyNamesTheRow(t *testing.T) {
	eachBackend(t, func(t *testing.T, st *store.Store) {
		ctx := context.Background()
		for i := 0; i < 5; i++ {
			if err := st.Audit(ctx, audit.Entry{Actor: "t", Action: "x", Note: strings.Repeat("n", i)}); err != nil {
				t.Fatal(err)
			}
		}
		if n, err := st.VerifyAudit(ctx); err != nil || n != 5 {
			t.Fatalf("honest trail: %d %v", n, err)
		}
		if _, err := st.DB().Exec("UPDATE audit_log SET note = 'changed' WHERE seq = 3"); err != nil {
			t.Fatal(err)
		}
		if _, err := st.VerifyAudit(ctx); err == nil || !strings.Contains(err.Error(), "row 3") {
			t.Errorf("after editing row 3: %v", err)
		}
	})
}
