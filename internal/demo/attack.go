package demo

import (
	"context"
	"fmt"
	"log/slog"
	"math/rand/v2"
	"slices"
	"strings"
	"time"

	"github.com/haocha/haocha/internal/apperr"
	"github.com/haocha/haocha/internal/catalog"
	"github.com/haocha/haocha/internal/intake"
	"github.com/haocha/haocha/internal/progress"
	"github.com/haocha/haocha/internal/review"
	"github.com/haocha/haocha/internal/sms"
	"github.com/haocha/haocha/internal/store"
	"github.com/haocha/haocha/internal/transaction"
)

// The labels of the fraud mix (haocha demo --attack): one per attack kind,
// and Honest for the citizens' reviews of the same day.
const (
	Honest          = "honest"
	AttackAddress   = "address_flood"   // one machine rotating its browser identity
	AttackDevice    = "device_flood"    // one phone rating item after item
	AttackText      = "same_text"       // one complaint pasted from many phones
	AttackOffHours  = "after_hours"     // window reviews of a hall after it closed
	AttackFiveStar  = "five_star_burst" // 5 stars bought for one workstation
	AttackStaffSelf = "staff_network"   // staff rating themselves from their office network
	// Issue 16: what binding to a service event stops outright.
	AttackNoProof  = "workstation_no_proof" // online and phone channels charging a workstation
	AttackGuessing = "number_guessing"      // transaction numbers tried in bulk
	AttackHijack   = "hijacked_later"       // a later review (追评) on a stranger's transaction
	// Issue 16: an attacker who stays below every per-address threshold.
	AttackItemFlood    = "distributed_items"        // one district's items, from many networks, devices and channels
	AttackStationFlood = "distributed_workstations" // one district's workstations, from many networks, no proof
	AttackSMSBombing   = "sms_bombing"              // texts to one phone, through real-name reviews naming it
	AttackCrossReport  = "cross_district_report"    // an integration reporting for another district's halls
)

// AttackKinds are the attacks the mix holds, in the order they are played.
var AttackKinds = []string{AttackAddress, AttackDevice, AttackText, AttackOffHours, AttackFiveStar, AttackStaffSelf,
	AttackNoProof, AttackGuessing, AttackHijack, AttackItemFlood, AttackStationFlood, AttackSMSBombing, AttackCrossReport}

// Unstored kinds attack something other than the index: their unit is a
// text to the victim's phone or a transaction reported, not a review. A
// text sent or a report taken counts as Submitted (not caught), a text or
// report refused as Refused; none is labelled.
var Unstored = []string{AttackSMSBombing, AttackCrossReport}

// Intake is the real review intake the mix goes through, so that the
// detectors score every review of it.
type Intake interface {
	SubmitAt(ctx context.Context, at time.Time, sub review.Submission, c intake.Client) (intake.Receipt, error)
	NetMark(address string) string
}

// AttackStore is what the mix needs of storage besides the intake: the
// text outbox's queue (the SMS bombing) and the transactions (the
// cross-district report) too.
type AttackStore interface {
	sms.Queue
	transaction.Store
	ActiveDimensionSet(ctx context.Context) (review.DimensionSet, error)
	RecordStaffNetwork(ctx context.Context, netMark string, userID int64, staff, unit string, at time.Time) error
	LabelDemoReviews(ctx context.Context, kind string, ids []int64) error
}

// Mix is what Attack played: per label, the reviews submitted and those
// the intake refused outright (a limit, or a proof missing: stopped, so
// caught, but stored nowhere to be labelled).
type Mix struct {
	Submitted map[string]int
	Refused   map[string]int
}

// arrival is one review of the mix.
type arrival struct {
	at     time.Time
	label  string
	sub    review.Submission
	client intake.Client
}

