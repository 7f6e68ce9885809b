package console_test

import (
	"bytes"
	"context"
	"io"
	"log/slog"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/haocha/haocha/internal/app"
	"github.com/haocha/haocha/internal/invitation"
	"github.com/haocha/haocha/internal/sms"
	"github.com/haocha/haocha/internal/store/storetest"
)

const inboundToken = "gateway-inbound-secret"

// inviteEnv is an env whose texts land in the returned memory, with the
// SMS gateway's inbound token set, and sysA reporting for unit A.
func inviteEnv(t *testing.T, dsn string) (*env, *sms.Memory) {
	t.Helper()
	mem := &sms.Memory{}
	e := newEnvConfig(t, dsn, discardLog(), func(c *app.Config) { c.SMS, c.SMSInboundToken = mem, inboundToken })
	e.integration("sysA", unitA)
	return e, mem
}

// invite runs the scheduler's invitation step and delivers the outbox.
func (e *env) invite() invitation.Sent {
	e.t.Helper()
	ctx := context.Background()
	sent, err := e.m.Invitations.Run(ctx)
	if err != nil {
		e.t.Fatal(err)
	}
	if _, _, err := e.m.SMS.Deliver(ctx, e.st.Now()); err != nil {
		e.t.Fatal(err)
	}
	return sent
}

var linkPattern = regexp.MustCompile(`/i/([A-Za-z0-9_-]{22})`)

// linkOf is the token of the last message of purpose p to phone.
func linkOf(t *testing.T, mem *sms.Memory, phone string, p sms.Purpose) string {
	t.Helper()
	m, ok := mem.Last(phone, p)
	if !ok {
		t.Fatalf("no %s was texted to %s", p, phone)
	}
	got := linkPattern.FindStringSubmatch(m.Text)
	if got == nil {
		t.Fatalf("the %s has no link: %s", p, m.Text)
	}
	return got[1]
}

// browser is a citizen's browser: cookies kept, redirects not followed.
type browser struct {
	t  *testing.T
	e  *env
	hc *http.Client
}

func (e *env) browser(t *testing.T) *browser {
	jar, _ := cookiejar.New(nil)
	return &browser{t: t, e: e, hc: &http.Client{Jar: jar, CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}}
}

