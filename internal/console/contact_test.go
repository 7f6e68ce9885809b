package console_test

import (
	"bytes"
	"encoding/json"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/haocha/haocha/internal/app"
	"github.com/haocha/haocha/internal/store/storetest"
)

// TestCallRequestThroughTheOperator: the unit, which sees a masked phone,
// asks the operator to call; the order comes into the operator's queue
// with the request; the operator marks it done and that is the first
// contact. Another unit, the supervisor and an anonymous review's unit
// cannot ask; the handler never receives the whole number.
func TestCallRequestThroughTheOperator(t *testing.T) {
	eachBackend(t, testCallRequestThroughTheOperator)
}

func testCallRequestThroughTheOperator(t *testing.T, e *env) {
	number, _ := e.badReview(false)
	anon, _ := e.badReview(true)
	path := "/api/v1/orders/" + number
	for _, n := range []string{number, anon} {
		e.must(200, "POST", "/api/v1/orders/"+n+"/dispatch", "operator", map[string]any{"unit": unitA, "complexity": "simple", "days": 1})
	}
	e.must(404, "POST", path+"/call-request", "handlerB", map[string]any{"note": "x"})
	e.must(403, "POST", path+"/call-request", "supervisor", map[string]any{"note": "x"})
	if st, out := e.call("POST", "/api/v1/orders/"+anon+"/call-request", "handlerA", nil); st != 409 || out["field"] != "phone" {
		t.Errorf("call request on an anonymous review = %d %v, want 409 naming phone", st, out)
	}
	before := e.must(200, "GET", "/api/v1/orders?view=queue", "operator", nil)
	if listHas(before, number) {
		t.Fatal("a freshly dispatched order is already in the operator's queue")
	}
	cr := e.must(201, "POST", path+"/call-request", "handlerA", map[string]any{"note": "请告知我们下午回电"})
	e.must(409, "POST", path+"/call-request", "handlerA", nil)
	if !listHas(e.must(200, "GET", "/api/v1/orders?view=queue", "operator", nil), number) {
		t.Error("an order with a call request is not in the operator's queue")
	}
	calls := e.must(200, "GET", "/api/v1/call-requests", "operator", nil)["call_requests"].([]any)
	if len(calls) != 1 || calls[0].(map[string]any)["work_order"] != number {
		t.Errorf("operator's open calls = %v, want the one of %s", calls, number)
	}
	e.must(403, "GET", "/api/v1/call-requests", "handlerA", nil)

	// The operator's order page shows the request and the whole number;
	// the handler's shows the request pending and a masked number.
	op := e.login("operator", password).get("/console/orders/" + number)
	if !strings.Contains(op, "请告知我们下午回电") || !strings.Contains(op, "13912345678") || !strings.Contains(op, "call-requests/") {
		t.Error("operator's order page lacks the call request, the number or the form to mark it done")
	}
	hp := e.login("handlerA", password).get("/console/orders/" + number)
	if strings.Contains(hp, "13912345678") || !strings.Contains(hp, "139****5678") {
		t.Error("handler's order page shows the whole number, or no masked one")
	}

	id := int(cr["id"].(float64))
	done := path + "/call-requests/" + strconv.Itoa(id) + "/done"
	e.must(403, "POST", done, "handlerA", map[string]any{"reached": true})
	e.must(422, "POST", done, "operator", map[string]any{})
	e.clock.Add(30 * time.Minute)
	e.must(200, "POST", done, "operator", map[string]any{"reached": true, "note": "市民同意下午回电"})
	e.must(409, "POST", done, "operator", map[string]any{"reached": true})
	o := e.order(number)
	if o.ContactedAt.IsZero() || !o.ContactedAt.Equal(e.clock.Now().Truncate(time.Millisecond)) {
		t.Errorf("first contact at %v, want %v (when the operator reached the citizen)", o.ContactedAt, e.clock.Now())
	}
	if len(e.must(200, "GET", "/api/v1/call-requests", "operator", nil)["call_requests"].([]any)) != 0 {
		t.Error("a finished call request is still open")
	}
	// Nothing the handler can read carries the number.
	for _, p := range []string{path, "/api/v1/orders"} {
		req, _ := http.NewRequest("GET", e.srv.URL+p, nil)
		req.Header.Set("Authorization", "Bearer "+e.tokens["handlerA"])
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		b, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		if bytes.Contains(b, []byte("13912345678")) {
			t.Errorf("GET %s as the handler carries the whole number", p)
		}
	}
}

