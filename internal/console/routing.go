package console

import (
	"context"
	"net/http"
	"net/url"
	"sort"

	"github.com/haocha/haocha/internal/apperr"
	"github.com/haocha/haocha/internal/catalog"
	"github.com/haocha/haocha/internal/httpjson"
	"github.com/haocha/haocha/internal/review"
	"github.com/haocha/haocha/internal/route"
	"github.com/haocha/haocha/internal/routing"
	"github.com/haocha/haocha/internal/store"
	"github.com/haocha/haocha/internal/workorder"
)

// Routing rules as data: the administrator keeps which unit an item's
// orders go to and which district a hall's go to (/console/routing and
// /api/v1/routing-rules, each change audited); the order page and the
// queue's bulk dispatch suggest and preselect the unit from them, after
// the unit the citizen rated.

func (c *Console) registerRouting(mux *route.Mux) {
	mux.Handle("GET /console/routing", pageAdmin, c.page(c.routingPage))
	mux.Handle("POST /console/routing", pageAdmin, c.page(c.putRoutingPage))
	mux.Handle("POST /console/routing/delete", pageAdmin, c.page(c.deleteRoutingPage))
}

type routingData struct {
	Rules     []ruleLine
	Items     []catalog.Item
	Halls     []catalog.Hall
	Units     []catalog.Unit
	Districts []catalog.Unit
	CSRF      string
}

// ruleLine is a rule with its names in the page's language.
type ruleLine struct {
	routing.Rule
	KeyName, UnitName string
}

func (c *Console) routingPage(w http.ResponseWriter, r *http.Request, wh *who) error {
	return c.showRouting(w, r, wh, nil, r.URL.Query().Get("done"))
}

func (c *Console) showRouting(w http.ResponseWriter, r *http.Request, wh *who, failed error, flash string) error {
	ctx, code := r.Context(), wh.L.Code()
	d := routingData{CSRF: wh.CSRF}
	rules, err := c.Store.RoutingRules(ctx)
	if err != nil {
		return err
	}
	if d.Items, err = c.Store.Items(ctx, store.ItemFilter{}); err != nil {
		return err
	}
	if d.Halls, err = c.Store.Halls(ctx, ""); err != nil {
		return err
	}
	// One read of the units: the form's list, its districts (in the same
	// order) and the rules' unit names.
	if d.Units, err = c.Store.Units(ctx, ""); err != nil {
		return err
	}
	units := make(map[string]catalog.Unit, len(d.Units))
	for _, u := range d.Units {
		units[u.Code] = u
		if u.Kind == catalog.District {
			d.Districts = append(d.Districts, u)
		}
	}
	items := map[string]string{}
	for _, it := range d.Items {
		items[it.Code] = it.Name(code)
	}
	halls := map[string]string{}
	for _, h := range d.Halls {
		halls[h.Code] = h.Name(code)
	}
	for _, rule := range rules {
		l := ruleLine{Rule: rule, KeyName: rule.Key, UnitName: rule.Unit}
		names := items
		if rule.Kind == routing.ByHall {
			names = halls
		}
		if n, ok := names[rule.Key]; ok {
			l.KeyName = n
		}
		if u, ok := units[rule.Unit]; ok {
			l.UnitName = u.Name(code)
		}
		d.Rules = append(d.Rules, l)
	}
	if flash != "" {
		flash = wh.L.T("routing.done." + flash)
	}
	status, pd := http.StatusOK, pageData{Title: wh.L.T("routing.title"), Who: wh, Data: d, Flash: flash}
	if failed != nil {
		pd.Err = apperr.As(failed)
		status = httpjson.Status(apperr.CodeOf(failed))
	}
	c.render(w, status, "routing", pd)
	return nil
}

// refusedOnRouting shows a refused change on the page, or returns err.
func (c *Console) refusedOnRouting(w http.ResponseWriter, r *http.Request, wh *who, err error) error {
	if code := apperr.CodeOf(err); code == apperr.Invalid || code == apperr.NotFound {
		return c.showRouting(w, r, wh, err, "")
	}
	return err
}

