package web_test

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/cookiejar"
	"net/http/httptest"
	"net/url"
	"os"
	"regexp"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/haocha/haocha/internal/api/apitest"
	"github.com/haocha/haocha/internal/app"
	"github.com/haocha/haocha/internal/demo"
	"github.com/haocha/haocha/internal/fraud"
	"github.com/haocha/haocha/internal/qr"
	"github.com/haocha/haocha/internal/review"
	"github.com/haocha/haocha/internal/transaction"
)

// The real program, with the demo catalogue and a smaller review set, is
// started once for the whole test binary: loading it takes seconds.
var (
	haocha *app.Main
	srv    *httptest.Server
	signer *qr.Signer
)

// screening is the detectors' rules of the app under test: none, but a
// test of what a held review shows sets one that holds every review.
var screening = &fraud.Rules{Threshold: 1}

func TestMain(m *testing.M) {
	os.Exit(run(m))
}

func run(m *testing.M) int {
	ctx := context.Background()
	dir, err := os.MkdirTemp("", "haocha-web-test-")
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 1
	}
	defer os.RemoveAll(dir)
	log := slog.New(slog.NewTextHandler(io.Discard, nil))
	haocha, err = app.Open(ctx, app.Config{DB: dir + "/haocha.db", Demo: demo.Options{Reviews: 3000, Seed: 7}, Log: log,
		MetricsToken: metricsToken, SMS: texts,
		// Every page test rates from one client, as no citizen does: the
		// detectors would hold them. No rules here; internal/api tests them.
		Fraud: screening})
	if err != nil {
		fmt.Fprintln(os.Stderr, "start haocha:", err)
		return 1
	}
	defer haocha.Close()
	secret, err := haocha.Store.Secret(ctx, "qr")
	if err == nil {
		signer, err = qr.NewSigner(secret)
	}
	if err == nil {
		signer.Every, signer.Grace = qr.Weekly, app.DefaultQRGrace
	}
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 1
	}
	// The API calls of these tests (the rating device's, review intake)
	// are held to the OpenAPI document; a mismatch fails the run.
	var mismatches struct {
		sync.Mutex
		list []string
	}
	checked, err := apitest.Wrap(haocha.Handler(), func(msg string) {
		mismatches.Lock()
		defer mismatches.Unlock()
		mismatches.list = append(mismatches.list, msg)
	})
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 1
	}
	srv = httptest.NewServer(checked)
	defer srv.Close()
	defer stopBrowser()
	code := m.Run()
	mismatches.Lock()
	defer mismatches.Unlock()
	for _, msg := range mismatches.list {
		fmt.Fprintln(os.Stderr, msg)
	}
	if code == 0 && len(mismatches.list) > 0 {
		fmt.Fprintf(os.Stderr, "FAIL: %d answers of the tests above do not keep the OpenAPI document\n", len(mismatches.list))
		code = 1
	}
	return code
}

// Demo records the tests use.
const (
	hall        = "H310101-00" // 黄浦区行政服务中心
	workstation = "H310101-00-W01-01"
	otherWS     = "H310101-00-W01-02"
	item        = "SHGA-001"
)

// landing is the signed QR address of a workstation, as printed.
func landing(ws string) string {
	return "/r/" + ws + "?t=" + token(ws)
}

// served reports a transaction of item at its acceptance stage, finished
// just now at ws, and returns its number and the proof the window's rating
// device shows for it (the p of its per-transaction code): a review
// naming a workstation needs proof of the visit (issue 16).
func served(t testing.TB, ws string) (number, proof string) {
	t.Helper()
	number, proof, err := serve(ws, item)
	if err != nil {
		t.Fatal(err)
	}
	return number, proof
}

// serve is served with the item it, returning its error.
func serve(ws, it string) (number, proof string, err error) {
	ctx := context.Background()
	p, err := haocha.Store.Place(ctx, ws)
	if err != nil {
		return "", "", err
	}
	number = fmt.Sprintf("WEB-%d", servedCount.Add(1))
	now := haocha.Store.Now()
	tr := &transaction.Transaction{Number: number, Item: it, Stages: []string{"acceptance"}, Unit: p.Hall.Unit,
		District: p.Hall.District, Hall: p.Hall.Code, Window: p.Window.Code, Workstation: ws, Channel: review.Window,
		ApplicantKind: transaction.Person, AcceptedAt: now.Add(-10 * time.Minute), FinishedAt: now,
		RatingClosesAt: transaction.RatingCloses(now, transaction.DefaultRatingDays)}
	if p.Staff != nil {
		tr.Staff = p.Staff.Code
	}
	_, err = haocha.Store.SaveTransactions(ctx, []*transaction.Transaction{tr}, 0)
	return number, haocha.Intake.TransactionProof(number, ws), err
}

