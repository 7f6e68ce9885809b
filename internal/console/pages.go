package console

import (
	"context"
	"crypto/subtle"
	"errors"
	"math"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/haocha/haocha/internal/account"
	"github.com/haocha/haocha/internal/apperr"
	"github.com/haocha/haocha/internal/board"
	"github.com/haocha/haocha/internal/calendar"
	"github.com/haocha/haocha/internal/catalog"
	"github.com/haocha/haocha/internal/chart"
	"github.com/haocha/haocha/internal/figures"
	"github.com/haocha/haocha/internal/httpjson"
	"github.com/haocha/haocha/internal/paging"
	"github.com/haocha/haocha/internal/review"
	"github.com/haocha/haocha/internal/store"
	"github.com/haocha/haocha/internal/summary"
	"github.com/haocha/haocha/internal/workorder"
)

// safeNext keeps a post-login redirect on this site.
func safeNext(next string) string {
	if !strings.HasPrefix(next, "/console/") || strings.HasPrefix(next, "//") || strings.Contains(next, "\\") {
		return "/console/"
	}
	return next
}

type loginData struct {
	CSRF, Next, Name string
}

func (c *Console) loginForm(w http.ResponseWriter, r *http.Request) {
	tok := account.NewToken()
	c.setCookie(w, loginCookie, tok, 3600)
	rememberLang(w, r)
	l := langOf(r)
	c.render(w, http.StatusOK, "login", pageData{Title: l.T("login.title"), L: l,
		Data: loginData{CSRF: tok, Next: safeNext(r.URL.Query().Get("next"))}})
}

func (c *Console) loginSubmit(w http.ResponseWriter, r *http.Request) {
	r.Body = http.MaxBytesReader(w, r.Body, 16<<10)
	d := loginData{Next: safeNext(r.PostFormValue("next")), Name: r.PostFormValue("name")}
	ck, err := r.Cookie(loginCookie)
	if err != nil || ck.Value == "" || subtle.ConstantTimeCompare([]byte(ck.Value), []byte(r.PostFormValue("csrf"))) != 1 {
		c.renderLoginError(w, r, d, apperr.New(apperr.Forbidden, "csrf", "the login form has expired: try again"))
		return
	}
	if _, err := c.login(r, w, d.Name, r.PostFormValue("password")); err != nil {
		if apperr.As(err) == nil {
			c.renderError(w, r, nil, err)
			return
		}
		c.renderLoginError(w, r, d, err)
		return
	}
	c.setCookie(w, loginCookie, "", -1)
	http.Redirect(w, r, d.Next, http.StatusSeeOther)
}

func (c *Console) renderLoginError(w http.ResponseWriter, r *http.Request, d loginData, err error) {
	d.CSRF = account.NewToken()
	c.setCookie(w, loginCookie, d.CSRF, 3600)
	e, status := apperr.As(err), http.StatusUnauthorized
	var th throttled
	if errors.As(err, &th) {
		status = http.StatusTooManyRequests
		w.Header().Set("Retry-After", strconv.Itoa(int(math.Ceil(th.wait.Seconds()))))
	}
	l := langOf(r)
	c.render(w, status, "login", pageData{Title: l.T("login.title"), Err: e, Data: d, L: l})
}

func (c *Console) logout(w http.ResponseWriter, r *http.Request, wh *who) error {
	if ck, err := r.Cookie(sessionCookie); err == nil {
		if err := c.Store.DeleteSession(r.Context(), store.HashToken(ck.Value), c.Store.Now()); err != nil {
			return err
		}
	}
	c.setCookie(w, sessionCookie, "", -1)
	http.Redirect(w, r, "/console/login", http.StatusSeeOther)
	return nil
}

// home sends each role to its first page.
func (c *Console) home(w http.ResponseWriter, r *http.Request, wh *who) error {
	to := "/console/orders"
	switch wh.User.Role {
	case account.Staff:
		to = "/console/me"
	case account.Admin:
		to = "/console/users"
	case account.Operator:
		to = "/console/orders?view=queue"
	case account.Supervisor:
		to = "/console/dashboard"
	}
	http.Redirect(w, r, to, http.StatusSeeOther)
	return nil
}

