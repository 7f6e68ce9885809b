package api

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"net"
	"net/http"
	"strconv"

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
	if err := decode(w, r, &sub); err != nil {
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
	resp := reviewCreated{ID: strconv.FormatInt(rv.ID, 10)}
	if wo != nil {
		resp.WorkOrder = &wo.Number
		resp.FollowUp = "/follow/" + wo.Token
	}
	writeJSON(w, http.StatusCreated, resp)
	return nil
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
