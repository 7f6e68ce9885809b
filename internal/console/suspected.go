package console

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/haocha/haocha/internal/account"
	"github.com/haocha/haocha/internal/alert"
	"github.com/haocha/haocha/internal/apperr"
	"github.com/haocha/haocha/internal/fraud"
	"github.com/haocha/haocha/internal/httpjson"
	"github.com/haocha/haocha/internal/index"
	"github.com/haocha/haocha/internal/route"
	"github.com/haocha/haocha/internal/store"
)

// The suspected queue is the supervisor's: held reviews are decided by
// the General Office, never by the unit they rate or the operator.
var suspectDeciders = []account.Role{account.Supervisor}

// registerSuspected adds the suspected queue's page and API.
func (c *Console) registerSuspected(mux *route.Mux) {
	mux.Handle("GET /console/suspected", route.PageRoles(suspectDeciders...), c.page(c.suspectedPage))
	mux.Handle("POST /console/suspected/{action}", route.PageRoles(suspectDeciders...), c.page(c.suspectedAct))
	mux.Handle("GET /api/v1/suspected", route.Roles(suspectDeciders...), c.api(c.apiSuspected, true))
	mux.Handle("POST /api/v1/suspected/{action}", route.Roles(suspectDeciders...), c.api(c.apiSuspectedAct, true))
}

// heldJSON is one held review as the API and the page show it.
type heldJSON struct {
	ID              int64         `json:"id"`
	CreatedAt       time.Time     `json:"created_at"`
	Channel         string        `json:"channel"`
	Unit            string        `json:"unit"`
	UnitName        string        `json:"unit_name"`
	Workstation     string        `json:"workstation,omitempty"`
	WorkstationName string        `json:"workstation_name,omitempty"`
	Stars           int           `json:"stars"`
	Comment         string        `json:"comment"`
	Reasons         string        `json:"reasons"`
	Findings        []findingJSON `json:"findings"`
	WorkOrder       string        `json:"work_order,omitempty"`
	words           []string      // the findings in the page's language
}

type findingJSON struct {
	Signal fraud.Signal `json:"signal"`
	Count  int          `json:"count"`
	// Minutes is the rule's window; 0 for the closed hall and staff networks.
	Minutes int `json:"window_minutes,omitempty"`
}

// Words are the reasons in the page's language.
func (h heldJSON) Words() []string { return h.words }

// heldList is a page of held reviews after the cursor, with names.
func (c *Console) heldList(ctx context.Context, q url.Values, lang string) ([]heldJSON, string, error) {
	limit := 50
	if v := q.Get("limit"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 1 || n > 200 {
			return nil, "", apperr.Invalidf("limit", "want 1 to 200")
		}
		limit = n
	}
	var after int64
	if v := q.Get("cursor"); v != "" {
		n, err := strconv.ParseInt(v, 10, 64)
		if err != nil || n < 0 {
			return nil, "", apperr.New(apperr.Malformed, "cursor", "want the next_cursor of the page before")
		}
		after = n
	}
	// One more than asked tells whether a next page exists.
	list, err := c.Store.HeldReviews(ctx, after, limit+1)
	if err != nil {
		return nil, "", err
	}
	next := ""
	if len(list) > limit {
		list = list[:limit]
		next = strconv.FormatInt(list[limit-1].ID, 10)
	}
	names, err := c.Store.AlertNames(ctx, heldSubjects(list))
	if err != nil {
		return nil, "", err
	}
	out := make([]heldJSON, 0, len(list))
	for _, h := range list {
		out = append(out, heldToJSON(h, names, lang))
	}
	return out, next, nil
}

// heldSubjects names the units and workstations of list in the form
// AlertNames reads, so that one query set names both.
func heldSubjects(list []store.HeldReview) []*alert.Alert {
	out := make([]*alert.Alert, 0, len(list))
	for _, h := range list {
		a := &alert.Alert{Unit: h.Unit, Kind: index.RuleUnitBadRate, Group: []string{h.Unit}}
		if h.Workstation != "" {
			a.Kind, a.Group = index.RuleWorkstation, []string{h.Workstation}
		}
		out = append(out, a)
	}
	return out
}