type queueData struct {
	Rows  []workorder.Row
	Count int64 // the orders the filters select, on every page
	Units []catalog.Unit
	Names map[string]catalog.Unit
	Query url.Values
	Now   time.Time
	// Calls are the calls units asked the operator to make, oldest first.
	Calls []workorder.CallRequest
	// Calling marks the orders, by id, whose unit waits for that call.
	Calling map[int64]bool
	// Suggested names the units suggested for each new order, by id;
	// Suggestions are those units for the bulk form.
	Suggested   map[int64][]string
	Suggestions []suggestion
	// Cal counts the operator's own deadline on the rows.
	Cal              workorder.Deadlines
	NextURL, PrevURL string
	// Bulk: the viewer may dispatch the new orders picked on the page.
	Bulk   bool
	Input  workorder.Input // the bulk dispatch form's starting values
	Action string          // never set: the form starts blank
	CSRF   string
}

func (c *Console) queue(w http.ResponseWriter, r *http.Request, wh *who) error {
	q := r.URL.Query()
	f, err := workorder.FilterFrom(q)
	if err != nil {
		return err
	}
	p, err := c.Service.ListPage(r.Context(), wh.actor(), f, queuePage)
	if err != nil {
		return err
	}
	d := queueData{Rows: p.Rows, Query: q, Now: c.Store.Now()}
	if d.Count, err = c.countOrders(r.Context(), wh, f); err != nil {
		return err
	}
	if d.Cal, err = c.Service.Calendar(r.Context()); err != nil {
		return err
	}
	// The bulk form shows only where there is a new order to pick.
	d.CSRF = wh.CSRF
	for _, row := range p.Rows {
		d.Bulk = d.Bulk || (row.State == workorder.New && wh.User.Role == account.Operator && wh.CSRF != "")
	}
	if p.Next != "" {
		d.NextURL = paging.URL("/console/orders", q, p.Next)
	}
	if p.Prev != "" {
		d.PrevURL = paging.URL("/console/orders", q, p.Prev)
	}
	if d.Names, err = c.Service.Units(r.Context()); err != nil {
		return err
	}
	if wh.User.Role == account.Operator {
		if d.Calls, err = c.Service.OpenCallRequests(r.Context(), wh.actor(), queuePage); err != nil {
			return err
		}
		d.Calling = map[int64]bool{}
		for _, cr := range d.Calls {
			d.Calling[cr.Order] = true
		}
	}
	if d.Bulk {
		if d.Suggested, d.Suggestions, d.Input.Unit, err = c.bulkSuggestions(r.Context(), wh.L, q, p.Rows, d.Names); err != nil {
			return err
		}
		if u := q.Get("bulk_unit"); u != "" {
			d.Input.Unit = u
		}
	}
	if wh.User.Role != account.Handler {
		if d.Units, err = c.Store.Units(r.Context(), ""); err != nil {
			return err
		}
	}
	title := wh.L.T("orders.title")
	if f.Queue {
		title = wh.L.T("queue.title")
	}
	c.render(w, http.StatusOK, "queue", pageData{Title: title, Who: wh, Flash: r.URL.Query().Get("done"), Data: d})
	return nil
}

// countOrders counts the orders of f's list that wh may see, on any page.
func (c *Console) countOrders(ctx context.Context, wh *who, f workorder.Filter) (int64, error) {
	f.After, f.Before, f.Limit = nil, nil, 0
	if wh.User.Role == account.Handler {
		f.Unit = wh.User.Unit
	}
	return c.Store.CountOrders(ctx, f)
}

type orderData struct {
	*workorder.OrderView
	Units []catalog.Unit
	Names reviewNames
	Trail []auditLine
	// UnitNameL is the responsible unit's name in the viewer's language.
	UnitNameL string
	Tags      []review.Tag
	Now       time.Time
	Late      bool
	Rounds    []historyRound // the order's history, by round
	Calls     callsData      // the contact step
	// Suggestions are the units to dispatch to: the rated unit, then the
	// routing rules' (for the dispatch forms).
	Suggestions []suggestion
	Action      string // the action refused, when Err is set
	Input       workorder.Input
	Opinions    []opinionPart     // the other opinion on the review's transaction and stage (追评)
	Causes      []workorder.Cause // the list of causes, for the cause review's forms
}