// Attack plays, on the demo's last day, a day of honest reviews (as many
// as the demo has a day, with the networks and phones citizens have) and
// every kind of attack among them, through in, and labels every review.
// The catalogue must be loaded (Load).
func Attack(ctx context.Context, st AttackStore, in Intake, o Options) (Mix, error) {
	return Play(ctx, st, in, o, AttackKinds)
}

// Play is Attack with only the attacks of kinds among the honest day
// (none: the honest day alone), so that a figure can be compared with
// the same day without them.
func Play(ctx context.Context, st AttackStore, in Intake, o Options, kinds []string) (Mix, error) {
	o.defaults()
	c := Catalog()
	set, err := st.ActiveDimensionSet(ctx)
	if err != nil {
		return Mix{}, err
	}
	day := o.From.AddDate(0, 0, o.Days-1)
	perDay := max(1, o.Reviews/o.Days)
	var mix []arrival
	var txns []string // the day's numbers: the city's, as a guesser or hijacker might learn them
	err = Generate(c, set, Options{Reviews: perDay, Days: 1, From: day, Seed: o.Seed + 1, Batch: perDay, Now: o.Now},
		func(batch []*review.Review) error {
			for i, r := range batch {
				mix = append(mix, arrival{at: r.CreatedAt, label: Honest, sub: submissionOf(r, set), client: citizenClient(c, r, i)})
				if r.Transaction != "" {
					txns = append(txns, r.Transaction)
				}
			}
			return nil
		})
	if err != nil {
		return Mix{}, err
	}
	rng := rand.New(rand.NewPCG(o.Seed, 0xa77ac))
	attacks, signIn := attacksOn(c, day, rng)
	attacks = append(attacks, bindingAttacks(c, day, txns, rng)...)
	attacks = append(attacks, distributedAttacks(c, day, rng)...)
	for _, a := range attacks {
		if slices.Contains(kinds, a.label) {
			mix = append(mix, a)
		}
	}
	slices.SortStableFunc(mix, func(a, b arrival) int { return a.at.Compare(b.at) })
	if slices.Contains(kinds, AttackStaffSelf) {
		if err := st.RecordStaffNetwork(ctx, in.NetMark(signIn.address), 0, signIn.staff, "", signIn.at); err != nil {
			return Mix{}, err
		}
	}
	out := Mix{Submitted: map[string]int{}, Refused: map[string]int{}}
	// The bomber's reviews go through an intake that texts, into the
	// outbox's records only (a phone in the demo is nobody's): a text
	// refused by the phone's caps is the defence.
	var texting *intake.Service
	if s, ok := in.(*intake.Service); ok {
		cp := *s
		texting = &cp
	}
	ids := map[string][]int64{}
	bar := progress.New(o.Progress, int64(len(mix)), "demo fraud mix")
	defer bar.Finish()
	for _, a := range mix {
		if o.SignQR != nil && a.sub.Workstation != "" {
			a.sub.QRToken = o.SignQR(a.sub.Workstation, a.at)
		}
		bar.Add(1)
		if a.label == AttackSMSBombing {
			if texting == nil {
				continue // an intake that cannot text: nothing to bomb
			}
			at := a.at
			texting.SMS = &sms.Outbox{Queue: st, Sender: &sms.Memory{}, Now: func() time.Time { return at }, Log: slog.New(slog.DiscardHandler)}
			rc, err := texting.SubmitAt(ctx, a.at, a.sub, a.client)
			switch {
			case err != nil && apperr.As(err) == nil:
				return out, fmt.Errorf("demo attack %s: %w", a.label, err)
			case err == nil && rc.LinkSentTo != "":
				out.Submitted[a.label]++
			default:
				out.Refused[a.label]++
			}
			continue
		}
		rc, err := in.SubmitAt(ctx, a.at, a.sub, a.client)
		if apperr.Is(err, apperr.TooMany) || apperr.Is(err, apperr.Forbidden) {
			out.Refused[a.label]++
			continue
		} else if err != nil {
			return out, fmt.Errorf("demo attack %s: %w", a.label, err)
		}
		out.Submitted[a.label]++
		ids[a.label] = append(ids[a.label], rc.ID)
	}
	for label, list := range ids {
		if err := st.LabelDemoReviews(ctx, label, list); err != nil {
			return out, err
		}
	}
	if slices.Contains(kinds, AttackCrossReport) {
		if err := crossReport(ctx, st, c, day, &out); err != nil {
			return out, err
		}
	}
	return out, nil
}

