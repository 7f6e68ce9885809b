package web_test

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/cdproto/network"
	"github.com/chromedp/chromedp"

	"github.com/haocha/haocha/internal/account"
	"github.com/haocha/haocha/internal/transaction"
)

// reporter is an integration account's API token, reporting for unit.
func reporter(t *testing.T, login, unit string) string {
	t.Helper()
	ctx := context.Background()
	staffAccount(t, login, account.Integration, "")
	u, err := haocha.Store.UserByLogin(ctx, login)
	must(t, err)
	must(t, haocha.Store.BindIntegrationUnits(ctx, u.ID, []string{unit}))
	tok := account.NewToken()
	_, err = haocha.Store.IssueToken(ctx, login, tok, "test", account.TokenTTL, "test")
	must(t, err)
	return tok
}

// reportTransaction posts transactions finished just now at the test
// workstation, in one batch, as the business system does.
func reportTransaction(t *testing.T, tok string, numbers ...string) {
	t.Helper()
	reportAt(t, tok, workstation, numbers...)
}

// reportAt posts transactions finished just now at ws.
func reportAt(t *testing.T, tok, ws string, numbers ...string) {
	t.Helper()
	at := time.Now().Add(-time.Minute).Format(time.RFC3339)
	var batch []map[string]any
	for _, n := range numbers {
		batch = append(batch, map[string]any{"number": n, "item": item, "stages": []string{"acceptance"}, "unit": "310101",
			"workstation": ws, "applicant_kind": "person", "accepted_at": at, "finished_at": at})
	}
	body, _ := json.Marshal(map[string]any{"transactions": batch})
	req, _ := http.NewRequest(http.MethodPost, srv.URL+"/api/v1/transactions", bytes.NewReader(body))
	req.Header.Set("Authorization", "Bearer "+tok)
	req.Header.Set("Content-Type", "application/json")
	resp, err := http.DefaultClient.Do(req)
	must(t, err)
	defer resp.Body.Close()
	var out struct{ Created int }
	json.NewDecoder(resp.Body).Decode(&out)
	if resp.StatusCode != http.StatusOK || out.Created != len(numbers) {
		t.Fatalf("report %v: %d, %d created", numbers, resp.StatusCode, out.Created)
	}
}

// shownAt waits for the device to show number's rating screen and returns
// when it did, by the page's clock (milliseconds since 1970).
func shownAt(t *testing.T, ctx context.Context, number string) float64 {
	t.Helper()
	ms, err := chromedp.Run(ctx, chromedp.Poll[float64](fmt.Sprintf("window.haochaShown[%q]", number),
		chromedp.WithPollingInterval(5*time.Millisecond), chromedp.WithPollingTimeout(15*time.Second)))
	if err != nil {
		t.Fatalf("the device never showed %s: %v", number, err)
	}
	return ms
}

// onScreen waits for the device to show screen (pair, idle, rate, thanks).
func onScreen(t *testing.T, ctx context.Context, screen string) {
	t.Helper()
	must(t, chromedp.Do(ctx, chromedp.WaitVisible(chromedp.CSS("body[data-screen="+screen+"] #"+screen))))
}

// shoot saves the page at a phone's, a tablet's and a desktop's width.
func shoot(t *testing.T, ctx context.Context, name string) {
	t.Helper()
	for _, w := range []struct{ w, h int64 }{{390, 844}, {1024, 768}, {1280, 900}} {
		must(t, chromedp.Do(ctx, chromedp.EmulateViewport(w.w, w.h, chromedp.EmulateScale(1))))
		screenshot(t, ctx, fmt.Sprintf("%s-%d", name, w.w))
	}
	must(t, chromedp.Do(ctx, chromedp.EmulateViewport(1024, 768, chromedp.EmulateScale(1))))
}

// offline cuts the tab's network, or gives it back.
func offline(t *testing.T, ctx context.Context, off bool) {
	t.Helper()
	_, err := chromedp.Call(ctx, network.Enable, network.EnableParams{})
	must(t, err)
	_, err = chromedp.Call(ctx, network.EmulateNetworkConditionsByRule, network.EmulateNetworkConditionsByRuleParams{
		MatchedNetworkConditions: []*network.Conditions{{Offline: off, DownloadThroughput: -1, UploadThroughput: -1}}})
	must(t, err)
	_, err = chromedp.Call(ctx, network.OverrideNetworkState, network.OverrideNetworkStateParams{Offline: off,
		DownloadThroughput: -1, UploadThroughput: -1})
	must(t, err)
}

func reviewsOf(t *testing.T, numbers ...string) int {
	t.Helper()
	var n int
	q := "SELECT COUNT(*) FROM reviews WHERE txn IN ('" + strings.Join(numbers, "','") + "')"
	must(t, haocha.Store.DB().QueryRow(q).Scan(&n))
	return n
}

