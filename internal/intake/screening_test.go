package intake_test

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/haocha/haocha/internal/account"
	"github.com/haocha/haocha/internal/apperr"
	"github.com/haocha/haocha/internal/calendar"
	"github.com/haocha/haocha/internal/catalog"
	"github.com/haocha/haocha/internal/clocktest"
	"github.com/haocha/haocha/internal/fraud"
	"github.com/haocha/haocha/internal/intake"
	"github.com/haocha/haocha/internal/qr"
	"github.com/haocha/haocha/internal/review"
	"github.com/haocha/haocha/internal/sms"
	"github.com/haocha/haocha/internal/store"
	"github.com/haocha/haocha/internal/store/storetest"
	"github.com/haocha/haocha/internal/transaction"
	"github.com/haocha/haocha/internal/workorder"
)

// city is a store with the fixture's districts and agencies, hall H1 of
// 40 workstations and hall H2 of 20 (both in district 310101), and the
// real intake with its detectors, QR tokens and text outbox.
type city struct {
	st    *store.Store
	in    *intake.Service
	qr    *qr.Signer
	texts *sms.Outbox
	sent  *sms.Memory
	clock *clocktest.Clock
}

// shanghai is the city's time on a day of July 2026.
func shanghai(day, hour, minute int) time.Time {
	return time.Date(2026, 7, day, hour, minute, 0, 0, calendar.Zone)
}

func newCity(t *testing.T) *city {
	t.Helper()
	return newCityOn(t, storetest.SQLiteDSN(t))
}

// newCityOn is newCity on the database dsn.
func newCityOn(t *testing.T, dsn string) *city {
	t.Helper()
	c := storetest.Fixture()
	c.Workstations = nil
	for i := 1; i <= 40; i++ {
		c.Workstations = append(c.Workstations, catalog.Workstation{Code: fmt.Sprintf("H1-W1-%d", i), Window: "H1-W1", Name: fmt.Sprintf("%d号工位", i)})
	}
	c.Halls = append(c.Halls, catalog.Hall{Code: "H2", NameZH: "黄浦区第一社区事务受理服务中心", Unit: "310101", District: "310101"})
	c.Windows = append(c.Windows, catalog.Window{Code: "H2-W1", Hall: "H2", Name: "1号窗口"})
	for i := 1; i <= 20; i++ {
		c.Workstations = append(c.Workstations, catalog.Workstation{Code: fmt.Sprintf("H2-W1-%d", i), Window: "H2-W1", Name: fmt.Sprintf("%d号工位", i)})
	}
	c.HallItems = append(c.HallItems, catalog.HallItem{Hall: "H2", Item: "GA-001"})
	// District 310104's own offices, none rated before (what a flood
	// naming only items picks), and an item of district 310101's own.
	for i, u := range []string{"310104", "310104-MZ", "310104-RS"} {
		if i > 0 {
			c.Units = append(c.Units, catalog.Unit{Code: u, Kind: catalog.Agency, NameZH: u, District: "310104"})
		}
		for j := 1; j <= 2; j++ {
			c.Items = append(c.Items, catalog.Item{Code: fmt.Sprintf("%s-%03d", u, j), NameZH: u, Unit: u, Stages: c.Items[0].Stages})
		}
	}
	c.Items = append(c.Items, catalog.Item{Code: "HP-001", NameZH: "老年综合津贴申领", Unit: "310101", Stages: c.Items[0].Stages})
	st := storetest.Open(t, dsn)
	if err := st.ImportCatalog(context.Background(), c); err != nil {
		t.Fatal(err)
	}
	clk := clocktest.New(shanghai(21, 10, 0))
	st.Now = clk.Now
	signer, err := qr.NewSigner([]byte("test qr secret, long enough to sign"))
	if err != nil {
		t.Fatal(err)
	}
	mem := &sms.Memory{}
	out := &sms.Outbox{Queue: st, Sender: mem, Now: clk.Now}
	in := &intake.Service{Store: st, Salt: []byte("test"), Detector: st, Transactions: st, Presence: signer, SMS: out,
		FollowBase: "https://haoping.example", Now: clk.Now, Proofs: st, ProofKey: []byte("device proof key"), Guesses: &intake.Guesses{}}
	return &city{st: st, in: in, qr: signer, texts: out, sent: mem, clock: clk}
}

