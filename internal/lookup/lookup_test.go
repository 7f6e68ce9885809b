package lookup_test

import (
	"context"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/haocha/haocha/internal/apperr"
	"github.com/haocha/haocha/internal/intake"
	"github.com/haocha/haocha/internal/lookup"
	"github.com/haocha/haocha/internal/review"
	"github.com/haocha/haocha/internal/sms"
	"github.com/haocha/haocha/internal/store"
	"github.com/haocha/haocha/internal/store/storetest"
)

// outbox is the phones' side of the test.
type outbox struct{ sms.Memory }

func (o *outbox) all() []sms.Message { return o.Sent() }

var codeRE = regexp.MustCompile(`验证码：(\d{6})`)

// code is the code in the last message sent to phone, or "".
func (o *outbox) code(phone string) string {
	if m, ok := o.Last(phone, sms.FollowCode); ok {
		return codeRE.FindStringSubmatch(m.Text)[1]
	}
	return ""
}

type world struct {
	st     *store.Store
	box    *outbox
	intake *intake.Service
	svc    *lookup.Service
	now    time.Time
}

func newWorld(t *testing.T, dsn string) *world {
	st := storetest.OpenFixture(t, dsn)
	w := &world{st: st, box: &outbox{}, now: storetest.Now}
	w.intake = &intake.Service{Store: st, Salt: []byte("s"), SMS: w.box, FollowBase: "https://haoping.example.gov.cn"}
	w.svc = &lookup.Service{Store: st, SMS: w.box, Key: []byte("k"), Now: func() time.Time { return w.now }}
	return w
}

// badReview stores a 1-star review with a tag; phone "" is anonymous.
func (w *world) badReview(t *testing.T, phone string) intake.Receipt {
	t.Helper()
	anon := phone == ""
	sub := review.Submission{Channel: "pc", Item: "GA-001", Stage: "acceptance", Stars: 1, Tags: []string{"attitude"},
		Anonymous: &anon, Name: "李明", Phone: phone}
	if anon {
		sub.Name = ""
	}
	rc, err := w.intake.Submit(context.Background(), sub, intake.Client{Address: "10.0.0.1"})
	if err != nil || rc.WorkOrder == nil {
		t.Fatalf("submit: %v, %+v", err, rc)
	}
	return rc
}

func TestFindMyOrder(t *testing.T) {
	for name, dsn := range storetest.Backends(t) {
		t.Run(name, func(t *testing.T) {
			ctx := context.Background()
			w := newWorld(t, dsn(t))
			rc := w.badReview(t, "13812345678")
			number := rc.WorkOrder.Number

			// The real-name reviewer got the link by SMS.
			sent := w.box.all()
			if len(sent) != 1 || sent[0].Purpose != sms.FollowLink || sent[0].Phone != "13812345678" ||
				!strings.Contains(sent[0].Text, "https://haoping.example.gov.cn/follow/"+rc.WorkOrder.Token) {
				t.Fatalf("link SMS: %+v", sent)
			}
			if rc.LinkSentTo != "138****5678" {
				t.Errorf("LinkSentTo = %q", rc.LinkSentTo)
			}

			if err := w.svc.Request(ctx, strings.ToLower(number), "138 1234 5678", "10.0.0.2"); err != nil {
				t.Fatal(err)
			}
			code := w.box.code("13812345678")
			if code == "" {
				t.Fatal("no code sent to the reviewer's phone")
			}
			token, err := w.svc.Confirm(ctx, number, code, "10.0.0.2")
			if err != nil {
				t.Fatal(err)
			}
			for _, tok := range []string{token, rc.WorkOrder.Token} {
				o, err := w.st.OrderByToken(ctx, tok)
				if err != nil || o.Number != number {
					t.Errorf("token opens %v, %v; want %s", o, err, number)
				}
			}
			// A code is used once.
			if _, err := w.svc.Confirm(ctx, number, code, "10.0.0.2"); apperr.CodeOf(err) != apperr.Invalid {
				t.Errorf("second use of a code: %v", err)
			}
		})
	}
}

// TestRequestDoesNotReveal: a wrong phone, an anonymous order and a
// number that does not exist get the answer a match gets, and no message.
func TestRequestDoesNotReveal(t *testing.T) {
	w := newWorld(t, storetest.SQLiteDSN(t))
	ctx := context.Background()
	named := w.badReview(t, "13812345678").WorkOrder.Number
	anon := w.badReview(t, "").WorkOrder.Number
	before := len(w.box.all())
	for _, tt := range []struct{ number, phone string }{
		{named, "13900000000"},
		{anon, "13812345678"},
		{"GD20260721999999", "13812345678"},
	} {
		if err := w.svc.Request(ctx, tt.number, tt.phone, "10.0.0.3"); err != nil {
			t.Errorf("Request(%s, %s) = %v, want nil as for a match", tt.number, tt.phone, err)
		}
	}
	if got := w.box.all(); len(got) != before {
		t.Errorf("sent %d messages for pairs that do not match", len(got)-before)
	}
	// A code check for an order with no code is the same refusal as a
	// wrong code.
	if _, err := w.svc.Confirm(ctx, anon, "123456", "10.0.0.3"); apperr.CodeOf(err) != apperr.Invalid || apperr.As(err).Field != "code" {
		t.Errorf("Confirm without a code = %v", err)
	}
}

