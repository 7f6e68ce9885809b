// Package telephony bridges a unit's handler and a citizen by phone
// without showing the handler the citizen's number (click-to-call): the
// exchange rings the handler, then the citizen, and joins the two. The
// exchange is pluggable; by default the request is only logged, without
// the number, and no call is placed.
package telephony

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"net/url"
	"time"

	"github.com/haocha/haocha/internal/notify"
)

// Call is a bridge to place: the handler's own phone or extension, and the
// citizen's number, which only the exchange reads.
type Call struct {
	Order   string `json:"work_order"`
	Handler string `json:"caller"` // rung first
	Citizen string `json:"callee"`
}

// Bridge places calls (workorder.Caller).
type Bridge interface {
	// Bridge asks the exchange to join the handler and the citizen. placed
	// reports whether a call was really set up; only then is it a contact.
	Bridge(ctx context.Context, order, handlerPhone, citizenPhone string) (placed bool, err error)
}

// Log is the bridge when no exchange is configured: it writes that a call
// was asked for, never the number, and places none.
type Log struct{ Log *slog.Logger }

// Bridge logs the request without its numbers.
func (l Log) Bridge(ctx context.Context, order, _, _ string) (bool, error) {
	l.Log.InfoContext(ctx, "telephony: no exchange configured (HAOCHA_TELEPHONY_URL); call not placed", "work_order", order)
	return false, nil
}

// HTTP posts each call as JSON ({"work_order","caller","callee"}) to URL,
// the exchange's click-to-call endpoint, as the webhook posts (event
// "telephony_call"; with a Secret, X-Haocha-Signature: sha256=HMAC-SHA256
// of the body). Any answer but 2xx is a failure.
type HTTP struct {
	URL    string
	Secret []byte
	Client *http.Client
}

// Bridge posts the call to the exchange.
func (h HTTP) Bridge(ctx context.Context, order, handlerPhone, citizenPhone string) (bool, error) {
	body, err := json.Marshal(Call{Order: order, Handler: handlerPhone, Citizen: citizenPhone})
	if err != nil {
		return false, err
	}
	client := h.Client
	if client == nil {
		client = &http.Client{Timeout: 15 * time.Second}
	}
	w := notify.Webhook{URL: h.URL, Secret: h.Secret, Client: client}
	if err := w.Post(ctx, "telephony_call", order, body); err != nil {
		// A client error repeats the URL, which may hold credentials.
		var ue *url.Error
		if errors.As(err, &ue) {
			err = ue.Err
		}
		return false, fmt.Errorf("telephony exchange: %w", err)
	}
	return true, nil
}
