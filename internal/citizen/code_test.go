package citizen_test

import (
	"context"
	"database/sql"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/haocha/haocha/internal/apperr"
	"github.com/haocha/haocha/internal/citizen"
	"github.com/haocha/haocha/internal/review"
	"github.com/haocha/haocha/internal/sms"
	"github.com/haocha/haocha/internal/store"
	"github.com/haocha/haocha/internal/store/storetest"
)

type world struct {
	st  *store.Store
	box *sms.Memory // the phones
	svc *citizen.Service
	now time.Time
	dsn string
}

func newWorld(t *testing.T, dsn string) *world {
	t.Helper()
	st := storetest.OpenFixture(t, dsn)
	w := &world{st: st, box: &sms.Memory{}, now: storetest.Now, dsn: dsn}
	clock := func() time.Time { return w.now }
	st.Now = clock
	key, err := st.Secret(context.Background(), "sms_optout")
	if err != nil {
		t.Fatal(err)
	}
	// Codes go through the real outbox, so that its per-phone caps apply.
	out := &sms.Outbox{Queue: st, Sender: w.box, Now: clock}
	w.svc = &citizen.Service{Store: st, SMS: out, IdentityKey: key, CodeKey: []byte("code key"), Now: clock}
	return w
}

var codeRE = regexp.MustCompile(`登录验证码：(\d{6})`)

// code is the code last texted to phone, or "".
func (w *world) code(phone string) string {
	if m, ok := w.box.Last(phone, sms.SignInCode); ok {
		return codeRE.FindStringSubmatch(m.Text)[1]
	}
	return ""
}

func (w *world) request(t *testing.T, phone, address string) string {
	t.Helper()
	if _, err := w.svc.RequestCode(context.Background(), phone, address); err != nil {
		t.Fatalf("request a code for %s from %s: %v", phone, address, err)
	}
	c := w.code(review.NormalizePhone(phone))
	if c == "" {
		t.Fatalf("no code texted to %s", phone)
	}
	return c
}

func wantRefused(t *testing.T, err error, code apperr.Code, field string) {
	t.Helper()
	e := apperr.As(err)
	if e == nil || e.Code != code || e.Field != field {
		t.Fatalf("got %v, want %s on %q", err, code, field)
	}
}

func TestSignInByCode(t *testing.T) {
	for name, dsn := range storetest.Backends(t) {
		t.Run(name, func(t *testing.T) {
			ctx := context.Background()
			w := newWorld(t, dsn(t))
			const phone = "13812345678"
			code := w.request(t, "138 1234 5678", "10.1.1.1")

			s, err := w.svc.SignInWithCode(ctx, phone, code, "10.1.1.1")
			if err != nil {
				t.Fatalf("sign in with the right code: %v", err)
			}
			if !strings.HasPrefix(s.Token, citizen.TokenPrefix) || s.Citizen != w.svc.PhoneIdentity(phone) {
				t.Fatalf("session %+v: want a citizen token for the phone's identity", s)
			}
			if who, err := w.svc.Who(ctx, s.Token); err != nil || who != s.Citizen {
				t.Fatalf("who: %q, %v", who, err)
			}

			t.Run("used once", func(t *testing.T) {
				_, err := w.svc.SignInWithCode(ctx, phone, code, "10.1.1.1")
				wantRefused(t, err, apperr.Invalid, "code")
			})
			t.Run("expires after five minutes", func(t *testing.T) {
				code := w.request(t, phone, "10.1.1.1")
				w.now = w.now.Add(citizen.CodeTTL + time.Second)
				_, err := w.svc.SignInWithCode(ctx, phone, code, "10.1.1.1")
				wantRefused(t, err, apperr.Invalid, "code")
			})
			t.Run("burnt by wrong tries", func(t *testing.T) {
				w.now = w.now.Add(citizen.Window) // a fresh hour of requests
				code := w.request(t, phone, "10.1.1.1")
				wrong := fmt.Sprintf("%06d", (atoi(code)+1)%1_000_000)
				for range citizen.MaxTries {
					_, err := w.svc.SignInWithCode(ctx, phone, wrong, "10.1.1.1")
					wantRefused(t, err, apperr.Invalid, "code")
				}
				_, err := w.svc.SignInWithCode(ctx, phone, code, "10.1.1.1")
				wantRefused(t, err, apperr.Invalid, "code")
			})
			t.Run("signed out", func(t *testing.T) {
				if err := w.svc.SignOut(ctx, s.Token); err != nil {
					t.Fatal(err)
				}
				_, err := w.svc.Who(ctx, s.Token)
				wantRefused(t, err, apperr.Forbidden, "token")
			})
			t.Run("session expires", func(t *testing.T) {
				w.now = w.now.Add(citizen.Window)
				s, err := w.svc.SignInWithCode(ctx, phone, w.request(t, phone, "10.1.1.1"), "10.1.1.1")
				if err != nil {
					t.Fatal(err)
				}
				w.now = w.now.Add(citizen.SessionTTL)
				_, err = w.svc.Who(ctx, s.Token)
				wantRefused(t, err, apperr.Forbidden, "token")
			})
		})
	}
}

func atoi(s string) int {
	n := 0
	fmt.Sscan(s, &n)
	return n
}

