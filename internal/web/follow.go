package web

import (
	"net/http"

	"github.com/haocha/haocha/internal/catalog"
	"github.com/haocha/haocha/internal/store"
)

// followStates are the states shown as steps, in order.
var followStates = []string{"new", "dispatched", "replied", "closed"}

// follow is the citizen's private page for a work order: whoever holds the
// link sees its state, and nobody else can find it.
func (w *Web) follow(rw http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	rw.Header().Set("Referrer-Policy", "no-referrer")
	rw.Header().Set("X-Robots-Tag", "noindex")
	v, err := w.store.WorkOrderByToken(ctx, r.PathValue("token"))
	if err != nil {
		return err
	}
	it, err := w.store.Item(ctx, v.Item)
	if err != nil {
		return err
	}
	stage, _ := it.Stage(v.Stage)
	type step struct {
		State         string
		Done, Current bool
	}
	data := struct {
		page
		Order store.FollowView
		Item  catalog.Item
		Stage catalog.Stage
		Steps []step
	}{page: w.newPage(r, "follow.title"), Order: v, Item: it, Stage: stage}
	data.Self = "/follow/" + r.PathValue("token")
	at := -1
	for i, s := range followStates {
		if s == v.State {
			at = i
		}
	}
	for i, s := range followStates {
		data.Steps = append(data.Steps, step{State: s, Done: i < at, Current: i == at})
	}
	return w.render(rw, r, http.StatusOK, "follow", data)
}