// submissionOf is what a citizen's client sends for r.
func submissionOf(r *review.Review, set review.DimensionSet) review.Submission {
	anon := r.Anonymous
	sub := review.Submission{Channel: string(r.Channel), Item: r.Item, Stage: r.Stage, Workstation: r.Workstation,
		Stars: r.Stars, Comment: r.Comment, Anonymous: &anon, ReviewerKind: string(r.ReviewerKind),
		Dimensions: map[string]int{}}
	for i, d := range set.Dimensions {
		if i < len(r.Scores) {
			sub.Dimensions[d.Code] = r.Scores[i]
		}
	}
	for _, t := range r.Tags.List() {
		sub.Tags = append(sub.Tags, string(t))
	}
	if r.Contact != nil {
		sub.Name, sub.Phone = r.Contact.Name, r.Contact.Phone
	}
	return sub
}

// citizenClient is the client of the i-th honest review: in a hall, the hall's
// one network and the citizen's phone (or the window's tablet); online,
// the citizen's own network and phone.
func citizenClient(c *catalog.Catalog, r *review.Review, i int) intake.Client {
	phone := fmt.Sprintf("Mozilla/5.0 (Linux; Android 14; citizen-%d) Mobile", i)
	if r.Hall == "" {
		return intake.Client{Address: fmt.Sprintf("100.%d.%d.%d", 64+i/65536%64, i/256%256, i%256), UserAgent: phone}
	}
	h := slices.IndexFunc(c.Halls, func(h catalog.Hall) bool { return h.Code == r.Hall })
	// Naming a workstation takes proof of the visit (issue 16): the honest
	// citizen rates on the window's paired rating device.
	w := slices.IndexFunc(c.Workstations, func(w catalog.Workstation) bool { return w.Code == r.Workstation })
	return intake.Client{Address: hallAddress(h), UserAgent: "HaochaTablet/1.0 " + r.Workstation,
		Device: &intake.PairedDevice{ID: int64(w + 1), Workstation: r.Workstation}}
}

// hallAddress is hall number h's one public address.
func hallAddress(h int) string { return fmt.Sprintf("58.%d.%d.10", 32+h/250, 1+h%250) }

// signIn is the staff member's console sign-in the staff attack uses.
type signIn struct {
	at      time.Time
	address string
	staff   string
}

