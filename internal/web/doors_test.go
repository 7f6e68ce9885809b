package web_test

import (
	"bufio"
	"net/http"
	"strconv"
	"strings"
	"testing"
)

// The rating form and the JSON API are two doors to one intake: the same
// refusals, counted under the same reasons, and one per-device limit
// across both.
func TestFormAndAPIShareOneIntake(t *testing.T) {
	haocha.Intake.Limit.Max = 1
	defer func() { haocha.Intake.Limit.Max = 0 }()
	const ua = "Mozilla/5.0 (two doors test device)"
	c := newClient(t)
	c.ua = ua
	api := func(body string) int {
		t.Helper()
		req, _ := http.NewRequest(http.MethodPost, srv.URL+"/api/v1/reviews", strings.NewReader(body))
		req.Header.Set("User-Agent", ua)
		req.Header.Set("Content-Type", "application/json")
		resp, _ := c.do(req)
		return resp.StatusCode
	}
	json := func(stars int) string {
		number, proof := served(t, workstation)
		return `{"channel":"window","item":"` + item + `","stage":"acceptance","workstation":"` + workstation +
			`","stars":` + strconv.Itoa(stars) + `,"anonymous":true,"qr_token":"` + token(workstation) +
			`","transaction":"` + number + `","transaction_proof":"` + proof + `"}`
	}
	stars0, limited0, window0 := counter(t, c, `refused_total{reason="invalid:stars"}`),
		counter(t, c, `refused_total{reason="rate_limited:client"}`), counter(t, c, `accepted_total{channel="window"}`)

	csrf := c.openForm(landing(workstation))
	if resp, _ := c.post("/r/"+workstation, ratingForm(csrf, "stars", "9")); resp.StatusCode != http.StatusUnprocessableEntity {
		t.Errorf("form with 9 stars: %d, want 422", resp.StatusCode)
	}
	if code := api(json(9)); code != http.StatusUnprocessableEntity {
		t.Errorf("API with 9 stars: %d, want 422", code)
	}
	if resp, _ := c.post("/r/"+workstation, ratingForm(csrf)); resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("form review: %d", resp.StatusCode)
	}
	// The same device through the other door is past the limit.
	if code := api(json(4)); code != http.StatusTooManyRequests {
		t.Errorf("API review after the form's from the same device: %d, want 429", code)
	}

	if d := counter(t, c, `refused_total{reason="invalid:stars"}`) - stars0; d != 2 {
		t.Errorf("refused for stars: %v more, want 2 (one per door)", d)
	}
	if d := counter(t, c, `refused_total{reason="rate_limited:client"}`) - limited0; d != 1 {
		t.Errorf("refused for the device limit: %v more, want 1", d)
	}
	if d := counter(t, c, `accepted_total{channel="window"}`) - window0; d != 1 {
		t.Errorf("accepted: %v more, want 1", d)
	}
}

// counter reads a haocha_reviews_ counter from /metrics; 0 when absent.
func counter(t *testing.T, c *client, name string) float64 {
	t.Helper()
	req, _ := http.NewRequest(http.MethodGet, srv.URL+"/metrics", nil)
	req.Header.Set("Authorization", "Bearer "+metricsToken)
	_, body := c.do(req)
	sc := bufio.NewScanner(strings.NewReader(body))
	for sc.Scan() {
		if v, ok := strings.CutPrefix(sc.Text(), "haocha_reviews_"+name+" "); ok {
			f, err := strconv.ParseFloat(v, 64)
			if err != nil {
				t.Fatal(err)
			}
			return f
		}
	}
	return 0
}
