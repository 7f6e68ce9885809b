package demo

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io"
	"math/rand/v2"
	"time"

	"github.com/haocha/haocha/internal/calendar"
	"github.com/haocha/haocha/internal/catalog"
	"github.com/haocha/haocha/internal/fraud"
	"github.com/haocha/haocha/internal/review"
)

// Options shape a generated review set.
type Options struct {
	Reviews int       // how many: TrialReviews when 0, none when negative (Load)
	Bad     int       // how many 1–2 star reviews; the trial's share by default
	Seed    uint64    // same seed, same reviews
	From    time.Time // first day; by default Days days that end the day before Now
	Days    int       // spread over this many days; the trial's 16 by default
	Batch   int       // reviews handed to emit at a time
	// Now is when the demo is loaded (time.Now when zero): the reviews end
	// the day before, and Load plays the work orders up to it.
	Now time.Time
	// Frozen leaves the work orders new, as the reviews made them: for
	// tests of the reviews alone, which need not wait for Live.
	Frozen bool
	// Contacts seals real-name reviewers' contacts before they are
	// stored; nil stores them clear (tests of the generator).
	Contacts review.ContactCipher
	// Attack adds the labelled fraud mix (Attack) after the demo is
	// loaded; the caller plays it, as it needs the intake.
	Attack bool
	// Progress is where the load reports how far it has got (stderr of
	// the command); nil reports nothing.
	Progress io.Writer

	// SignQR gives the attack's reviews at a workstation the QR token
	// the workstation showed at that time, their proof of presence; nil
	// sends none (an intake without the check).
	SignQR func(workstation string, at time.Time) string
}

func (o *Options) defaults() {
	if o.Reviews <= 0 {
		o.Reviews = TrialReviews
	}
	if o.Bad <= 0 || o.Bad > o.Reviews {
		o.Bad = int((int64(o.Reviews)*TrialBad + TrialReviews/2) / TrialReviews)
	}
	if o.Now.IsZero() {
		o.Now = time.Now()
	}
	if o.Days <= 0 {
		o.Days = 16
	}
	if o.From.IsZero() {
		// A demo looks like a city at work today, not on the trial's dates.
		y, m, d := o.Now.In(calendar.Zone).Date()
		o.From = time.Date(y, m, d-o.Days, 0, 0, 0, 0, calendar.Zone)
	}
	if o.Batch <= 0 {
		o.Batch = 10000
	}
}

// channel weights of the trial: halls dominate, online is catching up.
var channelMix = []struct {
	ch     review.Channel
	weight int
}{
	{review.Window, 34}, {review.Tablet, 20}, {review.Kiosk, 3}, {review.PC, 12}, {review.App, 16},
	{review.WeChat, 7}, {review.Alipay, 5}, {review.Hotline, 2}, {review.SMS, 1},
}

