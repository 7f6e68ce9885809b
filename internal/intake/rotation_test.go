package intake_test

import (
	"context"
	"fmt"
	"math"
	"testing"
	"time"

	"github.com/haocha/haocha/internal/apperr"
	"github.com/haocha/haocha/internal/board"
	"github.com/haocha/haocha/internal/calendar"
	"github.com/haocha/haocha/internal/index"
	"github.com/haocha/haocha/internal/intake"
	"github.com/haocha/haocha/internal/review"
	"github.com/haocha/haocha/internal/store/storetest"
	"github.com/haocha/haocha/internal/transaction"
	"github.com/haocha/haocha/internal/workorder"
)

// The attacker of docs/fraud.md ("Who the attacker is") changes whatever
// they control between requests: browser identity, address, channel, the
// workstation's QR code, service-event references. Each case below floods
// district 310101, its unit 310101, hall H1 and workstation H1-W1-1 with one-star reviews
// while changing more of it, on the real store and intake (limits at
// their defaults), and asserts what a citizen would notice: the boards
// /api/v1/index publishes for them move by at most maxMove points over
// the attack, and no review of the flood reaches the operator's queue
// unheld beyond what a rate limit allows before it refuses.

// maxMove is the most a target's published index may move within an
// attack: what the one review of a real visit may do (a citizen's own
// transaction, rated once), not what a flood does.
const maxMove = 2.0

// rotation is one attack: the request i of n, from client.
type rotation struct {
	name string
	// request is the attack's i-th submission and the client it comes from.
	request func(a *attacker, i int) (review.Submission, intake.Client)
	// n requests, one every every: a second, or paced below the unit's
	// usual rate over the hall's day.
	n     int
	every time.Duration
}

// attacker is what one attacker has: the workstations' printed QR
// codes (photographed), their own phone's citizen hash, their own
// transaction at H1-W1-1 today and its proof from the device's screen.
type attacker struct {
	c      *city
	own    *transaction.Transaction
	hash   string
	proofs string
}

func floodSub(channel string, i int) review.Submission {
	return review.Submission{Channel: channel, Item: "GA-001", Unit: "310101", Stage: "acceptance", Stars: 1,
		Tags: []string{string(review.Attitude)}, Comment: fmt.Sprintf("态度很差 %d", i), Anonymous: &anonymous}
}

var channels = []string{"pc", "app", "wechat", "alipay", "kiosk", "window"}

// newIdentity: one address, a new browser identity every request.
func newIdentity(_ *attacker, i int) (review.Submission, intake.Client) {
	return floodSub("app", i), intake.Client{Address: "198.51.100.9", UserAgent: fmt.Sprintf("bot %d", i)}
}

// inSlash24: and an address of its /24 each request.
func inSlash24(a *attacker, i int) (review.Submission, intake.Client) {
	sub, c := newIdentity(a, i)
	c.Address = fmt.Sprintf("198.51.100.%d", 1+i%254)
	return sub, c
}

// acrossSlash16: and each request from another /16.
func acrossSlash16(a *attacker, i int) (review.Submission, intake.Client) {
	sub, c := newIdentity(a, i)
	c.Address = fmt.Sprintf("10.%d.%d.%d", i%250, i/250, 1+i%7)
	return sub, c
}

// channelsAndCodes: and the channel, and a workstation of the hall
// named with its printed QR code.
func channelsAndCodes(a *attacker, i int) (review.Submission, intake.Client) {
	sub, c := acrossSlash16(a, i)
	sub.Channel = channels[i%len(channels)]
	ws := fmt.Sprintf("H1-W1-%d", 1+i%4)
	sub.Workstation, sub.QRToken = ws, a.c.qr.Sign(ws)
	return sub, c
}

// references: numbers guessed in the city's format, the attacker's own
// transaction rated again with its proof, and their own visit (signed in,
// the workstation's QR code) rated again and again.
func references(a *attacker, i int) (review.Submission, intake.Client) {
	sub, c := acrossSlash16(a, i)
	switch i % 3 {
	case 0:
		sub.Transaction = fmt.Sprintf("BJ20261210%04d", 1000+i)
	case 1:
		sub.Channel, sub.Workstation = "window", a.own.Workstation
		sub.Transaction, sub.TransactionProof = a.own.Number, a.proofs
	case 2:
		sub.Channel, sub.Workstation, sub.QRToken, sub.CitizenHash = "window", a.own.Workstation, a.c.qr.Sign(a.own.Workstation), a.hash
	}
	return sub, c
}

