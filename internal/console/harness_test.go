package console_test

import (
	"bytes"
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"maps"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
	"time"

	"golang.org/x/crypto/bcrypt"

	"github.com/haocha/haocha/internal/account"
	"github.com/haocha/haocha/internal/api/apitest"
	"github.com/haocha/haocha/internal/app"
	"github.com/haocha/haocha/internal/calendar"
	"github.com/haocha/haocha/internal/catalog"
	"github.com/haocha/haocha/internal/clocktest"
	"github.com/haocha/haocha/internal/review"
	"github.com/haocha/haocha/internal/store"
	"github.com/haocha/haocha/internal/store/storetest"
	"github.com/haocha/haocha/internal/transaction"
	"github.com/haocha/haocha/internal/workorder"
)

func init() { account.Cost = bcrypt.MinCost }

func at(tb testing.TB, s string) time.Time {
	tb.Helper()
	t, err := time.ParseInLocation("2006-01-02 15:04", s, calendar.Zone)
	if err != nil {
		tb.Fatal(err)
	}
	return t
}

// env is a running Haocha on a real SQLite file, with a tiny catalogue and
// one account per role.
type env struct {
	t       testing.TB
	m       *app.Main
	st      *store.Store
	srv     *httptest.Server
	clock   *clocktest.Clock
	tokens  map[string]string // account → API token
	nServed int               // transactions reported by served
}

const (
	unitA = "310101" // 黄浦区
	unitB = "310104" // 徐汇区
)

func tinyCatalog() *catalog.Catalog {
	return &catalog.Catalog{
		Units: []catalog.Unit{
			{Code: unitA, Kind: catalog.District, NameZH: "黄浦区", District: unitA},
			{Code: unitB, Kind: catalog.District, NameZH: "徐汇区", District: unitB},
			{Code: "SHGA", Kind: catalog.Agency, NameZH: "市公安局"},
		},
		Items: []catalog.Item{{Code: "SHGA-001", NameZH: "居民身份证换领", Unit: "SHGA",
			Stages: []catalog.Stage{{Code: "acceptance", NameZH: "受理"}}}},
		Halls:        []catalog.Hall{{Code: "H1", NameZH: "黄浦区行政服务中心", Unit: unitA, District: unitA}},
		Windows:      []catalog.Window{{Code: "H1-W1", Hall: "H1", Name: "1号窗口"}},
		Staff:        []catalog.Staff{{Code: "S1", Name: "张三", Unit: unitA}},
		Workstations: []catalog.Workstation{{Code: "H1-W1-01", Window: "H1-W1", Name: "1号工位", Staff: "S1"}},
		HallItems:    []catalog.HallItem{{Hall: "H1", Item: "SHGA-001"}},
	}
}

// eachBackend runs fn on a fresh env on SQLite and on PostgreSQL; the
// PostgreSQL subtest is skipped, with the reason, when HAOCHA_TEST_POSTGRES
// is unset (a failure under HAOCHA_CI=1).
func eachBackend(t *testing.T, fn func(t *testing.T, e *env)) {
	for name, dsn := range storetest.Backends(t) {
		t.Run(name, func(t *testing.T) { fn(t, newEnvOn(t, dsn(t))) })
	}
}

// newEnv is an env on a SQLite file.
func newEnv(t testing.TB) *env { return newEnvOn(t, storetest.SQLiteDSN(t)) }

func newEnvOn(t testing.TB, dsn string) *env { return newEnvLogged(t, dsn, discardLog()) }

// newEnvLogged is an env on dsn whose server logs to log.
func newEnvLogged(t testing.TB, dsn string, log *slog.Logger) *env {
	return newEnvConfig(t, dsn, log, nil)
}

// newEnvConfig is an env on dsn whose server configuration set changes.
func newEnvConfig(t testing.TB, dsn string, log *slog.Logger, set func(*app.Config)) *env {
	t.Helper()
	return newEnvSet(t, dsn, log, app.LoopConfig{}, set)
}

// newEnvWith is an env whose loop is configured as loop says (cookies
// insecure and no scheduler whatever it says).
func newEnvWith(t testing.TB, dsn string, log *slog.Logger, loop app.LoopConfig) *env {
	t.Helper()
	return newEnvSet(t, dsn, log, loop, nil)
}

