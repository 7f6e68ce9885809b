package web_test

import (
	"bytes"
	"encoding/json"
	"net/http"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"github.com/haocha/haocha/internal/account"
)

// tabletBadReview sends an anonymous 2-star review from the workstation's
// rating device and returns its work order's number.
func tabletBadReview(t *testing.T, comment string) string {
	t.Helper()
	number, proof := served(t, workstation)
	body, _ := json.Marshal(map[string]any{"transaction": number, "transaction_proof": proof, "channel": "tablet", "workstation": workstation, "item": item, "stage": "acceptance",
		"stars": 2, "tags": []string{"attitude"}, "comment": comment, "anonymous": true, "qr_token": token(workstation)})
	resp, err := http.Post(srv.URL+"/api/v1/reviews", "application/json", bytes.NewReader(body))
	must(t, err)
	defer resp.Body.Close()
	var created struct {
		WorkOrder string `json:"work_order"`
	}
	must(t, json.NewDecoder(resp.Body).Decode(&created))
	if created.WorkOrder == "" {
		t.Fatalf("no work order: %d", resp.StatusCode)
	}
	return created.WorkOrder
}

// The operator's queue in a browser: sorted and paged, with the new orders
// picked by keyboard and dispatched to one unit at once.
func TestBrowserQueueBulkDispatch(t *testing.T) {
	var numbers []string
	for i := 0; i < 3; i++ {
		numbers = append(numbers, tabletBadReview(t, "排队很久，窗口只开了一个"))
	}
	staffAccount(t, "queue-operator", account.Operator, "")

	op := desk(t)
	consoleLogin(t, op, "queue-operator")
	// Other tests leave new orders too: the state filter and a long page
	// keep these three on it.
	visit(t, op, "/console/orders?view=queue&state=new&limit=100")
	checkA11y(t, op, "operator queue with bulk dispatch")
	screenshot(t, op, "console-queue-bulk-desktop-zh")
	// Space ticks a focused checkbox: the form needs no mouse.
	for _, n := range numbers[:2] {
		must(t, chromedp.Do(op, choose("#pick-"+n)))
	}
	must(t, chromedp.Do(op,
		chromedp.SetValue(chromedp.CSS("#bulk #a-unit"), "310101"),
		chromedp.Click(chromedp.CSS("#bulk button[type=submit]")),
		chromedp.WaitVisible(chromedp.CSS("#bulk-done")),
	))
	got := text(t, op, "#dispatched")
	if !strings.Contains(got, numbers[0]) || !strings.Contains(got, numbers[1]) || strings.Contains(got, numbers[2]) {
		t.Errorf("dispatched %q, want %v", got, numbers[:2])
	}
	checkA11y(t, op, "bulk dispatch result")
	screenshot(t, op, "console-bulk-result-zh")

	phone := tab(t)
	must(t, chromedp.Do(phone, chromedp.EmulateViewport(390, 844, chromedp.EmulateScale(1))))
	consoleLogin(t, phone, "queue-operator")
	visit(t, phone, "/prefs?lang=en&back=/console/orders?view=queue%26limit=2")
	checkA11y(t, phone, "operator queue on a phone, in English")
	screenshot(t, phone, "console-queue-bulk-phone-en")
	if !strings.Contains(text(t, phone, "nav.pager"), "Next") {
		t.Error("a queue page of 2 has no link to the next page")
	}
}