// history stores n honest reviews spread over the opening hours 8:00–20:00
// of the day of at, each made by sub(i): the rollups the baselines learn.
func (c *city) history(t *testing.T, day time.Time, n int, sub func(i int) review.Submission) {
	t.Helper()
	ctx := context.Background()
	var batch []*review.Review
	for i := range n {
		s := sub(i)
		r, err := review.Accept(ctx, c.st, &s)
		if err != nil {
			t.Fatalf("history review %d: %v", i, err)
		}
		r.CreatedAt = calendar.Midnight(day).Add(8*time.Hour + time.Duration(i)*12*time.Hour/time.Duration(n))
		batch = append(batch, r)
		if len(batch) == 1000 || i == n-1 {
			if err := c.st.CreateReviews(ctx, batch); err != nil {
				t.Fatal(err)
			}
			batch = batch[:0]
		}
	}
}

// submit submits sub at at from a client of its own.
func (c *city) submit(t *testing.T, at time.Time, sub review.Submission, client intake.Client) intake.Receipt {
	t.Helper()
	c.clock.Set(at)
	rc, err := c.in.Submit(context.Background(), sub, client)
	if err != nil {
		t.Fatalf("submit %+v: %v", sub, err)
	}
	return rc
}

// heldShare is the share of ids held now, each as stored.
func (c *city) heldShare(t *testing.T, ids []int64) float64 {
	t.Helper()
	held, err := c.st.HeldReviews(context.Background(), 0, 100_000)
	if err != nil {
		t.Fatal(err)
	}
	in := map[int64]bool{}
	for _, id := range ids {
		in[id] = true
	}
	n := 0
	for _, h := range held {
		if in[h.ID] {
			n++
		}
	}
	return float64(n) / float64(len(ids))
}

var anonymous = true

func appReview(i int) review.Submission {
	return review.Submission{Channel: "app", Item: "GA-001", Stage: "acceptance", Stars: 4 + i%2, Anonymous: &anonymous}
}

func windowReview(ws string, stars int) review.Submission {
	return review.Submission{Channel: "window", Item: "GA-001", Stage: "acceptance", Workstation: ws, Stars: stars, Anonymous: &anonymous}
}

func citizen(i int) intake.Client {
	return intake.Client{Address: fmt.Sprintf("100.64.%d.%d", i/250, 1+i%250), UserAgent: fmt.Sprintf("phone %d", i)}
}

// Honest traffic of each kind goes through with at most 1% held: each
// case was held on the fixed thresholds before baselines and hours.
func TestHonestTrafficIsNotHeld(t *testing.T) {
	for name, dsn := range storetest.Backends(t) {
		t.Run(name, func(t *testing.T) { honestTraffic(t, newCityOn(t, dsn(t))) })
	}
}