// newEnvSet is an env with loop, whose server configuration set changes.
func newEnvSet(t testing.TB, dsn string, log *slog.Logger, loop app.LoopConfig, set func(*app.Config)) *env {
	t.Helper()
	ctx := context.Background()
	loop.InsecureCookies, loop.NoScheduler = true, true
	cfg := app.Config{DB: dsn, NoDemo: true, Log: log, Loop: loop}
	if set != nil {
		set(&cfg)
	}
	m, err := app.Open(ctx, cfg)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { m.Close() })
	c := clocktest.New(at(t, "2026-03-02 09:00")) // a Monday
	m.Store.Now = c.Now
	if err := m.Store.ImportCatalog(ctx, tinyCatalog()); err != nil {
		t.Fatal(err)
	}
	// Every request and answer of the console's tests is held to the
	// OpenAPI document.
	srv := httptest.NewServer(apitest.Check(t, m.Handler()))
	t.Cleanup(srv.Close)
	e := &env{t: t, m: m, st: m.Store, srv: srv, clock: c, tokens: map[string]string{}}
	for _, u := range []account.User{
		{Login: "operator", Role: account.Operator},
		{Login: "handlerA", Role: account.Handler, Unit: unitA},
		{Login: "handlerB", Role: account.Handler, Unit: unitB},
		{Login: "supervisor", Role: account.Supervisor},
		{Login: "staff", Role: account.Staff, Staff: "S1"},
		{Login: "admin", Role: account.Admin},
	} {
		e.addUser(u)
	}
	return e
}

const password = "correct horse battery"

func (e *env) addUser(u account.User) {
	e.t.Helper()
	ctx := context.Background()
	hash, err := account.HashPassword(password)
	if err != nil {
		e.t.Fatal(err)
	}
	u.PasswordHash = hash
	if err := e.st.CreateUser(ctx, &u, "test"); err != nil {
		e.t.Fatal(err)
	}
	e.newToken(u.Login)
}

// newToken gives login a fresh API token, e.g. after the clock has moved
// past the old one's expiry.
func (e *env) newToken(login string) {
	e.t.Helper()
	tok := account.NewToken()
	if _, err := e.st.IssueToken(context.Background(), login, tok, "test", account.TokenTTL, "test"); err != nil {
		e.t.Fatal(err)
	}
	e.tokens[login] = tok
}

// renewTokens gives every account a fresh API token.
func (e *env) renewTokens() {
	e.t.Helper()
	for login := range e.tokens {
		e.newToken(login)
	}
}

// call sends a JSON request as who (an account name, or "" for nobody) and
// returns the status and decoded answer.
func (e *env) call(method, path, who string, body any) (int, map[string]any) {
	e.t.Helper()
	if sub, ok := body.(map[string]any); ok && method == "POST" && path == "/api/v1/reviews" {
		body = e.present(sub)
	}
	var rd io.Reader
	if body != nil {
		b, err := json.Marshal(body)
		if err != nil {
			e.t.Fatal(err)
		}
		rd = bytes.NewReader(b)
	}
	req, err := http.NewRequest(method, e.srv.URL+path, rd)
	if err != nil {
		e.t.Fatal(err)
	}
	if body != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	if who != "" {
		req.Header.Set("Authorization", "Bearer "+e.tokens[who])
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		e.t.Fatal(err)
	}
	defer resp.Body.Close()
	raw, _ := io.ReadAll(resp.Body)
	var out map[string]any
	if len(raw) > 0 && raw[0] == '{' {
		if err := json.Unmarshal(raw, &out); err != nil {
			e.t.Fatalf("%s %s: %v in %s", method, path, err, raw)
		}
	}
	return resp.StatusCode, out
}

// must calls and fails the test unless the status is want.
func (e *env) must(want int, method, path, who string, body any) map[string]any {
	e.t.Helper()
	got, out := e.call(method, path, who, body)
	if got != want {
		e.t.Fatalf("%s %s as %q = %d %v, want %d", method, path, who, got, out, want)
	}
	return out
}

// present gives a review that names a workstation or a transaction the
// proof a citizen's phone carries from the window's rating device (the p
// of its per-transaction code; issue 16), and a window review its QR
// token. A workstation review whose transaction was not reported is first
// given it, served there just now, as the business system would report
// it; any other unknown number is sent as it is, to be refused.
func (e *env) present(sub map[string]any) map[string]any {
	if sub["transaction_proof"] != nil || sub["invitation_token"] != nil {
		return sub
	}
	txn, _ := sub["transaction"].(string)
	ws, _ := sub["workstation"].(string)
	if txn == "" && ws == "" {
		return sub
	}
	out := maps.Clone(sub)
	t, err := e.st.Transaction(context.Background(), txn)
	if err != nil && ws != "" {
		out["transaction"] = e.served(sub, txn)
		t, err = e.st.Transaction(context.Background(), out["transaction"].(string))
	}
	if err != nil {
		return out
	}
	out["transaction_proof"] = e.m.Intake.TransactionProof(t.Number, t.Workstation)
	if ch := sub["channel"]; (ch == "window" || ch == "tablet") && sub["qr_token"] == nil {
		out["qr_token"] = e.m.Signer.Current(t.Workstation, e.st.Now())
	}
	return out
}

