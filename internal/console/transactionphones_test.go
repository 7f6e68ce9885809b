package console_test

import (
	"bytes"
	"context"
	"log/slog"
	"strings"
	"testing"
	"time"

	"github.com/haocha/haocha/internal/keys"
	"github.com/haocha/haocha/internal/store/storetest"
)

// storedPhone reads the raw column of transaction number's phone.
func storedPhone(t *testing.T, e *env, number string) string {
	t.Helper()
	var v string
	if err := e.st.DB().QueryRowContext(context.Background(), "SELECT phone FROM transaction_phones WHERE txn = '"+number+"'").Scan(&v); err != nil {
		t.Fatal(err)
	}
	return v
}

// TestTransactionPhoneSealed: the applicant's phone a business system
// reports is stored sealed with the current key (the raw column holds no
// digit of it), never logged, still read for the invitation, re-sealed by a
// rotation (and a clear one from before sealing at the next start), and
// erased when its retention ends.
func TestTransactionPhoneSealed(t *testing.T) {
	for name, dsn := range storetest.Backends(t) {
		t.Run(name, func(t *testing.T) {
			var logs bytes.Buffer
			e := newEnvLogged(t, dsn(t), slog.New(slog.NewTextHandler(&logs, &slog.HandlerOptions{Level: slog.LevelDebug})))
			ctx := context.Background()
			e.integration("sysA", unitA)
			if got := e.report("sysA", e.txn("T1", map[string]any{"phone": "13912345678"})); !same(got, []string{"created"}) {
				t.Fatalf("report: %v", got)
			}
			raw := storedPhone(t, e, "T1")
			for i := 0; i+4 <= len("13912345678"); i++ {
				if part := "13912345678"[i : i+4]; strings.Contains(raw, part) {
					t.Fatalf("the raw column holds %q of the phone: %q", part, raw)
				}
			}
			if id, ok := keys.Sealed(raw); !ok || id != e.st.Keys.Current().ID {
				t.Fatalf("stored %q: want sealed with the current key %s", raw, e.st.Keys.Current().ID)
			}
			if p, err := e.st.TransactionPhone(ctx, "T1"); err != nil || p != "13912345678" {
				t.Fatalf("phone read back %q, %v", p, err)
			}
			for _, secret := range []string{"13912345678", "5678"} {
				if strings.Contains(logs.String(), secret) {
					t.Errorf("the log holds %q of the applicant's phone", secret)
				}
			}

			// Rotation re-seals under the new key; the phone still reads.
			k, err := e.st.Keys.Rotate()
			if err != nil {
				t.Fatal(err)
			}
			if n, err := e.st.ResealTransactionPhones(ctx, "test"); err != nil || n != 1 {
				t.Fatalf("resealed %d, %v; want 1", n, err)
			}
			if id, _ := keys.Sealed(storedPhone(t, e, "T1")); id != k.ID {
				t.Errorf("after rotation sealed with %q, want %q", id, k.ID)
			}
			if p, err := e.st.TransactionPhone(ctx, "T1"); err != nil || p != "13912345678" {
				t.Errorf("after rotation the phone reads %q, %v", p, err)
			}

			// A phone stored clear before sealing is sealed at the next start.
			if _, err := e.st.DB().ExecContext(ctx, "UPDATE transaction_phones SET phone = '13800000000'"); err != nil {
				t.Fatal(err)
			}
			e.st.SetSetting(ctx, "transaction_phones_key", "")
			if err := e.st.SealContactsOnce(ctx); err != nil {
				t.Fatal(err)
			}
			if raw := storedPhone(t, e, "T1"); strings.Contains(raw, "13800000000") {
				t.Errorf("a clear phone stayed clear: %q", raw)
			}
			if p, _ := e.st.TransactionPhone(ctx, "T1"); p != "13800000000" {
				t.Errorf("the sealed legacy phone reads %q", p)
			}

			// Retention: erased once the window closed longer ago than it.
			if n, err := e.st.EraseTransactionPhones(ctx, e.clock.Now()); err != nil || n != 0 {
				t.Fatalf("erased %d, %v while the window is open", n, err)
			}
			e.clock.Add(20 * 24 * time.Hour)
			if n, err := e.st.EraseTransactionPhones(ctx, e.clock.Now()); err != nil || n != 1 {
				t.Fatalf("erased %d, %v; want 1", n, err)
			}
			if p, err := e.st.TransactionPhone(ctx, "T1"); err != nil || p != "" {
				t.Errorf("after retention the phone reads %q, %v", p, err)
			}
		})
	}
}
