// Package notify delivers work-order notifications (dispatched, due soon,
// overdue, replied) to integrations: a webhook, or the log by default.
package notify

import (
	"bytes"
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"github.com/haocha/haocha/internal/checkpoint"
	"github.com/haocha/haocha/internal/workorder"
	"io"
	"log/slog"
	"net/http"
	"time"
)

// Sink takes one notification; an error means try again later.
type Sink interface {
	Send(ctx context.Context, n workorder.Notice) error
}

// Log writes notifications to the log: the default sink.
type Log struct{ Log *slog.Logger }

// Send logs n.
func (l Log) Send(ctx context.Context, n workorder.Notice) error {
	if a := n.Alert; a != nil {
		l.Log.InfoContext(ctx, "alert notice", "event", n.Event, "alert", a.ID, "kind", a.Kind, "unit", a.Unit, "count", a.Count)
		return nil
	}
	l.Log.InfoContext(ctx, "work order notice", "event", n.Event, "work_order", n.Number, "state", n.State,
		"round", n.Round, "unit", n.Unit, "overdue", n.Overdue)
	return nil
}

// Webhook posts each notification as JSON to URL. With a Secret, the body
// is signed: X-Haocha-Signature: sha256=HMAC-SHA256(secret, body) in hex.
type Webhook struct {
	URL    string
	Secret []byte
	Client *http.Client
}

// Send posts n; any answer but 2xx is a failure.
func (w Webhook) Send(ctx context.Context, n workorder.Notice) error {
	body, err := json.Marshal(n)
	if err != nil {
		return err
	}
	return w.Post(ctx, string(n.Event), fmt.Sprint(n.ID), body)
}

// SendCheckpoint posts a signed checkpoint of the audit trail, event
// "audit_checkpoint", delivery id the audit row it fixes.
func (w Webhook) SendCheckpoint(ctx context.Context, c checkpoint.Checkpoint) error {
	return w.Post(ctx, "audit_checkpoint", fmt.Sprint(c.Seq), c.Line())
}

// Post sends body as event, signed when a secret is set; any answer but
// 2xx is a failure. The telephony hook posts through it too.
func (w Webhook) Post(ctx context.Context, event, delivery string, body []byte) error {
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, w.URL, bytes.NewReader(body))
	if err != nil {
		return err
	}
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("X-Haocha-Event", event)
	req.Header.Set("X-Haocha-Delivery", delivery)
	if len(w.Secret) > 0 {
		m := hmac.New(sha256.New, w.Secret)
		m.Write(body)
		req.Header.Set("X-Haocha-Signature", "sha256="+hex.EncodeToString(m.Sum(nil)))
	}
	c := w.Client
	if c == nil {
		c = &http.Client{Timeout: 10 * time.Second}
	}
	resp, err := c.Do(req)
	if err != nil {
		return err
	}
	io.Copy(io.Discard, io.LimitReader(resp.Body, 64<<10))
	resp.Body.Close()
	if resp.StatusCode/100 != 2 {
		return fmt.Errorf("webhook answered %s", resp.Status)
	}
	return nil
}

// MaxAttempts is how often a notification is tried before giving up.
const MaxAttempts = 8

// Backoff is the wait after the n-th failed attempt (1-based): 30 s,
// doubling, at most an hour; zero after the last attempt.
func Backoff(n int) time.Duration {
	if n >= MaxAttempts {
		return 0
	}
	d := 30 * time.Second << (n - 1)
	if d > time.Hour {
		d = time.Hour
	}
	return d
}