// served reports the transaction a workstation review rates, numbered
// number (or a number of its own when ""), finished just now at its
// workstation, and returns its number.
func (e *env) served(sub map[string]any, number string) string {
	e.t.Helper()
	ctx := context.Background()
	ws, _ := sub["workstation"].(string)
	item, _ := sub["item"].(string)
	stage, _ := sub["stage"].(string)
	p, err := e.st.Place(ctx, ws)
	if err != nil {
		return "" // no such workstation: left for intake to refuse
	}
	unit, _ := sub["unit"].(string)
	if unit == "" {
		unit = p.Hall.Unit
	}
	if number == "" {
		e.nServed++
		number = fmt.Sprintf("SERVED-%d", e.nServed)
	}
	now := e.st.Now()
	t := &transaction.Transaction{Number: number, Item: item, Stages: []string{stage},
		Unit: unit, District: p.Hall.District, Hall: p.Hall.Code, Window: p.Window.Code, Workstation: ws,
		Channel: review.Window, ApplicantKind: transaction.Person, AcceptedAt: now.Add(-10 * time.Minute),
		FinishedAt: now, RatingClosesAt: transaction.RatingCloses(now, transaction.DefaultRatingDays)}
	if p.Staff != nil {
		t.Staff = p.Staff.Code
	}
	if _, err := e.st.SaveTransactions(ctx, []*transaction.Transaction{t}, 0); err != nil {
		e.t.Fatal(err)
	}
	return t.Number
}

// badReview submits a real-name 1-star review through the public API and
// returns its work order number and the citizen's private token.
func (e *env) badReview(anonymous bool) (number, token string) {
	e.t.Helper()
	sub := map[string]any{"channel": "window", "workstation": "H1-W1-01", "item": "SHGA-001", "stage": "acceptance",
		"stars": 1, "tags": []string{"attitude"}, "comment": "窗口人员态度很差，让我跑了三次", "anonymous": anonymous}
	if !anonymous {
		sub["name"], sub["phone"] = "李四", "13912345678"
	}
	out := e.must(http.StatusCreated, "POST", "/api/v1/reviews", "", sub)
	number, _ = out["work_order"].(string)
	link, _ := out["follow_up"].(string)
	if number == "" || !strings.HasPrefix(link, "/follow/") {
		e.t.Fatalf("review answer without work order: %v", out)
	}
	return number, strings.TrimPrefix(link, "/follow/")
}

func (e *env) order(number string) *workorder.Order {
	e.t.Helper()
	o, err := e.st.OrderByNumber(context.Background(), number)
	if err != nil {
		e.t.Fatal(err)
	}
	return o
}

// citizenForm posts the citizen's follow-up form as the private page would.
func (e *env) citizenForm(token string, form url.Values) *http.Response {
	e.t.Helper()
	secret, err := e.st.Secret(context.Background(), "follow_csrf")
	if err != nil {
		e.t.Fatal(err)
	}
	form.Set("csrf", followCSRF(secret, token))
	c := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	resp, err := c.PostForm(e.srv.URL+"/follow/"+token, form)
	if err != nil {
		e.t.Fatal(err)
	}
	resp.Body.Close()
	return resp
}

// followCSRF is the form token the citizen's private page prints (package
// web), computed here as an independent check of the form it guards.
func followCSRF(secret []byte, token string) string {
	m := hmac.New(sha256.New, secret)
	m.Write([]byte("follow:" + token))
	return hex.EncodeToString(m.Sum(nil)[:16])
}

func discardLog() *slog.Logger { return slog.New(slog.NewTextHandler(io.Discard, nil)) }

func (e *env) getRaw(path string) string {
	e.t.Helper()
	resp, err := http.Get(e.srv.URL + path)
	if err != nil {
		e.t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	if resp.StatusCode != 200 {
		e.t.Fatalf("GET %s = %d %s", path, resp.StatusCode, b)
	}
	return string(b)
}

func (e *env) getJSON(path string, v any) {
	e.t.Helper()
	if err := json.Unmarshal([]byte(e.getRaw(path)), v); err != nil {
		e.t.Fatal(err)
	}
}
