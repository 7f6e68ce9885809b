package store_test

import (
	"context"
	"fmt"
	"strings"
	"testing"

	"github.com/haocha/haocha/internal/review"
	"github.com/haocha/haocha/internal/sms"
	"github.com/haocha/haocha/internal/store"
	"github.com/haocha/haocha/internal/workorder"
)

// The follow-up link a review's order is due is queued by the group
// commit that stores the review, in its transaction: every review of the
// group has its text in the outbox, due or held with its review, counted
// against its phone's limits as QueueSMS counts one, with the id that
// opens to that review's own text.
func TestGroupQueuesTexts(t *testing.T) {
	eachBackend(t, func(t *testing.T, st *store.Store) {
		ctx := context.Background()
		now := st.Now()
		key, err := st.Secret(ctx, "sms_optout")
		if err != nil {
			t.Fatal(err)
		}
		const busy, opted, other = "13800000001", "13800000002", "13800000003"
		if err := st.OptOut(ctx, sms.PhoneHash(key, opted), "test", now); err != nil {
			t.Fatal(err)
		}
		// Two texts to the busy phone before: the group's count goes on
		// from them.
		for range 2 {
			if _, err := st.QueueSMS(ctx, sms.Message{Phone: busy, Purpose: sms.FollowCode, Text: "code"}, now, now); err != nil {
				t.Fatal(err)
			}
		}
		outbox := count(t, st, "sms_outbox")
		lim := sms.DefaultLimits
		// Seven reviews to the busy phone (cut into statements of 4, 2
		// and 1: the first counts its own texts before each, the others
		// those of the statements before), one to the opted-out phone, two to another of which
		// one is held.
		phones := []string{busy, busy, busy, busy, busy, busy, busy, opted, other, other}
		var rs []*review.Review
		for i := range phones {
			rs = append(rs, groupReview(t, st, "", fmt.Sprintf("device-%d", i)))
		}
		held := len(rs) - 1
		rs[held].Held = "test"
		text := func(i int, wo *workorder.NewOrder) sms.Message {
			return sms.Message{Phone: phones[i], Purpose: sms.FollowLink, Text: "order " + wo.Number}
		}
		orders, texted, errs := st.StoreGroupTexted(rs, review.RateLimit{}, text)
		want := map[int]string{3: sms.RefusedBurst, 4: sms.RefusedBurst, 5: sms.RefusedBurst, 6: sms.RefusedBurst, 7: sms.RefusedOptedOut}
		for i := range rs {
			switch {
			case errs[i] != nil:
				t.Fatalf("review %d: %v", i, errs[i])
			case texted[i] == nil || texted[i].ID == 0:
				t.Fatalf("review %d: no text stored", i)
			case texted[i].Refused != want[i]:
				t.Errorf("review %d's text: refused %q, want %q", i, texted[i].Refused, want[i])
			case texted[i].Held != (i == held):
				t.Errorf("review %d's text: held %v", i, texted[i].Held)
			case texted[i].Message != text(i, orders[i]):
				t.Errorf("review %d's text: %+v, want %+v", i, texted[i].Message, text(i, orders[i]))
			}
		}
		if n := count(t, st, "sms_outbox") - outbox; n != len(rs) {
			t.Errorf("%d texts in the outbox, want one a review, %d", n, len(rs))
		}
		var heldFor, heldNext int64
		if err := st.DB().QueryRow(st.Rebind("SELECT held_review, next_at FROM sms_outbox WHERE id = ?"), texted[held].ID).Scan(&heldFor, &heldNext); err != nil {
			t.Fatal(err)
		}
		if heldFor != rs[held].ID || heldNext != store.Never {
			t.Errorf("held review's text: held for %d, next at %d; want %d, never", heldFor, heldNext, rs[held].ID)
		}
		// The texts due are due once the caller's claim on them ends, each
		// under the id given for its review.
		due, err := st.DueSMS(ctx, now.Add(sms.Claim), 100)
		if err != nil {
			t.Fatal(err)
		}
		byID := map[int64]sms.Queued{}
		for _, q := range due {
			byID[q.ID] = q
		}
		for i, tx := range texted {
			q, ok := byID[tx.ID]
			switch {
			case (tx.Refused == "" && !tx.Held) != ok:
				t.Errorf("review %d's text: due %v", i, ok)
			case ok && q.Text != "order "+orders[i].Number:
				t.Errorf("review %d's text id %d opens to %q, want its order %s", i, tx.ID, q.Text, orders[i].Number)
			}
		}
		if n := len(due); n != 2+lim.Burst-2+1 {
			t.Errorf("%d texts due, want the two earlier ones, %d of the busy phone's and the other phone's", n, lim.Burst-2)
		}
	})
}

// A group that fails stores none of its reviews and none of their texts,
// the texts of the statements that ran before the failure included.
func TestGroupTextsRollBack(t *testing.T) {
	eachBackend(t, func(t *testing.T, st *store.Store) {
		fail := []string{`CREATE TRIGGER fail_text BEFORE INSERT ON sms_outbox WHEN NEW.purpose = 'fail'
			BEGIN SELECT RAISE(ABORT, 'failed text'); END`}
		if st.Postgres() {
			fail = []string{`CREATE FUNCTION fail_text() RETURNS trigger LANGUAGE plpgsql AS $$
				BEGIN RAISE EXCEPTION 'failed text'; END $$`,
				`CREATE TRIGGER fail_text BEFORE INSERT ON sms_outbox FOR EACH ROW
				WHEN (NEW.purpose = 'fail') EXECUTE FUNCTION fail_text()`}
		}
		for _, q := range fail {
			if _, err := st.DB().Exec(q); err != nil {
				t.Fatal(err)
			}
		}
		reviews, outbox := count(t, st, "reviews"), count(t, st, "sms_outbox")
		// Three texts: a statement of two, then one that fails.
		var rs []*review.Review
		for i := range 3 {
			rs = append(rs, groupReview(t, st, "", fmt.Sprintf("device-%d", i)))
		}
		_, texted, errs := st.StoreGroupTexted(rs, review.RateLimit{}, func(i int, wo *workorder.NewOrder) sms.Message {
			m := sms.Message{Phone: "1390000000" + fmt.Sprint(i), Purpose: sms.FollowLink, Text: wo.Number}
			if i == 2 {
				m.Purpose = "fail"
			}
			return m
		})
		for i, err := range errs {
			if err == nil || !strings.Contains(err.Error(), "failed text") || texted[i] != nil {
				t.Errorf("review %d: err %v, text %v; want the group's failure and no text", i, err, texted[i])
			}
		}
		if n := count(t, st, "reviews") - reviews; n != 0 {
			t.Errorf("%d reviews of the failed group stored", n)
		}
		if n := count(t, st, "sms_outbox") - outbox; n != 0 {
			t.Errorf("%d texts of the failed group stored", n)
		}
	})
}
