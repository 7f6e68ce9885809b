package store

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/haocha/haocha/internal/review"
)

// The fraud detectors and the review rate limit count what came just
// before a review: reviews of one network, device, workstation, unit,
// comment or hall. Counting them in the database cost several queries per
// review; instead each process keeps the recent arrivals in memory, in
// sliding windows (windows below), and follows the reviews other
// processes store by reading the rows it has not seen once a second (not
// once a review): every process scores against the same history, a
// second late at most for what others stored.
//
// Memory is bounded: a window kind keeps at most maxWindowKeys keys, each
// a ring with room for the arrivals its largest count needs (table.cap),
// and its rings together room for maxGrownSlots more, for the open
// arrivals of bursts not yet held (table.room); keys that saw nothing
// within the longest window go first when it is full. A kind's rings take
// at most (maxWindowKeys × cap + maxGrownSlots) × 16 bytes: 38.5 MiB for
// networks at the address limit's 300 (TestWindowsStayInBound). Each
// arrival keeps its review's id: a burst is held by the ids the windows
// name (burstHolds, fraud.go), not found again in reviews.

// windowKind is what a window counts by.
type windowKind int

const (
	byNetwork            windowKind = iota // net_mark
	byDevice                               // client_mark
	byWorkstation                          // workstation
	byFiveStar                             // workstation, 5-star reviews only
	byUnit                                 // unit
	byText                                 // text_print
	byHall                                 // hall, reviews at a workstation only: the hall's rate and its off hours
	byUnverifiedUnit                       // unit, unverified reviews only
	byUnverifiedDistrict                   // district, unverified reviews only
	windowKinds
)

const (
	// maxWindowKeys bounds the keys of one kind.
	maxWindowKeys = 1 << 13
	// maxRingCap bounds the arrivals a key keeps: counts past it read as
	// maxRingCap, enough to know any threshold below it is reached.
	maxRingCap = 1024
	// maxGrownSlots bounds the slots a kind's rings hold past its
	// capacity, together (table.room): 1 MiB of 16-byte slots.
	maxGrownSlots = 1 << 16
	// windowKeep is how far back arrivals are kept, and loaded at start:
	// the longest window of the default rules and limits (the network
	// limit's hour).
	windowKeep = time.Hour
	// followEvery is how often a process reads the reviews other processes
	// stored; holeLife is how long an id skipped in the sequence is looked
	// for again (a group still committing, past the commit timeout).
	followEvery = time.Second
	holeLife    = 2 * DefaultCommitTimeout
	maxHoles    = 4096
	// staffEvery is how often the staff sign-in networks are read again;
	// sign-ins of this process are seen at once.
	staffEvery = 10 * time.Second
)

// arrival is what the windows keep of a stored review.
type arrival struct {
	id                                         int64
	at                                         int64 // ms
	client, net, workstation, unit, text, hall string
	district                                   string
	stars                                      int
	held, unverified                           bool
}

func arrivalOf(r *review.Review) arrival {
	return arrival{id: r.ID, at: millis(r.CreatedAt), client: r.ClientMark, net: r.NetMark, workstation: r.Workstation,
		unit: r.Unit, text: r.TextPrint, hall: r.Hall, district: r.District, stars: r.Stars, held: r.Held != "",
		unverified: r.Verification.Or() == review.Unverified}
}

// key is what window kind k counts a by; "" when k does not count it.
func (a arrival) key(k windowKind) string {
	switch k {
	case byNetwork:
		return a.net
	case byDevice:
		return a.client
	case byWorkstation:
		return a.workstation
	case byFiveStar:
		if a.stars == 5 {
			return a.workstation
		}
	case byUnit:
		return a.unit
	case byText:
		return a.text
	case byHall:
		if a.workstation != "" {
			return a.hall
		}
	case byUnverifiedUnit:
		if a.unverified {
			return a.unit
		}
	case byUnverifiedDistrict:
		if a.unverified {
			return a.district
		}
	}
	return ""
}