func (c *Console) putRoutingPage(w http.ResponseWriter, r *http.Request, wh *who) error {
	rule := routing.Rule{Kind: routing.Kind(r.PostFormValue("kind")), Key: r.PostFormValue("key"), Unit: r.PostFormValue("unit")}
	if _, err := c.Routing.Put(r.Context(), wh.actor().String(), rule); err != nil {
		return c.refusedOnRouting(w, r, wh, err)
	}
	http.Redirect(w, r, "/console/routing?done=saved", http.StatusSeeOther)
	return nil
}

func (c *Console) deleteRoutingPage(w http.ResponseWriter, r *http.Request, wh *who) error {
	err := c.Routing.Delete(r.Context(), wh.actor().String(), routing.Kind(r.PostFormValue("kind")), r.PostFormValue("key"))
	if err != nil {
		return c.refusedOnRouting(w, r, wh, err)
	}
	http.Redirect(w, r, "/console/routing?done=deleted", http.StatusSeeOther)
	return nil
}

// suggestion is a unit to dispatch to, named, with why, and the link that
// preselects it on the order page.
type suggestion struct {
	routing.Suggestion
	Name, Why, Link string
}

// suggestionsFor are the units to offer for the review r, in words of l.
func (c *Console) suggestionsFor(ctx context.Context, l Lang, ref string, r *review.Record, units map[string]catalog.Unit) ([]suggestion, error) {
	rules, err := c.Store.RoutingRules(ctx)
	if err != nil {
		return nil, err
	}
	var out []suggestion
	for _, s := range routing.Suggest(r.Unit, r.Item, r.Hall, rules) {
		sg := suggestion{Suggestion: s, Name: s.Unit, Why: l.T("routing.why." + string(s.Why)),
			Link: "/console/orders/" + url.PathEscape(ref) + "?unit=" + url.QueryEscape(s.Unit) + "#a-unit"}
		if u, ok := units[s.Unit]; ok {
			sg.Name = u.Name(l.Code())
		}
		out = append(out, sg)
	}
	return out, nil
}

// bulkSuggestions are the units suggested for the new orders among rows:
// each order's names by id, and the units across them, the most often
// suggested first, each a link that starts the bulk form on it (q is the
// queue's query). start is the unit every one of them is suggested first,
// which the bulk form starts on; empty when they differ.
func (c *Console) bulkSuggestions(ctx context.Context, l Lang, q url.Values, rows []workorder.Row, units map[string]catalog.Unit) (byOrder map[int64][]string, all []suggestion, start string, err error) {
	rules, err := c.Store.RoutingRules(ctx)
	if err != nil {
		return nil, nil, "", err
	}
	name := func(code string) string {
		if u, ok := units[code]; ok {
			return u.Name(l.Code())
		}
		return code
	}
	byOrder = map[int64][]string{}
	count := map[string]int{}
	firsts := map[string]bool{}
	for _, row := range rows {
		if row.State != workorder.New {
			continue
		}
		sug := routing.Suggest(row.RatedUnit, row.Item, row.Hall, rules)
		for i, s := range sug {
			byOrder[row.ID] = append(byOrder[row.ID], name(s.Unit))
			if count[s.Unit] == 0 {
				all = append(all, suggestion{Suggestion: s, Name: name(s.Unit)})
			}
			count[s.Unit]++
			if i == 0 {
				firsts[s.Unit] = true
			}
		}
	}
	sort.SliceStable(all, func(i, j int) bool { return count[all[i].Unit] > count[all[j].Unit] })
	for i := range all {
		v := url.Values{}
		for k, vs := range q {
			v[k] = vs
		}
		v.Set("bulk_unit", all[i].Unit)
		all[i].Why = l.Tf("orders.count", count[all[i].Unit])
		all[i].Link = "/console/orders?" + v.Encode() + "#a-unit"
	}
	if len(firsts) == 1 {
		for u := range firsts {
			start = u
		}
	}
	return byOrder, all, start, nil
}