// attacksOn makes the six attacks of the mix on day.
func attacksOn(c *catalog.Catalog, day time.Time, rng *rand.Rand) ([]arrival, signIn) {
	at := func(h, m int) time.Time { return day.Add(time.Duration(h)*time.Hour + time.Duration(m)*time.Minute) }
	anon := true
	online := func(stars int, comment string) review.Submission {
		it := c.Items[rng.IntN(len(c.Items))]
		return review.Submission{Channel: string(review.App), Item: it.Code, Stage: it.Stages[0].Code, Stars: stars,
			Comment: comment, Anonymous: &anon}
	}
	hall := c.Halls[rng.IntN(len(c.Halls))]
	hallNo := slices.IndexFunc(c.Halls, func(h catalog.Hall) bool { return h.Code == hall.Code })
	inHall := map[string]bool{}
	for _, w := range c.Windows {
		inHall[w.Code] = w.Hall == hall.Code
	}
	var stations []catalog.Workstation
	for _, w := range c.Workstations {
		if inHall[w.Window] {
			stations = append(stations, w)
		}
	}
	window := func(w catalog.Workstation, stars int, comment string) review.Submission {
		it := hallItemOf(c, hall.Code, rng)
		return review.Submission{Channel: string(review.Window), Workstation: w.Code, Item: it.Code,
			Stage: it.Stages[0].Code, Stars: stars, Comment: comment, Anonymous: &anon}
	}
	var out []arrival
	add := func(label string, t time.Time, sub review.Submission, addr, agent string) {
		out = append(out, arrival{at: t, label: label, sub: sub, client: intake.Client{Address: addr, UserAgent: agent}})
	}
	// One machine, a new browser identity each time, 90 complaints in 4½ minutes.
	for i := range 90 {
		add(AttackAddress, at(10, 30).Add(time.Duration(i)*3*time.Second), online(1, botComment(i)),
			"198.51.100.23", fmt.Sprintf("Mozilla/5.0 bot-%d", i))
	}
	// One phone, eight items in eight minutes.
	for i := range 8 {
		add(AttackDevice, at(11, 15+i), online(1+4*(i%2), ""), "203.0.113.40", "Mozilla/5.0 (iPhone; one phone)")
	}
	// One complaint pasted from six phones, with its punctuation and digits changed.
	for i := range 6 {
		add(AttackText, at(14, 0).Add(time.Duration(i)*40*time.Second),
			online(1, fmt.Sprintf("办事员故意刁难，要求提供%d份不必要的证明材料！！强烈投诉%d", i+2, i)),
			fmt.Sprintf("100.99.%d.7", i), fmt.Sprintf("Mozilla/5.0 paste-%d", i))
	}
	// Five window reviews of one hall after it closed.
	for i := range 5 {
		add(AttackOffHours, at(21, 30+4*i), window(stations[i%len(stations)], 1, ""),
			fmt.Sprintf("100.98.%d.9", i), fmt.Sprintf("Mozilla/5.0 night-%d", i))
	}
	// Six bought 5-star reviews of one workstation, from the hall's network.
	bought := stations[len(stations)-1]
	for i := range 6 {
		add(AttackFiveStar, at(15, 30).Add(time.Duration(i)*90*time.Second), window(bought, 5, ""),
			hallAddress(hallNo), fmt.Sprintf("Mozilla/5.0 hired-%d", i))
	}
	// A staff member signs in, then rates their own workstation through the day.
	self := stations[0]
	office := "10.250.0.5"
	for i, t := range []time.Time{at(9, 40), at(12, 10), at(16, 20)} {
		add(AttackStaffSelf, t, window(self, 5, ""), office, fmt.Sprintf("Mozilla/5.0 (Windows NT 10.0) desk-%d", i))
	}
	return out, signIn{at: at(8, 30), address: office, staff: self.Staff}
}

// bindingAttacks are the attacks that binding reviews to service events
// stops (issue 16): every channel but the window's naming a workstation
// with no proof, a run of guessed transaction numbers from one machine,
// and later reviews (追评) posted on the day's real transactions by
// someone who only learnt their numbers.
func bindingAttacks(c *catalog.Catalog, day time.Time, txns []string, rng *rand.Rand) []arrival {
	anon := true
	ws := c.Workstations[rng.IntN(len(c.Workstations))]
	var out []arrival
	add := func(label string, at time.Time, sub review.Submission, addr string) {
		out = append(out, arrival{at: at, label: label, sub: sub, client: intake.Client{Address: addr, UserAgent: "Mozilla/5.0 " + label}})
	}
	at := day.Add(13 * time.Hour)
	it := c.Items[rng.IntN(len(c.Items))]
	for i, ch := range []review.Channel{review.Kiosk, review.PC, review.App, review.WeChat, review.Alipay, review.Hotline, review.SMS} {
		add(AttackNoProof, at.Add(time.Duration(i)*time.Minute), review.Submission{Channel: string(ch), Item: it.Code,
			Stage: it.Stages[0].Code, Workstation: ws.Code, Stars: 1, Comment: "态度恶劣", Anonymous: &anon}, fmt.Sprintf("100.97.%d.3", i))
	}
	// Numbers in the city's format around real ones, one a second.
	for i := range 40 {
		number := fmt.Sprintf("BJ%s%08d", day.Format("20060102"), rng.IntN(20000))
		add(AttackGuessing, at.Add(time.Hour+time.Duration(i)*time.Second), review.Submission{Channel: string(review.PC),
			Transaction: number, Stars: 1, Comment: "办事太慢", Anonymous: &anon}, "198.51.100.77")
	}
	for i := range min(5, len(txns)) {
		add(AttackHijack, at.Add(2*time.Hour+time.Duration(i)*time.Minute), review.Submission{Channel: string(review.App),
			Transaction: txns[rng.IntN(len(txns))], Later: true, Stars: 1, Comment: "追评：很差", Anonymous: &anon},
			fmt.Sprintf("100.96.%d.8", i))
	}
	return out
}

