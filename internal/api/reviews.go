package api

import (
	"net/http"
	"strconv"

	"github.com/haocha/haocha/internal/caller"
	"github.com/haocha/haocha/internal/httpjson"
	"github.com/haocha/haocha/internal/review"
)

// reviewCreated is the answer to an accepted review.
type reviewCreated struct {
	ID        string  `json:"id"`
	WorkOrder *string `json:"work_order"`
	// FollowUp is the citizen's private link to the work order's progress.
	FollowUp string `json:"follow_up,omitempty"`
	// Follows is the id of the first review a later review (追评) follows.
	Follows string `json:"follows,omitempty"`
	// Verification is how far the review is bound to a service event.
	Verification review.Verification `json:"verification"`
}

func (a *API) createReview(w http.ResponseWriter, r *http.Request) error {
	// A client past the limit is refused before its body is read: a
	// flood's requests cost no decoding.
	client := caller.Client(r)
	if err := a.Intake.Admit(r.Context(), &client); err != nil {
		return err
	}
	var sub review.Submission
	if err := httpjson.Decode(w, r, &sub); err != nil {
		return a.Intake.Refused(err)
	}
	var err error
	if sub.CitizenHash, err = a.citizenOf(r); err != nil {
		return err
	}
	rc, err := a.Intake.Submit(r.Context(), sub, client)
	if err != nil {
		return err
	}
	if sub.CitizenHash != "" {
		a.Citizens.Own(r.Context(), sub.CitizenHash, rc.ID)
	}
	resp := reviewCreated{ID: strconv.FormatInt(rc.ID, 10), Verification: rc.Verification.Or()}
	if rc.Follows != 0 {
		resp.Follows = strconv.FormatInt(rc.Follows, 10)
	}
	if rc.WorkOrder != nil {
		resp.WorkOrder = &rc.WorkOrder.Number
		resp.FollowUp = "/follow/" + rc.WorkOrder.Token
	}
	httpjson.Write(w, http.StatusCreated, resp)
	return nil
}