// exchange is a fake telephone exchange: it records the calls it is asked
// to bridge and answers with status.
type exchange struct {
	mu     sync.Mutex
	status int
	calls  []map[string]string
}

func (x *exchange) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	var c map[string]string
	json.NewDecoder(r.Body).Decode(&c)
	x.mu.Lock()
	defer x.mu.Unlock()
	x.calls = append(x.calls, c)
	w.WriteHeader(x.status)
}

// TestClickToCall: through a configured exchange, the handler's call is
// bridged with the citizen's number, which the handler never receives, and
// is the first contact; a failing exchange records nothing; without an
// exchange the request is logged without the number and no contact is
// recorded.
func TestClickToCall(t *testing.T) {
	x := &exchange{status: http.StatusServiceUnavailable}
	hook := httptest.NewServer(x)
	defer hook.Close()
	e := newEnvWith(t, storetest.SQLiteDSN(t), discardLog(), app.LoopConfig{TelephonyURL: hook.URL})
	number, _ := e.badReview(false)
	path := "/api/v1/orders/" + number
	e.must(200, "POST", path+"/dispatch", "operator", map[string]any{"unit": unitA, "complexity": "simple", "days": 1})

	if st, out := e.call("POST", path+"/call", "handlerA", map[string]any{"phone": "abc"}); st != 422 || out["field"] != "phone" {
		t.Errorf("call with a bad own phone = %d %v, want 422 naming phone", st, out)
	}
	e.must(404, "POST", path+"/call", "handlerB", map[string]any{"phone": "021-6000 1234"})
	e.must(503, "POST", path+"/call", "handlerA", map[string]any{"phone": "021-6000 1234"})
	if !e.order(number).ContactedAt.IsZero() {
		t.Fatal("a call the exchange refused was recorded as the first contact")
	}
	x.mu.Lock()
	x.status = http.StatusAccepted
	x.mu.Unlock()
	st, raw := e.call("POST", path+"/call", "handlerA", map[string]any{"phone": "021-6000 1234"})
	if st != 200 || raw["placed"] != true {
		t.Fatalf("bridged call = %d %v", st, raw)
	}
	if e.order(number).ContactedAt.IsZero() {
		t.Error("a placed call is not the first contact")
	}
	x.mu.Lock()
	last := x.calls[len(x.calls)-1]
	x.mu.Unlock()
	if last["callee"] != "13912345678" || last["caller"] != "021-6000 1234" || last["work_order"] != number {
		t.Errorf("exchange got %v, want the citizen's number, the handler's phone and the order", last)
	}

	// Without an exchange: logged without the number, nothing recorded.
	var logs bytes.Buffer
	e2 := newEnvWith(t, storetest.SQLiteDSN(t), slog.New(slog.NewTextHandler(&logs, nil)), app.LoopConfig{})
	n2, _ := e2.badReview(false)
	e2.must(200, "POST", "/api/v1/orders/"+n2+"/dispatch", "operator", map[string]any{"unit": unitA, "complexity": "simple", "days": 1})
	if out := e2.must(200, "POST", "/api/v1/orders/"+n2+"/call", "handlerA", map[string]any{"phone": "6000"}); out["placed"] != false {
		t.Errorf("call without an exchange = %v, want placed false", out)
	}
	if !e2.order(n2).ContactedAt.IsZero() {
		t.Error("a call never placed was recorded as the first contact")
	}
	if !strings.Contains(logs.String(), n2) || strings.Contains(logs.String(), "13912345678") {
		t.Errorf("log of an unplaced call: want the order and never the number:\n%s", logs.String())
	}
	// The page form says so too.
	c := e2.login("handlerA", password)
	if st := c.post("/console/orders/"+n2+"/call", url.Values{"phone": {"6000"}}, true); st != 200 || !strings.Contains(c.last, "未配置电话系统") {
		t.Errorf("page call without an exchange = %d, want the order page saying no call was placed", st)
	}
}
