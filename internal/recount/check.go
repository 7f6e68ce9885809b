package recount

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"io"
	"maps"
	"math"
	"net/http"
	"net/url"
	"slices"
	"sort"
	"strings"
	"time"
)

// Check compares what the server at Server publishes with the
// recomputation over DB, the database it serves from.
type Check struct {
	Server string // the server's base URL
	Client *http.Client
	DB     *sql.DB
	// Now picks the standard periods. Each board is recounted as of the
	// time it publishes (computed_at), not as of Now: a board held for a
	// minute counts the orders due and the rating windows closed by the
	// time it was computed.
	Now     time.Time
	Workday func(day time.Time) bool
	Tags    []string
	// Periods are the periods checked; the standard ones at Now when empty.
	Periods [][2]time.Time
	// Token is a supervisor's API token, sent with every request: with it
	// the 12345 operators' own figures (GET /api/v1/operators, not
	// public) are checked too.
	Token string
}

// Difference is one field where the server and the recomputation differ.
type Difference struct {
	Period     string // from/to
	Scope      string
	Member     string
	Field      string
	Published  string
	Recomputed string
}

func (d Difference) String() string {
	return fmt.Sprintf("%s %s %s %s: published %s, recomputed %s", d.Period, d.Scope, d.Member, d.Field, d.Published, d.Recomputed)
}

// Result is what a check found.
type Result struct {
	Members     int  // members (and operators) compared, over every period and scope
	Operators   bool // the operators' own figures were compared (Check.Token)
	Requests    int  // requests made to the server
	Differences []Difference
}

// StandardPeriods are the periods the server keeps boards of, at now: the
// 30 days up to today and the month, quarter and year begun, to today.
func StandardPeriods(now time.Time) [][2]time.Time {
	today := midnight(now)
	month := time.Date(today.Year(), today.Month(), 1, 0, 0, 0, 0, zone)
	quarter := time.Date(today.Year(), today.Month()-(today.Month()-1)%3, 1, 0, 0, 0, 0, zone)
	year := time.Date(today.Year(), 1, 1, 0, 0, 0, 0, zone)
	return [][2]time.Time{{today.AddDate(0, 0, -29), today}, {month, today}, {quarter, today}, {year, today}}
}

// Run checks every public scope's board, page by page, over the standard
// periods, and each member's GET /api/v1/indicators over the first.
func (c Check) Run(ctx context.Context) (Result, error) {
	var res Result
	periods := c.Periods
	if len(periods) == 0 {
		periods = StandardPeriods(c.Now)
	}
	for i, p := range periods {
		from, to := p[0].Format(time.DateOnly), p[1].Format(time.DateOnly)
		var def struct {
			Definition Definition `json:"definition"`
		}
		if err := c.get(ctx, &res, "/api/v1/index/definition", url.Values{"period": {to}}, &def); err != nil {
			return res, err
		}
		for _, sc := range Scopes {
			recounts := map[int64]map[string]Member{} // by computed_at, in milliseconds
			recount := func(at time.Time) (map[string]Member, error) {
				if m, ok := recounts[at.UnixMilli()]; ok {
					return m, nil
				}
				m, err := Recount(ctx, c.DB, Period{Scope: sc, From: p[0], To: p[1], Now: at, Def: def.Definition, Workday: c.Workday, Tags: c.Tags})
				recounts[at.UnixMilli()] = m
				return m, err
			}
			got, at, err := c.board(ctx, &res, sc, from, to)
			if err != nil {
				return res, err
			}
			want, err := recount(at)
			if err != nil {
				return res, err
			}
			res.Members += len(want)
			where := Difference{Period: from + "/" + to, Scope: sc}
			compareBoard(&res, where, got, want)
			if i > 0 && sc != "city" {
				continue
			}
			// One member's figures are published on their own too, from the
			// board held when asked: recounted as of its time.
			for _, code := range slices.Sorted(maps.Keys(want)) {
				var e map[string]any
				q := url.Values{"scope": {sc}, "code": {code}, "from": {from}, "to": {to}}
				if err := c.get(ctx, &res, "/api/v1/indicators", q, &e); err != nil {
					return res, err
				}
				at, err := computedAt(e["computed_at"])
				if err != nil {
					return res, fmt.Errorf("GET /api/v1/indicators %s %s: %w", sc, code, err)
				}
				mine, err := recount(at)
				if err != nil {
					return res, err
				}
				where.Member = code
				compareEntry(&res, where, "indicators ", flatten(e), mine[code])
			}
		}
	}
	if c.Token != "" {
		res.Operators = true
		if err := c.checkOperators(ctx, &res); err != nil {
			return res, err
		}
	}
	return res, nil
}