func honestTraffic(t *testing.T, c *city) {
	monday := shanghai(20, 0, 0)
	// A busy agency: 7,200 reviews on an ordinary working day, 2,400 of
	// them at the 40 workstations of hall H1.
	c.history(t, monday, 7200, func(i int) review.Submission {
		if i%3 == 0 {
			return windowReview(fmt.Sprintf("H1-W1-%d", 1+i%40), 5)
		}
		return appReview(i)
	})
	if err := c.st.RefreshBaseline(context.Background()); err != nil {
		t.Fatal(err)
	}

	t.Run("a busy agency's morning", func(t *testing.T) {
		// 240 app reviews in ten minutes, each from its own phone: more
		// than the fixed 200 a unit was allowed.
		var ids []int64
		for i := range 240 {
			ids = append(ids, c.submit(t, shanghai(21, 9, 0).Add(time.Duration(i)*2500*time.Millisecond), appReview(i), citizen(i)).ID)
		}
		if share := c.heldShare(t, ids); share > 0.01 {
			t.Errorf("%.1f%% of the agency's ordinary morning held, want at most 1%%", 100*share)
		}
	})

	t.Run("a district's citizens online", func(t *testing.T) {
		// District 310101 gets 1,200 online reviews a day (100 an hour
		// over the hall's hours, all unverified), and on this morning 50
		// in ten minutes, three times its mean: each from its own phone.
		c.history(t, shanghai(20, 0, 0), 1200, func(i int) review.Submission {
			return review.Submission{Channel: "app", Item: "HP-001", Stage: "acceptance", Stars: 4 + i%2, Anonymous: &anonymous}
		})
		if err := c.st.RefreshBaseline(context.Background()); err != nil {
			t.Fatal(err)
		}
		var ids []int64
		for i := range 50 {
			sub := review.Submission{Channel: "app", Item: "HP-001", Stage: "acceptance", Stars: 1 + i%5, Anonymous: &anonymous}
			ids = append(ids, c.submit(t, shanghai(21, 9, 30).Add(time.Duration(i)*12*time.Second), sub, citizen(2000+i)).ID)
		}
		if share := c.heldShare(t, ids); share > 0.01 {
			t.Errorf("%.1f%% of the district's online morning held, want at most 1%%", 100*share)
		}
	})

	t.Run("a hall's citizens on its one network", func(t *testing.T) {
		// 100 reviews in ten minutes at 40 workstations, each of the
		// citizen's transaction by the code the window's device showed,
		// every phone on the hall's Wi-Fi: more than the 80 one network
		// was allowed.
		ts := c.served(t, 100, shanghai(21, 10, 50), "BJ20260721A")
		var ids []int64
		for i, tr := range ts {
			at := shanghai(21, 11, 0).Add(time.Duration(i) * 6 * time.Second)
			sub := windowReview(tr.Workstation, 5)
			sub.Transaction, sub.TransactionProof = tr.Number, c.in.TransactionProof(tr.Number, tr.Workstation)
			ids = append(ids, c.submit(t, at, sub, intake.Client{Address: "10.20.30.40", UserAgent: fmt.Sprintf("phone %d", i)}).ID)
		}
		if share := c.heldShare(t, ids); share > 0.01 {
			t.Errorf("%.1f%% of the hall's citizens held, want at most 1%%", 100*share)
		}
	})

	t.Run("evening QR reviews of the day's transactions", func(t *testing.T) {
		ctx := context.Background()
		if err := c.st.SetHallHours(ctx, "H1", fraud.Hours{fraud.Workday: {Open: 9 * time.Hour, Close: 17 * time.Hour}}); err != nil {
			t.Fatal(err)
		}
		var ts []*transaction.Transaction
		for i := range 30 {
			ws := fmt.Sprintf("H1-W1-%d", 1+i%40)
			fin := shanghai(21, 15, i)
			ts = append(ts, &transaction.Transaction{Number: fmt.Sprintf("BJ20260721%04d", i), Item: "GA-001", Stages: []string{"acceptance"},
				Unit: "GA", District: "310101", Hall: "H1", Window: "H1-W1", Workstation: ws, Channel: review.Window,
				ApplicantKind: transaction.Person, AcceptedAt: fin.Add(-20 * time.Minute), FinishedAt: fin, RatingClosesAt: fin.AddDate(0, 0, 15)})
		}
		if _, err := c.st.SaveTransactions(ctx, ts, 0); err != nil {
			t.Fatal(err)
		}
		var ids []int64
		for i, tr := range ts {
			at := shanghai(21, 19, 0).Add(time.Duration(i) * 3 * time.Minute)
			sub := windowReview(tr.Workstation, 1+i%5)
			sub.Transaction, sub.TransactionProof = tr.Number, c.in.TransactionProof(tr.Number, tr.Workstation)
			if sub.Stars <= 2 {
				sub.Tags = []string{string(review.Attitude)}
			}
			ids = append(ids, c.submit(t, at, sub, citizen(1000+i)).ID)
		}
		if share := c.heldShare(t, ids); share > 0.01 {
			t.Errorf("%.1f%% of the evening's reviews of the day's transactions held, want at most 1%%", 100*share)
		}
	})
}