// ring is the latest arrivals of one key, oldest overwritten first once
// it holds its table's capacity. It keeps each arrival's review id, so
// that a burst through the key is held by id (burstHolds), without a read
// of reviews through an index on the key.
//
// Its slots, read from next round to next again, are in order of time
// (an arrival that comes late moves back to its place as it goes in,
// place): a count is two binary searches (count), not a pass over the
// up to maxRingCap slots of a unit's ring for every review screened.
type ring struct {
	slots  []slot
	next   int // the oldest slot: where the next arrival goes once full
	newest int64
	// known is the time (ms) after which the ring holds every arrival of
	// its key that is not held: an open arrival overwritten, or the key
	// evicted before and counted again, leave it short until then, and a
	// burst that reaches further back is held by its condition instead.
	known int64
	// extra is the room the ring has grown past its kind's capacity
	// (table.grown).
	extra int
	// hold is the span of the last burst held through this key, and its
	// reason: an arrival that reaches the windows late inside it (another
	// process's, or a group's in flight) is held late (windows.late).
	hold span
}

// slot is one arrival: when, and its review's id, negative once the
// review is held or a hold statement named it.
type slot struct{ at, id int64 }

// span is a burst held: arrivals after from and up to to (ms), for reason.
type span struct {
	from, to int64
	reason   string
}

func (t *table) add(r *ring, at, id int64, held bool) {
	capacity := max(t.cap, 1)
	if held {
		id = -id
	}
	s := slot{at, id}
	switch {
	case len(r.slots) < min(cap(r.slots), capacity):
		r.insert(s)
	case len(r.slots) < capacity:
		// Doubled up to capacity, never past it: append's own growth
		// gave a network's ring of 300 (the address limit) room for 512.
		r.slots = grow(r.slots, min(max(2*len(r.slots), 1), capacity))
		r.insert(s)
	case r.slots[r.next].id > 0 && r.slots[r.next].at > at-windowKeep.Milliseconds() && t.room(r, capacity):
		// The oldest is open and may belong to a burst yet to be held:
		// the ring grows instead (table.room). Only a key whose open
		// reviews outnumber what its thresholds keep grows: one whose
		// burst was not held (caught late), or past a threshold no
		// detector acts on.
		r.insert(s)
	default:
		// Past the ring's room the oldest goes, the new arrival itself
		// when it is older than every slot; if it was open, the ring no
		// longer knows its key's open arrivals before it, and a burst
		// reaching back there is held by its condition (ring.open).
		old := r.slots[r.next]
		if s.at < old.at {
			old = s
		} else {
			r.slots[r.next] = s
			r.next = (r.next + 1) % len(r.slots)
			r.place()
		}
		if old.id > 0 {
			r.known = max(r.known, old.at)
		}
	}
	r.newest = max(r.newest, at)
}

// insert puts s after the newest slot, in room the caller made (len <
// cap: the slots do not move), and then in its place by time.
func (r *ring) insert(s slot) {
	at := r.next
	if at == 0 {
		at = len(r.slots)
	}
	r.slots = slices.Insert(r.slots, at, s)
	r.next = (at + 1) % len(r.slots)
	r.place()
}

// place moves the newest slot, the one before next, back past the slots
// later than it: arrivals come nearly in order (a group commits its
// reviews in the order they came, stamped a moment before), so it rarely
// moves at all. Arrivals of one time keep the order they came in.
func (r *ring) place() {
	n := len(r.slots)
	p := (r.next + n - 1) % n
	for range n - 1 {
		q := (p + n - 1) % n
		if r.slots[q].at <= r.slots[p].at {
			return
		}
		r.slots[p], r.slots[q] = r.slots[q], r.slots[p]
		p = q
	}
}

// room reports whether r may keep one arrival more than capacity, and
// makes the room: a ring grows up to maxRingCap, doubling, while the
// kind's rings together hold less than maxGrownSlots past capacity.
func (t *table) room(r *ring, capacity int) bool {
	if len(r.slots) < cap(r.slots) {
		return true
	}
	n := min(2*len(r.slots), maxRingCap)
	extra := n - capacity
	if n <= len(r.slots) || t.grown+extra-r.extra > maxGrownSlots {
		return false
	}
	r.slots = grow(r.slots, n)
	t.grown += extra - r.extra
	r.extra = extra
	return true
}