// boardReads is how many times a board is read from its first page when
// its pages came from boards computed at different times.
const boardReads = 5

// board reads every page of a scope's board, following next_cursor, and
// the time it was computed at. Its pages must come from one computation:
// a board computed again while it is read is read again.
func (c Check) board(ctx context.Context, res *Result, sc, from, to string) ([]map[string]any, time.Time, error) {
	for range boardReads {
		var all []map[string]any
		var at time.Time
		q := url.Values{"scope": {sc}, "from": {from}, "to": {to}, "limit": {"5000"}}
		for {
			var page struct {
				Entries            []map[string]any `json:"entries"`
				InsufficientSample []map[string]any `json:"insufficient_sample"`
				NextCursor         string           `json:"next_cursor"`
				ComputedAt         any              `json:"computed_at"`
			}
			if err := c.get(ctx, res, "/api/v1/index", q, &page); err != nil {
				return nil, at, err
			}
			t, err := computedAt(page.ComputedAt)
			if err != nil {
				return nil, at, fmt.Errorf("GET /api/v1/index %s: %w", sc, err)
			}
			if at.IsZero() {
				at = t
			} else if !t.Equal(at) {
				break // computed again between two pages
			}
			all = append(append(all, page.Entries...), page.InsufficientSample...)
			if page.NextCursor == "" {
				return all, at, nil
			}
			q.Set("cursor", page.NextCursor)
		}
	}
	return nil, time.Time{}, fmt.Errorf("board %s %s/%s: computed again while read, %d times", sc, from, to, boardReads)
}

// computedAt reads a published computed_at.
func computedAt(v any) (time.Time, error) {
	s, ok := v.(string)
	if !ok {
		return time.Time{}, fmt.Errorf("computed_at: want a time, got %v", v)
	}
	t, err := time.Parse(time.RFC3339Nano, s)
	if err != nil {
		return t, fmt.Errorf("computed_at: %w", err)
	}
	return t, nil
}

func (c Check) get(ctx context.Context, res *Result, path string, q url.Values, into any) error {
	u := strings.TrimSuffix(c.Server, "/") + path + "?" + q.Encode()
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, u, nil)
	if err != nil {
		return err
	}
	if c.Token != "" {
		req.Header.Set("Authorization", "Bearer "+c.Token)
	}
	client := c.Client
	if client == nil {
		client = http.DefaultClient
	}
	resp, err := client.Do(req)
	if err != nil {
		return fmt.Errorf("GET %s: %w", u, err)
	}
	defer resp.Body.Close()
	res.Requests++
	body, err := io.ReadAll(resp.Body)
	if err != nil {
		return fmt.Errorf("GET %s: %w", u, err)
	}
	if resp.StatusCode != http.StatusOK {
		return fmt.Errorf("GET %s: %s: %s", u, resp.Status, body)
	}
	if err := json.Unmarshal(body, into); err != nil {
		return fmt.Errorf("GET %s: %w", u, err)
	}
	return nil
}

