package web_test

import (
	"net/http"
	"strings"
	"testing"
)

// TestTransactionNumberIsNoOracle: a review naming a reported transaction
// without its invitation link gets the very answer a made-up number gets,
// a malformed one included, and says nothing of the transaction; the
// review is refused, so the citizen's own link still rates; and guessing
// is throttled per device.
func TestTransactionNumberIsNoOracle(t *testing.T) {
	link := invited(t, "ORACLE-REAL-1", "13700002222")
	c := newClient(t)
	c.ua = "Mozilla/5.0 (oracle test guesser)"
	api := func(number string, stars int) (int, string) {
		t.Helper()
		body := `{"channel":"app","item":"` + item + `","stage":"acceptance","stars":` + string(rune('0'+stars)) +
			`,"comment":"差","anonymous":true,"transaction":"` + number + `"}`
		req, _ := http.NewRequest(http.MethodPost, srv.URL+"/api/v1/reviews", strings.NewReader(body))
		req.Header.Set("Content-Type", "application/json")
		resp, got := c.do(req)
		return resp.StatusCode, got
	}
	for _, stars := range []int{0, 1} {
		realCode, realBody := api("ORACLE-REAL-1", stars)
		fakeCode, fakeBody := api("ORACLE-MADE-UP", stars)
		if realCode != fakeCode || realBody != fakeBody {
			t.Errorf("%d stars: a real number answers %d %s, a made-up one %d %s", stars, realCode, realBody, fakeCode, fakeBody)
		}
		if realCode != http.StatusForbidden || !strings.Contains(realBody, `"field":"transaction"`) {
			t.Errorf("%d stars naming a stranger's transaction: %d %s, want 403 naming transaction", stars, realCode, realBody)
		}
		mustNotContain(t, realBody, workstation, "310101", "黄浦")
	}

	// The citizen's own link still rates: nobody's review took its place.
	ci := newClient(t)
	csrf := ci.openForm(link)
	if resp, body := ci.post(link, ratingForm(csrf, "t", "", "item", "", "stars", "5")); resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("the citizen's own link after a stranger named the number: %d %s", resp.StatusCode, body)
	}
	// Its receipt hands the citizen, and only them, the token of the later review.
	mustContain(t, ci.page("/thanks"), `id="thanks-later"`, haocha.Intake.LaterToken("ORACLE-REAL-1"))

	// Guessing stops: the device made 4 failed attempts; at the limit it is refused.
	for i := 4; i < 10; i++ {
		api("ORACLE-GUESS", 1)
	}
	if code, body := api("ORACLE-REAL-1", 1); code != http.StatusTooManyRequests {
		t.Errorf("after 10 failed attempts: %d %s, want 429", code, body)
	}
}