// grow is slots with room for exactly n.
func grow(slots []slot, n int) []slot {
	g := make([]slot, len(slots), n)
	copy(g, slots)
	return g
}

// count is the arrivals after from and before to (ms).
func (r *ring) count(from, to int64) int {
	if from >= to {
		return 0
	}
	return r.after(from) - r.after(to-1)
}

// after is how many slots are later than t: those of its two runs in
// order, from next to the end and from the start to next.
func (r *ring) after(t int64) int {
	return later(r.slots[r.next:], t) + later(r.slots[:r.next], t)
}

// later is how many of slots, in order of time, are later than t.
func later(slots []slot, t int64) int {
	i, j := 0, len(slots)
	for i < j {
		h := int(uint(i+j) >> 1)
		if slots[h].at > t {
			j = h
		} else {
			i = h + 1
		}
	}
	return len(slots) - i
}

// open is the ids of the arrivals after from and up to to (ms) that are
// not held, and whether the ring knows them all.
func (r *ring) open(from, to int64) ([]int64, bool) {
	var ids []int64
	for _, s := range r.slots {
		if s.id > 0 && s.at > from && s.at <= to {
			ids = append(ids, s.id)
		}
	}
	return ids, r.known <= from
}

// holding notes that the statement of a burst held the arrivals after
// from and up to to: those it named by id (ids), or, by its condition,
// all of them (cond). An arrival of the span still open was not named
// (it reached the windows after the statement was made): it is held late.
func (r *ring) holding(sp span, ids map[int64]bool, cond bool, late map[int64]string) {
	for i, s := range r.slots {
		if s.id <= 0 || s.at <= sp.from || s.at > sp.to {
			continue
		}
		if !ids[s.id] {
			late[s.id] = sp.reason
		}
		r.slots[i].id = -s.id
	}
	if cond && r.known <= sp.to {
		r.known = min(r.known, sp.from)
	}
	if r.hold.to >= sp.from && r.hold.from <= sp.to {
		sp.from, sp.to = min(sp.from, r.hold.from), max(sp.to, r.hold.to)
	}
	r.hold = sp
}

// table is the rings of one window kind.
type table struct {
	rings map[string]*ring
	cap   int // arrivals a ring keeps
	// evicted counts the arrivals of the keys evicted, for the kinds a
	// review limit counts by (ratecounts.go); nil until the first.
	evicted *sketch
	spill   bool // keep evicted arrivals in evicted
	// grown is the rings' extra: the slots past cap they have room for,
	// at most maxGrownSlots.
	grown int
	// dropped is the newest arrival (ms) when keys that still counted
	// were last evicted: a key counted again after may have lost open
	// arrivals until then (ring.known).
	dropped int64
}

// need makes rings keep at least n arrivals (up to maxRingCap), and
// reports whether they kept fewer until now.
func (t *table) need(n int) bool {
	was := t.cap
	t.cap = min(max(t.cap, n), maxRingCap)
	return t.cap > was
}

func (t *table) ring(key string, create bool) *ring {
	r := t.rings[key]
	if r != nil || !create {
		return r
	}
	if len(t.rings) >= maxWindowKeys {
		t.evict()
	}
	r = &ring{}
	// A key evicted (for the kinds that keep a sketch: one the sketch
	// counts, it never counts one short) comes back knowing nothing
	// before it went.
	if t.dropped > 0 && (t.evicted == nil || t.evicted.count(key, 0) > 0) {
		r.known = t.dropped
	}
	t.rings[key] = r
	return r
}

