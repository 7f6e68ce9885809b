package api

import (
	"github.com/haocha/haocha/internal/theme"
	"net/http"
	"sort"
	"time"

	"github.com/haocha/haocha/internal/account"
	"github.com/haocha/haocha/internal/apperr"
	"github.com/haocha/haocha/internal/caller"
	"github.com/haocha/haocha/internal/httpjson"
	"github.com/haocha/haocha/internal/review"
	"github.com/haocha/haocha/internal/workorder"
)

// orderJSON is a work order as the API shows it.
type orderJSON struct {
	ID           int64                `json:"id"`
	Number       string               `json:"number"`
	State        workorder.State      `json:"state"`
	Round        int                  `json:"round"`
	Unit         string               `json:"unit,omitempty"`
	Complexity   workorder.Complexity `json:"complexity,omitempty"`
	Days         int                  `json:"days"`
	DispatchedAt *time.Time           `json:"dispatched_at,omitempty"`
	ContactDue   *time.Time           `json:"contact_due,omitempty"`
	ContactedAt  *time.Time           `json:"contacted_at,omitempty"`
	ContactLate  bool                 `json:"contact_late"`
	Due          *time.Time           `json:"due,omitempty"`
	// DueProvisional: counted without the official calendar of its year.
	DueProvisional bool `json:"due_provisional,omitempty"`
	Overdue        bool `json:"overdue"`
	// DispatchLate: not dispatched within workorder.DispatchDays of creation.
	DispatchLate   bool             `json:"dispatch_late"`
	Reply          *workorder.Reply `json:"reply,omitempty"`
	RepliedAt      *time.Time       `json:"replied_at,omitempty"`
	NotSatisfied   int              `json:"not_satisfied"`
	FollowUpNote   string           `json:"follow_up_note,omitempty"`
	ClosedAt       *time.Time       `json:"closed_at,omitempty"`
	Escalated      bool             `json:"escalated"`
	SupervisedAt   *time.Time       `json:"supervised_at,omitempty"`
	Assessment     bool             `json:"assessment"`
	ReassignReason string           `json:"reassign_request,omitempty"`
	Appeal         *appealJSON      `json:"appeal,omitempty"`
	Cause          *causeJSON       `json:"cause,omitempty"`
	CreatedAt      time.Time        `json:"created_at"`
	UpdatedAt      time.Time        `json:"updated_at"`
	Review         *reviewJSON      `json:"review,omitempty"`
	Actions        []string         `json:"actions,omitempty"`
	History        []stepJSON       `json:"history,omitempty"`
}

type appealJSON struct {
	State    workorder.AppealState `json:"state"`
	Ground   string                `json:"ground"`
	Reason   string                `json:"reason"`
	Decision string                `json:"decision,omitempty"`
}

// causeJSON is the cause review of an order's unsatisfied answer.
type causeJSON struct {
	Code          string                 `json:"code"`
	AtFault       bool                   `json:"at_fault"`
	Note          string                 `json:"note,omitempty"`
	Contest       workorder.CauseContest `json:"contest,omitempty"`
	ContestReason string                 `json:"contest_reason,omitempty"`
	Decision      string                 `json:"decision,omitempty"`
}

type reviewJSON struct {
	ID          int64          `json:"id"`
	CreatedAt   time.Time      `json:"created_at"`
	Channel     review.Channel `json:"channel"`
	Item        string         `json:"item"`
	Stage       string         `json:"stage"`
	Unit        string         `json:"unit"`
	Hall        string         `json:"hall,omitempty"`
	Workstation string         `json:"workstation,omitempty"`
	Stars       int            `json:"stars"`
	Tags        []review.Tag   `json:"tags"`
	Comment     string         `json:"comment"`
	// Themes are the complaint themes (差评主题) of a bad review, from its
	// tags and comment (internal/theme); empty for other reviews.
	Themes      []string `json:"themes"`
	Anonymous   bool     `json:"anonymous"`
	Transaction string   `json:"transaction,omitempty"`
	// Verification is how far the reviewer showed they were served.
	Verification review.Verification `json:"verification"`
	Excluded     string              `json:"excluded,omitempty"`
	Reviewer     *review.Contact     `json:"reviewer,omitempty"`
	// Follows is the id of the first review a later review (追评) follows;
	// LaterReview and FirstReview are the other opinion on the same
	// transaction and stage.
	Follows     int64        `json:"follows,omitempty"`
	LaterReview *opinionJSON `json:"later_review,omitempty"`
	FirstReview *opinionJSON `json:"first_review,omitempty"`
}

