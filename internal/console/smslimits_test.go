package console_test

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/haocha/haocha/internal/sms"
	"github.com/haocha/haocha/internal/store/storetest"
)

// textsTo counts the texts of purpose p the phone received.
func textsTo(mem *sms.Memory, phone string, p sms.Purpose) int {
	n := 0
	for _, m := range mem.Sent() {
		if m.Phone == phone && m.Purpose == p {
			n++
		}
	}
	return n
}

// refusedTexts counts the outbox's rows refused for why, and fails if
// any row keeps a phone in clear.
func refusedTexts(t *testing.T, e *env, why, phone string) int {
	t.Helper()
	var n int
	if err := e.st.DB().QueryRow(e.st.Rebind("SELECT COUNT(*) FROM sms_outbox WHERE refused = ? AND phone = '' AND text = ''"), why).Scan(&n); err != nil {
		t.Fatal(err)
	}
	var clear int
	if err := e.st.DB().QueryRow(e.st.Rebind("SELECT COUNT(*) FROM sms_outbox WHERE phone_hash LIKE ? OR phone LIKE ?"),
		"%"+phone+"%", "%"+phone+"%").Scan(&clear); err != nil || clear != 0 {
		t.Errorf("%d outbox rows hold the phone in clear (%v)", clear, err)
	}
	return n
}

// TestTextsOnDemandCapped: 30 real-name bad reviews naming a stranger's
// phone text it at most the burst cap, the rest recorded as refused; 50
// transactions reported with one phone invite it at most the burst cap,
// and the next day's round the daily cap in all. Both attacks worked on
// main before the outbox counted texts per phone (30 and 50 texts).
func TestTextsOnDemandCapped(t *testing.T) {
	l := sms.DefaultLimits
	for name, dsn := range storetest.Backends(t) {
		t.Run(name, func(t *testing.T) {
			e, mem := inviteEnv(t, dsn(t))
			const stranger = "13955556666"
			for i := range 30 {
				sub := e.present(map[string]any{"channel": "window", "workstation": "H1-W1-01", "item": "SHGA-001", "stage": "acceptance",
					"stars": 1, "tags": []string{"attitude"}, "comment": fmt.Sprintf("态度很差 %d", i), "anonymous": false,
					"name": "张三", "phone": stranger})
				e.must(http.StatusCreated, "POST", "/api/v1/reviews", "", sub)
			}
			if got := textsTo(mem, stranger, sms.FollowLink); got > l.Burst || got == 0 {
				t.Errorf("30 reviews naming one phone texted it %d times, want 1 to %d", got, l.Burst)
			}
			if got := refusedTexts(t, e, sms.RefusedBurst, stranger); got != 30-l.Burst {
				t.Errorf("%d texts recorded as refused, want %d", got, 30-l.Burst)
			}

			const victim = "13977778888"
			var recs []map[string]any
			for i := range 50 {
				recs = append(recs, e.txn(fmt.Sprintf("X%02d", i), map[string]any{"phone": victim}))
			}
			e.report("sysA", recs...)
			e.invite()
			if got := textsTo(mem, victim, sms.Invitation); got > l.Burst || got == 0 {
				t.Errorf("50 invitations to one phone: %d texted, want 1 to %d", got, l.Burst)
			}
			// The burst passes, the day does not: more rounds an hour apart
			// add up to the daily cap and no further.
			for range 6 {
				e.clock.Add(time.Hour)
				var more []map[string]any
				for i := range 10 {
					more = append(more, e.txn(fmt.Sprintf("Y%d-%02d", e.clock.Now().Hour(), i), map[string]any{"phone": victim}))
				}
				e.report("sysA", more...)
				e.invite()
			}
			if got := textsTo(mem, victim, sms.Invitation); got != l.PerDay {
				t.Errorf("over six hours: %d invitations texted, want the daily cap %d", got, l.PerDay)
			}
			if got := refusedTexts(t, e, sms.RefusedDaily, victim); got == 0 {
				t.Error("no invitation recorded as refused by the daily cap")
			}
		})
	}
}

// TestHonestTextsNotRefused: a citizen's own texts over a day (the
// invitation of a transaction, a bad review's follow-up link, which is
// the only text of a work order's life, and look-up codes) all go; after
// 退订 the invitations and links stop, the code the citizen asks for
// still goes.
func TestHonestTextsNotRefused(t *testing.T) {
	e, mem := inviteEnv(t, storetest.SQLiteDSN(t))
	ctx := context.Background()
	const phone = "13912345678" // badReview's real-name phone
	e.report("sysA", e.txn("H1", map[string]any{"phone": phone}))
	e.invite()
	e.badReview(false)
	for range 2 {
		e.clock.Add(10 * time.Minute)
		if err := e.m.SMS.Send(ctx, sms.Message{Phone: phone, Purpose: sms.FollowCode, Text: "【好差评】查询验证码：123456"}); err != nil {
			t.Fatalf("a look-up code: %v", err)
		}
	}
	if got := len(mem.Sent()); got != 4 || textsTo(mem, phone, sms.Invitation) != 1 || textsTo(mem, phone, sms.FollowLink) != 1 {
		t.Fatalf("texted %d (%v), want the invitation, the link and two codes", got, mem.Sent())
	}
	if n := refusedTexts(t, e, sms.RefusedBurst, phone) + refusedTexts(t, e, sms.RefusedDaily, phone); n != 0 {
		t.Errorf("%d honest texts refused", n)
	}

	e.tokens["gateway"] = inboundToken
	e.must(http.StatusOK, "POST", "/api/v1/sms/inbound", "gateway", map[string]any{"phone": phone, "text": "TD"})
	err := e.m.SMS.Send(ctx, sms.Message{Phone: phone, Purpose: sms.FollowLink, Text: "link"})
	var refused *sms.Refused
	if !errors.As(err, &refused) || refused.Reason != sms.RefusedOptedOut {
		t.Errorf("a follow-up link after 退订: %v, want refused as opted out", err)
	}
	if err := e.m.SMS.Send(ctx, sms.Message{Phone: phone, Purpose: sms.FollowCode, Text: "code"}); err != nil {
		t.Errorf("a look-up code the citizen asked for after 退订: %v", err)
	}
	if got := textsTo(mem, phone, sms.FollowCode); got != 3 {
		t.Errorf("%d codes texted, want 3", got)
	}
	if strings.Contains(fmt.Sprint(refused), phone) {
		t.Errorf("the refusal names the phone: %v", refused)
	}
}
