package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/haocha/haocha/internal/alert"
	"github.com/haocha/haocha/internal/apperr"
	"github.com/haocha/haocha/internal/audit"
	"github.com/haocha/haocha/internal/i18n"
	"github.com/haocha/haocha/internal/index"
	"github.com/haocha/haocha/internal/report"
	"github.com/haocha/haocha/internal/review"
)

// AlertRules returns every concentration rule, in the order they were added.
func (s *Store) AlertRules(ctx context.Context) ([]index.Rule, error) {
	rows, err := s.query(ctx, "SELECT id, kind, window_days, threshold, min_n, enabled FROM alert_rules ORDER BY id")
	if err != nil {
		return nil, fmt.Errorf("alert rules: %w", err)
	}
	defer rows.Close()
	var out []index.Rule
	for rows.Next() {
		var r index.Rule
		var kind string
		if err := rows.Scan(&r.ID, &kind, &r.Window, &r.Threshold, &r.MinN, &r.Enabled); err != nil {
			return nil, err
		}
		r.Kind = index.RuleKind(kind)
		out = append(out, r)
	}
	return out, rows.Err()
}

func ruleNote(r index.Rule) string {
	b, _ := json.Marshal(r)
	return string(b)
}

// AddAlertRule stores a new rule and sets its ID.
func (s *Store) AddAlertRule(ctx context.Context, r *index.Rule, actor string) error {
	now := s.Now()
	return s.inTx(ctx, func(t tx) error {
		if err := t.queryRow(ctx, `INSERT INTO alert_rules (kind, window_days, threshold, min_n, enabled, updated_at)
			VALUES (?, ?, ?, ?, ?, ?) RETURNING id`, string(r.Kind), r.Window, r.Threshold, r.MinN, r.Enabled, millis(now)).Scan(&r.ID); err != nil {
			return fmt.Errorf("add alert rule: %w", err)
		}
		return s.appendAudit(ctx, t, audit.Entry{At: now, Actor: actor, Action: "alert_rule_added", Note: ruleNote(*r)})
	})
}

// UpdateAlertRule replaces rule r.ID, auditing the rule before and after.
func (s *Store) UpdateAlertRule(ctx context.Context, r index.Rule, actor string) error {
	now := s.Now()
	return s.inTx(ctx, func(t tx) error {
		var old index.Rule
		var kind string
		err := t.queryRow(ctx, "SELECT id, kind, window_days, threshold, min_n, enabled FROM alert_rules WHERE id = ?", r.ID).
			Scan(&old.ID, &kind, &old.Window, &old.Threshold, &old.MinN, &old.Enabled)
		if isNoRows(err) {
			return apperr.NotFoundf("rule", "no alert rule %d", r.ID)
		} else if err != nil {
			return err
		}
		old.Kind = index.RuleKind(kind)
		if _, err := t.exec(ctx, `UPDATE alert_rules SET window_days = ?, threshold = ?, min_n = ?, enabled = ?, updated_at = ?
			WHERE id = ?`, r.Window, r.Threshold, r.MinN, r.Enabled, millis(now), r.ID); err != nil {
			return fmt.Errorf("update alert rule: %w", err)
		}
		return s.appendAudit(ctx, t, audit.Entry{At: now, Actor: actor, Action: "alert_rule_changed",
			Note: ruleNote(old) + " -> " + ruleNote(r)})
	})
}

// hour is the span good reviews are summed over for the rate rule (the
// query spells it out as 3600000).
const hour = int64(time.Hour / time.Millisecond)

// badFactsQuery and goodFactsQuery are AlertFacts' reads: the bad
// reviews through the partial index reviews_bad_created, the others by
// time (reviews_created). The hour is written out in goodFactsQuery:
// PostgreSQL groups by an expression only when it is the same text, and
// two placeholders are two texts.
const (
	badFactsQuery = `SELECT id, created_at, unit, item, COALESCE(hall, ''), COALESCE(workstation, ''),
		COALESCE(staff, ''), stars, tags FROM reviews
		WHERE stars <= 2 AND created_at >= ? AND excluded IS NULL AND held IS NULL AND superseded IS NULL ORDER BY created_at, id`
	goodFactsQuery = `SELECT unit, created_at / 3600000, COUNT(*) FROM reviews
		WHERE stars > 2 AND created_at >= ? AND excluded IS NULL AND held IS NULL AND superseded IS NULL GROUP BY unit, created_at / 3600000`
)