func (b *browser) get(path string) (int, string) {
	b.t.Helper()
	resp, err := b.hc.Get(b.e.srv.URL + path)
	if err != nil {
		b.t.Fatal(err)
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(body)
}

var csrfPattern = regexp.MustCompile(`name="csrf" value="([^"]+)"`)

// post sends form from the page at path, with the page's form token.
func (b *browser) post(path string, form url.Values) (int, string) {
	b.t.Helper()
	_, page := b.get(strings.TrimSuffix(path, "/optout"))
	if m := csrfPattern.FindStringSubmatch(page); m != nil {
		form.Set("csrf", m[1])
	}
	resp, err := b.hc.PostForm(b.e.srv.URL+path, form)
	if err != nil {
		b.t.Fatal(err)
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(body)
}

// TestInvitationLinkRatesOnce: a transaction reported with a phone gets
// one invitation by SMS; its link opens the transaction's rating page
// (item, unit, stage by name), the review is stored linked to the
// transaction through intake, and the link then answers 410. Only a
// keyed hash of the token is stored; a transaction without a phone, or
// rated already, gets nothing; a second round sends nothing again.
func TestInvitationLinkRatesOnce(t *testing.T) {
	for name, dsn := range storetest.Backends(t) {
		t.Run(name, func(t *testing.T) {
			e, mem := inviteEnv(t, dsn(t))
			ctx := context.Background()
			e.report("sysA", e.txn("T1", map[string]any{"phone": "13912345678"}), e.txn("T2", nil),
				e.txn("T3", map[string]any{"phone": "13933333333"}))
			// T3 is rated at the window before the scheduler's tick.
			e.must(201, "POST", "/api/v1/reviews", "", map[string]any{"channel": "window", "transaction": "T3", "stars": 5, "anonymous": true})
			if got := e.invite(); got.Invited != 1 || got.Reminded != 0 {
				t.Fatalf("first round: %+v, want one invitation", got)
			}
			if got := e.invite(); got != (invitation.Sent{}) {
				t.Errorf("second round: %+v, want nothing", got)
			}
			if n := len(mem.Sent()); n != 1 {
				t.Fatalf("%d messages sent, want 1", n)
			}
			token := linkOf(t, mem, "13912345678", sms.Invitation)
			for _, q := range []string{"SELECT token_hash FROM invitation_links", "SELECT text FROM sms_outbox", "SELECT phone FROM sms_outbox"} {
				var v string
				if err := e.st.DB().QueryRowContext(ctx, q).Scan(&v); err != nil {
					t.Fatal(err)
				}
				if strings.Contains(v, token) || strings.Contains(v, "13912345678") {
					t.Errorf("%s holds the token or phone: %q", q, v)
				}
			}

			b := e.browser(t)
			status, page := b.get("/i/" + token)
			if status != 200 {
				t.Fatalf("the link answers %d", status)
			}
			for _, want := range []string{"居民身份证换领", "黄浦区", "受理", "黄浦区行政服务中心", "T1", "不再接收评价邀请短信"} {
				if !strings.Contains(page, want) {
					t.Errorf("the rating page lacks %q", want)
				}
			}
			if strings.Contains(page, `name="transaction"`) || strings.Contains(page, `id="item"`) {
				t.Error("the link's page asks for what the transaction says")
			}
			status, _ = b.post("/i/"+token, url.Values{"stars": {"5"}, "stage": {"acceptance"}, "anonymous": {"1"}})
			if status != http.StatusSeeOther {
				t.Fatalf("rating through the link: %d, want 303 to the thanks page", status)
			}
			var channel, txn string
			if err := e.st.DB().QueryRowContext(ctx, `SELECT r.channel, rt.txn FROM reviews r
				JOIN review_transactions rt ON rt.review = r.id WHERE rt.txn = 'T1'`).Scan(&channel, &txn); err != nil || channel != "sms" || txn != "T1" {
				t.Errorf("the review: channel %q transaction %q, %v; want sms, T1", channel, txn, err)
			}
			status, page = b.get("/i/" + token)
			if status != http.StatusGone || !strings.Contains(page, "此链接已使用") {
				t.Errorf("the used link: %d, want 410 saying it was used", status)
			}
			if status, _ := b.post("/i/"+token, url.Values{"stars": {"1"}, "comment": {"again"}, "anonymous": {"1"}}); status != http.StatusGone {
				t.Errorf("a second review through the link: %d, want 410", status)
			}
			if status, _ := b.get("/i/" + invitation.NewToken()); status != http.StatusNotFound {
				t.Errorf("an unknown token: %d, want 404", status)
			}
			if status, _ := b.get("/i/not-a-token"); status != http.StatusNotFound {
				t.Errorf("a malformed token: %d, want 404", status)
			}
		})
	}
}

// TestInvitationRefusedReviewKeepsTheLink: a review the form refuses
// (no stars) leaves the link usable.
func TestInvitationRefusedReviewKeepsTheLink(t *testing.T) {
	e, mem := inviteEnv(t, storetest.SQLiteDSN(t))
	e.report("sysA", e.txn("T1", map[string]any{"phone": "13912345678"}))
	e.invite()
	token := linkOf(t, mem, "13912345678", sms.Invitation)
	b := e.browser(t)
	if status, page := b.post("/i/"+token, url.Values{"anonymous": {"1"}}); status != http.StatusUnprocessableEntity || !strings.Contains(page, "form-errors") {
		t.Fatalf("a review without stars: %d, want 422 with the form", status)
	}
	if status, _ := b.get("/i/" + token); status != 200 {
		t.Errorf("after a refused review the link answers %d, want 200", status)
	}
}

// TestInvitationReminderAndExpiry: one reminder goes out three days
// before the window closes, with a link of its own; none for a
// transaction rated, none twice, none when the invitation itself came
// within those three days. After the window the link answers 410.
func TestInvitationReminderAndExpiry(t *testing.T) {
	for name, dsn := range storetest.Backends(t) {
		t.Run(name, func(t *testing.T) {
			e, mem := inviteEnv(t, dsn(t))
			e.report("sysA", e.txn("T1", map[string]any{"phone": "13911111111"}), e.txn("T2", map[string]any{"phone": "13922222222"}))
			if got := e.invite(); got.Invited != 2 {
				t.Fatalf("invited %+v, want 2", got)
			}
			// T2 is rated through its link.
			b := e.browser(t)
			if status, _ := b.post("/i/"+linkOf(t, mem, "13922222222", sms.Invitation), url.Values{"stars": {"4"}, "anonymous": {"1"}}); status != http.StatusSeeOther {
				t.Fatalf("rating T2: %d", status)
			}
			// Late: finished 13 days ago, first invited now, inside the reminder period.
			fin := e.clock.Now().Add(-13 * 24 * time.Hour)
			e.report("sysA", e.txn("T3", map[string]any{"phone": "13933333333", "finished_at": fin.Format(time.RFC3339),
				"accepted_at": fin.Add(-time.Hour).Format(time.RFC3339)}))
			if got := e.invite(); got.Invited != 1 || got.Reminded != 0 {
				t.Fatalf("late invitation round: %+v, want one invitation and no reminder", got)
			}
			e.clock.Add(11 * 24 * time.Hour) // T1's window closes in 4 days less an hour
			if got := e.invite(); got.Reminded != 0 {
				t.Fatalf("reminded %+v four days before the close", got)
			}
			e.clock.Add(25 * time.Hour)
			if got := e.invite(); got.Reminded != 1 {
				t.Fatalf("reminded %+v three days before the close, want T1 alone", got)
			}
			if got := e.invite(); got.Reminded != 0 {
				t.Errorf("a second reminder: %+v", got)
			}
			m, _ := mem.Last("13911111111", sms.Reminder)
			if !strings.Contains(m.Text, "截止") || !strings.Contains(m.Text, "回复TD退订") {
				t.Errorf("the reminder says %q", m.Text)
			}
			for _, p := range []string{"13922222222", "13933333333"} {
				if _, ok := mem.Last(p, sms.Reminder); ok {
					t.Errorf("%s got a reminder", p)
				}
			}
			first, second := linkOf(t, mem, "13911111111", sms.Invitation), linkOf(t, mem, "13911111111", sms.Reminder)
			if first == second {
				t.Error("the reminder reuses the invitation's token")
			}
			for _, tok := range []string{first, second} {
				if status, _ := b.get("/i/" + tok); status != 200 {
					t.Errorf("a link of T1 answers %d before the close", status)
				}
			}
			e.clock.Add(4 * 24 * time.Hour)
			status, page := b.get("/i/" + second)
			if status != http.StatusGone || !strings.Contains(page, "评价期已结束") {
				t.Errorf("after the close: %d, want 410 saying the period ended", status)
			}
		})
	}
}

// TestOptOut: a TD reply delivered by the gateway, or the button on the
// link's page, stops invitations and reminders to the phone; only a keyed
// hash of the phone is stored. The inbound endpoint wants the gateway's
// token and names the field at fault.
func TestOptOut(t *testing.T) {
	for name, dsn := range storetest.Backends(t) {
		t.Run(name, func(t *testing.T) {
			e, mem := inviteEnv(t, dsn(t))
			ctx := context.Background()
			inbound := func(auth string, body map[string]any) (int, map[string]any) {
				e.tokens["gateway"] = auth
				return e.call("POST", "/api/v1/sms/inbound", "gateway", body)
			}
			for _, tt := range []struct {
				auth       string
				body       map[string]any
				want       int
				field, out string
			}{
				{"wrong", map[string]any{"phone": "13911111111", "text": "TD"}, 403, "Authorization", ""},
				{inboundToken, map[string]any{"phone": "12", "text": "TD"}, 422, "phone", ""},
				{inboundToken, map[string]any{"text": "TD"}, 422, "phone", ""},
				{inboundToken, map[string]any{"phone": "13911111111", "text": "谢谢"}, 200, "", "false"},
				{inboundToken, map[string]any{"phone": "139 1111 1111", "text": " td "}, 200, "", "true"},
			} {
				got, out := inbound(tt.auth, tt.body)
				if got != tt.want || (tt.field != "" && out["field"] != tt.field) || (tt.out != "" && tt.out != strings.ToLower(strings.TrimSpace(fmtBool(out["opted_out"])))) {
					t.Errorf("inbound %v: %d %v, want %d %s %s", tt.body, got, out, tt.want, tt.field, tt.out)
				}
			}
			var hash string
			if err := e.st.DB().QueryRowContext(ctx, "SELECT phone_hash FROM sms_optouts").Scan(&hash); err != nil || strings.Contains(hash, "13911111111") || len(hash) != 64 {
				t.Errorf("stored opt-out %q, %v: want a hash", hash, err)
			}

			e.report("sysA", e.txn("T1", map[string]any{"phone": "13911111111"}), e.txn("T2", map[string]any{"phone": "13922222222"}))
			if got := e.invite(); got.Invited != 1 || got.OptedOut != 1 {
				t.Fatalf("%+v: want T2 invited, T1 skipped", got)
			}
			if _, ok := mem.Last("13911111111", sms.Invitation); ok {
				t.Error("an opted-out phone was invited")
			}
			// T2's citizen presses the button: no reminder, no next invitation.
			b := e.browser(t)
			status, page := b.post("/i/"+linkOf(t, mem, "13922222222", sms.Invitation)+"/optout", url.Values{})
			if status != 200 || !strings.Contains(page, "已退订评价邀请") {
				t.Fatalf("opt-out from the page: %d", status)
			}
			e.report("sysA", e.txn("T3", map[string]any{"phone": "13922222222"}))
			e.clock.Add(13 * 24 * time.Hour)
			if got := e.invite(); got.Invited != 0 || got.Reminded != 0 || got.OptedOut != 2 {
				t.Errorf("after the opt-out: %+v, want T3 and T2's reminder skipped", got)
			}
			if n := len(mem.Sent()); n != 1 {
				t.Errorf("%d messages in all, want T2's invitation alone", n)
			}
		})
	}
}

func fmtBool(v any) string {
	if b, ok := v.(bool); ok && b {
		return "true"
	}
	return "false"
}

// TestInboundUnconfigured: without HAOCHA_SMS_INBOUND_TOKEN the endpoint
// takes nothing, whatever the caller sends.
func TestInboundUnconfigured(t *testing.T) {
	e := newEnv(t)
	e.tokens["gateway"] = ""
	if got, out := e.call("POST", "/api/v1/sms/inbound", "gateway", map[string]any{"phone": "13911111111", "text": "TD"}); got != 403 {
		t.Errorf("unconfigured inbound: %d %v, want 403", got, out)
	}
}

// TestSchedulerInvites: the scheduler's tick queues the invitation and
// delivers it in the same round, though not in the quiet hours (21:00 to
// 08:00); a transaction reported after its window closed is never
// invited; neither the phone nor the link's token reaches the log, the
// request log included.
func TestSchedulerInvites(t *testing.T) {
	var logs bytes.Buffer
	mem := &sms.Memory{}
	dir := t.TempDir()
	e := newEnvConfig(t, storetest.SQLiteDSN(t), slog.New(slog.NewTextHandler(&logs, &slog.HandlerOptions{Level: slog.LevelDebug})),
		func(c *app.Config) {
			c.SMS = mem
			c.Loop.NoScheduler, c.Loop.CheckpointFile = false, filepath.Join(dir, "checkpoints")
		})
	e.integration("sysA", unitA)
	old := e.clock.Now().Add(-20 * 24 * time.Hour)
	e.report("sysA", e.txn("T1", map[string]any{"phone": "13912345678"}),
		e.txn("T0", map[string]any{"phone": "13900000000", "finished_at": old.Format(time.RFC3339), "accepted_at": old.Add(-time.Hour).Format(time.RFC3339)}))
	e.clock.Add(13 * time.Hour) // 22:00
	rep, err := e.m.Scheduler.Tick(context.Background())
	if err != nil || rep.Invitations.Invited != 0 || len(mem.Sent()) != 0 {
		t.Fatalf("at 22:00: %+v, %d texts, %v; want none", rep.Invitations, len(mem.Sent()), err)
	}
	e.clock.Add(10 * time.Hour) // 08:00 the next day
	if rep, err = e.m.Scheduler.Tick(context.Background()); err != nil {
		t.Fatal(err)
	}
	if rep.Invitations.Invited != 1 || rep.SMSSent != 1 || rep.SMSFailed != 0 {
		t.Fatalf("tick: invitations %+v, sent %d, failed %d; want T1 invited and texted", rep.Invitations, rep.SMSSent, rep.SMSFailed)
	}
	if _, ok := mem.Last("13900000000", sms.Invitation); ok {
		t.Error("a transaction past its window was invited")
	}
	token := linkOf(t, mem, "13912345678", sms.Invitation)
	if status, _ := e.browser(t).get("/i/" + token); status != 200 {
		t.Fatalf("the link answers %d", status)
	}
	if rep, _ := e.m.Scheduler.Tick(context.Background()); rep.Invitations != (invitation.Sent{}) || rep.SMSSent != 0 {
		t.Errorf("a second tick: %+v, %d sent", rep.Invitations, rep.SMSSent)
	}
	for _, secret := range []string{"13912345678", "5678", token} {
		if strings.Contains(logs.String(), secret) {
			t.Errorf("the log holds %q", secret)
		}
	}
	if !strings.Contains(logs.String(), "/i/…") || !strings.Contains(logs.String(), "invited=1") {
		t.Fatalf("the log shows neither the request nor the tick: the test proves nothing\n%s", logs.String())
	}
}