var servedCount atomic.Int64

// proven is the address of the rating device's per-transaction code for a
// transaction just served at ws: the workstation's page with the proof.
func proven(t testing.TB, ws string) string { return provenFor(t, ws, item) }

// provenFor is proven for a transaction of the item it.
func provenFor(t testing.TB, ws, it string) string {
	t.Helper()
	number, proof, err := serve(ws, it)
	if err != nil {
		t.Fatal(err)
	}
	return landing(ws) + "&txn=" + number + "&p=" + proof
}

// token is the workstation's token printed today.
func token(ws string) string { return signer.Current(ws, time.Now()) }

// client is a browser-like client: it keeps cookies and does not follow
// redirects, so tests see them.
type client struct {
	t  testing.TB
	hc *http.Client
	ua string
}

func newClient(t testing.TB) *client {
	t.Helper()
	jar, _ := cookiejar.New(nil)
	return &client{t: t, hc: &http.Client{Jar: jar, CheckRedirect: func(*http.Request, []*http.Request) error {
		return http.ErrUseLastResponse
	}}}
}

func (c *client) do(req *http.Request) (*http.Response, string) {
	c.t.Helper()
	if c.ua != "" {
		req.Header.Set("User-Agent", c.ua)
	}
	resp, err := c.hc.Do(req)
	if err != nil {
		c.t.Fatal(err)
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		c.t.Fatal(err)
	}
	return resp, string(b)
}

// metricsToken opens /metrics to the tests.
const metricsToken = "web-test-metrics"

func (c *client) get(path string) (*http.Response, string) {
	c.t.Helper()
	req, _ := http.NewRequest(http.MethodGet, srv.URL+path, nil)
	return c.do(req)
}

// page gets path and fails unless it answers 200; it returns the body.
func (c *client) page(path string) string {
	c.t.Helper()
	resp, body := c.get(path)
	if resp.StatusCode != http.StatusOK {
		c.t.Fatalf("GET %s: status %d", path, resp.StatusCode)
	}
	return body
}

func (c *client) post(path string, form url.Values) (*http.Response, string) {
	c.t.Helper()
	req, _ := http.NewRequest(http.MethodPost, srv.URL+path, strings.NewReader(form.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	return c.do(req)
}

var csrfRE = regexp.MustCompile(`name="csrf" value="([^"]+)"`)

// openForm loads a rating form and returns the form token in it.
func (c *client) openForm(path string) string {
	c.t.Helper()
	resp, body := c.get(path)
	if resp.StatusCode != http.StatusOK {
		c.t.Fatalf("GET %s: %d", path, resp.StatusCode)
	}
	m := csrfRE.FindStringSubmatch(body)
	if m == nil {
		c.t.Fatalf("GET %s: no form token in the page", path)
	}
	return m[1]
}

// mustContain fails unless body holds every one of want.
func mustContain(t testing.TB, body string, want ...string) {
	t.Helper()
	for _, w := range want {
		if !strings.Contains(body, w) {
			t.Errorf("page lacks %q", w)
		}
	}
}

func mustNotContain(t testing.TB, body string, bad ...string) {
	t.Helper()
	for _, b := range bad {
		if strings.Contains(body, b) {
			t.Errorf("page has %q", b)
		}
	}
}

// count returns how many stored reviews f selects.
func count(t testing.TB, f review.Filter) int64 {
	t.Helper()
	return countBy(t, haocha.Store.Stats, f)
}

// countRaw counts the reviews f selects from the reviews themselves: any
// filter, where count asks the statistics, which refuse the ones the
// rollups do not pair.
func countRaw(t testing.TB, f review.Filter) int64 {
	t.Helper()
	return countBy(t, haocha.Store.StatsFromReviews, f)
}

func countBy(t testing.TB, stats func(context.Context, review.Filter) (review.Tally, error), f review.Filter) int64 {
	t.Helper()
	tally, err := stats(context.Background(), f)
	if err != nil {
		t.Fatal(err)
	}
	var n int64
	for _, s := range tally.Stars {
		n += s
	}
	return n
}