func TestLookupLimits(t *testing.T) {
	ctx := context.Background()
	t.Run("per address", func(t *testing.T) {
		w := newWorld(t, storetest.SQLiteDSN(t))
		for i := 0; i < lookup.MaxPerAddress; i++ {
			if err := w.svc.Request(ctx, "GD2026072100000"+string(rune('0'+i)), "13812345678", "10.0.0.4"); err != nil {
				t.Fatal(err)
			}
		}
		err := w.svc.Request(ctx, "GD20260721000009", "13812345678", "10.0.0.4")
		if apperr.CodeOf(err) != apperr.TooMany {
			t.Fatalf("request past the address limit = %v", err)
		}
		if err := w.svc.Request(ctx, "GD20260721000009", "13812345678", "10.0.0.5"); err != nil {
			t.Errorf("another address is limited too: %v", err)
		}
		w.now = w.now.Add(lookup.Window + time.Second)
		if err := w.svc.Request(ctx, "GD20260721000008", "13812345678", "10.0.0.4"); err != nil {
			t.Errorf("an hour later: %v", err)
		}
	})
	t.Run("per order, existing or not", func(t *testing.T) {
		w := newWorld(t, storetest.SQLiteDSN(t))
		real := w.badReview(t, "13812345678").WorkOrder.Number
		for _, number := range []string{real, "GD20260721999999"} {
			var err error
			for i := 0; i <= lookup.MaxPerOrder; i++ {
				err = w.svc.Request(ctx, number, "13812345678", "10.1.0."+string(rune('0'+i)))
			}
			if apperr.CodeOf(err) != apperr.TooMany || apperr.As(err).Field != "number" {
				t.Errorf("%s past the order limit = %v", number, err)
			}
		}
		if n := len(w.box.all()); n != 1+lookup.MaxPerOrder {
			t.Errorf("%d messages, want the link and %d codes", n, lookup.MaxPerOrder)
		}
	})
	t.Run("attempts and expiry", func(t *testing.T) {
		w := newWorld(t, storetest.SQLiteDSN(t))
		number := w.badReview(t, "13812345678").WorkOrder.Number
		if err := w.svc.Request(ctx, number, "13812345678", "10.0.0.6"); err != nil {
			t.Fatal(err)
		}
		code := w.box.code("13812345678")
		wrong := "000000"
		if code == wrong {
			wrong = "111111"
		}
		for i := 0; i < lookup.MaxAttempts; i++ {
			if _, err := w.svc.Confirm(ctx, number, wrong, "10.0.0.6"); apperr.CodeOf(err) != apperr.Invalid {
				t.Fatalf("wrong code: %v", err)
			}
		}
		if _, err := w.svc.Confirm(ctx, number, code, "10.0.0.6"); apperr.CodeOf(err) != apperr.Invalid {
			t.Errorf("the right code after %d wrong ones = %v, want refused", lookup.MaxAttempts, err)
		}

		if err := w.svc.Request(ctx, number, "13812345678", "10.0.0.6"); err != nil {
			t.Fatal(err)
		}
		code = w.box.code("13812345678")
		w.now = w.now.Add(lookup.CodeTTL + time.Second)
		if _, err := w.svc.Confirm(ctx, number, code, "10.0.0.6"); apperr.CodeOf(err) != apperr.Invalid {
			t.Errorf("an expired code = %v, want refused", err)
		}
	})
	t.Run("bad input names the field", func(t *testing.T) {
		w := newWorld(t, storetest.SQLiteDSN(t))
		for _, tt := range []struct {
			err   error
			field string
		}{
			{w.svc.Request(ctx, " ", "13812345678", "a"), "number"},
			{w.svc.Request(ctx, "GD1", "12", "a"), "phone"},
			{func() error { _, err := w.svc.Confirm(ctx, "GD1", "12a456", "a"); return err }(), "code"},
		} {
			if e := apperr.As(tt.err); e == nil || e.Code != apperr.Invalid || e.Field != tt.field {
				t.Errorf("got %v, want invalid %s", tt.err, tt.field)
			}
		}
	})
}
