package api

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"github.com/haocha/haocha/internal/httpjson"
	"net"
	"net/http"
	"strconv"
	"strings"

	"github.com/haocha/haocha/internal/apperr"
	"github.com/haocha/haocha/internal/review"
)

// reviewCreated is the answer to an accepted review.
type reviewCreated struct {
	ID        string  `json:"id"`
	WorkOrder *string `json:"work_order"`
	// FollowUp is the citizen's private link to the work order's progress.
	FollowUp string `json:"follow_up,omitempty"`
}

func (a *API) createReview(w http.ResponseWriter, r *http.Request) error {
	var sub review.Submission
	if err := httpjson.Decode(w, r, &sub); err != nil {
		return err
	}
	rv, err := review.Accept(r.Context(), a.Store, &sub)
	if err != nil {
		return err
	}
	rv.ClientMark = ClientMark(a.Salt, r)
	wo, err := a.Store.CreateReview(r.Context(), rv)
	if err != nil {
		return err
	}
	a.Metrics.Accepted(string(rv.Channel))
	resp := reviewCreated{ID: strconv.FormatInt(rv.ID, 10)}
	if wo != nil {
		resp.WorkOrder = &wo.Number
		resp.FollowUp = "/follow/" + wo.Token
	}
	httpjson.Write(w, http.StatusCreated, resp)
	return nil
}

// countReview counts refusals of h by reason, e.g. "invalid:stars".
func (a *API) countReview(h handlerFunc) handlerFunc {
	return func(w http.ResponseWriter, r *http.Request) error {
		err := h(w, r)
		if err != nil {
			reason := string(apperr.CodeOf(err))
			if e := apperr.As(err); e != nil && e.Field != "" && e.Code != apperr.Malformed {
				// Only the field's first part: a client's dimension names
				// must not become label values.
				field, _, _ := strings.Cut(e.Field, ".")
				reason += ":" + field
			}
			a.Metrics.Refused(reason)
		}
		return err
	}
}

// ClientMark is a keyed hash of the client's address and browser: enough to
// spot a flood from one device, useless to identify a person.
func ClientMark(salt []byte, r *http.Request) string {
	host, _, err := net.SplitHostPort(r.RemoteAddr)
	if err != nil {
		host = r.RemoteAddr
	}
	m := hmac.New(sha256.New, salt)
	m.Write([]byte(host))
	m.Write([]byte{0})
	m.Write([]byte(r.UserAgent()))
	return hex.EncodeToString(m.Sum(nil)[:12])
}