// evict makes room: keys whose newest arrival is older than windowKeep
// before the newest of all go first, then the keys with the fewest
// arrivals, down to three quarters of the bound. Not at random: a city's
// honest devices each send a review or two, and a random eviction among
// hundreds of thousands of them dropped a flooding device's count, so that
// its requests passed OverLimit and cost a database round each before the
// store refused them. The heaviest keys are the ones a limit refuses.
func (t *table) evict() {
	var newest int64
	for _, r := range t.rings {
		newest = max(newest, r.newest)
	}
	stale := newest - windowKeep.Milliseconds()
	for k, r := range t.rings {
		if r.newest <= stale {
			t.grown -= r.extra
			delete(t.rings, k)
		}
	}
	drop := func(k string, r *ring) {
		t.grown -= r.extra
		delete(t.rings, k)
		t.dropped = newest
		if !t.spill {
			return
		}
		if t.evicted == nil {
			t.evicted = &sketch{}
		}
		for _, sl := range r.slots {
			if sl.at > stale {
				t.evicted.add(k, sl.at)
			}
		}
	}
	excess := len(t.rings) - maxWindowKeys*3/4
	if excess <= 0 {
		return
	}
	// The arrivals kept below which every key goes, and how many keys of
	// exactly that many go besides: a counting sort, one pass each.
	var keys [maxRingCap + 1]int
	for _, r := range t.rings {
		keys[len(r.slots)]++
	}
	below, atCut := 0, 0
	for n, c := range keys {
		if excess <= c {
			below, atCut = n, excess
			break
		}
		excess -= c
	}
	for k, r := range t.rings {
		switch n := len(r.slots); {
		case n < below:
			drop(k, r)
		case n == below && atCut > 0:
			drop(k, r)
			atCut--
		}
	}
}

// staffSeen is one staff sign-in network: the unit and staff member of
// the account, when.
type staffSeen struct {
	unit, staff string
	at          int64
}

// windows are one process's recent arrivals, and how far it has followed
// the reviews table.
type windows struct {
	mu        sync.Mutex
	loaded    bool
	following bool // followReviews runs
	tables    [windowKinds]table
	follow    follower
	staff     map[string][]staffSeen
	staffAt   time.Time // wall clock of the last read of staff_networks
	base      baseline  // opening hours and usual rates (baseline.go)
	// pending are the reviews of groups decided and not yet committed,
	// by device and network, which the review limits count
	// (ratecounts.go).
	pending map[pendKey]int
	// late are the reviews, by id, to hold with the reason given, that
	// reached the windows after the burst they belong to was held: the
	// next group commit, or the follower within a second, holds them
	// (lateStmts).
	late map[int64]string
}

// add counts a. An open arrival inside a burst held through one of its
// keys is held late, with that burst's reason.
func (w *windows) add(a arrival) {
	held := a.held
	var rings [windowKinds]*ring
	for k := range windowKind(windowKinds) {
		key := a.key(k)
		if key == "" {
			continue
		}
		rg := w.tables[k].ring(key, true)
		rings[k] = rg
		if h := rg.hold; !held && a.at > h.from && a.at <= h.to {
			if w.late == nil {
				w.late = map[int64]string{}
			}
			w.late[a.id], held = h.reason, true
		}
	}
	for k, rg := range rings {
		if rg != nil {
			w.tables[k].add(rg, a.at, a.id, held)
		}
	}
}

// count is the arrivals of key in window kind k after from and before to.
func (w *windows) count(k windowKind, key string, from, to int64) int {
	if key == "" {
		return 0
	}
	r := w.tables[k].ring(key, false)
	if r == nil {
		return 0
	}
	return r.count(from, to)
}

// follower is how far a process has read the reviews table by id: every
// id up to max is seen, but the holes, ids skipped that may still come (a
// group of another committer commits after a later one, or an id was
// never used), each with when it was noticed (wall clock, ms).
type follower struct {
	max   int64
	holes map[int64]int64
}

// see notes id and reports whether it is new.
func (f *follower) see(id, now int64) bool {
	if f.holes == nil {
		f.holes = map[int64]int64{}
	}
	switch {
	case id > f.max:
		for h := max(f.max+1, id-maxHoles); h < id; h++ {
			f.holes[h] = now
		}
		f.max = id
		return true
	case f.holes[id] != 0:
		delete(f.holes, id)
		return true
	}
	return false
}

