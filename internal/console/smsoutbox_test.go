package console_test

import (
	"context"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/haocha/haocha/internal/sms"
	"github.com/haocha/haocha/internal/store/storetest"
)

// flakyGateway fails its first fails posts with 503, then takes them,
// keeping what it took.
type flakyGateway struct {
	mu    sync.Mutex
	fails int
	posts int
	took  []map[string]string
	auth  []string
}

func (g *flakyGateway) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	g.mu.Lock()
	defer g.mu.Unlock()
	g.posts++
	g.auth = append(g.auth, r.Header.Get("Authorization"))
	if g.posts <= g.fails {
		http.Error(w, "busy", http.StatusServiceUnavailable)
		return
	}
	var body map[string]string
	json.NewDecoder(r.Body).Decode(&body)
	g.took = append(g.took, body)
}

// TestSMSGatewayRetriedFromTheOutbox: a message for a gateway that fails
// twice is queued, sealed, in the database; the caller is not refused;
// the scheduler retries it after the webhook's backoff (30 s, then 60 s),
// a restart in between loses nothing, the third attempt delivers it once,
// and the delivered row keeps neither phone nor text.
func TestSMSGatewayRetriedFromTheOutbox(t *testing.T) {
	for name, dsn := range storetest.Backends(t) {
		t.Run(name, func(t *testing.T) {
			gw := &flakyGateway{fails: 2}
			hs := httptest.NewServer(gw)
			defer hs.Close()
			gateway, err := sms.NewGateway(sms.GatewayConfig{URL: hs.URL, Token: "gw-token"})
			if err != nil {
				t.Fatal(err)
			}
			d := dsn(t)
			e := newEnvOn(t, d)
			ctx := context.Background()
			box := &sms.Outbox{Queue: e.st, Sender: gateway, Now: e.clock.Now, Log: discardLog()}
			m := sms.Message{Phone: "13912345678", Purpose: sms.Invitation, Text: "【好差评】请评价 https://x/i/SECRET"}
			if err := box.Send(ctx, m); err != nil {
				t.Fatalf("a failing gateway refused the caller: %v", err)
			}
			var phone, text string
			var attempts int
			row := func() {
				t.Helper()
				if err := e.st.DB().QueryRowContext(ctx, "SELECT phone, text, attempts FROM sms_outbox").Scan(&phone, &text, &attempts); err != nil {
					t.Fatal(err)
				}
			}
			row()
			if attempts != 1 || strings.Contains(phone+text, "5678") || strings.Contains(text, "SECRET") {
				t.Fatalf("queued row: attempts %d, phone %q, text %q: want one attempt, sealed", attempts, phone, text)
			}
			if sent, failed, err := box.Deliver(ctx, e.clock.Now().Add(29*time.Second)); err != nil || sent+failed != 0 {
				t.Fatalf("before the backoff: sent %d failed %d, %v", sent, failed, err)
			}
			e.clock.Add(30 * time.Second)
			if sent, failed, err := box.Deliver(ctx, e.clock.Now()); err != nil || sent != 0 || failed != 1 {
				t.Fatalf("second attempt: sent %d failed %d, %v", sent, failed, err)
			}
			// A restart: a new process on the same database finds it.
			restarted := storetest.Open(t, d)
			box = &sms.Outbox{Queue: restarted, Sender: gateway, Now: e.clock.Now, Log: discardLog()}
			e.clock.Add(59 * time.Second)
			if sent, failed, _ := box.Deliver(ctx, e.clock.Now()); sent+failed != 0 {
				t.Fatal("retried before the doubled backoff")
			}
			e.clock.Add(time.Second)
			if sent, failed, err := box.Deliver(ctx, e.clock.Now()); err != nil || sent != 1 || failed != 0 {
				t.Fatalf("third attempt: sent %d failed %d, %v", sent, failed, err)
			}
			e.clock.Add(time.Hour)
			if sent, failed, _ := box.Deliver(ctx, e.clock.Now()); sent+failed != 0 {
				t.Error("a delivered message was sent again")
			}
			if gw.posts != 3 || len(gw.took) != 1 || gw.took[0]["phone"] != m.Phone || gw.took[0]["text"] != m.Text || gw.took[0]["purpose"] != "invitation" {
				t.Errorf("the gateway got %d posts, took %v", gw.posts, gw.took)
			}
			for _, a := range gw.auth {
				if a != "Bearer gw-token" {
					t.Errorf("sent Authorization %q", a)
				}
			}
			row()
			if phone != "" || text != "" || attempts != 3 {
				t.Errorf("delivered row keeps phone %q text %q, attempts %d", phone, text, attempts)
			}
		})
	}
}

// TestSMSOutboxUnopenableGivenUp: a queued message no key opens any more
// (its key was taken out of the ring) is given up, and the messages
// behind it still go.
func TestSMSOutboxUnopenableGivenUp(t *testing.T) {
	e := newEnv(t)
	ctx := context.Background()
	mem := &sms.Memory{}
	now := e.clock.Now()
	for _, p := range []string{"13911111111", "13922222222"} {
		if _, err := e.st.QueueSMS(ctx, sms.Message{Phone: p, Purpose: sms.Invitation, Text: "x"}, now, now); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := e.st.DB().ExecContext(ctx, "UPDATE sms_outbox SET phone = 'hk1.deadbeef.AAAA' WHERE id = (SELECT MIN(id) FROM sms_outbox)"); err != nil {
		t.Fatal(err)
	}
	box := &sms.Outbox{Queue: e.st, Sender: mem, Now: e.clock.Now, Log: discardLog()}
	if sent, _, err := box.Deliver(ctx, now); err != nil || sent != 1 {
		t.Fatalf("sent %d, %v: want the second message", sent, err)
	}
	if _, ok := mem.Last("13922222222", sms.Invitation); !ok {
		t.Error("the message behind the unopenable one was held back")
	}
	var gaveUp int
	if err := e.st.DB().QueryRowContext(ctx, "SELECT COUNT(*) FROM sms_outbox WHERE sent_at IS NULL AND phone = '' AND text = ''").Scan(&gaveUp); err != nil || gaveUp != 1 {
		t.Errorf("given up and emptied %d, %v; want 1", gaveUp, err)
	}
}
