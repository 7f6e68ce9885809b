package device_test

import (
	"context"
	"testing"
	"time"

	"github.com/haocha/haocha/internal/account"
	"github.com/haocha/haocha/internal/apperr"
	"github.com/haocha/haocha/internal/device"
	"github.com/haocha/haocha/internal/intake"
	"github.com/haocha/haocha/internal/qr"
	"github.com/haocha/haocha/internal/store"
	"github.com/haocha/haocha/internal/store/storetest"
	"github.com/haocha/haocha/internal/transaction"
)

// fixture is a store with the fixture catalogue, a device service on its
// clock, and a way to report transactions.
type fixture struct {
	st  *store.Store
	svc *device.Service
	now time.Time
	txn *transaction.Service
}

func newFixture(t *testing.T, dsn string) *fixture {
	f := &fixture{now: storetest.Now}
	f.st = storetest.OpenFixture(t, dsn)
	clock := func() time.Time { return f.now }
	f.st.Now = clock
	signer, err := qr.NewSigner([]byte("a test secret of sixteen bytes+"))
	if err != nil {
		t.Fatal(err)
	}
	in := &intake.Service{Store: f.st, Salt: []byte("salt"), Transactions: f.st, Presence: signer, Now: clock}
	f.svc = &device.Service{Store: f.st, Intake: in, Now: clock}
	f.txn = &transaction.Service{Store: f.st}
	return f
}

func (f *fixture) report(t *testing.T, number, workstation string) {
	t.Helper()
	at := f.now.Add(-10 * time.Minute).Format(time.RFC3339)
	res, err := f.txn.Report(context.Background(), transaction.Reporter{}, []transaction.Record{{Number: number, Item: "GA-001",
		Stages: []string{"acceptance"}, Unit: "310101", Workstation: workstation, ApplicantKind: "person",
		AcceptedAt: at, FinishedAt: at}})
	if err != nil || res[0].Status != transaction.Created {
		t.Fatalf("report %s: %v %+v", number, err, res)
	}
}

// pair pairs a new device to workstation and returns it with its token.
func (f *fixture) pair(t *testing.T, workstation string) (*device.Device, string) {
	t.Helper()
	ctx := context.Background()
	p, err := f.svc.Begin(ctx, "mark")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := f.svc.Pair(ctx, admin, p.Code, workstation); err != nil {
		t.Fatal(err)
	}
	token, d, err := f.svc.Claim(ctx, p.Claim)
	if err != nil || d == nil {
		t.Fatalf("claim: %v %v", d, err)
	}
	return d, token
}

var admin = &account.Actor{ID: 1, Name: "admin", Role: account.Admin}

func wantCode(t *testing.T, what string, err error, code apperr.Code, field string) {
	t.Helper()
	e := apperr.As(err)
	if e == nil || e.Code != code || e.Field != field {
		t.Errorf("%s: %v, want %s on %q", what, err, code, field)
	}
}

func TestPairing(t *testing.T) {
	for name, dsn := range storetest.Backends(t) {
		t.Run(name, func(t *testing.T) {
			ctx := context.Background()
			f := newFixture(t, dsn(t))
			p, err := f.svc.Begin(ctx, "mark")
			if err != nil {
				t.Fatal(err)
			}
			if token, d, err := f.svc.Claim(ctx, p.Claim); token != "" || d != nil || err != nil {
				t.Fatalf("claim before the code is entered: %q %v %v, want nothing yet", token, d, err)
			}
			_, err = f.svc.Pair(ctx, &account.Actor{ID: 2, Role: account.Handler}, p.Code, "H1-W1-1")
			wantCode(t, "a handler pairs", err, apperr.Forbidden, "role")
			_, err = f.svc.Pair(ctx, admin, "00000000", "H1-W1-1")
			wantCode(t, "a wrong code", err, apperr.Invalid, "code")
			_, err = f.svc.Pair(ctx, admin, "12ab", "H1-W1-1")
			wantCode(t, "not a code", err, apperr.Invalid, "code")
			_, err = f.svc.Pair(ctx, admin, p.Code, "NOPE")
			wantCode(t, "an unknown workstation", err, apperr.Invalid, "workstation")
			// Typed with a space, as the device shows it.
			if _, err := f.svc.Pair(ctx, admin, p.Code[:4]+" "+p.Code[4:], "H1-W1-1"); err != nil {
				t.Fatalf("pair: %v", err)
			}
			_, err = f.svc.Pair(ctx, admin, p.Code, "H1-W1-2")
			wantCode(t, "a code used", err, apperr.Invalid, "code")
			token, d, err := f.svc.Claim(ctx, p.Claim)
			if err != nil || token == "" || d.Workstation != "H1-W1-1" {
				t.Fatalf("claim: %q %v %v", token, d, err)
			}
			_, _, err = f.svc.Claim(ctx, p.Claim)
			wantCode(t, "a second claim", err, apperr.NotFound, "claim")
			if got, err := f.svc.Authenticate(ctx, token); err != nil || got.ID != d.ID {
				t.Fatalf("authenticate: %v %v", got, err)
			}
			_, err = f.svc.Authenticate(ctx, "not-a-token")
			wantCode(t, "another token", err, apperr.Forbidden, "token")
			list, err := f.svc.Devices(ctx, admin, "H1")
			if err != nil || len(list) != 1 || list[0].LastSeen.IsZero() {
				t.Fatalf("devices of H1: %+v %v, want the one, seen", list, err)
			}
			if _, err := f.svc.Unpair(ctx, admin, d.ID); err != nil {
				t.Fatal(err)
			}
			_, err = f.svc.Authenticate(ctx, token)
			wantCode(t, "an unpaired device", err, apperr.Forbidden, "token")

			// A code not entered within ten minutes is dead.
			late, err := f.svc.Begin(ctx, "mark")
			if err != nil {
				t.Fatal(err)
			}
			f.now = f.now.Add(device.CodeTTL + time.Second)
			_, err = f.svc.Pair(ctx, admin, late.Code, "H1-W1-1")
			wantCode(t, "an expired code", err, apperr.Invalid, "code")
		})
	}
}