type opinionJSON struct {
	ID        int64        `json:"id"`
	CreatedAt time.Time    `json:"created_at"`
	Stars     int          `json:"stars"`
	Tags      []review.Tag `json:"tags"`
	Comment   string       `json:"comment"`
	Held      bool         `json:"held,omitempty"`
}

func opinionOf(o *review.Opinion) *opinionJSON {
	if o == nil {
		return nil
	}
	return &opinionJSON{ID: o.ID, CreatedAt: o.CreatedAt.UTC(), Stars: o.Stars, Tags: o.Tags.List(), Comment: o.Comment, Held: o.Held}
}

func opt(t time.Time) *time.Time {
	if t.IsZero() {
		return nil
	}
	u := t.UTC()
	return &u
}

func toJSON(o *workorder.Order, now time.Time) orderJSON {
	j := orderJSON{ID: o.ID, Number: o.Number, State: o.State, Round: o.Round, Unit: o.Unit, Complexity: o.Complexity,
		Days: o.Days, DispatchedAt: opt(o.DispatchedAt), ContactDue: opt(o.ContactDue), ContactedAt: opt(o.ContactedAt),
		ContactLate: o.ContactLate(now),
		Due:         opt(o.Due), Overdue: o.Overdue || o.PastDue(now), RepliedAt: opt(o.RepliedAt), NotSatisfied: o.NotSatisfied,
		FollowUpNote: o.FollowUpNote, ClosedAt: opt(o.ClosedAt), Escalated: !o.SupervisedAt.IsZero(),
		SupervisedAt: opt(o.SupervisedAt), Assessment: o.Assessment, ReassignReason: o.ReassignReason,
		CreatedAt: o.CreatedAt.UTC(), UpdatedAt: o.UpdatedAt.UTC()}
	if !o.RepliedAt.IsZero() {
		r := o.Reply
		j.Reply = &r
	}
	if o.Appeal != "" {
		j.Appeal = &appealJSON{State: o.Appeal, Ground: o.AppealGround, Reason: o.AppealReason, Decision: o.AppealDecision}
	}
	if o.Cause != "" {
		j.Cause = &causeJSON{Code: o.Cause, AtFault: o.CauseAtFault, Note: o.CauseNote, Contest: o.CauseContest,
			ContestReason: o.CauseContestReason, Decision: o.CauseDecision}
	}
	return j
}

// apiPage is the API's page size without ?limit=, as it always was.
const apiPage = 200

func viewJSON(v *workorder.OrderView, now time.Time) orderJSON {
	j := toJSON(v.Order, now)
	j.DispatchLate = v.DispatchLate
	j.DueProvisional = v.DueProvisional
	r := v.Review
	j.Review = &reviewJSON{ID: r.ID, CreatedAt: r.CreatedAt.UTC(), Channel: r.Channel, Item: r.Item, Stage: r.Stage,
		Unit: r.Unit, Hall: r.Hall, Workstation: r.Workstation, Stars: r.Stars, Tags: r.Tags.List(), Comment: r.Comment,
		Themes: themesOf(r), Anonymous: r.Anonymous, Transaction: r.Transaction, Verification: r.Verification.Or(), Excluded: r.Excluded, Reviewer: r.Contact,
		Follows: r.Follows, LaterReview: opinionOf(r.Later), FirstReview: opinionOf(r.First)}
	j.History = historyJSON(v.History)
	j.Actions = []string{}
	for name, ok := range v.Can {
		if ok {
			j.Actions = append(j.Actions, name)
		}
	}
	sort.Strings(j.Actions)
	return j
}

type meJSON struct {
	Name  string       `json:"name"`
	Role  account.Role `json:"role"`
	Unit  string       `json:"unit,omitempty"`
	Staff string       `json:"staff,omitempty"`
	CSRF  string       `json:"csrf,omitempty"`
}

func (c *Loop) apiMe(w http.ResponseWriter, r *http.Request, wh *caller.Staff) error {
	u := wh.User
	httpjson.Write(w, http.StatusOK, meJSON{Name: u.Login, Role: u.Role, Unit: u.Unit, Staff: u.Staff, CSRF: wh.CSRF})
	return nil
}