func heldToJSON(h store.HeldReview, names map[string]string, lang string) heldJSON {
	j := heldJSON{ID: h.ID, CreatedAt: h.At, Channel: h.Channel, Unit: h.Unit, UnitName: nameIn(names, "unit:"+h.Unit, lang, ""),
		Workstation: h.Workstation, Stars: h.Stars, Comment: h.Comment, Reasons: h.Reasons, WorkOrder: h.WorkOrder,
		Findings: []findingJSON{}}
	if h.Workstation != "" {
		j.WorkstationName = nameIn(names, "workstation:"+h.Workstation, lang, "")
	}
	for _, f := range fraud.ParseReasons(h.Reasons) {
		j.Findings = append(j.Findings, findingJSON{Signal: f.Signal, Count: f.Count, Minutes: int(f.Window / time.Minute)})
		j.words = append(j.words, findingWords(f, lang))
	}
	if len(j.words) == 0 {
		// A reason this version cannot read is shown as stored.
		j.words = []string{h.Reasons}
	}
	return j
}

// findingWords says f in lang.
func findingWords(f fraud.Finding, lang string) string {
	text := tr(lang, "suspect.reason."+string(f.Signal))
	text = strings.ReplaceAll(text, "{n}", strconv.Itoa(f.Count))
	return strings.ReplaceAll(text, "{min}", strconv.Itoa(int(f.Window/time.Minute)))
}

func (c *Console) apiSuspected(w http.ResponseWriter, r *http.Request, wh *who) error {
	list, next, err := c.heldList(r.Context(), r.URL.Query(), "zh")
	if err != nil {
		return err
	}
	httpjson.Write(w, http.StatusOK, map[string]any{"reviews": list, "next_cursor": next})
	return nil
}

// decideHeld releases or rejects the reviews ids for the caller (the
// route has checked the role).
func (c *Console) decideHeld(ctx context.Context, wh *who, action string, ids []int64, reason string) (int, error) {
	switch action {
	case "release":
		return c.Store.ReleaseHeld(ctx, ids, wh.actor().String(), reason)
	case "reject":
		return c.Store.RejectHeld(ctx, ids, wh.actor().String(), reason)
	}
	return 0, apperr.NotFoundf("action", "want release or reject")
}

func (c *Console) apiSuspectedAct(w http.ResponseWriter, r *http.Request, wh *who) error {
	var in struct {
		Reviews []int64 `json:"reviews"`
		Reason  string  `json:"reason"`
	}
	if err := httpjson.Decode(w, r, &in); err != nil {
		return err
	}
	n, err := c.decideHeld(r.Context(), wh, r.PathValue("action"), in.Reviews, in.Reason)
	if err != nil {
		return err
	}
	httpjson.Write(w, http.StatusOK, map[string]any{"decided": n})
	return nil
}

type suspectedData struct {
	Lang    string
	Reviews []heldJSON
	Next    string
	Reason  string
}

func (c *Console) suspectedPage(w http.ResponseWriter, r *http.Request, wh *who) error {
	return c.showSuspected(w, r, wh, nil, "")
}

func (c *Console) showSuspected(w http.ResponseWriter, r *http.Request, wh *who, failed error, flash string) error {
	lang := string(langOf(r))
	q := r.URL.Query()
	list, next, err := c.heldList(r.Context(), q, lang)
	if err != nil {
		return err
	}
	d := suspectedData{Lang: lang, Reviews: list, Reason: r.PostFormValue("reason")}
	if next != "" {
		q.Set("cursor", next)
		d.Next = "/console/suspected?" + q.Encode()
	}
	pd := pageData{Title: tr(lang, "suspect.title"), Who: wh, Data: d, Flash: flash}
	if done := q.Get("done"); done != "" && flash == "" {
		pd.Flash = fmt.Sprintf(tr(lang, "suspect.done."+q.Get("action")), done)
	}
	status := http.StatusOK
	if failed != nil {
		if pd.Err = apperr.As(failed); pd.Err == nil {
			return failed
		}
		status = httpjson.Status(pd.Err.Code)
	}
	c.render(w, status, "suspected", pd)
	return nil
}

func (c *Console) suspectedAct(w http.ResponseWriter, r *http.Request, wh *who) error {
	action := r.PathValue("action")
	var ids []int64
	for _, v := range r.PostForm["review"] {
		id, err := strconv.ParseInt(v, 10, 64)
		if err != nil {
			return c.showSuspected(w, r, wh, apperr.Invalidf("reviews", "not a review id"), "")
		}
		ids = append(ids, id)
	}
	n, err := c.decideHeld(r.Context(), wh, action, ids, r.PostFormValue("reason"))
	if code := apperr.CodeOf(err); code == apperr.Invalid {
		return c.showSuspected(w, r, wh, err, "")
	} else if err != nil {
		return err
	}
	http.Redirect(w, r, "/console/suspected?action="+url.QueryEscape(action)+"&done="+strconv.Itoa(n), http.StatusSeeOther)
	return nil
}