// everything: each of the above in turn.
func everything(a *attacker, i int) (review.Submission, intake.Client) {
	kinds := []func(*attacker, int) (review.Submission, intake.Client){newIdentity, inSlash24, acrossSlash16, channelsAndCodes, references}
	return kinds[i%len(kinds)](a, i)
}

var rotations = []rotation{
	{"new identity each request", newIdentity, 600, time.Second},
	{"and addresses in one /24", inSlash24, 600, time.Second},
	{"and across /16s", acrossSlash16, 600, time.Second},
	{"and across /16s, paced", acrossSlash16, 300, 2 * time.Minute},
	{"and channels and QR codes", channelsAndCodes, 600, time.Second},
	{"and service-event references", references, 600, time.Second},
	{"and service-event references, paced", references, 300, 2 * time.Minute},
	{"all at once", everything, 600, time.Second},
	{"all at once, paced", everything, 300, 2 * time.Minute},
}

// targets are the members the attack aims at, by scope.
var targets = []struct {
	scope index.Scope
	code  string
}{{index.District, "310101"}, {index.Unit, "310101"}, {index.Workstation, "H1-W1-1"}, {index.Hall, "H1"}}

func TestRotatingFloodMovesNoIndex(t *testing.T) {
	for name, dsn := range storetest.Backends(t) {
		t.Run(name, func(t *testing.T) {
			for _, rot := range rotations {
				t.Run(rot.name, func(t *testing.T) { rotatingFlood(t, newCityOn(t, dsn(t)), rot) })
			}
		})
	}
}

// december is the city's time on a day of December 2026, under the
// index definition in force (version 3).
func december(day, hour, minute int) time.Time {
	return time.Date(2026, 12, day, hour, minute, 0, 0, calendar.Zone)
}

// verifiedHistory stores n honest reviews of GA-001 at the first four
// workstations of hall H1 over the days before day, each bound to a visit.
func (c *city) verifiedHistory(t *testing.T, day time.Time, n int) {
	t.Helper()
	ctx := context.Background()
	var batch []*review.Review
	for i := range n {
		s := review.Submission{Channel: "window", Item: "GA-001", Stage: "acceptance", Workstation: fmt.Sprintf("H1-W1-%d", 1+i%4),
			Stars: []int{5, 5, 4, 5, 3}[i%5], Anonymous: &anonymous}
		r, err := review.Accept(ctx, c.st, &s)
		if err != nil {
			t.Fatal(err)
		}
		r.Verification = review.ByPresence
		r.CreatedAt = calendar.Midnight(day).AddDate(0, 0, -1-i%8).Add(9*time.Hour + time.Duration(i)*time.Minute)
		batch = append(batch, r)
	}
	if err := c.st.CreateReviews(ctx, batch); err != nil {
		t.Fatal(err)
	}
}

// published is the index of each target on the boards over December so
// far, as /api/v1/index publishes them.
func (c *city) published(t *testing.T, to time.Time) map[string]float64 {
	t.Helper()
	out := map[string]float64{}
	for _, tg := range targets {
		b, err := board.Compute(context.Background(), c.st, tg.scope, "", december(1, 0, 0), calendar.Midnight(to).AddDate(0, 0, 1))
		if err != nil {
			t.Fatal(err)
		}
		e, ok := b.Find(tg.code)
		if !ok || e.Index == nil {
			t.Fatalf("%s %s has no index: %+v", tg.scope, tg.code, e)
		}
		out[string(tg.scope)+" "+tg.code] = *e.Index
	}
	return out
}