// TestBrowserRatingDevice pairs a device from the console, has it show
// transactions as the business system reports them (and measures how
// soon), rates one online and three offline, and finds each of the three
// stored once when the network is back.
func TestBrowserRatingDevice(t *testing.T) {
	run := strconv36(time.Now().UnixNano())
	dev := tabFor(t, 4*time.Minute)
	must(t, chromedp.Do(dev, chromedp.EmulateViewport(1024, 768, chromedp.EmulateScale(1))))
	visit(t, dev, "/device")
	onScreen(t, dev, "pair")
	code, err := chromedp.Run(dev, chromedp.Poll[string](`/^\d{4} \d{4}$/.test(document.getElementById('pair-code').textContent) && document.getElementById('pair-code').textContent`,
		chromedp.WithPollingTimeout(10*time.Second)))
	must(t, err)
	checkA11y(t, dev, "device pairing")
	shoot(t, dev, "device-pair")

	// The administrator enters the code for the workstation.
	staffAccount(t, "device-admin-"+run, account.Admin, "")
	con := desk(t)
	consoleLogin(t, con, "device-admin-"+run)
	visit(t, con, "/console/devices?hall="+hall)
	must(t, chromedp.Do(con,
		chromedp.SetValue(chromedp.CSS("#workstation"), workstation),
		chromedp.SendKeys(chromedp.CSS("#code"), code),
		chromedp.Click(chromedp.CSS("#pair-device button[type=submit]")),
		chromedp.WaitVisible(chromedp.CSS("#devices")),
	))
	checkA11y(t, con, "console devices")
	screenshot(t, con, "console-devices-1280")
	must(t, chromedp.Do(con, chromedp.EmulateViewport(390, 844, chromedp.EmulateScale(1))))
	screenshot(t, con, "console-devices-390")

	onScreen(t, dev, "idle")
	// The idle screen is up before the device's first answer names who
	// serves here: wait for it.
	if _, err := chromedp.Run(dev, chromedp.Poll[bool](`document.getElementById('staff-name').textContent.trim() !== ''`,
		chromedp.WithPollingTimeout(20*time.Second))); err != nil {
		t.Errorf("the idle screen shows no staff member: %v", err)
	}
	checkA11y(t, dev, "device idle")
	shoot(t, dev, "device-idle")

	// Each transaction the business system reports comes up at once.
	tok := reporter(t, "device-system-"+run, "310101")
	var delays []float64
	for i := range 20 {
		number := fmt.Sprintf("DEV%s-%02d", run, i)
		start := float64(time.Now().UnixMicro()) / 1000
		reportTransaction(t, tok, number)
		delays = append(delays, shownAt(t, dev, number)-start)
		if got := text(t, dev, "#rate-item"); got == "" {
			t.Fatal("the rating screen names no matter")
		}
		if i == 0 {
			checkA11y(t, dev, "device rating")
			shoot(t, dev, "device-rate")
		}
		must(t, chromedp.Do(dev, chromedp.Click(chromedp.CSS("#skip"))))
		onScreen(t, dev, "idle")
	}
	slices.Sort(delays)
	p95 := delays[(len(delays)*95+99)/100-1]
	t.Logf("transaction posted → rating screen shown, %d transactions: median %.0f ms, p95 %.0f ms, max %.0f ms",
		len(delays), delays[len(delays)/2], p95, delays[len(delays)-1])

	// One citizen's four matters, reported together: rated one after the
	// other.
	var four []string
	for i := range 4 {
		four = append(four, fmt.Sprintf("DEV%s-M%d", run, i))
	}
	reportTransaction(t, tok, four...)
	rated := map[string]bool{}
	// rateShown rates the transaction on the screen with stars and
	// returns it.
	rateShown := func(stars int) string {
		t.Helper()
		number, err := chromedp.Run(dev, chromedp.Poll[string](`document.body.dataset.screen === 'rate' && document.body.dataset.transaction`,
			chromedp.WithPollingTimeout(15*time.Second)))
		must(t, err)
		if !slices.Contains(four, number) || rated[number] {
			t.Fatalf("the device shows %s; want one of %v not rated yet", number, four)
		}
		rated[number] = true
		must(t, chromedp.Do(dev, chromedp.Click(chromedp.CSS(fmt.Sprintf(`#stars button[data-stars="%d"]`, stars))),
			chromedp.WaitVisible(chromedp.CSS("#details"))))
		if stars <= 2 {
			must(t, chromedp.Do(dev, chromedp.WaitVisible(chromedp.CSS("#tags button[data-tag=attitude]")),
				chromedp.Click(chromedp.CSS("#tags button[data-tag=attitude]")),
				chromedp.Click(chromedp.CSS(`#dims button[data-dim="efficiency"][data-value="2"]`)),
				chromedp.SendKeys(chromedp.CSS("#comment"), "等候时间太长")))
			checkA11y(t, dev, "device bad rating")
			shoot(t, dev, "device-rate-bad")
		}
		must(t, chromedp.Do(dev, chromedp.Click(chromedp.CSS("#send"))))
		onScreen(t, dev, "thanks")
		return number
	}
	online := rateShown(5)
	waitFor(t, func() bool { return reviewsOf(t, online) == 1 }, "the online rating stored")

	// The network drops: three more ratings, queued on the device.
	offline(t, dev, true)
	var three []string
	for i, stars := range []int{2, 4, 3} {
		three = append(three, rateShown(stars))
		if i == 0 {
			must(t, chromedp.Do(dev, chromedp.WaitVisible(chromedp.CSS("#queued"))))
			shoot(t, dev, "device-thanks-offline")
		}
	}
	queued, err := chromedp.Run(dev, chromedp.Evaluate[int](`JSON.parse(localStorage.getItem('haocha.device.queue')).length`))
	must(t, err)
	if queued != 3 || reviewsOf(t, three...) != 0 {
		t.Fatalf("offline: %d queued on the device, %d stored, want 3 and 0", queued, reviewsOf(t, three...))
	}

	// Back online: each queued rating arrives, once.
	offline(t, dev, false)
	waitFor(t, func() bool { return reviewsOf(t, three...) == 3 }, "the three offline ratings stored")
	_, err = chromedp.Run(dev, chromedp.Poll[bool](`JSON.parse(localStorage.getItem('haocha.device.queue')).length === 0`,
		chromedp.WithPollingTimeout(15*time.Second)))
	must(t, err)
	if n := reviewsOf(t, four...); n != 4 {
		t.Errorf("%d reviews of the four transactions, want 4", n)
	}
	var tablet, stored int
	must(t, haocha.Store.DB().QueryRow("SELECT COUNT(*) FROM reviews WHERE channel = 'tablet' AND txn LIKE ?", "DEV"+run+"-%").Scan(&tablet))
	must(t, haocha.Store.DB().QueryRow("SELECT COUNT(*) FROM device_reviews").Scan(&stored))
	if tablet != 4 || stored < 4 {
		t.Errorf("%d tablet reviews and %d device receipts, want 4 and at least 4", tablet, stored)
	}

	// In English, on the same device.
	visit(t, dev, "/prefs?lang=en&back=/device")
	onScreen(t, dev, "idle")
	reportTransaction(t, tok, "DEV"+run+"-EN")
	shownAt(t, dev, "DEV"+run+"-EN")
	if got := text(t, dev, `#stars button[data-stars="1"] span`); got != "Very dissatisfied" {
		t.Errorf("1 star reads %q in English, want Very dissatisfied", got)
	}
	checkA11y(t, dev, "device rating in English")
	shoot(t, dev, "device-rate-en")
	must(t, chromedp.Do(dev, chromedp.Click(chromedp.CSS("#skip"))))
	onScreen(t, dev, "idle")
	shoot(t, dev, "device-idle-en")

	// Reported by another process (no wake-up here): the poll finds it;
	// left untouched, the rating screen goes back to idle.
	visit(t, dev, "/device?idle=2")
	onScreen(t, dev, "idle")
	at := time.Now().Add(-time.Minute).Format(time.RFC3339)
	res, err := (&transaction.Service{Store: haocha.Store}).Report(context.Background(), transaction.Reporter{},
		[]transaction.Record{{Number: "DEV" + run + "-CSV", Item: item, Stages: []string{"acceptance"}, Unit: "310101",
			Workstation: workstation, ApplicantKind: "person", AcceptedAt: at, FinishedAt: at}})
	if err != nil || res[0].Status != transaction.Created {
		t.Fatalf("report elsewhere: %v %+v", err, res)
	}
	shownAt(t, dev, "DEV"+run+"-CSV")
	onScreen(t, dev, "idle")

	// Unpaired on the console: the device forgets its token and asks to
	// be paired again.
	var id int64
	must(t, haocha.Store.DB().QueryRow("SELECT MAX(id) FROM devices WHERE workstation = ?", workstation).Scan(&id))
	_, err = haocha.Devices.Unpair(context.Background(), &account.Actor{ID: 1, Role: account.Admin}, id)
	must(t, err)
	onScreen(t, dev, "pair")
	if tok, err := chromedp.Run(dev, chromedp.Evaluate[string](`localStorage.getItem('haocha.device.token') || ''`)); err != nil || tok != "" {
		t.Errorf("the unpaired device keeps its token: %q %v", tok, err)
	}
}

// waitFor polls cond for up to 15 seconds.
func waitFor(t *testing.T, cond func() bool, what string) {
	t.Helper()
	for end := time.Now().Add(15 * time.Second); time.Now().Before(end); time.Sleep(50 * time.Millisecond) {
		if cond() {
			return
		}
	}
	t.Fatalf("timed out waiting for %s", what)
}

func strconv36(n int64) string { return strings.ToUpper(fmt.Sprintf("%x", n))[8:] }