// compareBoard compares a published board, in its order, with the
// recomputed members: the same members, in the same order, with the same
// ranks and figures.
func compareBoard(res *Result, where Difference, published []map[string]any, want map[string]Member) {
	seen := map[string]bool{}
	for _, e := range published {
		code, _ := e["code"].(string)
		d := where
		d.Member = code
		if seen[code] {
			d.Field, d.Published, d.Recomputed = "code", "listed twice", "once"
			res.Differences = append(res.Differences, d)
			continue
		}
		seen[code] = true
		m, ok := want[code]
		if !ok {
			d.Field, d.Published, d.Recomputed = "code", "listed", "not a member"
			res.Differences = append(res.Differences, d)
			continue
		}
		compareEntry(res, d, "", flatten(e), m)
	}
	order := Order(want)
	for i, code := range order {
		d := where
		d.Member = code
		if !seen[code] {
			d.Field, d.Published, d.Recomputed = "code", "not listed", fmt.Sprintf("n=%s", want[code]["n"])
			res.Differences = append(res.Differences, d)
			continue
		}
		if i < len(published) && published[i]["code"] != code {
			d.Field, d.Published, d.Recomputed = "place", fmt.Sprint(published[i]["code"]), fmt.Sprintf("%s at place %d", code, i+1)
			res.Differences = append(res.Differences, d)
		}
	}
	ranks := Ranks(want, order)
	for _, e := range published {
		code, _ := e["code"].(string)
		r, ok := ranks[code]
		if !ok {
			continue
		}
		got, _ := e["rank"].(float64) // absent: not ranked
		if int(got) != r {
			d := where
			d.Member, d.Field, d.Published, d.Recomputed = code, "rank", fmt.Sprint(got), fmt.Sprint(r)
			res.Differences = append(res.Differences, d)
		}
	}
}

// compareEntry compares every recomputed figure of m, and every published
// tag, dimension and channel, with the published entry's fields.
func compareEntry(res *Result, where Difference, prefix string, published map[string]*float64, m Member) {
	fields := map[string]bool{}
	for path := range m {
		fields[path] = true
	}
	for path := range published {
		for _, open := range []string{"indicators.tags.", "indicators.dimensions.", "indicators.participation.", "indicators.causes."} {
			if strings.HasPrefix(path, open) {
				fields[path] = true
			}
		}
	}
	for _, path := range slices.Sorted(maps.Keys(fields)) {
		f := m[path]
		if f.Places == 0 && f.Value == nil {
			f.Places = -1 // a map key not recomputed: null
		}
		if !f.Agrees(published[path]) {
			d := where
			d.Field, d.Published, d.Recomputed = prefix+path, Figure{Value: published[path], Places: -1}.String(), f.String()
			res.Differences = append(res.Differences, d)
		}
	}
}

// flatten turns a published entry into its numeric fields by path; a
// boolean is 1 or 0, null is nil.
func flatten(v map[string]any) map[string]*float64 {
	out := map[string]*float64{}
	var walk func(path string, v any)
	walk = func(path string, v any) {
		switch x := v.(type) {
		case map[string]any:
			for k, y := range x {
				p := k
				if path != "" {
					p = path + "." + k
				}
				walk(p, y)
			}
		case float64:
			out[path] = &x
		case bool:
			f := 0.0
			if x {
				f = 1
			}
			out[path] = &f
		case nil:
			out[path] = nil
		}
	}
	walk("", v)
	return out
}

// Order is the board's order of the members: by index rounded to two
// places, highest first, those under the minimum sample after; ties by
// more reviews, then by code.
func Order(ms map[string]Member) []string {
	codes := slices.Collect(maps.Keys(ms))
	sort.Slice(codes, func(i, j int) bool {
		a, b := ms[codes[i]], ms[codes[j]]
		ai, bi := rounded(a.Index()), rounded(b.Index())
		switch {
		case (ai == nil) != (bi == nil):
			return ai != nil
		case ai != nil && *ai != *bi:
			return *ai > *bi
		case a.N() != b.N():
			return a.N() > b.N()
		}
		return codes[i] < codes[j]
	})
	return codes
}

// Ranks are the members' ranks in order: equal rounded indexes share one
// (1, 2, 2, 4); 0 for a member under the minimum sample.
func Ranks(ms map[string]Member, order []string) map[string]int {
	out := map[string]int{}
	for i, code := range order {
		x := rounded(ms[code].Index())
		switch {
		case x == nil:
			out[code] = 0
		case i > 0 && rounded(ms[order[i-1]].Index()) != nil && *rounded(ms[order[i-1]].Index()) == *x:
			out[code] = out[order[i-1]]
		default:
			out[code] = i + 1
		}
	}
	return out
}

func rounded(x *float64) *float64 {
	if x == nil {
		return nil
	}
	r := math.Round(*x*100) / 100
	return &r
}