// TestCodeThrottles plays an attacker asking for codes: for one phone from
// ever new addresses, from one network for ever new phones, and changing
// both every time.
func TestCodeThrottles(t *testing.T) {
	for name, dsn := range storetest.Backends(t) {
		t.Run(name, func(t *testing.T) {
			ctx := context.Background()
			w := newWorld(t, dsn(t))
			w.svc.Limits = citizen.Limits{PerPhone: 2, PerNetwork: 3, Total: 8, Checks: 4}
			ask := func(phone, address string) error {
				_, err := w.svc.RequestCode(ctx, phone, address)
				return err
			}

			// One phone, a new network each time.
			for i := range 2 {
				if err := ask("13900000001", fmt.Sprintf("10.%d.0.1", i)); err != nil {
					t.Fatalf("request %d: %v", i, err)
				}
			}
			wantRefused(t, ask("13900000001", "10.9.0.1"), apperr.TooMany, "phone")

			// One network (IPv4 /24), a new address and phone each time.
			for i := range 3 {
				if err := ask(fmt.Sprintf("1390000010%d", i), fmt.Sprintf("10.20.30.%d", i+1)); err != nil {
					t.Fatalf("request %d: %v", i, err)
				}
			}
			wantRefused(t, ask("13900000199", "10.20.30.200"), apperr.TooMany, "client")
			// The other network is still served.
			if err := ask("13900000200", "10.20.31.1"); err != nil {
				t.Fatal(err)
			}

			// New network and phone each time: the total stops them.
			var refused error
			for i := range 5 {
				if refused = ask(fmt.Sprintf("1370000000%d", i), fmt.Sprintf("172.16.%d.1", i)); refused != nil {
					break
				}
			}
			wantRefused(t, refused, apperr.TooMany, "client")
			if n := len(w.box.Sent()); n != 8 {
				t.Errorf("%d codes texted, want the total of 8", n)
			}

			// An hour later the limits are fresh.
			w.now = w.now.Add(citizen.Window + time.Second)
			if err := ask("13900000001", "10.9.0.1"); err != nil {
				t.Fatalf("an hour later: %v", err)
			}

			// Checks from one network are counted too.
			for i := range 5 {
				_, err := w.svc.SignInWithCode(ctx, "13900000001", "000000", fmt.Sprintf("10.9.0.%d", i+1))
				if i < 4 {
					wantRefused(t, err, apperr.Invalid, "code")
				} else {
					wantRefused(t, err, apperr.TooMany, "client")
				}
			}
		})
	}
}

// TestCodesCountAgainstTheSMSCaps: a sign-in code is a text like any
// other, and the identity of a phone is the hash its caps count it by.
func TestCodesCountAgainstTheSMSCaps(t *testing.T) {
	for name, dsn := range storetest.Backends(t) {
		t.Run(name, func(t *testing.T) {
			ctx := context.Background()
			w := newWorld(t, dsn(t))
			w.svc.Limits = citizen.Limits{PerPhone: 100, PerNetwork: 100, Total: 100, Checks: 100}
			const phone = "13812340000"
			for range sms.DefaultLimits.Burst {
				w.request(t, phone, "10.0.0.1")
			}
			_, err := w.svc.RequestCode(ctx, phone, "10.0.0.1")
			wantRefused(t, err, apperr.TooMany, "phone")

			var hash string
			if err := w.st.DB().QueryRow("SELECT DISTINCT phone_hash FROM sms_outbox").Scan(&hash); err != nil {
				t.Fatal(err)
			}
			if hash != w.svc.PhoneIdentity(phone) {
				t.Errorf("the outbox counts the phone as %s, the sign-in knows it as %s", hash, w.svc.PhoneIdentity(phone))
			}
		})
	}
}

// TestNoPhoneStored: after a sign-in and a review of the signed-in citizen,
// no table holds the phone, whole or in part.
func TestNoPhoneStored(t *testing.T) {
	for name, dsn := range storetest.Backends(t) {
		t.Run(name, func(t *testing.T) {
			ctx := context.Background()
			w := newWorld(t, dsn(t))
			const phone = "13866661234"
			s, err := w.svc.SignInWithCode(ctx, phone, w.request(t, phone, "10.0.0.1"), "10.0.0.1")
			if err != nil {
				t.Fatal(err)
			}
			w.svc.Own(ctx, s.Citizen, 1)
			for _, text := range dump(t, w.st.DB(), w.dsn) {
				if strings.Contains(text, phone) || strings.Contains(text, phone[3:]) {
					t.Fatalf("the phone is stored: %.200s", text)
				}
			}
		})
	}
}

// dump is every row of every table as text (PostgreSQL), or the database's
// files (SQLite).
func dump(t *testing.T, db *sql.DB, dsn string) []string {
	t.Helper()
	if !strings.HasPrefix(dsn, "postgres") {
		files, _ := filepath.Glob(dsn + "*")
		var out []string
		for _, f := range files {
			b, err := os.ReadFile(f)
			if err != nil {
				t.Fatal(err)
			}
			out = append(out, string(b))
		}
		if len(out) == 0 {
			t.Fatalf("no database files at %s", dsn)
		}
		return out
	}
	rows, err := db.Query("SELECT table_name FROM information_schema.tables WHERE table_schema = current_schema()")
	if err != nil {
		t.Fatal(err)
	}
	var tables []string
	for rows.Next() {
		var n string
		rows.Scan(&n)
		tables = append(tables, n)
	}
	rows.Close()
	var out []string
	for _, tb := range tables {
		rows, err := db.Query(fmt.Sprintf(`SELECT t::text FROM %q t`, tb))
		if err != nil {
			t.Fatal(err)
		}
		for rows.Next() {
			var s string
			rows.Scan(&s)
			out = append(out, s)
		}
		rows.Close()
	}
	return out
}