// trim forgets holes past holeLife, and the oldest past maxHoles.
func (f *follower) trim(now int64) {
	for id, at := range f.holes {
		if now-at > holeLife.Milliseconds() || id <= f.max-maxHoles {
			delete(f.holes, id)
		}
	}
}

// list is up to n holes, the newest first.
func (f *follower) list(n int) []any {
	var out []any
	for id := f.max - 1; id > f.max-maxHoles && len(out) < n && len(out) < len(f.holes); id-- {
		if f.holes[id] != 0 {
			out = append(out, id)
		}
	}
	return out
}

// arrivalColumns read an arrival of reviews.
const arrivalColumns = `id, created_at, COALESCE(client_mark, ''), COALESCE(net_mark, ''), COALESCE(workstation, ''), unit,
	COALESCE(text_print, ''), COALESCE(hall, ''), stars, CASE WHEN held IS NULL THEN 0 ELSE 1 END,
	COALESCE(district, ''), CASE WHEN verification = 'unverified' THEN 1 ELSE 0 END`

// loadArrivals reads the windows' span at start, up to the largest id.
// The id's bound is written +id so that neither planner takes it for a
// range of the primary key: up to the largest id is every review.
const loadArrivals = "SELECT " + arrivalColumns + " FROM reviews WHERE created_at > ? AND +id <= ?"

// followAfter reads the reviews stored after an id, a page at a time;
// followHoles(n), those of n ids skipped before. Both read from the
// reviews that the windows can count (followFrom).
const followAfter = "id > ?"

func followHoles(n int) string {
	return "id IN (" + placeholders(n) + ")"
}

// followPage bounds a read of followAfter.
const followPage = " ORDER BY 1 LIMIT 8192"

// followFrom is the SELECT of the arrivals of the reviews where cond
// holds, then tail, and how many times its arguments are given. On
// PostgreSQL it reads the month partitions that hold every review the
// windows may count (created within windowKeep, up to the clock slack
// ahead: recentPartitions), when this process knows them, instead of
// the parent's every partition and index once a second; a review of
// another month, which the windows would see and not count, is not read,
// and its id is a hole looked for until holeLife.
func (s *Store) followFrom(cond, tail string) (string, int) {
	now := s.Now()
	parts := s.recentPartitions(now.Add(-windowKeep), now)
	if parts == nil {
		return "SELECT " + arrivalColumns + " FROM reviews WHERE " + cond + tail, 1
	}
	branches := make([]string, len(parts))
	for i, p := range parts {
		branches[i] = "SELECT " + arrivalColumns + " FROM " + p + " WHERE " + cond
	}
	return "SELECT * FROM (" + strings.Join(branches, " UNION ALL ") + ") r" + tail, len(parts)
}

// argsTimes is args n times over.
func argsTimes(args []any, n int) []any {
	out := make([]any, 0, n*len(args))
	for range n {
		out = append(out, args...)
	}
	return out
}

// screenWindows are the store's windows, loaded on first use with the
// last windowKeep of reviews, and from then on following the reviews
// table once a second until the store closes.
func (s *Store) screenWindows(ctx context.Context) (*windows, error) {
	w := &s.windows
	w.mu.Lock()
	if w.loaded {
		w.mu.Unlock()
		return w, nil
	}
	err := s.loadWindows(ctx, w)
	w.mu.Unlock()
	if err != nil {
		return nil, fmt.Errorf("load fraud windows: %w", err)
	}
	// Staff sign-ins, hours and usual rates before the first review is
	// scored.
	if err := s.readStaffNetworks(ctx, w); err != nil {
		return nil, err
	}
	if err := s.RefreshBaseline(ctx); err != nil {
		return nil, err
	}
	w.mu.Lock()
	start := !w.following
	w.following = true
	w.mu.Unlock()
	if start {
		go s.followReviews(w)
	}
	return w, nil
}

