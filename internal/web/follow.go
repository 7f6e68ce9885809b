package web

import (
	"crypto/hmac"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/hex"
	"net/http"
	"net/url"

	"github.com/haocha/haocha/internal/apperr"
	"github.com/haocha/haocha/internal/catalog"
	"github.com/haocha/haocha/internal/review"
	"github.com/haocha/haocha/internal/workorder"
)

// followStates are the states shown as steps, in order.
var followStates = []string{"new", "dispatched", "replied", "closed"}

// followStep is the step an order in another state is shown at: sent back
// as not satisfied, it is with the 12345 operator again, to be dispatched;
// supervised, it is being handled under the General Office's eye.
var followStep = map[string]string{"not_satisfied": "new", "supervised": "dispatched"}

// followView is what the page shows of the order; times in Unix
// milliseconds, as the templates format them.
type followView struct {
	Number               string
	State                string
	Shown                string // the state as the citizen is told it: held or rejected while screening has it
	Round                int
	CreatedAt, UpdatedAt int64
	Stars                int
}

// follow is the citizen's private page for a work order: whoever holds the
// link sees its state, and nobody else can find it.
func (w *Web) follow(rw http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	rw.Header().Set("Referrer-Policy", "no-referrer")
	rw.Header().Set("X-Robots-Tag", "noindex")
	f, err := w.orders.Follow(ctx, r.PathValue("token"))
	if err != nil {
		return err
	}
	o := f.Order
	v := followView{Number: o.Number, State: string(o.State), Shown: string(o.State), Round: o.Round, CreatedAt: o.CreatedAt.UnixMilli(),
		UpdatedAt: o.UpdatedAt.UnixMilli(), Stars: f.Stars}
	it, err := w.store.Item(ctx, f.Item)
	if err != nil {
		return err
	}
	var unit catalog.Unit
	if o.Unit != "" {
		if unit, err = w.store.Unit(ctx, o.Unit); err != nil {
			return err
		}
	}
	stage, _ := it.Stage(f.Stage)
	type step struct {
		State         string
		Done, Current bool
	}
	data := struct {
		page
		Order     followView
		Item      catalog.Item
		Stage     catalog.Stage
		Steps     []step
		Answer    string
		RepliedAt int64 // Unix milliseconds
		CanFollow bool
		CSRF      string
		Done      bool
		ErrField  string // the follow-up field the citizen left wrong
		Unit      catalog.Unit
		Due       int64 // Unix milliseconds; 0 before dispatch
		Comment   string
		Tags      []review.Tag
		Story     []workorder.StoryEvent
		// The other opinion on the same transaction and stage (追评).
		LaterReview, FirstReview laterPart
	}{page: w.newPage(r, "follow.title"), Order: v, Item: it, Stage: stage, Unit: unit, Comment: f.Comment, Tags: f.Tags, Story: f.Story,
		Answer: o.Reply.Answer, RepliedAt: o.RepliedAt.UnixMilli(), CanFollow: o.State == workorder.Replied,
		CSRF: followFormToken(w.followKey, r.PathValue("token")),
		Done: r.URL.Query().Get("done") == "follow-up", ErrField: r.URL.Query().Get("error")}
	data.Self = "/follow/" + r.PathValue("token")
	data.LaterReview, data.FirstReview = laterParts(data.L, f.Later, f.First)
	if !o.Due.IsZero() && o.State != workorder.NotSatisfied {
		data.Due = o.Due.UnixMilli()
	}
	if o.Screening != "" {
		// Held, it is not with the hotline yet; rejected, it never was.
		data.Order.Shown = string(o.Screening)
		return w.render(rw, r, http.StatusOK, "follow", data)
	}
	shown := v.State
	if s, ok := followStep[shown]; ok {
		shown = s
	}
	at := -1
	for i, s := range followStates {
		if s == shown {
			at = i
		}
	}
	for i, s := range followStates {
		data.Steps = append(data.Steps, step{State: s, Done: i < at, Current: i == at})
	}
	return w.render(rw, r, http.StatusOK, "follow", data)
}

// followFormToken is the CSRF token of the follow-up form on the citizen's
// private page: tied to the order's token, so only that page can post it.
func followFormToken(secret []byte, token string) string {
	m := hmac.New(sha256.New, secret)
	m.Write([]byte("follow:" + token))
	return hex.EncodeToString(m.Sum(nil)[:16])
}

// followUp takes the citizen's "satisfied" or "not satisfied, because"
// from the private follow-up page and shows the page again.
func (w *Web) followUp(rw http.ResponseWriter, r *http.Request) error {
	r.Body = http.MaxBytesReader(rw, r.Body, 16<<10)
	token := r.PathValue("token")
	back := "/follow/" + url.PathEscape(token)
	if subtle.ConstantTimeCompare([]byte(r.PostFormValue("csrf")), []byte(followFormToken(w.followKey, token))) != 1 {
		return apperr.New(apperr.Forbidden, "csrf", "the form has expired: reload the page and try again")
	}
	var satisfied bool
	switch r.PostFormValue("satisfied") {
	case "yes":
		satisfied = true
	case "no":
	default:
		http.Redirect(rw, r, back+"?error=satisfied", http.StatusSeeOther)
		return nil
	}
	_, err := w.orders.CitizenFollowUp(r.Context(), token, satisfied, r.PostFormValue("reason"))
	if err != nil {
		e := apperr.As(err)
		if e == nil || e.Code == apperr.NotFound {
			return err
		}
		http.Redirect(rw, r, back+"?error="+url.QueryEscape(e.Field), http.StatusSeeOther)
		return nil
	}
	http.Redirect(rw, r, back+"?done=follow-up", http.StatusSeeOther)
	return nil
}
