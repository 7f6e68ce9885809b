package console

import (
	"fmt"
	"net/http"
	"net/url"
	"strconv"

	"github.com/haocha/haocha/internal/account"
	"github.com/haocha/haocha/internal/alertview"
	"github.com/haocha/haocha/internal/apperr"
	"github.com/haocha/haocha/internal/httpjson"
	"github.com/haocha/haocha/internal/route"
)

// The suspected queue is the supervisor's: held reviews are decided by
// the General Office, never by the unit they rate or the operator.
var suspectDeciders = []account.Role{account.Supervisor}

// registerSuspected adds the suspected queue's pages.
func (c *Console) registerSuspected(mux *route.Mux) {
	mux.Handle("GET /console/suspected", route.PageRoles(suspectDeciders...), c.page(c.suspectedPage))
	mux.Handle("POST /console/suspected/{action}", route.PageRoles(suspectDeciders...), c.page(c.suspectedAct))
}

type suspectedData struct {
	Lang    string
	Reviews []alertview.Held
	Next    string
	Reason  string
}

func (c *Console) suspectedPage(w http.ResponseWriter, r *http.Request, wh *who) error {
	return c.showSuspected(w, r, wh, nil, "")
}

func (c *Console) showSuspected(w http.ResponseWriter, r *http.Request, wh *who, failed error, flash string) error {
	lang := string(langOf(r))
	q := r.URL.Query()
	list, next, err := c.view().HeldList(r.Context(), q, lang)
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
	n, err := c.view().DecideHeld(r.Context(), wh.actor(), action, ids, r.PostFormValue("reason"))
	if code := apperr.CodeOf(err); code == apperr.Invalid {
		return c.showSuspected(w, r, wh, err, "")
	} else if err != nil {
		return err
	}
	http.Redirect(w, r, "/console/suspected?action="+url.QueryEscape(action)+"&done="+strconv.Itoa(n), http.StatusSeeOther)
	return nil
}
