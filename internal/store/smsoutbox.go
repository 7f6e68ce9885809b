package store

// The SMS outbox (sms.Queue): messages sealed at rest, emptied once sent.

import (
	"cmp"
	"context"
	"fmt"
	"maps"
	"slices"
	"strings"
	"time"

	"github.com/haocha/haocha/internal/review"
	"github.com/haocha/haocha/internal/sms"
)

// never is a next_at no clock reaches: a message given up.
const never = 1<<62 - 1

// QueueSMS stores m sealed, due at due, and returns its id; a text its
// phone's limits refuse is stored as refused and the error is a
// *sms.Refused.
func (s *Store) QueueSMS(ctx context.Context, m sms.Message, now, due time.Time) (int64, error) {
	var id int64
	var refused string
	err := s.inTx(ctx, func(t tx) error {
		var err error
		id, refused, err = s.queueSMS(ctx, t, m, now, due)
		return err
	})
	if err == nil && refused != "" {
		return id, &sms.Refused{ID: id, Purpose: m.Purpose, Reason: refused}
	}
	return id, err
}

// HoldSMS stores m sealed for the held review, never due: releasing the
// review makes it due, rejecting it gives it up (decideOne). A text its
// phone's limits refuse is stored as refused, as by QueueSMS.
func (s *Store) HoldSMS(ctx context.Context, m sms.Message, now time.Time, review int64) (int64, error) {
	var id int64
	var refused string
	err := s.inTx(ctx, func(t tx) error {
		var err error
		if id, refused, err = s.queueSMS(ctx, t, m, now, fromMillis(never)); err != nil {
			return err
		}
		_, err = t.exec(ctx, "UPDATE sms_outbox SET held_review = ? WHERE id = ?", review, id)
		return err
	})
	if err == nil && refused != "" {
		return id, &sms.Refused{ID: id, Purpose: m.Purpose, Reason: refused}
	}
	return id, err
}

// queueSMS stores m in t, so that what causes a message and the message
// commit together. Every text passes here, so here its phone's limits
// (SMSLimits) and opt-out are applied: a refused text is stored without
// phone or text, never due, with why it was refused, which is returned.
func (s *Store) queueSMS(ctx context.Context, t tx, m sms.Message, now, due time.Time) (int64, string, error) {
	key, err := s.Secret(ctx, "sms_optout")
	if err != nil {
		return 0, "", err
	}
	hash := sms.PhoneHash(key, review.NormalizePhone(m.Phone))
	refused, err := s.smsRefusal(ctx, t, m, hash, now)
	if err != nil {
		return 0, "", fmt.Errorf("queue sms: %w", err)
	}
	phone, text, next := "", "", millis(due)
	if refused == "" {
		if phone, err = s.Keys.Seal("sms_phone", m.Phone); err != nil {
			return 0, "", err
		}
		if text, err = s.Keys.Seal("sms_text", m.Text); err != nil {
			return 0, "", err
		}
	} else {
		next = never
	}
	var id int64
	if err := t.queryRow(ctx, `INSERT INTO sms_outbox (purpose, phone, text, created_at, next_at, phone_hash, refused)
		VALUES (?, ?, ?, ?, ?, ?, ?) RETURNING id`, string(m.Purpose), phone, text, millis(now), next, hash, refused).Scan(&id); err != nil {
		return 0, "", fmt.Errorf("queue sms: %w", err)
	}
	return id, refused, nil
}

// smsRefusal says why m, to the phone of hash, is not to be sent at now
// ("" when it is). The phone's lock is held to the end of t, so that texts
// racing to one phone are counted one after another.
func (s *Store) smsRefusal(ctx context.Context, t tx, m sms.Message, hash string, now time.Time) (string, error) {
	if err := s.xactLock(ctx, t, Lock{classSMSPhone, hashKey(hash)}); err != nil {
		return "", err
	}
	var opted int
	if err := t.queryRow(ctx, "SELECT COUNT(*) FROM sms_optouts WHERE phone_hash = ?", hash).Scan(&opted); err != nil {
		return "", err
	}
	l := s.SMSLimits.Or()
	var day, burst int
	if err := t.queryRow(ctx, `SELECT COUNT(*), COALESCE(SUM(CASE WHEN created_at > ? THEN 1 ELSE 0 END), 0)
		FROM sms_outbox WHERE phone_hash = ? AND refused = '' AND created_at > ?`,
		millis(now.Add(-l.BurstWindow)), hash, millis(now.Add(-sms.Day))).Scan(&day, &burst); err != nil {
		return "", err
	}
	return l.Refuse(m, opted > 0, day, burst), nil
}