// distributedAttacks are the floods of an attacker who knows the per-address
// thresholds and stays below them, and the SMS bombing:
//   - 190 one-star complaints in ten minutes naming only items of one
//     district's units, each from a network and device of its own, over
//     five channels (no workstation, so no proof is asked);
//   - 60 one-star kiosk reviews naming each of 60 workstations of one
//     district, from 40 networks;
//   - 30 real-name bad reviews over an hour, each of another item from
//     another network, all naming one stranger's phone for the follow-up
//     text.
func distributedAttacks(c *catalog.Catalog, day time.Time, rng *rand.Rand) []arrival {
	anon, named := true, false
	district := targetDistrict(c)
	halls := map[string]bool{}
	for _, h := range c.Halls {
		halls[h.Code] = h.District == district
	}
	// The items served in the district's halls, rated as the district's
	// (the unit's rating page): no workstation, so no proof is asked.
	var items []catalog.Item
	seen := map[string]bool{}
	for _, hi := range c.HallItems {
		if halls[hi.Hall] && !seen[hi.Item] {
			seen[hi.Item] = true
			i := slices.IndexFunc(c.Items, func(it catalog.Item) bool { return it.Code == hi.Item })
			items = append(items, c.Items[i])
		}
	}
	inDistrict := map[string]bool{}
	for _, w := range c.Windows {
		inDistrict[w.Code] = halls[w.Hall]
	}
	var stations []catalog.Workstation
	for _, w := range c.Workstations {
		if inDistrict[w.Window] {
			stations = append(stations, w)
		}
	}
	tags := []review.Tag{review.Attitude, review.Materials, review.MultipleTrips, review.MissedDeadline}
	channels := []review.Channel{review.App, review.PC, review.WeChat, review.Alipay, review.Kiosk}
	var out []arrival
	add := func(label string, at time.Time, sub review.Submission, addr, agent string) {
		out = append(out, arrival{at: at, label: label, sub: sub, client: intake.Client{Address: addr, UserAgent: agent}})
	}
	start := day.Add(9*time.Hour + 40*time.Minute)
	for i := range 190 {
		it := items[i%len(items)]
		add(AttackItemFlood, start.Add(time.Duration(i)*10*time.Minute/190), review.Submission{Channel: string(channels[i%len(channels)]),
			Unit: district, Item: it.Code, Stage: it.Stages[0].Code, Stars: 1, Tags: []string{string(tags[i%len(tags)])}, Anonymous: &anon},
			fmt.Sprintf("203.0.%d.%d", i, 1+i%200), fmt.Sprintf("Mozilla/5.0 ring-%d", i))
	}
	start = day.Add(15 * time.Hour)
	for i := range min(60, len(stations)) {
		w := stations[rng.IntN(len(stations))]
		it := c.Items[rng.IntN(len(c.Items))]
		add(AttackStationFlood, start.Add(time.Duration(i)*8*time.Millisecond), review.Submission{Channel: string(review.Kiosk),
			Workstation: w.Code, Item: it.Code, Stage: it.Stages[0].Code, Stars: 1, Tags: []string{string(tags[i%len(tags)])},
			Anonymous: &anon}, fmt.Sprintf("198.18.%d.%d", i%40, 1+i%40), fmt.Sprintf("Mozilla/5.0 station-%d", i))
	}
	start = day.Add(16 * time.Hour)
	for i := range 30 {
		it := c.Items[rng.IntN(len(c.Items))]
		add(AttackSMSBombing, start.Add(time.Duration(i)*2*time.Minute), review.Submission{Channel: string(review.App),
			Item: it.Code, Stage: it.Stages[0].Code, Stars: 1, Tags: []string{string(tags[i%len(tags)])}, Anonymous: &named,
			Name: "张三", Phone: BombedPhone}, fmt.Sprintf("198.19.%d.%d", i, 1+i), fmt.Sprintf("Mozilla/5.0 bomb-%d", i))
	}
	return out
}