// loadWindows fills w, which the caller holds, with the last windowKeep
// of reviews.
func (s *Store) loadWindows(ctx context.Context, w *windows) error {
	// The largest id first: what is stored after it, the following reads.
	var top int64
	if err := s.queryRow(ctx, "SELECT COALESCE(MAX(id), 0) FROM reviews").Scan(&top); err != nil {
		return err
	}
	for k := range w.tables {
		// A ring keeps what was asked of it before: a review limit's
		// count must not be short after a load (rateWindows).
		w.tables[k].rings = map[string]*ring{}
		w.tables[k].cap = max(w.tables[k].cap, 8)
		w.tables[k].evicted, w.tables[k].dropped, w.tables[k].grown = nil, 0, 0
	}
	for _, k := range limitKinds {
		w.tables[k].spill = true
	}
	w.follow = follower{max: top, holes: map[int64]int64{}}
	err := s.readArrivals(ctx, loadArrivals,
		[]any{millis(s.Now().Add(-windowKeep)), top}, func(a arrival) { w.add(a) })
	if err != nil {
		return err
	}
	w.loaded = true
	return nil
}

func (s *Store) readArrivals(ctx context.Context, q string, args []any, each func(arrival)) error {
	rows, err := s.query(ctx, q, args...)
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		a, err := scanArrival(rows.Scan)
		if err != nil {
			return err
		}
		each(a)
	}
	return rows.Err()
}

// scanArrival scans a row of arrivalColumns.
func scanArrival(scan func(...any) error) (arrival, error) {
	var a arrival
	var held, unverified int
	err := scan(&a.id, &a.at, &a.client, &a.net, &a.workstation, &a.unit, &a.text, &a.hall, &a.stars, &held,
		&a.district, &unverified)
	a.held, a.unverified = held == 1, unverified == 1
	return a, err
}

// readStaffNetworks reads the staff sign-in networks into w, the query
// outside w's lock.
func (s *Store) readStaffNetworks(ctx context.Context, w *windows) error {
	rows, err := s.query(ctx, "SELECT net_mark, unit, staff, seen_at FROM staff_networks")
	if err != nil {
		return fmt.Errorf("read staff networks: %w", err)
	}
	defer rows.Close()
	staff := map[string][]staffSeen{}
	for rows.Next() {
		var mark string
		var v staffSeen
		if err := rows.Scan(&mark, &v.unit, &v.staff, &v.at); err != nil {
			return fmt.Errorf("read staff networks: %w", err)
		}
		staff[mark] = append(staff[mark], v)
	}
	if err := rows.Err(); err != nil {
		return fmt.Errorf("read staff networks: %w", err)
	}
	w.mu.Lock()
	w.staff, w.staffAt = staff, time.Now()
	w.mu.Unlock()
	return nil
}

// followReviews reads, once a second until the store closes, the reviews
// stored since the last read by other processes (and the ids skipped
// before, which a committer still on its way may fill), and the staff
// networks now and then.
func (s *Store) followReviews(w *windows) {
	t := time.NewTicker(followEvery)
	defer t.Stop()
	for {
		select {
		case <-s.quit:
			return
		case <-t.C:
			ctx, cancel := context.WithTimeout(context.Background(), followEvery)
			s.followOnce(ctx, w)
			cancel()
		}
	}
}

// followOnce is one read of followReviews; a failure is tried again at
// the next.
func (s *Store) followOnce(ctx context.Context, w *windows) error {
	w.mu.Lock()
	after, holes := w.follow.max, w.follow.list(256)
	staffDue := time.Since(w.staffAt) >= staffEvery
	baseDue := time.Since(w.base.at) >= baselineEvery
	w.mu.Unlock()
	if baseDue {
		if err := s.RefreshBaseline(ctx); err != nil {
			return err
		}
	}
	var got []arrival
	each := func(a arrival) { got = append(got, a) }
	// A bulk import by another process is read a page a second; what it
	// brings from the past is seen and not counted. The ids past after and
	// the holes are read apart: as one WHERE id > ? OR id IN (...) ORDER
	// BY id, SQLite scanned the whole table every second, a cost that grew
	// with every review stored.
	q, n := s.followFrom(followAfter, followPage)
	err := s.readArrivals(ctx, q, argsTimes([]any{after}, n), each)
	if err == nil && len(holes) > 0 {
		holes = padded(holes) // few shapes of statement
		q, n := s.followFrom(followHoles(len(holes)), "")
		err = s.readArrivals(ctx, q, argsTimes(holes, n), each)
	}
	if err != nil {
		return err
	}
	w.mu.Lock()
	s.followed(w, got)
	w.follow.trim(time.Now().UnixMilli())
	w.mu.Unlock()
	if err := s.holdLate(ctx); err != nil {
		return err
	}
	if staffDue {
		return s.readStaffNetworks(ctx, w)
	}
	return nil
}