// hashKey picks a lock within a class from a hex hash.
func hashKey(hash string) int32 {
	var k uint32
	for i := 0; i < 8 && i < len(hash); i++ {
		k = k<<4 | uint32(unhex(hash[i]))
	}
	return int32(k)
}

func unhex(c byte) byte {
	switch {
	case c >= '0' && c <= '9':
		return c - '0'
	case c >= 'a' && c <= 'f':
		return c - 'a' + 10
	}
	return 0
}

// DueSMS returns up to limit messages due at now, opened, oldest first. A
// message no key of the ring opens (its key was taken out of the ring) is
// given up, so that it cannot hold the others back.
func (s *Store) DueSMS(ctx context.Context, now time.Time, limit int) ([]sms.Queued, error) {
	rows, err := s.query(ctx, `SELECT id, purpose, phone, text, attempts FROM sms_outbox
		WHERE sent_at IS NULL AND next_at <= ? ORDER BY id LIMIT ?`, millis(now), limit)
	if err != nil {
		return nil, fmt.Errorf("due sms: %w", err)
	}
	var out []sms.Queued
	shut := map[int64]string{}
	for rows.Next() {
		var q sms.Queued
		var purpose, phone, text string
		if err := rows.Scan(&q.ID, &purpose, &phone, &text, &q.Attempts); err != nil {
			rows.Close()
			return nil, err
		}
		q.Purpose = sms.Purpose(purpose)
		q.Phone, err = s.Keys.Open("sms_phone", phone)
		if err == nil {
			q.Text, err = s.Keys.Open("sms_text", text)
		}
		if err != nil {
			shut[q.ID] = err.Error()
			continue
		}
		out = append(out, q)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, err
	}
	for id, why := range shut {
		if err := s.SMSFailed(ctx, id, time.Time{}, why); err != nil {
			return nil, err
		}
	}
	return out, nil
}

// SMSSent marks a message delivered and forgets its phone and text.
func (s *Store) SMSSent(ctx context.Context, id int64, now time.Time) error {
	_, err := s.w.ExecContext(ctx, s.rebind(`UPDATE sms_outbox SET sent_at = ?, attempts = attempts + 1,
		phone = '', text = '', last_error = '' WHERE id = ?`), millis(now), id)
	if err != nil {
		return fmt.Errorf("sms %d sent: %w", id, err)
	}
	return nil
}

// SMSFailed records a failed attempt and when to try again; a zero retry
// gives up and forgets the phone and text.
func (s *Store) SMSFailed(ctx context.Context, id int64, retry time.Time, why string) error {
	q := "UPDATE sms_outbox SET attempts = attempts + 1, next_at = ?, last_error = ? WHERE id = ?"
	next := millis(retry)
	if retry.IsZero() {
		q = "UPDATE sms_outbox SET attempts = attempts + 1, next_at = ?, last_error = ?, phone = '', text = '' WHERE id = ?"
		next = never
	}
	if _, err := s.w.ExecContext(ctx, s.rebind(q), next, why, id); err != nil {
		return fmt.Errorf("sms %d failed: %w", id, err)
	}
	return nil
}

// A review's follow-up link is queued by the group commit that stores the
// review, in its transaction (groupTexts): an acknowledged review's text
// is in the outbox, a review the group holds has its text held with it,
// and a group's texts cost one statement (a few, cut to shapes), not a
// write transaction each.

// groupText is the text a review of a group is due.
type groupText struct {
	req  int // the request of the group it is for
	m    sms.Message
	held int64 // the held review it waits for; 0 when due
	out  sms.Stored
}