func (c *Loop) apiOrders(w http.ResponseWriter, r *http.Request, wh *caller.Staff) error {
	f, err := workorder.FilterFrom(r.URL.Query())
	if err != nil {
		return err
	}
	p, err := c.Service.ListPage(r.Context(), wh.Actor(), f, apiPage)
	if err != nil {
		return err
	}
	cal, err := c.Service.Calendar(r.Context())
	if err != nil {
		return err
	}
	now := c.Store.Now()
	out := make([]orderJSON, 0, len(p.Rows))
	for _, row := range p.Rows {
		j := toJSON(row.Order, now)
		j.DueProvisional = cal.Provisional(row.Due)
		j.DispatchLate = row.DispatchLate(cal, now)
		out = append(out, j)
	}
	httpjson.Write(w, http.StatusOK, map[string]any{"orders": out, "next_cursor": p.Next, "prev_cursor": p.Prev})
	return nil
}

func (c *Loop) apiOrder(w http.ResponseWriter, r *http.Request, wh *caller.Staff) error {
	v, err := c.Service.Get(r.Context(), wh.Actor(), r.PathValue("ref"))
	if err != nil {
		return err
	}
	httpjson.Write(w, http.StatusOK, viewJSON(v, c.Store.Now()))
	return nil
}

func (c *Loop) apiAct(w http.ResponseWriter, r *http.Request, wh *caller.Staff) error {
	act, ok := workorder.Actions[r.PathValue("action")]
	if !ok {
		return apperr.NotFoundf("action", "no such action %q", r.PathValue("action"))
	}
	var in workorder.Input
	if err := httpjson.DecodeOptional(w, r, &in); err != nil {
		return err
	}
	a := wh.Actor()
	o, err := c.Service.Resolve(r.Context(), a, r.PathValue("ref"))
	if err != nil {
		return err
	}
	if o, err = c.Service.Act(r.Context(), a, o.ID, act, in); err != nil {
		return err
	}
	if err := c.Service.ForStaff(r.Context(), o); err != nil {
		return err
	}
	// The answer is the order without its review: an action is not a
	// view of the reviewer's personal data.
	httpjson.Write(w, http.StatusOK, toJSON(o, c.Store.Now()))
	return nil
}

type followJSON struct {
	Satisfied *bool  `json:"satisfied"`
	Reason    string `json:"reason,omitempty"`
}

// apiCitizenFollowUp is the citizen's follow-up for apps: the private
// token is the credential.
func (c *Loop) apiCitizenFollowUp(w http.ResponseWriter, r *http.Request, _ *caller.Staff) error {
	var in followJSON
	if err := httpjson.DecodeOptional(w, r, &in); err != nil {
		return err
	}
	sat, err := workorder.Required(in.Satisfied, "satisfied")
	if err != nil {
		return err
	}
	o, err := c.Service.CitizenFollowUp(r.Context(), r.PathValue("token"), sat, in.Reason)
	if err != nil {
		return err
	}
	httpjson.Write(w, http.StatusOK, map[string]any{"number": o.Number, "state": o.State})
	return nil
}

// stepJSON is one step of an order's history in the API.
type stepJSON struct {
	Round      int                  `json:"round"`
	Action     workorder.Action     `json:"action"`
	At         time.Time            `json:"at"`
	By         account.Role         `json:"by,omitempty"`
	Unit       string               `json:"unit,omitempty"`
	Complexity workorder.Complexity `json:"complexity,omitempty"`
	Days       *int                 `json:"days,omitempty"`
	Due        *time.Time           `json:"due,omitempty"`
	Note       string               `json:"note,omitempty"`
	Reply      *workorder.Reply     `json:"reply,omitempty"`
	Satisfied  *bool                `json:"satisfied,omitempty"`
	Reason     string               `json:"reason,omitempty"`
}

func historyJSON(steps []workorder.Step) []stepJSON {
	out := make([]stepJSON, 0, len(steps))
	for _, s := range steps {
		j := stepJSON{Round: s.Round, Action: s.Action, At: s.At.UTC(), By: s.Actor, Unit: s.Unit, Note: s.Note, Reason: s.Reason}
		switch s.Action {
		case workorder.ActDispatch, workorder.ActRedispatch, workorder.ActDecideReassign:
			days := s.Days
			j.Complexity, j.Days, j.Due = s.Complexity, &days, opt(s.Due)
		case workorder.ActReply:
			r := s.Reply
			j.Reply = &r
		case workorder.ActFollowUp:
			sat := s.Satisfied
			j.Satisfied = &sat
		}
		out = append(out, j)
	}
	return out
}

// themesOf is the complaint themes of r, by code.
func themesOf(r *review.Record) []string {
	var tags []string
	for _, t := range r.Tags.List() {
		tags = append(tags, string(t))
	}
	return theme.Default().OfReview(r.Stars, r.Comment, tags)
}