// An attacker's tokenless five-star reviews of a workstation from a kiosk
// are refused outright (no proof of the visit), and two citizens who
// rate it right after with the proof of their transactions are not held.
func TestQRReviewsAfterTokenlessOnesAreNotHeld(t *testing.T) {
	c := newCity(t)
	at := shanghai(21, 10, 0)
	for i := range 4 {
		c.clock.Set(at.Add(time.Duration(i) * 20 * time.Second))
		sub := review.Submission{Channel: "kiosk", Item: "GA-001", Stage: "acceptance", Workstation: "H1-W1-1", Stars: 5, Anonymous: &anonymous}
		if _, err := c.in.Submit(context.Background(), sub, citizen(i)); !apperr.Is(err, apperr.Forbidden) {
			t.Fatalf("tokenless kiosk review of a workstation: %v, want refused", err)
		}
	}
	ts := c.served(t, 2, at, "BJ20260721B")
	var honest []int64
	for i, tr := range ts {
		at := at.Add(2*time.Minute + time.Duration(i)*time.Minute)
		sub := windowReview(tr.Workstation, 5)
		sub.Transaction, sub.TransactionProof = tr.Number, c.in.TransactionProof(tr.Number, tr.Workstation)
		honest = append(honest, c.submit(t, at, sub, citizen(100+i)).ID)
	}
	if share := c.heldShare(t, honest); share > 0 {
		t.Errorf("%.0f%% of the reviews after the refused burst held, want none", 100*share)
	}
}

// served reports n window transactions finished at the first workstations
// of hall H1 just before at, numbered prefix0000 onwards.
func (c *city) served(t *testing.T, n int, at time.Time, prefix string) []*transaction.Transaction {
	t.Helper()
	var ts []*transaction.Transaction
	for i := range n {
		ws := fmt.Sprintf("H1-W1-%d", 1+i%40)
		fin := at.Add(-time.Duration(n-i) * time.Second)
		ts = append(ts, &transaction.Transaction{Number: fmt.Sprintf("%s%04d", prefix, i), Item: "GA-001", Stages: []string{"acceptance"},
			Unit: "GA", District: "310101", Hall: "H1", Window: "H1-W1", Workstation: ws, Channel: review.Window,
			ApplicantKind: transaction.Person, AcceptedAt: fin.Add(-20 * time.Minute), FinishedAt: fin, RatingClosesAt: fin.AddDate(0, 0, 15)})
	}
	if _, err := c.st.SaveTransactions(context.Background(), ts, 0); err != nil {
		t.Fatal(err)
	}
	return ts
}

// A distributed flood stays below every fixed threshold (40 addresses, 190
// one-star kiosk reviews over the 60 workstations of a district's two
// halls in 1.6 s, about 5 per address and 3 per workstation): a kiosk
// proves no visit, so every one is refused and no order reaches the
// operator. (A flood naming only an item is judged by the unit's
// baseline; a unit without history has the default rate.)
func TestDistributedFloodIsRefused(t *testing.T) {
	for name, dsn := range storetest.Backends(t) {
		t.Run(name, func(t *testing.T) { distributedFlood(t, newCityOn(t, dsn(t))) })
	}
}

func distributedFlood(t *testing.T, c *city) {
	monday := shanghai(20, 0, 0)
	c.history(t, monday, 60, func(i int) review.Submission {
		return windowReview(fmt.Sprintf("H%d-W1-%d", 1+i%2, 1+i%20), 5)
	})
	if err := c.st.RefreshBaseline(context.Background()); err != nil {
		t.Fatal(err)
	}
	var ws []string
	for i := 1; i <= 40; i++ {
		ws = append(ws, fmt.Sprintf("H1-W1-%d", i))
	}
	for i := 1; i <= 20; i++ {
		ws = append(ws, fmt.Sprintf("H2-W1-%d", i))
	}
	tags := []review.Tag{review.Attitude, review.Materials, review.MultipleTrips, review.MissedDeadline}
	start := shanghai(21, 10, 0)
	for i := range 190 {
		c.clock.Set(start.Add(time.Duration(i) * 8 * time.Millisecond))
		sub := review.Submission{Channel: "kiosk", Item: "GA-001", Stage: "acceptance", Workstation: ws[i%len(ws)], Stars: 1,
			Tags: []string{string(tags[i%len(tags)])}, Anonymous: &anonymous}
		bot := intake.Client{Address: fmt.Sprintf("203.0.113.%d", 1+i%40), UserAgent: fmt.Sprintf("bot %d", i)}
		if _, err := c.in.Submit(context.Background(), sub, bot); !apperr.Is(err, apperr.Forbidden) {
			t.Fatalf("kiosk review naming workstation %s: %v, want refused", sub.Workstation, err)
		}
	}
	queued, err := c.st.CountOrders(context.Background(), workorder.Filter{Queue: true})
	if err != nil {
		t.Fatal(err)
	}
	if queued > 0 {
		t.Errorf("%d of the flood's orders in the operator's queue, want none", queued)
	}
}