// groupTexts are the statements that queue texts, at now, as queueSMS
// does one: the phone limits (Limits.Refuse) are applied in SQL, counting
// the texts each phone had before and those of the statement before it
// (nth), so that a group reads nothing before it writes. A text refused is
// stored without phone or text, never due. finish, once the statements
// have run, sets each text's out: its outbox id and refusal. They go after
// everything else of the group, on PostgreSQL the phones' locks first, in
// order, in one statement: the counts read after them see every text
// committed to those phones before, and a group holding them waits for
// nothing but other phones' locks, so two groups never wait for each other.
func (s *Store) groupTexts(ctx context.Context, texts []groupText, now time.Time) (stmts []stmt, finish func(), err error) {
	if len(texts) == 0 {
		return nil, func() {}, nil
	}
	key, err := s.Secret(ctx, "sms_optout")
	if err != nil {
		return nil, nil, err
	}
	l := s.SMSLimits.Or()
	var out []stmt
	hashes := make([]string, len(texts))
	locks := map[int32]bool{}
	for i, t := range texts {
		hashes[i] = sms.PhoneHash(key, review.NormalizePhone(t.m.Phone))
		locks[hashKey(hashes[i])] = true
	}
	if s.pg {
		keys := slices.Sorted(maps.Keys(locks))
		out = append(out, stmt{q: "SELECT pg_advisory_xact_lock(?, k) FROM unnest(CAST(? AS INTEGER[])) AS k",
			args: []any{classSMSPhone, keys}})
	}
	var finishes []func()
	start := 0
	for _, n := range shapes(len(texts), groupRows) {
		batch := texts[start : start+n]
		hashes := hashes[start : start+n]
		start += n
		nth := map[string]int{}
		args := make([]any, 0, 8*n+9)
		for i := range batch {
			t := &batch[i]
			hash := hashes[i]
			phone, text := "", ""
			if phone, err = s.Keys.Seal("sms_phone", t.m.Phone); err != nil {
				return nil, nil, err
			}
			if text, err = s.Keys.Seal("sms_text", t.m.Text); err != nil {
				return nil, nil, err
			}
			req := 0
			if t.m.Purpose.Requested() {
				req = 1
			}
			args = append(args, i, string(t.m.Purpose), phone, text, hash, nullID(t.held), nth[hash], req)
			// A phone's earlier texts in the statement count as sent:
			// texts of one purpose are refused from the first over the
			// limits on, so only a group mixing purposes to an opted-out
			// phone counts more than Refuse would, never fewer.
			nth[hash]++
		}
		args = append(args, millis(now.Add(-sms.Day)), millis(now.Add(-l.BurstWindow)),
			l.PerDay, l.PerDay, l.Burst, l.Burst, millis(now), millis(now.Add(sms.Claim)), int64(never))
		var got []sms.Stored
		out = append(out, stmt{q: groupTextsSQL(n), args: args, row: func(scan func(...any) error) error {
			if len(got) == len(batch) {
				return fmt.Errorf("queue sms: more texts stored than the %d queued", len(batch))
			}
			var st sms.Stored
			err := scan(&st.ID, &st.Refused)
			got = append(got, st)
			return err
		}})
		// A statement that ran stored each of its rows (no row is left
		// out), given ids in the order they were inserted, by i.
		finishes = append(finishes, func() {
			slices.SortFunc(got, func(a, b sms.Stored) int { return cmp.Compare(a.ID, b.ID) })
			for i := range batch {
				t := &batch[i]
				t.out = sms.Stored{Queued: sms.Queued{ID: got[i].ID, Message: t.m}, Held: t.held != 0, Refused: got[i].Refused}
			}
		})
	}
	return out, func() {
		for _, f := range finishes {
			f()
		}
	}, nil
}

// groupTextsSQL queues n texts: Limits.Refuse in SQL.
func groupTextsSQL(n int) string {
	rows := strings.TrimSuffix(strings.Repeat("(CAST(? AS BIGINT), ?, ?, ?, ?, CAST(? AS BIGINT), CAST(? AS BIGINT), CAST(? AS BIGINT)), ", n), ", ")
	count := "(SELECT COUNT(*) FROM sms_outbox o WHERE o.phone_hash = v.hash AND o.phone_hash <> '' AND o.refused = '' AND o.created_at > ?)"
	return `WITH v (i, purpose, phone, text, hash, held, nth, req) AS (VALUES ` + rows + `),
	c AS (SELECT v.*, (SELECT COUNT(*) FROM sms_optouts o WHERE o.phone_hash = v.hash) AS opted,
		` + count + ` AS day, ` + count + ` AS burst FROM v),
	d AS (SELECT c.*, CASE WHEN c.req = 0 AND c.opted > 0 THEN '` + sms.RefusedOptedOut + `'
		WHEN ? > 0 AND c.day + c.nth >= ? THEN '` + sms.RefusedDaily + `'
		WHEN ? > 0 AND c.burst + c.nth >= ? THEN '` + sms.RefusedBurst + `'
		ELSE '' END AS why FROM c)
	INSERT INTO sms_outbox (purpose, phone, text, created_at, next_at, phone_hash, refused, held_review)
	SELECT purpose, CASE WHEN why = '' THEN phone ELSE '' END, CASE WHEN why = '' THEN text ELSE '' END, CAST(? AS BIGINT),
		CASE WHEN why = '' AND held IS NULL THEN CAST(? AS BIGINT) ELSE CAST(? AS BIGINT) END, hash, why, held
	FROM d ORDER BY i RETURNING id, refused`
}