// BombedPhone is the stranger's phone of the SMS bombing.
const BombedPhone = "13912340000"

// AttackedDistrict is the district the distributed attacks aim at.
func AttackedDistrict() string { return targetDistrict(Catalog()) }

// targetDistrict is the district the distributed attacks aim at: the one
// with the most halls (the lowest code of those), a district government
// unit whose code is the district's.
func targetDistrict(c *catalog.Catalog) string {
	n := map[string]int{}
	best := ""
	for _, h := range c.Halls {
		d := h.District
		n[d]++
		if d != "" && (n[d] > n[best] || (n[d] == n[best] && d < best)) {
			best = d
		}
	}
	return best
}

// crossReport is an integration account bound to one district's unit
// that reports, in one batch, transactions at another district's
// workstations and staff, one finishing 30 days ahead and one 899 days
// ago: each record must be refused.
func crossReport(ctx context.Context, st AttackStore, c *catalog.Catalog, day time.Time, out *Mix) error {
	target := targetDistrict(c)
	var own catalog.Unit
	for _, u := range c.Units {
		if u.District != "" && u.District != target && u.Kind == catalog.District {
			own = u
			break
		}
	}
	halls := map[string]bool{}
	for _, h := range c.Halls {
		halls[h.Code] = h.District == target
	}
	inTarget := map[string]bool{}
	for _, w := range c.Windows {
		inTarget[w.Code] = halls[w.Hall]
	}
	var recs []transaction.Record
	now := day.Add(17 * time.Hour)
	stamp := func(t time.Time) string { return t.Format(time.RFC3339) }
	it := c.Items[0]
	for _, w := range c.Workstations {
		if !inTarget[w.Window] || len(recs) == 8 {
			continue
		}
		recs = append(recs, transaction.Record{Number: fmt.Sprintf("X%s%03d", day.Format("20060102"), len(recs)), Item: it.Code,
			Stages: []string{it.Stages[0].Code}, Unit: own.Code, Workstation: w.Code, Staff: w.Staff, ApplicantKind: "person",
			AcceptedAt: stamp(now.Add(-2 * time.Hour)), FinishedAt: stamp(now.Add(-time.Hour))})
	}
	for i, fin := range []time.Time{now.AddDate(0, 0, 30), now.AddDate(0, 0, -899)} {
		recs = append(recs, transaction.Record{Number: fmt.Sprintf("X%s9%02d", day.Format("20060102"), i), Item: it.Code,
			Stages: []string{it.Stages[0].Code}, Unit: own.Code, ApplicantKind: "person",
			AcceptedAt: stamp(fin.Add(-time.Hour)), FinishedAt: stamp(fin)})
	}
	svc := &transaction.Service{Store: st, Now: func() time.Time { return now }}
	res, err := svc.Report(ctx, transaction.Reporter{ID: 0, Units: []string{own.Code}}, recs)
	if err != nil {
		return fmt.Errorf("demo attack %s: %w", AttackCrossReport, err)
	}
	for _, r := range res {
		if r.Status == transaction.Created || r.Status == transaction.Unchanged {
			out.Submitted[AttackCrossReport]++
		} else {
			out.Refused[AttackCrossReport]++
		}
	}
	return nil
}