// An attacker who names only items (no workstation, so no proof is
// asked) floods district 310104, whose offices have no history: 190
// one-star reviews in ten minutes spread over its three offices' six
// items, five channels, 190 networks and 190 devices, so that no address,
// device, text or unit-wide rule sees more than a few. Unverified reviews
// of a unit or district are judged by their own usual rate, low without
// history: every review of the flood is held, and no order reaches the
// operator.
func TestDistributedItemFloodIsHeld(t *testing.T) {
	for name, dsn := range storetest.Backends(t) {
		t.Run(name, func(t *testing.T) {
			c := newCityOn(t, dsn(t))
			ids := c.itemFlood(t, shanghai(21, 10, 0), 190, 10*time.Minute)
			if share := c.heldShare(t, ids); share < 1 {
				t.Errorf("%.1f%% of the flood held, want all", 100*share)
			}
			queued, err := c.st.CountOrders(context.Background(), workorder.Filter{Queue: true})
			if err != nil {
				t.Fatal(err)
			}
			if queued > 0 {
				t.Errorf("%d of the flood's orders in the operator's queue, want none", queued)
			}
		})
	}
}

// itemFlood submits n one-star unverified reviews of district 310104's
// items over span from start, each from a network and device of its own,
// rotating the channel, and returns their ids.
func (c *city) itemFlood(t *testing.T, start time.Time, n int, span time.Duration) []int64 {
	t.Helper()
	items := []string{"310104-001", "310104-002", "310104-MZ-001", "310104-MZ-002", "310104-RS-001", "310104-RS-002"}
	channels := []string{"app", "pc", "wechat", "alipay", "kiosk"}
	tags := []review.Tag{review.Attitude, review.Materials, review.MultipleTrips, review.MissedDeadline}
	var ids []int64
	for i := range n {
		sub := review.Submission{Channel: channels[i%len(channels)], Item: items[i%len(items)], Stage: "acceptance", Stars: 1,
			Tags: []string{string(tags[i%len(tags)])}, Anonymous: &anonymous}
		bot := intake.Client{Address: fmt.Sprintf("203.0.%d.%d", i, 1+i%200), UserAgent: fmt.Sprintf("bot %d", i)}
		ids = append(ids, c.submit(t, start.Add(time.Duration(i)*span/time.Duration(n)), sub, bot).ID)
	}
	return ids
}

// heldReview submits, from one phone, a review and then a real-name bad
// review that a one-a-minute device rule holds, and returns its receipt.
func (c *city) heldReview(t *testing.T, at time.Time, phone string) intake.Receipt {
	t.Helper()
	c.in.Rules = &fraud.Rules{Threshold: 1, Rules: []fraud.Rule{{Signal: fraud.DeviceVelocity, At: 2, Window: time.Minute, Weight: 1}}}
	client := intake.Client{Address: "198.51.100.7", UserAgent: "phone " + phone}
	c.submit(t, at, appReview(0), client)
	no := false
	sub := review.Submission{Channel: "app", Item: "GA-001", Stage: "acceptance", Stars: 1, Comment: "窗口让我跑了三次，每次说法都不一样",
		Anonymous: &no, Name: "李雷", Phone: phone}
	rc := c.submit(t, at.Add(10*time.Second), sub, client)
	if !rc.Held || rc.WorkOrder == nil || rc.LinkSentTo != "" {
		t.Fatalf("receipt %+v, want a held review with a work order and no text sent", rc)
	}
	return rc
}

