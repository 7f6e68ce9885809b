package sms

// The outbox: every message is first written to the database (sealed),
// then handed to the sender at once; one that fails stays queued and the
// scheduler retries it with the webhook's backoff. A restart loses
// nothing, and a gateway that is down costs the caller one short attempt,
// never a refusal.

import (
	"context"
	"errors"
	"log/slog"
	"time"

	"github.com/haocha/haocha/internal/notify"
)

// Queued is a message waiting in the outbox.
type Queued struct {
	ID       int64
	Attempts int
	Message
}

// Queue is the outbox's storage.
type Queue interface {
	// QueueSMS stores m, due for delivery at due, and returns its id. A
	// text over its phone's limits or to a phone that opted out is stored
	// as refused, never to be sent, and the error is a *Refused.
	QueueSMS(ctx context.Context, m Message, now, due time.Time) (int64, error)
	// HoldSMS stores m for the held review, not due until a supervisor
	// releases the review; given up if one rejects it.
	HoldSMS(ctx context.Context, m Message, now time.Time, review int64) (int64, error)
	// DueSMS returns up to limit messages due at now, oldest first.
	DueSMS(ctx context.Context, now time.Time, limit int) ([]Queued, error)
	// SMSSent marks a message delivered, forgetting its phone and text.
	SMSSent(ctx context.Context, id int64, now time.Time) error
	// SMSFailed records a failed attempt and when to try again; a zero
	// retry gives up, forgetting the phone and text.
	SMSFailed(ctx context.Context, id int64, retry time.Time, why string) error
}

// DefaultAttempt bounds the first attempt made while the caller waits.
const DefaultAttempt = 3 * time.Second

// Claim is how long a message being tried at once is left alone by the
// scheduler, longer than any attempt: a store that queues a text itself
// (Stored) makes it due that long after now.
const Claim = time.Minute

// Outbox is the Sender every part of Haocha uses: it queues, then tries.
type Outbox struct {
	Queue  Queue
	Sender Sender // the gateway (or the log)
	Now    func() time.Time
	Log    *slog.Logger
	// Attempt bounds the first try; DefaultAttempt when zero.
	Attempt time.Duration
}

// Send queues m and tries it once: nil means it is on its way, delivered
// now or retried later. A *Refused error means it was recorded and will
// never be sent (its phone's limits, or an opt-out); any other error is a
// fault of the database.
func (o *Outbox) Send(ctx context.Context, m Message) error {
	now := o.Now()
	id, err := o.Queue.QueueSMS(ctx, m, now, now.Add(Claim))
	if err != nil {
		o.refused(ctx, m, err)
		return err
	}
	return o.tryNow(ctx, Queued{ID: id, Message: m}, now)
}

// Stored is a text the store queued in the transaction of what caused
// it (a review's follow-up link, stored with its review by the group
// commit), with what the outbox's rules made of it there: held for its
// review as by HoldSMS, refused as by QueueSMS, or due Claim after it
// was queued, as by Send.
type Stored struct {
	Queued
	Held    bool
	Refused string // why it will never be sent; "" when it will
}

// TryStored does for st what Send and Hold do once they have queued a
// text: a refusal is logged and returned as a *Refused, a held text
// waits for its review, and a text due is tried once.
func (o *Outbox) TryStored(ctx context.Context, st Stored) error {
	switch {
	case st.Refused != "":
		err := &Refused{ID: st.ID, Purpose: st.Purpose, Reason: st.Refused}
		o.refused(ctx, st.Message, err)
		return err
	case st.Held:
		return nil
	}
	return o.tryNow(ctx, st.Queued, o.Now())
}

// tryNow tries q, queued at now, once while the caller waits.
func (o *Outbox) tryNow(ctx context.Context, q Queued, now time.Time) error {
	d := o.Attempt
	if d == 0 {
		d = DefaultAttempt
	}
	// The request may end before the gateway answers; the attempt is ours.
	actx, cancel := context.WithTimeout(context.WithoutCancel(ctx), d)
	defer cancel()
	_, err := o.try(actx, q, now)
	return err
}

// refused logs err when it is a *Refused.
func (o *Outbox) refused(ctx context.Context, m Message, err error) {
	var refused *Refused
	if errors.As(err, &refused) {
		o.logger().WarnContext(ctx, "sms refused", "id", refused.ID, "purpose", string(m.Purpose), "to", Mask(m.Phone), "reason", refused.Reason)
	}
}

// Hold keeps m for the held review: it is sent when a supervisor
// releases the review (by Deliver, at its next round), never before, and
// never if the review is rejected.
func (o *Outbox) Hold(ctx context.Context, m Message, review int64) error {
	_, err := o.Queue.HoldSMS(ctx, m, o.Now(), review)
	o.refused(ctx, m, err)
	return err
}

// Deliver sends the messages due at now, retrying failures with backoff:
// the scheduler's step.
func (o *Outbox) Deliver(ctx context.Context, now time.Time) (sent, failed int, err error) {
	due, err := o.Queue.DueSMS(ctx, now, 100)
	if err != nil {
		return 0, 0, err
	}
	for _, q := range due {
		ok, err := o.try(ctx, q, now)
		if err != nil {
			return sent, failed, err
		}
		if ok {
			sent++
		} else {
			failed++
		}
	}
	return sent, failed, nil
}

// try sends q once and records the outcome; the error is the database's.
func (o *Outbox) try(ctx context.Context, q Queued, now time.Time) (bool, error) {
	if e := o.Sender.Send(ctx, q.Message); e != nil {
		var retry time.Time
		if d := notify.Backoff(q.Attempts + 1); d > 0 {
			retry = now.Add(d)
		}
		o.logger().WarnContext(ctx, "sms not delivered", "id", q.ID, "purpose", string(q.Purpose), "to", Mask(q.Phone),
			"attempt", q.Attempts+1, "err", e)
		return false, o.Queue.SMSFailed(context.WithoutCancel(ctx), q.ID, retry, e.Error())
	}
	return true, o.Queue.SMSSent(context.WithoutCancel(ctx), q.ID, now)
}

func (o *Outbox) logger() *slog.Logger {
	if o.Log == nil {
		return slog.Default()
	}
	return o.Log
}
