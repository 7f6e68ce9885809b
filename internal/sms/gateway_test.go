package sms

import (
	"context"
	"io"
	"net/http"
	"net/http/httptest"
	"testing"
)

// TestGatewayBody: the body follows the template (a form for a provider
// that takes one), with the content type and token configured; a broken
// template or address is refused at start; a non-2xx answer is an error.
func TestGatewayBody(t *testing.T) {
	var body, ctype, auth string
	status := http.StatusOK
	hs := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		b, _ := io.ReadAll(r.Body)
		body, ctype, auth = string(b), r.Header.Get("Content-Type"), r.Header.Get("Authorization")
		w.WriteHeader(status)
	}))
	defer hs.Close()
	g, err := NewGateway(GatewayConfig{URL: hs.URL, Template: "mobile={{urlquery .Phone}}&content={{urlquery .Text}}",
		ContentType: "application/x-www-form-urlencoded"})
	if err != nil {
		t.Fatal(err)
	}
	m := Message{Phone: "13812345678", Purpose: Invitation, Text: "评价 https://x/i/a&b"}
	if err := g.Send(context.Background(), m); err != nil {
		t.Fatal(err)
	}
	if want := "mobile=13812345678&content=%E8%AF%84%E4%BB%B7+https%3A%2F%2Fx%2Fi%2Fa%26b"; body != want {
		t.Errorf("body %q, want %q", body, want)
	}
	if ctype != "application/x-www-form-urlencoded" || auth != "" {
		t.Errorf("content type %q, authorization %q", ctype, auth)
	}
	g, _ = NewGateway(GatewayConfig{URL: hs.URL, Token: "tok"})
	if err := g.Send(context.Background(), Message{Phone: "13812345678", Purpose: Reminder, Text: `say "hi"`}); err != nil {
		t.Fatal(err)
	}
	if want := `{"phone":"13812345678","text":"say \"hi\"","purpose":"reminder"}`; body != want || ctype != "application/json" || auth != "Bearer tok" {
		t.Errorf("default body %q (%s, %s), want %q", body, ctype, auth, want)
	}
	status = http.StatusBadGateway
	if err := g.Send(context.Background(), m); err == nil {
		t.Error("a 502 was taken as sent")
	}
	for name, c := range map[string]GatewayConfig{
		"no address":      {},
		"not http":        {URL: "ftp://x"},
		"broken template": {URL: hs.URL, Template: "{{.Phone"},
		"unknown field":   {URL: hs.URL, Template: "{{.Mobile}}"},
	} {
		if _, err := NewGateway(c); err == nil {
			t.Errorf("%s: accepted", name)
		}
	}
}