// followed counts into w, which the caller holds, the arrivals got of
// reviews that other processes stored, those it has not seen yet.
func (s *Store) followed(w *windows, got []arrival) {
	now := time.Now().UnixMilli()
	recent := millis(s.Now().Add(-windowKeep))
	for _, a := range got {
		if w.follow.see(a.id, now) && a.at > recent {
			w.add(a)
		}
	}
}

// claimIDs notes ids, of reviews this process is storing, as seen: the
// windows count them when they are committed, not when read back.
func (s *Store) claimIDs(rs []*review.Review) {
	w := &s.windows
	w.mu.Lock()
	defer w.mu.Unlock()
	if !w.loaded {
		return
	}
	now := time.Now().UnixMilli()
	for _, r := range rs {
		w.follow.see(r.ID, now)
	}
}

// counted counts rs, just committed, into the windows, taking them out of
// the pending reviews when pended, and notes the bursts that holds held:
// a review of one that reaches the windows later is held late.
func (s *Store) counted(rs []*review.Review, holds []burstHold, pended bool) {
	w := &s.windows
	w.mu.Lock()
	defer w.mu.Unlock()
	if pended {
		w.pend(rs, -1)
	}
	if !w.loaded {
		return
	}
	for _, r := range rs {
		w.add(arrivalOf(r))
	}
	for _, h := range holds {
		for _, bs := range h.spans {
			if rg := w.tables[bs.k].ring(bs.key, false); rg != nil {
				if w.late == nil {
					w.late = map[int64]string{}
				}
				rg.holding(bs.sp, h.ids, bs.cond, w.late)
			}
		}
	}
}

// takeLate takes the reviews to hold late out of the windows, for a
// transaction to hold them; one that fails gives them back (keepLate).
func (s *Store) takeLate() map[int64]string {
	w := &s.windows
	w.mu.Lock()
	defer w.mu.Unlock()
	late := w.late
	w.late = nil
	return late
}

// keepLate gives back late, which a transaction that failed took.
func (s *Store) keepLate(late map[int64]string) {
	if len(late) == 0 {
		return
	}
	w := &s.windows
	w.mu.Lock()
	defer w.mu.Unlock()
	if w.late == nil {
		w.late = map[int64]string{}
	}
	for id, reason := range late {
		w.late[id] = reason
	}
}

// holdLate holds the reviews to hold late that no group commit took
// since the follower's last read, in a transaction of its own: a process
// that stores nothing more still holds what it learnt late.
func (s *Store) holdLate(ctx context.Context) error {
	late := s.takeLate()
	if len(late) == 0 {
		return nil
	}
	ru := s.newRollups()
	var suspect []any
	err := s.inRounds(ctx, func(run func([]stmt) error) ([]stmt, error) {
		if err := run(lateStmts(late, heldBack(ru, &suspect))); err != nil {
			return nil, err
		}
		return append(suspectStmts(suspect), ru.stmts()...), nil
	})
	if err != nil {
		s.keepLate(late)
		return fmt.Errorf("hold late: %w", err)
	}
	if ru.ended {
		s.dropMonths()
	}
	if ru.n > 0 {
		s.deltasCommitted()
	}
	return nil
}

// heldBack is what a hold statement does with each review it holds: its
// work order is suspected (suspect) and it leaves the rollups of ru.
func heldBack(ru *rollups, suspect *[]any) func(r *review.Review, out bool) {
	return func(r *review.Review, out bool) {
		*suspect = append(*suspect, r.ID)
		ru.reach(r)
		if !out {
			ru.add(r, -1)
		}
	}
}