func (c *Console) order(w http.ResponseWriter, r *http.Request, wh *who) error {
	// ?unit= is a suggestion the operator picked: the form starts on it.
	return c.showOrder(w, r, wh, r.PathValue("ref"), nil, "", workorder.Input{Unit: r.URL.Query().Get("unit")})
}

func (c *Console) showOrder(w http.ResponseWriter, r *http.Request, wh *who, ref string, failed error, action string, in workorder.Input) error {
	v, err := c.Service.Get(r.Context(), wh.actor(), ref)
	if err != nil {
		return err
	}
	d := orderData{OrderView: v, Tags: v.Review.Tags.List(), Now: c.Store.Now(), Action: action, Input: in}
	d.Late = v.Order.Overdue || v.Order.PastDue(d.Now)
	units, err := c.Service.Units(r.Context())
	if err != nil {
		return err
	}
	d.Names = c.namesOf(r.Context(), wh.L, v.Review, units)
	d.Opinions = opinionParts(wh.L, v.Review)
	d.Trail = readableAudit(wh.L, v.Audit, units)
	d.Rounds = historyRounds(wh.L, v.History, units)
	if d.Calls, err = c.callsOf(r, wh, v); err != nil {
		return err
	}
	if u, ok := units[v.Order.Unit]; ok {
		d.UnitNameL = u.Name(wh.L.Code())
	}
	if v.Can["dispatch"] || v.Can["redispatch"] || v.Can["reassign-decision"] {
		if d.Units, err = c.Store.Units(r.Context(), ""); err != nil {
			return err
		}
		d.Input.Unit = suggestUnit(in.Unit, v)
		if d.Suggestions, err = c.suggestionsFor(r.Context(), wh.L, v.Order.Number, v.Review, units); err != nil {
			return err
		}
	}
	if v.Can["cause"] || v.Can["cause-decision"] {
		if d.Causes, err = c.Store.Causes(r.Context()); err != nil {
			return err
		}
	}
	done := r.URL.Query().Get("done")
	if done != "" {
		done = wh.L.T("act." + strings.ReplaceAll(done, "-", "_"))
	}
	status, pd := http.StatusOK, pageData{Title: wh.L.Tf("order.title", v.Order.Number), Who: wh, Data: d, Flash: done}
	if failed != nil {
		pd.Err = apperr.As(failed)
		status = 422
		if pd.Err != nil {
			status = httpjson.Status(pd.Err.Code)
		}
	}
	c.render(w, status, "order", pd)
	return nil
}

// suggestUnit is the unit the dispatch form starts on: what the operator
// typed, else the unit already responsible (a re-dispatch keeps it), else
// the unit that was rated (谁办理、谁负责).
func suggestUnit(typed string, v *workorder.OrderView) string {
	switch {
	case typed != "":
		return typed
	case v.Order.Unit != "":
		return v.Order.Unit
	}
	return v.Review.Unit
}

// formInput reads an action's fields from a form.
func formInput(r *http.Request) (workorder.Input, error) {
	in := workorder.Input{
		Unit: r.PostFormValue("unit"), Complexity: workorder.Complexity(r.PostFormValue("complexity")),
		Note: r.PostFormValue("note"), Reason: r.PostFormValue("reason"), Findings: r.PostFormValue("findings"),
		Rectification: r.PostFormValue("rectification"), Answer: r.PostFormValue("answer"), Ground: r.PostFormValue("ground"),
		Cause: r.PostFormValue("cause"),
	}
	// A blank "working days" takes the default of the complexity chosen,
	// so that the form needs no script to follow the choice.
	in.Days = workorder.DefaultDays(in.Complexity)
	if v := strings.TrimSpace(r.PostFormValue("days")); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil {
			return in, apperr.Invalidf("days", "want a whole number of working days")
		}
		in.Days = n
	}
	in.Satisfied, in.Grant, in.Uphold = yesNo(r.PostFormValue("satisfied")), yesNo(r.PostFormValue("grant")), yesNo(r.PostFormValue("uphold"))
	return in, nil
}

