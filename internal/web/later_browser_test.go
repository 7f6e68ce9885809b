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

// A later review (追评) beside the first: the citizen's follow page shows
// both, and so does the console's order page, at phone and desktop width.
func TestBrowserLaterReview(t *testing.T) {
	post := func(body map[string]any) map[string]any {
		t.Helper()
		b, _ := json.Marshal(body)
		resp, err := http.Post(srv.URL+"/api/v1/reviews", "application/json", bytes.NewReader(b))
		must(t, err)
		defer resp.Body.Close()
		var out map[string]any
		must(t, json.NewDecoder(resp.Body).Decode(&out))
		if resp.StatusCode != http.StatusCreated {
			t.Fatalf("review: %d %v", resp.StatusCode, out)
		}
		return out
	}
	// Both with the proof of the transaction the rating device showed.
	number, proof := served(t, workstation)
	first := post(map[string]any{"channel": "app", "item": item, "stage": "acceptance", "stars": 2, "tags": []string{"multiple_trips"},
		"comment": "材料要求前后不一，跑了两趟", "anonymous": true, "transaction": number, "transaction_proof": proof})
	post(map[string]any{"channel": "app", "item": item, "stage": "acceptance", "stars": 4,
		"comment": "第三次去时窗口一次说清，当天办好", "anonymous": true, "transaction": number, "transaction_proof": proof, "later_review": true})

	ctx := tab(t)
	for _, lang := range []string{"zh", "en"} {
		visit(t, ctx, "/prefs?lang="+lang+"&back="+first["follow_up"].(string))
		if got := text(t, ctx, "#later-review"); !strings.Contains(got, "第三次去时窗口一次说清") {
			t.Errorf("%s follow page: the later review reads %q", lang, got)
		}
		widths(t, ctx, "follow-later-"+lang)
	}

	staffAccount(t, "browser-later-supervisor", account.Supervisor, "")
	desk := desk(t)
	consoleLogin(t, desk, "browser-later-supervisor")
	visit(t, desk, "/console/orders/"+first["work_order"].(string))
	if got := text(t, desk, "#later-review"); !strings.Contains(got, "第三次去时窗口一次说清") {
		t.Errorf("console order page: the later review reads %q", got)
	}
	must(t, chromedp.Do(desk, chromedp.WaitVisible(chromedp.CSS("#later-review"))))
	widths(t, desk, "console-order-later")
}