func hallItemOf(c *catalog.Catalog, hall string, rng *rand.Rand) catalog.Item {
	var codes []string
	for _, hi := range c.HallItems {
		if hi.Hall == hall {
			codes = append(codes, hi.Item)
		}
	}
	code := codes[rng.IntN(len(codes))]
	i := slices.IndexFunc(c.Items, func(it catalog.Item) bool { return it.Code == code })
	return c.Items[i]
}

// Figures are the detectors' results on the labelled mix: an attack review
// refused by a limit counts as caught, an honest one as a false positive.
type Figures struct {
	Attacks, Caught, Honest, FalsePositives int
	Kinds                                   []store.LabelCount
}

// Recall is the share of attack reviews caught.
func (f Figures) Recall() float64 { return ratio(f.Caught, f.Attacks) }

// FalsePositiveRate is the share of honest reviews held.
func (f Figures) FalsePositiveRate() float64 { return ratio(f.FalsePositives, f.Honest) }

func ratio(a, b int) float64 {
	if b == 0 {
		return 0
	}
	return float64(a) / float64(b)
}

// Measure counts what the detectors held of the labelled mix.
func Measure(ctx context.Context, st interface {
	DemoLabelCounts(ctx context.Context) ([]store.LabelCount, error)
}, mix Mix) (Figures, error) {
	counts, err := st.DemoLabelCounts(ctx)
	if err != nil {
		return Figures{}, err
	}
	// A kind refused outright is stored nowhere: it has its line too.
	for _, k := range AttackKinds {
		if mix.Refused[k] > 0 && !slices.Contains(Unstored, k) && !slices.ContainsFunc(counts, func(c store.LabelCount) bool { return c.Kind == k }) {
			counts = append(counts, store.LabelCount{Kind: k})
		}
	}
	for _, k := range Unstored {
		if n := mix.Submitted[k] + mix.Refused[k]; n > 0 {
			counts = append(counts, store.LabelCount{Kind: k, Reviews: mix.Submitted[k]})
		}
	}
	f := Figures{Kinds: counts}
	for i, c := range counts {
		refused := mix.Refused[c.Kind]
		f.Kinds[i].Reviews, f.Kinds[i].Held = c.Reviews+refused, c.Held+refused
		if c.Kind == Honest {
			f.Honest, f.FalsePositives = f.Honest+c.Reviews+refused, f.FalsePositives+c.Held+refused
			continue
		}
		f.Attacks, f.Caught = f.Attacks+c.Reviews+refused, f.Caught+c.Held+refused
	}
	return f, nil
}

// String is the figures as the demo command prints them.
func (f Figures) String() string {
	var b strings.Builder
	for _, k := range f.Kinds {
		fmt.Fprintf(&b, "  %-16s %5d reviews, %5d held or refused\n", k.Kind, k.Reviews, k.Held)
	}
	fmt.Fprintf(&b, "recall %.1f%% (%d of %d attack reviews); false positives %.2f%% (%d of %d honest reviews)",
		100*f.Recall(), f.Caught, f.Attacks, 100*f.FalsePositiveRate(), f.FalsePositives, f.Honest)
	return b.String()
}

// botComment is the bot's i-th complaint: the first of each theme in turn,
// a few texts sent over and over.
func botComment(i int) string {
	th := i % len(complaintThemes)
	n := 0
	for _, t := range complaintThemes[:th] {
		n += len(t.situations) * len(t.outcomes)
	}
	return complaints[n].text
}