func (c *Console) act(w http.ResponseWriter, r *http.Request, wh *who) error {
	name := r.PathValue("action")
	act, ok := workorder.Actions[name]
	if !ok {
		return apperr.NotFoundf("action", "no such action %q", name)
	}
	in, err := formInput(r)
	if err == nil {
		o, rerr := c.Service.Resolve(r.Context(), wh.actor(), r.PathValue("ref"))
		if rerr != nil {
			return rerr
		}
		_, err = c.Service.Act(r.Context(), wh.actor(), o.ID, act, in)
	}
	if err != nil {
		code := apperr.CodeOf(err)
		if code == apperr.Invalid || code == apperr.Conflict || code == apperr.Malformed {
			return c.showOrder(w, r, wh, r.PathValue("ref"), err, name, in)
		}
		return err
	}
	http.Redirect(w, r, "/console/orders/"+url.PathEscape(r.PathValue("ref"))+"?done="+url.QueryEscape(name), http.StatusSeeOther)
	return nil
}

// summaryData is the summary with a chart of the units that most need
// supervision (summary_view.go).
type summaryData struct {
	summary.Summary
	Chart chart.Figure
}

func (c *Console) summaryOf(r *http.Request, wh *who) (summaryData, error) {
	s, err := (&summary.Service{Store: c.Store, Orders: c.Service}).Of(r.Context(), wh.actor(), r.URL.Query())
	if err != nil {
		return summaryData{}, err
	}
	return summaryData{Summary: s, Chart: supervisionChart(wh.L, s.Rows, s.Units)}, nil
}

func (c *Console) summary(w http.ResponseWriter, r *http.Request, wh *who) error {
	d, err := c.summaryOf(r, wh)
	if err != nil {
		return err
	}
	c.render(w, http.StatusOK, "summary", pageData{Title: wh.L.T("sum.title"), Who: wh, Data: d})
	return nil
}

type meData struct {
	Staff    catalog.Staff
	UnitName string
	Seats    []seatName // in the page's language
	Period   string     // of the figures and the rank
	Stats    review.Stats
	Rank     string // the staff member's rank in their unit (staff_ranking.go)
	// Invited is the transaction a rating was just invited for (devices.go).
	Invited string
}

// seatName is a workstation by name, with its hall's.
type seatName struct{ Hall, Workstation string }

// me shows window staff who they are on record and their own results
// over the recent period, the one their rank is counted over.
func (c *Console) me(w http.ResponseWriter, r *http.Request, wh *who) error {
	if wh.User.Role != account.Staff || wh.User.Staff == "" {
		return apperr.New(apperr.Forbidden, "", "this page shows a window staff member's own results")
	}
	ctx, l := r.Context(), wh.L
	st, seats, err := c.Store.StaffSeats(ctx, wh.User.Staff)
	if err != nil {
		return err
	}
	d := meData{Staff: st, Invited: r.URL.Query().Get("invited")}
	units, err := c.Service.Units(ctx)
	if err != nil {
		return err
	}
	d.UnitName = units[st.Unit].Name(string(l))
	for _, s := range seats {
		d.Seats = append(d.Seats, seatName{s.Hall.Name(string(l)), s.Workstation.NameIn(string(l))})
	}
	from, to := board.Recent(c.Store.Now())
	d.Period = figures.Period(from, to)
	t, err := c.Store.Stats(ctx, review.Filter{Staff: wh.User.Staff, From: from, To: to})
	if err != nil {
		return err
	}
	set, err := c.Store.ActiveDimensionSet(ctx)
	if err != nil {
		return err
	}
	d.Stats = t.Stats(set)
	if d.Rank, err = c.myRank(ctx, l, wh.User.Staff); err != nil {
		return err
	}
	c.render(w, http.StatusOK, "me", pageData{Title: l.T("nav.me"), Who: wh, Data: d})
	return nil
}

func requireAdmin(wh *who) error { return account.RequireAdmin(wh.actor()) }

