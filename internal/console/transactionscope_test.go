package console_test

import (
	"testing"
	"time"
)

// TestTransactionScope: an integration account reports only what its own
// units served (a workstation, and so hall, of another district, or its
// staff member, is refused naming the field), finishing neither in the
// future beyond five minutes of clock skew nor before the rating window;
// the refused records leave nothing to rate. On main before the check,
// every record here was created.
func TestTransactionScope(t *testing.T) {
	eachBackend(t, func(t *testing.T, e *env) {
		e.integration("sysB", unitB)
		at := func(d time.Duration) string { return e.clock.Now().Add(d).Format(time.RFC3339) }
		online := map[string]any{"unit": unitB, "workstation": nil, "channel": "app"}
		with := func(over map[string]any) map[string]any {
			out := map[string]any{}
			for k, v := range online {
				out[k] = v
			}
			for k, v := range over {
				out[k] = v
			}
			return out
		}
		got := e.report("sysB",
			e.txn("C1", map[string]any{"unit": unitB}),           // at unit A's workstation H1-W1-01
			e.txn("C2", with(map[string]any{"staff": "S1"})),     // unit A's staff member
			e.txn("C3", with(map[string]any{"staff": "NOBODY"})), // nobody's
			e.txn("C4", with(map[string]any{"finished_at": at(30 * 24 * time.Hour), "accepted_at": at(30*24*time.Hour - time.Hour)})),
			e.txn("C5", with(map[string]any{"finished_at": at(-899 * 24 * time.Hour), "accepted_at": at(-900 * 24 * time.Hour)})),
			e.txn("C6", with(map[string]any{"finished_at": at(2 * time.Minute), "accepted_at": at(-time.Hour)})),
			e.txn("C7", with(nil)),
		)
		want := []string{"error:workstation", "error:staff", "error:staff", "error:finished_at", "error:finished_at", "created", "created"}
		if !same(got, want) {
			t.Fatalf("report: %v, want %v", got, want)
		}
		// The account's own district reports at its own workstations as before.
		e.integration("sysA", unitA)
		if got := e.report("sysA", e.txn("A1", nil), e.txn("A2", map[string]any{"staff": "S1"})); !same(got, []string{"created", "created"}) {
			t.Errorf("own unit: %v", got)
		}
		for _, n := range []string{"C1", "C2", "C4", "C5"} {
			if _, err := e.st.Transaction(t.Context(), n); err == nil {
				t.Errorf("the refused transaction %s was stored", n)
			}
		}
	})
}