// AlertFacts returns the bad reviews counted in the index since since,
// oldest first, and with good the others as one fact per unit and hour,
// placed at the hour's last millisecond: the rate rule needs only their
// number, and a sweep must not load every review of a month.
func (s *Store) AlertFacts(ctx context.Context, since time.Time, good bool) ([]index.Fact, error) {
	rows, err := s.query(ctx, badFactsQuery, millis(since))
	if err != nil {
		return nil, fmt.Errorf("alert facts: %w", err)
	}
	var out []index.Fact
	for rows.Next() {
		var f index.Fact
		var at int64
		var tags review.TagSet
		if err := rows.Scan(&f.ID, &at, &f.Unit, &f.Item, &f.Hall, &f.Workstation, &f.Staff, &f.Stars, &tags); err != nil {
			rows.Close()
			return nil, err
		}
		f.At = fromMillis(at)
		for _, t := range tags.List() {
			f.Tags = append(f.Tags, string(t))
		}
		out = append(out, f)
	}
	rows.Close()
	if err := rows.Err(); err != nil || !good {
		return out, err
	}
	rows, err = s.query(ctx, goodFactsQuery, millis(since))
	if err != nil {
		return nil, fmt.Errorf("alert facts: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		f := index.Fact{Stars: 5}
		var h int64
		if err := rows.Scan(&f.Unit, &h, &f.N); err != nil {
			return nil, err
		}
		f.At = fromMillis((h+1)*hour - 1)
		out = append(out, f)
	}
	return out, rows.Err()
}

const alertCols = `id, alert_key, rule, kind, group_codes, unit, crossed_at, bad_count, n, rate, city_rate, state,
	acknowledged_at, acknowledged_by, resolved_at, resolved_by, note, supervised_at, supervised_by, supervision_note,
	created_at, updated_at, version,
	EXISTS (SELECT 1 FROM alert_reviews ar JOIN reviews r ON r.id = ar.review WHERE ar.alert = alerts.id AND r.anonymous)`

func scanAlert(row scanner) (*alert.Alert, error) {
	var a alert.Alert
	var kind, group, state string
	var crossed, created, updated int64
	var ack, res, sup sql.NullInt64
	if err := row.Scan(&a.ID, &a.Key, &a.Rule, &kind, &group, &a.Unit, &crossed, &a.Count, &a.N, &a.Rate, &a.CityRate, &state,
		&ack, &a.AcknowledgedBy, &res, &a.ResolvedBy, &a.Note, &sup, &a.SupervisedBy, &a.SupervisionNote,
		&created, &updated, &a.Version, &a.Anonymous); err != nil {
		return nil, err
	}
	a.Kind, a.Group, a.State = index.RuleKind(kind), strings.Split(group, "|"), alert.State(state)
	a.At, a.CreatedAt, a.UpdatedAt = fromMillis(crossed), fromMillis(created), fromMillis(updated)
	a.AcknowledgedAt, a.ResolvedAt, a.SupervisedAt = optTime(ack), optTime(res), optTime(sup)
	return &a, nil
}

// RaiseAlerts stores the alerts whose keys are new, in one transaction,
// each with its reviews, an alert_opened notification and an audit row.
// A key already stored (by an earlier sweep, or another process) is
// skipped: the unique key is what raises a finding once.
func (s *Store) RaiseAlerts(ctx context.Context, as []*alert.Alert) ([]*alert.Alert, error) {
	var raised []*alert.Alert
	err := s.inTx(ctx, func(t tx) error {
		raised = raised[:0]
		for _, a := range as {
			err := t.queryRow(ctx, `INSERT INTO alerts (alert_key, rule, kind, group_codes, unit, crossed_at, bad_count, n, rate,
				city_rate, state, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
				ON CONFLICT (alert_key) DO NOTHING RETURNING id`, a.Key, a.Rule, string(a.Kind), strings.Join(a.Group, "|"),
				a.Unit, millis(a.At), a.Count, a.N, a.Rate, a.CityRate, string(a.State), millis(a.CreatedAt), millis(a.UpdatedAt)).Scan(&a.ID)
			if isNoRows(err) {
				continue
			} else if err != nil {
				return fmt.Errorf("raise alert %s: %w", a.Key, err)
			}
			for _, r := range a.Reviews {
				if _, err := t.exec(ctx, "INSERT INTO alert_reviews (alert, review) VALUES (?, ?)", a.ID, r); err != nil {
					return fmt.Errorf("alert %d review: %w", a.ID, err)
				}
			}
			payload, err := json.Marshal(a.Notice(a.CreatedAt))
			if err != nil {
				return err
			}
			// An alert's notice names no work order: 0 stands for none.
			if _, err := t.exec(ctx, `INSERT INTO notifications (event, work_order, payload, created_at, next_at) VALUES (?, 0, ?, ?, ?)`,
				"alert_opened", string(payload), millis(a.CreatedAt), millis(a.CreatedAt)); err != nil {
				return fmt.Errorf("queue alert notice: %w", err)
			}
			if err := s.appendAudit(ctx, t, audit.Entry{At: a.CreatedAt, Actor: "scheduler", Action: "alert_opened",
				To: string(alert.Open), Note: fmt.Sprintf("alert %d: %s", a.ID, a.Key)}); err != nil {
				return err
			}
			raised = append(raised, a)
		}
		return nil
	})
	return raised, err
}

const stateRank = "CASE state WHEN 'open' THEN 0 WHEN 'acknowledged' THEN 1 ELSE 2 END"

// Alerts lists alerts open first, then by the time they name (when the
// review that crossed the threshold came), newest first, a page at a
// time; next is the cursor of the following page, empty after the last.
func (s *Store) Alerts(ctx context.Context, f alert.Filter) ([]*alert.Alert, string, error) {
	var where []string
	var args []any
	if f.State != "" {
		where, args = append(where, "state = ?"), append(args, string(f.State))
	}
	if f.Unit != "" {
		where, args = append(where, "unit = ?"), append(args, f.Unit)
	}
	if f.Supervised {
		where = append(where, "supervised_at IS NOT NULL")
	}
	if f.Cursor != "" {
		c, err := parseCursor(f.Cursor)
		if err != nil {
			return nil, "", err
		}
		where = append(where, "("+stateRank+" > ? OR ("+stateRank+" = ? AND (crossed_at < ? OR (crossed_at = ? AND id < ?))))")
		args = append(args, c.rank, c.rank, c.at, c.at, c.id)
	}
	limit := f.Limit
	if limit <= 0 {
		limit = 50
	}
	q := "SELECT " + alertCols + ", " + stateRank + " FROM alerts"
	if len(where) > 0 {
		q += " WHERE " + strings.Join(where, " AND ")
	}
	rows, err := s.query(ctx, q+" ORDER BY "+stateRank+", crossed_at DESC, id DESC LIMIT ?", append(args, limit+1)...)
	if err != nil {
		return nil, "", fmt.Errorf("alerts: %w", err)
	}
	defer rows.Close()
	var out []*alert.Alert
	var ranks []int
	for rows.Next() {
		var rank int
		a, err := scanAlert(scanFunc(func(dest ...any) error { return rows.Scan(append(dest, &rank)...) }))
		if err != nil {
			return nil, "", err
		}
		out, ranks = append(out, a), append(ranks, rank)
	}
	if err := rows.Err(); err != nil {
		return nil, "", err
	}
	next := ""
	if len(out) > limit {
		out = out[:limit]
		last := out[limit-1]
		next = fmt.Sprintf("%d.%d.%d", ranks[limit-1], millis(last.At), last.ID)
	}
	return out, next, nil
}

// alertCursor is a place in the list of alerts: the last row's key.
type alertCursor struct {
	rank   int
	at, id int64
}

func parseCursor(c string) (alertCursor, error) {
	var k alertCursor
	parts := strings.Split(c, ".")
	bad := apperr.New(apperr.Malformed, "cursor", "not a cursor this list gave")
	if len(parts) != 3 {
		return k, bad
	}
	rank, e1 := strconv.Atoi(parts[0])
	at, e2 := strconv.ParseInt(parts[1], 10, 64)
	id, e3 := strconv.ParseInt(parts[2], 10, 64)
	if e1 != nil || e2 != nil || e3 != nil || rank < 0 || rank > 2 {
		return k, bad
	}
	return alertCursor{rank, at, id}, nil
}

// WithdrawnAlerts returns the alerts that crossed since since of which a
// review has since left the index: excluded (an upheld appeal), held as
// suspected, or replaced by a later review. Their reviews are not read.
func (s *Store) WithdrawnAlerts(ctx context.Context, since time.Time) ([]*alert.Alert, error) {
	rows, err := s.query(ctx, "SELECT "+alertCols+` FROM alerts WHERE crossed_at >= ? AND id IN (SELECT ar.alert FROM alert_reviews ar
		JOIN reviews r ON r.id = ar.review WHERE r.excluded IS NOT NULL OR r.held IS NOT NULL OR r.superseded IS NOT NULL)`, millis(since))
	if err != nil {
		return nil, fmt.Errorf("withdrawn alerts: %w", err)
	}
	defer rows.Close()
	var out []*alert.Alert
	for rows.Next() {
		a, err := scanAlert(rows)
		if err != nil {
			return nil, fmt.Errorf("withdrawn alerts: %w", err)
		}
		out = append(out, a)
	}
	return out, rows.Err()
}

// Alert returns one alert with the ids of its reviews.
func (s *Store) Alert(ctx context.Context, id int64) (*alert.Alert, error) {
	a, err := scanAlert(s.queryRow(ctx, "SELECT "+alertCols+" FROM alerts WHERE id = ?", id))
	if isNoRows(err) {
		return nil, apperr.NotFoundf("alert", "no such alert")
	} else if err != nil {
		return nil, fmt.Errorf("alert %d: %w", id, err)
	}
	rows, err := s.query(ctx, "SELECT review FROM alert_reviews WHERE alert = ? ORDER BY review", id)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	for rows.Next() {
		var r int64
		if err := rows.Scan(&r); err != nil {
			return nil, err
		}
		a.Reviews = append(a.Reviews, r)
	}
	return a, rows.Err()
}

// AlertReviews returns what an alert shows of its reviews, oldest first,
// with the names of item, stage and hall; never the reviewer.
func (s *Store) AlertReviews(ctx context.Context, id int64) ([]alert.Review, error) {
	rows, err := s.query(ctx, `SELECT r.id, r.created_at, r.channel, r.item, COALESCE(i.name_zh, r.item), r.stage,
		COALESCE(st.name_zh, r.stage), COALESCE(r.hall, ''), COALESCE(h.name_zh, ''), COALESCE(r.workstation, ''),
		r.stars, r.tags, r.comment, COALESCE(i.name_en, ''), COALESCE(st.name_en, ''), COALESCE(h.name_en, ''), COALESCE(o.number, ''), r.anonymous
		FROM alert_reviews ar JOIN reviews r ON r.id = ar.review
		LEFT JOIN work_orders o ON o.review = r.id
		LEFT JOIN items i ON i.code = r.item
		LEFT JOIN stages st ON st.item = r.item AND st.code = r.stage
		LEFT JOIN halls h ON h.code = r.hall
		WHERE ar.alert = ? ORDER BY r.created_at, r.id`, id)
	if err != nil {
		return nil, fmt.Errorf("alert %d reviews: %w", id, err)
	}
	defer rows.Close()
	var out []alert.Review
	for rows.Next() {
		var v alert.Review
		var at int64
		var ch string
		var tags review.TagSet
		if err := rows.Scan(&v.ID, &at, &ch, &v.Item, &v.ItemName, &v.Stage, &v.StageName, &v.Hall, &v.HallName,
			&v.Workstation, &v.Stars, &tags, &v.Comment, &v.ItemNameEN, &v.StageNameEN, &v.HallNameEN, &v.Order, &v.Anonymous); err != nil {
			return nil, err
		}
		v.CreatedAt, v.Channel, v.Tags = fromMillis(at), review.Channel(ch), tags.List()
		out = append(out, v)
	}
	return out, rows.Err()
}

// ChangeAlert applies fn to alert id and saves it if its version is still
// the one read, with an audit row of the change.
func (s *Store) ChangeAlert(ctx context.Context, id int64, actor string, act alert.Action, fn func(*alert.Alert) error) (*alert.Alert, error) {
	var a *alert.Alert
	err := s.inTx(ctx, func(t tx) error {
		var err error
		a, err = scanAlert(t.queryRow(ctx, "SELECT "+alertCols+" FROM alerts WHERE id = ?", id))
		if isNoRows(err) {
			return apperr.NotFoundf("alert", "no such alert")
		} else if err != nil {
			return err
		}
		from := a.State
		if err := fn(a); err != nil {
			return err
		}
		res, err := t.exec(ctx, `UPDATE alerts SET state = ?, acknowledged_at = ?, acknowledged_by = ?, resolved_at = ?,
			resolved_by = ?, note = ?, supervised_at = ?, supervised_by = ?, supervision_note = ?, updated_at = ?,
			version = version + 1 WHERE id = ? AND version = ?`, string(a.State), optMillis(a.AcknowledgedAt), a.AcknowledgedBy,
			optMillis(a.ResolvedAt), a.ResolvedBy, a.Note, optMillis(a.SupervisedAt), a.SupervisedBy, a.SupervisionNote,
			millis(a.UpdatedAt), a.ID, a.Version)
		if err != nil {
			return fmt.Errorf("save alert %d: %w", id, err)
		}
		if n, _ := res.RowsAffected(); n != 1 {
			return apperr.New(apperr.Conflict, "alert", "alert %d was changed by someone else: reload and try again", id)
		}
		a.Version++
		note := fmt.Sprintf("alert %d", a.ID)
		switch act {
		case alert.Resolve:
			note += ": " + a.Note
		case alert.Supervise:
			note += " of unit " + a.Unit + ", marked for the year-end assessment: " + a.SupervisionNote
		}
		return s.appendAudit(ctx, t, audit.Entry{At: a.UpdatedAt, Actor: actor, Action: "alert_" + string(act),
			From: string(from), To: string(a.State), Note: note})
	})
	if err != nil {
		return nil, err
	}
	return a, nil
}

// NameEN ends the key of a name in English in AlertNames' answer.
const NameEN = "@en"

// AlertNames returns the names of what alerts group by and of their units,
// keyed "unit:CODE", "item:CODE", "hall:CODE", "workstation:CODE",
// "staff:CODE": consoles show names, never codes. Staff names are for
// the staff roles that read alerts, never published.
func (s *Store) AlertNames(ctx context.Context, as []*alert.Alert) (map[string]string, error) {
	want := map[string]map[string]bool{}
	add := func(kind, code string) {
		if code == "" {
			return
		}
		if want[kind] == nil {
			want[kind] = map[string]bool{}
		}
		want[kind][code] = true
	}
	for _, a := range as {
		add("unit", a.Unit)
		g := a.Group
		switch a.Kind {
		case index.RuleUnitItem:
			add("unit", g[0])
			if len(g) > 1 {
				add("item", g[1])
			}
		case index.RuleUnitBadRate:
			add("unit", g[0])
		case index.RuleWorkstation:
			add("workstation", g[0])
		case index.RuleStaff:
			add("staff", g[0])
		case index.RuleHallTag:
			add("hall", g[0])
		}
	}
	// Each name also in English (key + NameEN) where the catalogue has one.
	queries := map[string]string{"unit": "SELECT code, name_zh, name_en FROM units", "item": "SELECT code, name_zh, name_en FROM items",
		"hall": "SELECT code, name_zh, name_en FROM halls", "staff": "SELECT code, name, '' FROM staff",
		"workstation": `SELECT w.code, h.name_zh || ' ' || w.name, CASE WHEN h.name_en <> '' AND w.name_en <> '' THEN h.name_en || ' ' || w.name_en ELSE '' END
			FROM workstations w JOIN windows wi ON wi.code = w.window_code JOIN halls h ON h.code = wi.hall`}
	out := map[string]string{}
	for kind, codes := range want {
		args := make([]any, 0, len(codes))
		for c := range codes {
			args = append(args, c)
		}
		col := "code"
		if kind == "workstation" {
			col = "w.code"
		}
		q := queries[kind] + " WHERE " + col + " IN (" + placeholders(len(args)) + ")"
		rows, err := s.query(ctx, q, args...)
		if err != nil {
			return nil, fmt.Errorf("alert names: %w", err)
		}
		for rows.Next() {
			var code, name, en string
			if err := rows.Scan(&code, &name, &en); err != nil {
				rows.Close()
				return nil, err
			}
			out[kind+":"+code] = name
			if en != "" {
				out[kind+":"+code+NameEN] = en
			}
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return nil, err
		}
	}
	return out, nil
}

// CountAlerts counts the alerts in state.
func (s *Store) CountAlerts(ctx context.Context, state alert.State) (int, error) {
	var n int
	if err := s.queryRow(ctx, "SELECT COUNT(*) FROM alerts WHERE state = ?", string(state)).Scan(&n); err != nil {
		return 0, fmt.Errorf("count alerts: %w", err)
	}
	return n, nil
}

// AlertsBetween lists the alerts raised for reviews of [from, to), oldest
// first, as the periodic report names them.
func (s *Store) AlertsBetween(ctx context.Context, from, to time.Time) ([]report.Alert, error) {
	rows, err := s.query(ctx, "SELECT "+alertCols+" FROM alerts WHERE crossed_at >= ? AND crossed_at < ? ORDER BY crossed_at, id",
		millis(from), millis(to))
	if err != nil {
		return nil, fmt.Errorf("alerts of the period: %w", err)
	}
	var as []*alert.Alert
	for rows.Next() {
		a, err := scanAlert(rows)
		if err != nil {
			rows.Close()
			return nil, err
		}
		as = append(as, a)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, err
	}
	names, err := s.AlertNames(ctx, as)
	if err != nil {
		return nil, err
	}
	out := make([]report.Alert, 0, len(as))
	for _, a := range as {
		out = append(out, report.Alert{Kind: string(a.Kind), Group: alertGroup(a, names, i18n.ZH), GroupEN: alertGroup(a, names, i18n.EN),
			Opened: a.At, Reviews: a.Count, State: string(a.State)})
	}
	return out, nil
}

// alertGroup names what an alert concerns: unit and item, workstation,
// staff member, or hall and problem, in l: English names where they have
// one, the Chinese otherwise.
func alertGroup(a *alert.Alert, names map[string]string, l i18n.Lang) string {
	name := func(kind, code string) string {
		if n := names[kind+":"+code+NameEN]; l == i18n.EN && n != "" {
			return n
		}
		if n := names[kind+":"+code]; n != "" {
			return n
		}
		return code
	}
	g := a.Group
	switch {
	case a.Kind == index.RuleUnitItem && len(g) > 1:
		return name("unit", g[0]) + " · " + name("item", g[1])
	case a.Kind == index.RuleHallTag && len(g) > 1:
		return name("hall", g[0]) + " · " + l.T("tag."+g[1])
	case len(g) > 0:
		kind := map[index.RuleKind]string{index.RuleWorkstation: "workstation", index.RuleStaff: "staff"}[a.Kind]
		if kind == "" {
			kind = "unit"
		}
		return name(kind, g[0])
	}
	return name("unit", a.Unit)
}