// A held review's order stays out of the operator's queue and cannot be
// dispatched; its text waits. Released, the order is in the queue and
// the text goes out once.
func TestReleasedHeldReviewReachesTheOperator(t *testing.T) {
	for name, dsn := range storetest.Backends(t) {
		t.Run(name, func(t *testing.T) { releaseHeld(t, newCityOn(t, dsn(t))) })
	}
}

func releaseHeld(t *testing.T, c *city) {
	ctx := context.Background()
	rc := c.heldReview(t, shanghai(21, 10, 0), "13912345678")
	if n := len(c.sent.Sent()); n != 0 {
		t.Fatalf("%d texts sent for a held review, want none", n)
	}
	queued := func() int64 {
		n, err := c.st.CountOrders(ctx, workorder.Filter{Queue: true})
		if err != nil {
			t.Fatal(err)
		}
		return n
	}
	if n := queued(); n != 0 {
		t.Errorf("%d orders in the operator's queue while held, want 0", n)
	}
	orders := &workorder.Service{Store: c.st, Now: c.clock.Now}
	o, err := c.st.OrderByNumber(ctx, rc.WorkOrder.Number)
	if err != nil {
		t.Fatal(err)
	}
	operator := account.Actor{ID: 1, Name: "operator", Role: account.Operator}
	dispatch := workorder.Input{Unit: "GA", Complexity: workorder.Simple}
	_, err = orders.Act(ctx, operator, o.ID, workorder.ActDispatch, dispatch)
	if e := apperr.As(err); e == nil || e.Code != apperr.Conflict || e.Field != "held" {
		t.Fatalf("dispatching a held order: %v, want a conflict naming held", err)
	}
	if _, _, err := c.texts.Deliver(ctx, c.clock.Now().Add(time.Hour)); err != nil {
		t.Fatal(err)
	}
	if n := len(c.sent.Sent()); n != 0 {
		t.Fatalf("%d texts sent before the release, want none", n)
	}

	if n, err := c.st.ReleaseHeld(ctx, []int64{rc.ID}, "supervisor", "a real citizen"); err != nil || n != 1 {
		t.Fatalf("release: %d, %v", n, err)
	}
	if n := queued(); n != 1 {
		t.Errorf("%d orders in the operator's queue once released, want 1", n)
	}
	for range 2 {
		if _, _, err := c.texts.Deliver(ctx, c.clock.Now().Add(time.Minute)); err != nil {
			t.Fatal(err)
		}
	}
	sent := c.sent.Sent()
	if len(sent) != 1 || sent[0].Phone != "13912345678" || sent[0].Purpose != sms.FollowLink {
		t.Fatalf("texts after the release: %+v, want the follow link once", sent)
	}
	if _, err := orders.Act(ctx, operator, o.ID, workorder.ActDispatch, dispatch); err != nil {
		t.Errorf("dispatching the released order: %v", err)
	}
}

// A rejected review's order is closed as such, and its text never sent.
func TestRejectedHeldReviewIsClosedWithoutText(t *testing.T) {
	ctx := context.Background()
	c := newCity(t)
	rc := c.heldReview(t, shanghai(21, 10, 0), "13912345679")
	if n, err := c.st.RejectHeld(ctx, []int64{rc.ID}, "supervisor", "a script"); err != nil || n != 1 {
		t.Fatalf("reject: %d, %v", n, err)
	}
	o, err := c.st.OrderByNumber(ctx, rc.WorkOrder.Number)
	if err != nil {
		t.Fatal(err)
	}
	if o.State != workorder.Closed || o.Screening != workorder.Rejected {
		t.Errorf("rejected review's order is %s (%q), want closed as rejected", o.State, o.Screening)
	}
	if _, _, err := c.texts.Deliver(ctx, c.clock.Now().Add(time.Hour)); err != nil {
		t.Fatal(err)
	}
	if n := len(c.sent.Sent()); n != 0 {
		t.Errorf("%d texts sent for a rejected review, want none", n)
	}
}