type usersData struct {
	Users  []*account.User
	Failed map[string]int // recent failed logins by login
	Units  map[string]catalog.Unit
	Token  string // a new API token, shown once
}

func (c *Console) users(w http.ResponseWriter, r *http.Request, wh *who) error {
	if err := requireAdmin(wh); err != nil {
		return err
	}
	return c.showUsers(w, r, wh, nil, "")
}

func (c *Console) showUsers(w http.ResponseWriter, r *http.Request, wh *who, failed error, flash string) error {
	list, err := c.Store.Users(r.Context())
	if err != nil {
		return err
	}
	fails, err := c.Store.FailedLogins(r.Context(), c.Throttle, c.Store.Now())
	if err != nil {
		return err
	}
	units, err := c.Service.Units(r.Context())
	if err != nil {
		return err
	}
	pd := pageData{Title: wh.L.T("nav.users"), Who: wh, Data: usersData{Users: list, Failed: fails, Units: units}, Flash: flash,
		Warning: c.calendarWarning(r.Context(), wh.L)}
	status := http.StatusOK
	if failed != nil {
		pd.Err = apperr.As(failed)
		if pd.Err == nil {
			return failed
		}
		status = httpjson.Status(pd.Err.Code)
	}
	c.render(w, status, "users", pd)
	return nil
}

func (c *Console) addUser(w http.ResponseWriter, r *http.Request, wh *who) error {
	if err := requireAdmin(wh); err != nil {
		return err
	}
	u := &account.User{Login: r.PostFormValue("name"), DisplayName: r.PostFormValue("display_name"),
		Role: account.Role(r.PostFormValue("role")), Unit: strings.TrimSpace(r.PostFormValue("unit")),
		Staff: strings.TrimSpace(r.PostFormValue("staff"))}
	if err := c.Accounts.Create(r.Context(), wh.actor(), u, r.PostFormValue("password")); err != nil {
		return c.showUsers(w, r, wh, err, "")
	}
	return c.showUsers(w, r, wh, nil, wh.L.Tf("users.created", u.Login))
}

type calendarData struct {
	Years []int
}

func (c *Console) calendarPage(w http.ResponseWriter, r *http.Request, wh *who) error {
	if err := requireAdmin(wh); err != nil {
		return err
	}
	return c.showCalendar(w, r, wh, nil, "")
}

func (c *Console) showCalendar(w http.ResponseWriter, r *http.Request, wh *who, failed error, flash string) error {
	cal, err := c.Store.Calendar(r.Context())
	if err != nil {
		return err
	}
	pd := pageData{Title: wh.L.T("cal.title"), Who: wh, Data: calendarData{Years: cal.Years()}, Flash: flash,
		Warning: calendarWarning(wh.L, cal, c.Store.Now())}
	status := http.StatusOK
	if failed != nil {
		if pd.Err = apperr.As(failed); pd.Err == nil {
			return failed
		}
		status = httpjson.Status(pd.Err.Code)
	}
	c.render(w, status, "calendar", pd)
	return nil
}

func (c *Console) importCalendar(w http.ResponseWriter, r *http.Request, wh *who) error {
	if err := requireAdmin(wh); err != nil {
		return err
	}
	days, err := calendar.ParseCSV(strings.NewReader(r.PostFormValue("csv")))
	if err == nil {
		err = c.Store.ImportCalendar(r.Context(), days, wh.actor().String())
	}
	if err != nil {
		return c.showCalendar(w, r, wh, err, "")
	}
	c.Service.ForgetCalendar()
	return c.showCalendar(w, r, wh, nil, wh.L.Tf("cal.imported", len(days)))
}

// calendarWarning tells the administrator, from 1 November, that next
// year's official schedule is missing and deadlines reaching into it are
// provisional.
func (c *Console) calendarWarning(ctx context.Context, l Lang) string {
	cal, err := c.Service.Calendar(ctx)
	if err != nil {
		return ""
	}
	return calendarWarning(l, cal, c.Store.Now())
}

func calendarWarning(l Lang, cal *calendar.Calendar, now time.Time) string {
	y, missing := cal.Missing(now)
	if !missing {
		return ""
	}
	return l.Tf("cal.missing", y, y)
}
