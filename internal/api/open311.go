package api

import (
	"net/http"
	"strings"
	"time"

	"github.com/haocha/haocha/internal/apperr"
	"github.com/haocha/haocha/internal/caller"
	"github.com/haocha/haocha/internal/httpjson"
	"github.com/haocha/haocha/internal/review"
	"github.com/haocha/haocha/internal/workorder"
)

// Open311 GeoReport v2, read-only: work orders as service requests, so
// that civic tools that speak the standard can follow them. It shows no
// comment and no identity, only the progress: the public view. Its times
// are days (review.PublicTime): an order opens the minute its review
// comes, and that minute would name the reviewer to whoever saw them rate.

// serviceCode is the one Open311 service: a bad review of a government
// service.
const serviceCode = "bad-review"

// maxRequestIDs bounds service_request_id: each id is a read, and the
// list is public.
const maxRequestIDs = 50

type o311Service struct {
	ServiceCode string `json:"service_code"`
	ServiceName string `json:"service_name"`
	Description string `json:"description"`
	Metadata    bool   `json:"metadata"`
	Type        string `json:"type"`
	Keywords    string `json:"keywords"`
	Group       string `json:"group"`
}

type o311Request struct {
	ServiceRequestID  string     `json:"service_request_id"`
	Status            string     `json:"status"`
	StatusNotes       string     `json:"status_notes"`
	ServiceName       string     `json:"service_name"`
	ServiceCode       string     `json:"service_code"`
	AgencyResponsible string     `json:"agency_responsible"`
	ServiceNotice     string     `json:"service_notice"`
	RequestedDatetime time.Time  `json:"requested_datetime"`
	UpdatedDatetime   time.Time  `json:"updated_datetime"`
	ExpectedDatetime  *time.Time `json:"expected_datetime"`
	// Extensions: the loop's own state, round and overdue flag.
	State   workorder.State `json:"state"`
	Round   int             `json:"round"`
	Overdue bool            `json:"overdue"`
}

// o311Services are the services Open311 lists: the one, by code.
var o311Services = []o311Service{{ServiceCode: serviceCode, ServiceName: "政务服务差评工单 Government service bad review",
	Description: "A 1–2 star review of a government service, followed by the 12345 hotline until the citizen is satisfied.",
	Type:        "realtime", Keywords: "好差评,差评,12345", Group: "government services"}}

func (c *Loop) o311(o *workorder.Order, units map[string]string, now time.Time) o311Request {
	status := "open"
	if o.State == workorder.Closed {
		status = "closed"
	}
	return o311Request{ServiceRequestID: o.Number, Status: status, StatusNotes: stateNames[o.State],
		ServiceName: "政务服务差评工单", ServiceCode: serviceCode, AgencyResponsible: units[o.Unit],
		RequestedDatetime: review.PublicTime(o.CreatedAt).UTC(), UpdatedDatetime: review.PublicTime(o.UpdatedAt).UTC(), ExpectedDatetime: opt(o.Due),
		State: o.State, Round: o.Round, Overdue: o.Overdue || o.PastDue(now)}
}

func (c *Loop) unitNames(r *http.Request) (map[string]string, error) {
	units, err := c.Service.Units(r.Context())
	if err != nil {
		return nil, err
	}
	names := map[string]string{}
	for code, u := range units {
		names[code] = u.NameZH
	}
	return names, nil
}

func (c *Loop) open311Requests(w http.ResponseWriter, r *http.Request, _ *caller.Staff) error {
	q := r.URL.Query()
	if sc := q.Get("service_code"); sc != "" && sc != serviceCode {
		httpjson.Write(w, http.StatusOK, []o311Request{})
		return nil
	}
	f := workorder.Filter{}
	switch q.Get("status") {
	case "":
	case "open":
		f.Open = true
	case "closed":
		f.States = []workorder.State{workorder.Closed}
	default:
		return apperr.Invalidf("status", "want open or closed")
	}
	if ids := q.Get("service_request_id"); ids != "" {
		numbers := strings.Split(ids, ",")
		if len(numbers) > maxRequestIDs {
			return apperr.Invalidf("service_request_id", "at most %d ids, got %d", maxRequestIDs, len(numbers))
		}
		return c.open311ByNumbers(w, r, numbers)
	}
	p, err := c.open311Page(w, r, f)
	if err != nil {
		return err
	}
	names, err := c.unitNames(r)
	if err != nil {
		return err
	}
	now := c.Store.Now()
	out := make([]o311Request, 0, len(p.Rows))
	for _, row := range p.Rows {
		out = append(out, c.o311(row.Order, names, now))
	}
	httpjson.Write(w, http.StatusOK, out)
	return nil
}

func (c *Loop) open311ByNumbers(w http.ResponseWriter, r *http.Request, numbers []string) error {
	names, err := c.unitNames(r)
	if err != nil {
		return err
	}
	out := []o311Request{}
	for _, n := range numbers {
		o, err := c.Store.OrderByNumber(r.Context(), strings.TrimSpace(n))
		if apperr.Is(err, apperr.NotFound) {
			continue
		} else if err != nil {
			return err
		}
		out = append(out, c.o311(o, names, c.Store.Now()))
	}
	httpjson.Write(w, http.StatusOK, out)
	return nil
}

// open311Request answers requests/{id}.json: a one-element array, as the
// standard has it.
func (c *Loop) open311Request(w http.ResponseWriter, r *http.Request, _ *caller.Staff) error {
	id, ok := strings.CutSuffix(r.PathValue("id"), ".json")
	if !ok {
		return apperr.NotFoundf("format", "only .json is served")
	}
	o, err := c.Store.OrderByNumber(r.Context(), id)
	if err != nil {
		return err
	}
	names, err := c.unitNames(r)
	if err != nil {
		return err
	}
	httpjson.Write(w, http.StatusOK, []o311Request{c.o311(o, names, c.Store.Now())})
	return nil
}

// stateNames are the states in both languages for the Open311 status
// notes, a JSON field integrations already read.
var stateNames = map[workorder.State]string{
	workorder.New: "新工单 new", workorder.Dispatched: "已转办 dispatched", workorder.Replied: "已答复 replied",
	workorder.NotSatisfied: "不满意 not satisfied", workorder.Supervised: "督办 supervised", workorder.Closed: "已办结 closed",
}