func TestPairingThrottled(t *testing.T) {
	ctx := context.Background()
	f := newFixture(t, storetest.SQLiteDSN(t))
	for i := range device.BeginsPerHour {
		if _, err := f.svc.Begin(ctx, "one network"); err != nil {
			t.Fatalf("code %d: %v", i+1, err)
		}
	}
	_, err := f.svc.Begin(ctx, "one network")
	wantCode(t, "one code too many", err, apperr.TooMany, "address")
	if _, err := f.svc.Begin(ctx, "another network"); err != nil {
		t.Errorf("another network: %v", err)
	}
	p, _ := f.svc.Begin(ctx, "another network")
	for range device.TriesPerWindow + 1 {
		f.svc.Pair(ctx, admin, "11111111", "H1-W1-1")
	}
	_, err = f.svc.Pair(ctx, admin, p.Code, "H1-W1-1")
	wantCode(t, "the right code after too many wrong ones", err, apperr.TooMany, "code")
}

// A rating sent again with its client id (queued offline, answer lost)
// is stored once and answered with the first receipt.
func TestRatingsTakenExactlyOnce(t *testing.T) {
	for name, dsn := range storetest.Backends(t) {
		t.Run(name, func(t *testing.T) {
			ctx := context.Background()
			f := newFixture(t, dsn(t))
			d, _ := f.pair(t, "H1-W1-1")
			f.report(t, "T1", "H1-W1-1")
			f.report(t, "T2", "H1-W1-2")
			ps, err := f.svc.Prompts(ctx, d)
			if err != nil || len(ps) != 1 || ps[0].Transaction != "T1" {
				t.Fatalf("prompts: %+v %v, want T1 (T2 is another workstation's)", ps, err)
			}
			rt := device.Rating{ClientID: "c0ffee01", Transaction: "T1", Stars: 2, Tags: []string{"attitude"}, Comment: "等了很久"}
			first, repeat, err := f.svc.Rate(ctx, d, rt)
			if err != nil || repeat || first.Review == 0 || first.WorkOrder == "" || first.FollowToken == "" {
				t.Fatalf("rate: %+v %v %v, want a review with a work order and its follow token", first, repeat, err)
			}
			// Sent again: the first receipt, without the private token
			// (kept nowhere; the citizen who rated has left the window).
			again, repeat, err := f.svc.Rate(ctx, d, rt)
			if want := (device.Receipt{Review: first.Review, WorkOrder: first.WorkOrder}); err != nil || !repeat || again != want {
				t.Fatalf("sent again: %+v %v %v, want the first receipt %+v", again, repeat, err, want)
			}
			var n int
			var channel string
			if err := f.st.DB().QueryRow("SELECT COUNT(*), MIN(channel) FROM reviews WHERE txn = 'T1'").Scan(&n, &channel); err != nil {
				t.Fatal(err)
			}
			if n != 1 || channel != "tablet" {
				t.Errorf("%d reviews of T1 on %q, want 1 on tablet", n, channel)
			}
			if ps, _ := f.svc.Prompts(ctx, d); len(ps) != 0 {
				t.Errorf("prompts after the rating: %+v, want none", ps)
			}
			_, _, err = f.svc.Rate(ctx, d, device.Rating{ClientID: "other", Transaction: "T1", Stars: 5})
			wantCode(t, "a second rating of T1", err, apperr.Conflict, "transaction")
			_, _, err = f.svc.Rate(ctx, d, device.Rating{ClientID: "c2", Transaction: "T2", Stars: 5})
			// Not this device's to rate: the one refusal of a number not shown to be the caller's.
			wantCode(t, "another workstation's transaction", err, apperr.Forbidden, "transaction")
			_, _, err = f.svc.Rate(ctx, d, device.Rating{ClientID: "", Transaction: "T2", Stars: 5})
			wantCode(t, "no client id", err, apperr.Invalid, "client_id")
		})
	}
}

// The staff member's "invite rating" brings back their newest unrated
// transaction once it has left the device's list.
func TestInviteRating(t *testing.T) {
	ctx := context.Background()
	f := newFixture(t, storetest.SQLiteDSN(t))
	d, _ := f.pair(t, "H1-W1-1")
	staff := &account.Actor{ID: 3, Role: account.Staff, Staff: "S1"}
	_, err := f.svc.Invite(ctx, staff)
	wantCode(t, "nothing to rate", err, apperr.NotFound, "transaction")
	f.report(t, "T1", "H1-W1-1")
	f.now = f.now.Add(device.PendingFor + time.Minute)
	if ps, _ := f.svc.Prompts(ctx, d); len(ps) != 0 {
		t.Fatalf("an hour later: %+v, want nothing", ps)
	}
	p, err := f.svc.Invite(ctx, staff)
	if err != nil || p.Transaction != "T1" {
		t.Fatalf("invite: %+v %v", p, err)
	}
	if ps, _ := f.svc.Prompts(ctx, d); len(ps) != 1 || ps[0].Transaction != "T1" || !ps[0].At.Equal(f.now.Truncate(time.Millisecond)) {
		t.Errorf("after the invitation: %+v, want T1 at %v", ps, f.now)
	}
	_, err = f.svc.Invite(ctx, &account.Actor{ID: 4, Role: account.Operator})
	wantCode(t, "an operator invites", err, apperr.Forbidden, "role")
}