// Generate makes the reviews that o describes over c, under dimension set
// set, and hands them to emit in batches. Exactly o.Bad of them are bad.
func Generate(c *catalog.Catalog, set review.DimensionSet, o Options, emit func([]*review.Review) error) error {
	o.defaults()
	rng := rand.New(rand.NewPCG(o.Seed, 0x4861_6f63_6861))
	items := map[string]catalog.Item{}
	for _, it := range c.Items {
		items[it.Code] = it
	}
	units := map[string]catalog.Unit{}
	for _, u := range c.Units {
		units[u.Code] = u
	}
	windowHall := map[string]string{}
	for _, w := range c.Windows {
		windowHall[w.Code] = w.Hall
	}
	halls := map[string]catalog.Hall{}
	for _, h := range c.Halls {
		halls[h.Code] = h
	}
	hallItems := map[string][]string{}
	for _, hi := range c.HallItems {
		hallItems[hi.Hall] = append(hallItems[hi.Hall], hi.Item)
	}
	totalWeight := 0
	for _, m := range channelMix {
		totalWeight += m.weight
	}
	span := time.Duration(o.Days) * 24 * time.Hour
	batch := make([]*review.Review, 0, o.Batch)
	badLeft := o.Bad
	plant := newPlanter(c, items, halls, windowHall, hallItems, o.From.Add(span-6*24*time.Hour))
	for i := 0; i < o.Reviews; i++ {
		// Selection sampling: exactly o.Bad bad reviews, spread evenly.
		bad := rng.IntN(o.Reviews-i) < badLeft
		if bad {
			badLeft--
		}
		r := &review.Review{DimensionSet: set.ID, ReviewerKind: review.Person, Anonymous: true}
		// Evenly spread in time, within office hours 9:00–17:00.
		// (In float: span × i overflows a Duration past a few thousand reviews.)
		t := o.From.Add(time.Duration(float64(span) * float64(i) / float64(o.Reviews)))
		day := time.Date(t.Year(), t.Month(), t.Day(), 9, 0, 0, 0, calendar.Zone)
		r.CreatedAt = day.Add(time.Duration(rng.Int64N(int64(8 * time.Hour))))

		w := rng.IntN(totalWeight)
		for _, m := range channelMix {
			if w -= m.weight; w < 0 {
				r.Channel = m.ch
				break
			}
		}
		switch r.Channel {
		case review.Window, review.Tablet, review.Kiosk:
			ws := c.Workstations[rng.IntN(len(c.Workstations))]
			h := halls[windowHall[ws.Window]]
			choice := hallItems[h.Code]
			r.Item = choice[rng.IntN(len(choice))]
			r.Workstation, r.Window, r.Hall, r.Staff = ws.Code, ws.Window, h.Code, ws.Staff
			r.Unit, r.District = h.Unit, h.District
		default:
			it := c.Items[rng.IntN(len(c.Items))]
			r.Item, r.Unit, r.District = it.Code, it.Unit, units[it.Unit].District
		}
		it := items[r.Item]
		r.Stage = it.Stages[rng.IntN(len(it.Stages))].Code
		r.Stars = goodStars(rng)
		if bad {
			r.Stars = 1 + rng.IntN(2)
		}
		r.Scores = make([]int, len(set.Dimensions))
		for d := range r.Scores {
			r.Scores[d] = min(5, max(1, r.Stars+rng.IntN(3)-1))
		}
		if bad {
			// Nine in ten bad reviews name their problem: they become work orders.
			if rng.IntN(10) > 0 {
				k := rng.IntN(len(badComments))
				r.Comment = badComments[k]
				r.Tags, _ = review.ParseTags(badCommentTags[k])
			}
			plant.move(r)
		} else {
			r.Comment = goodComments[rng.IntN(len(goodComments))]
		}
		if rng.IntN(10) < 3 {
			r.Anonymous = false
			r.Contact = &review.Contact{
				Name:  string(surnames[rng.IntN(len(surnames))]) + string(givenNames[rng.IntN(len(givenNames))]),
				Phone: fmt.Sprintf("13%09d", rng.IntN(1_000_000_000)),
			}
		}
		if rng.IntN(8) == 0 {
			r.ReviewerKind = review.Business
		}
		if rng.IntN(10) < 6 {
			r.Transaction = fmt.Sprintf("BJ%s%08d", r.CreatedAt.Format("20060102"), i)
		}
		r.Verification = levelOf(r)
		markHonest(r, o.Seed, i)
		batch = append(batch, r)
		if len(batch) == o.Batch {
			if err := emit(batch); err != nil {
				return err
			}
			batch = make([]*review.Review, 0, o.Batch)
		}
	}
	if len(batch) > 0 {
		return emit(batch)
	}
	return nil
}

// levelOf is the verification level the demo gives r, as its channel
// would have proved it: a review of a reported transaction came through
// its invitation, the window's device or a signed-in applicant; one at a
// workstation without one, from a signed-in citizen served there that
// day; the portal's and phone's others prove nothing.
func levelOf(r *review.Review) review.Verification {
	switch {
	case r.Transaction != "":
		return review.ByTransaction
	case r.Workstation != "":
		return review.ByPresence
	}
	return review.Unverified
}

// goodStars draws 3 to 5 stars, mostly 5, as the trial saw.
func goodStars(rng *rand.Rand) int {
	switch n := rng.IntN(100); {
	case n < 84:
		return 5
	case n < 96:
		return 4
	default:
		return 3
	}
}

// markHonest gives r the marks a citizen's client leaves: in a hall the
// hall's one network, online the citizen's own; a phone of their own; and
// the comment's print, so that the detectors count the demo's reviews as
// they count live ones.
func markHonest(r *review.Review, seed uint64, i int) {
	network := fmt.Sprintf("net:%d", i)
	if r.Hall != "" {
		network = "hall:" + r.Hall
	}
	r.NetMark, r.ClientMark = demoMark(seed, network), demoMark(seed, fmt.Sprintf("phone:%d", i))
	r.TextPrint = fraud.TextPrint(r.Comment)
}

// demoMark stands for a keyed hash of s: the demo has no client to hash.
func demoMark(seed uint64, s string) string {
	h := sha256.Sum256(fmt.Appendf(nil, "%d\x00%s", seed, s))
	return hex.EncodeToString(h[:12])
}
