package intake_test

import (
	"context"
	"strings"
	"testing"

	"github.com/haocha/haocha/internal/intake"
	"github.com/haocha/haocha/internal/review"
	"github.com/haocha/haocha/internal/sms"
	"github.com/haocha/haocha/internal/store/storetest"
)

// A real-name bad review's private link is queued with the review, by its
// group commit, and tried at once: the citizen is told it was sent, it
// went out once, and the outbox holds it as sent.
func TestReviewTextQueuedWithReview(t *testing.T) {
	for name, dsn := range storetest.Backends(t) {
		t.Run(name, func(t *testing.T) {
			c := newCityOn(t, dsn(t))
			ctx := context.Background()
			var before int
			if err := c.st.DB().QueryRow("SELECT COUNT(*) FROM sms_outbox").Scan(&before); err != nil {
				t.Fatal(err)
			}
			no := false
			sub := review.Submission{Channel: "app", Item: "GA-001", Stage: "acceptance", Stars: 1, Comment: "窗口让我跑了三次",
				Anonymous: &no, Name: "李雷", Phone: "13912345678"}
			rc := c.submit(t, shanghai(21, 10, 0), sub, intake.Client{Address: "198.51.100.8", UserAgent: "phone"})
			if rc.Held || rc.WorkOrder == nil || rc.LinkSentTo != review.MaskPhone(sub.Phone) {
				t.Fatalf("receipt %+v, want a work order and its link sent", rc)
			}
			sent := c.sent.Sent()
			if len(sent) != 1 || sent[0].Phone != sub.Phone || !strings.Contains(sent[0].Text, "/follow/"+rc.WorkOrder.Token) {
				t.Fatalf("texts sent %+v, want the order's link once", sent)
			}
			var texts, delivered int
			if err := c.st.DB().QueryRow("SELECT COUNT(*), COUNT(sent_at) FROM sms_outbox").Scan(&texts, &delivered); err != nil {
				t.Fatal(err)
			}
			if texts-before != 1 || delivered != 1 {
				t.Errorf("outbox: %d texts more, %d delivered; want the one, delivered", texts-before, delivered)
			}
			if _, _, err := c.texts.Deliver(ctx, c.clock.Now().Add(sms.Claim)); err != nil {
				t.Fatal(err)
			}
			if n := len(c.sent.Sent()); n != 1 {
				t.Errorf("%d texts sent once the claim ended, want the one, once", n)
			}
		})
	}
}