func rotatingFlood(t *testing.T, c *city, rot rotation) {
	ctx := context.Background()
	c.in.Limit = review.RateLimit{Max: 30, Window: review.RateWindow, AddressMax: review.AddressRateMax, AddressWindow: review.AddressRateWindow}
	start := december(10, 10, 0)
	c.clock.Set(start)
	c.verifiedHistory(t, start, 400)
	if err := c.st.RefreshBaseline(ctx); err != nil {
		t.Fatal(err)
	}
	// The attacker's own visit this morning, reported with their phone.
	own := &transaction.Transaction{Number: "BJ202612100001", Item: "GA-001", Stages: []string{"acceptance"}, Unit: "GA", District: "310101",
		Hall: "H1", Window: "H1-W1", Workstation: "H1-W1-1", Channel: review.Window, ApplicantKind: transaction.Person,
		Phone: "13800138000", AcceptedAt: start.Add(-40 * time.Minute), FinishedAt: start.Add(-30 * time.Minute), RatingClosesAt: start.AddDate(0, 0, 15)}
	if _, err := c.st.SaveTransactions(ctx, []*transaction.Transaction{own}, 0); err != nil {
		t.Fatal(err)
	}
	hash, err := c.st.TransactionPhoneHash(ctx, own.Number)
	if err != nil || hash == "" {
		t.Fatalf("phone hash %q: %v", hash, err)
	}
	a := &attacker{c: c, own: own, hash: hash, proofs: c.in.TransactionProof(own.Number, own.Workstation)}
	before := c.published(t, start)

	n := rot.n
	var taken, held, refused int
	for i := range n {
		sub, client := rot.request(a, i)
		c.clock.Set(start.Add(time.Duration(i) * rot.every))
		rc, err := c.in.Submit(ctx, sub, client)
		switch {
		case err == nil && rc.Held:
			held++
		case err == nil:
			taken++
		case apperr.CodeOf(err) != "":
			refused++
		default:
			t.Fatalf("request %d: %v", i, err)
		}
	}
	after := c.published(t, c.clock.Now())
	queued, err := c.st.CountOrders(ctx, workorder.Filter{Queue: true})
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("%d requests: %d taken, %d held, %d refused; %d orders in the operator's queue; index before %v, after %v",
		n, taken, held, refused, queued, before, after)
	for k, b := range before {
		if moved := math.Abs(after[k] - b); moved > maxMove {
			t.Errorf("%s moved %.2f points (%.2f to %.2f), want at most %.1f", k, moved, b, after[k], maxMove)
		}
	}
}

// A signed-in citizen with the workstation's code rates their visit once
// a stage: the second review of it, from another address and browser, is
// refused as a transaction reviewed already, and another stage is taken.
func TestOneVisitIsRatedOnceAStage(t *testing.T) {
	for name, dsn := range storetest.Backends(t) {
		t.Run(name, func(t *testing.T) {
			ctx := context.Background()
			c := newCityOn(t, dsn(t))
			at := december(10, 10, 0)
			c.clock.Set(at)
			tr := &transaction.Transaction{Number: "BJ202612100002", Item: "GA-001", Stages: []string{"acceptance", "decision"}, Unit: "GA",
				District: "310101", Hall: "H1", Window: "H1-W1", Workstation: "H1-W1-2", Channel: review.Window, ApplicantKind: transaction.Person,
				Phone: "13800138001", AcceptedAt: at.Add(-time.Hour), FinishedAt: at.Add(-50 * time.Minute), RatingClosesAt: at.AddDate(0, 0, 15)}
			if _, err := c.st.SaveTransactions(ctx, []*transaction.Transaction{tr}, 0); err != nil {
				t.Fatal(err)
			}
			hash, err := c.st.TransactionPhoneHash(ctx, tr.Number)
			if err != nil || hash == "" {
				t.Fatalf("phone hash %q: %v", hash, err)
			}
			visit := func(stage string) review.Submission {
				sub := windowReview(tr.Workstation, 1)
				sub.Stage, sub.QRToken, sub.CitizenHash = stage, c.qr.Sign(tr.Workstation), hash
				return sub
			}
			rc := c.submit(t, at, visit("acceptance"), citizen(1))
			if rc.Verification != review.ByPresence {
				t.Fatalf("first review of the visit: %+v, want taken with proof of presence", rc)
			}
			_, err = c.in.Submit(ctx, visit("acceptance"), citizen(2))
			if e := apperr.As(err); e == nil || e.Code != apperr.Conflict || e.Field != "transaction" {
				t.Errorf("the visit rated again from another address and browser: %v, want 409 transaction", err)
			}
			if rc := c.submit(t, at.Add(time.Minute), visit("decision"), citizen(3)); rc.Verification != review.ByPresence {
				t.Errorf("another stage of the visit: %+v, want taken", rc)
			}
			var n int
			if err := c.st.DB().QueryRow("SELECT COUNT(*) FROM reviews WHERE txn = '" + tr.Number + "'").Scan(&n); err != nil || n != 2 {
				t.Errorf("%d reviews bound to the visit (%v), want 2", n, err)
			}
		})
	}
}
