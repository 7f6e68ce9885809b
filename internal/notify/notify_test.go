package notify

import (
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"io"
	"net/http"
	"net/http/httptest"
	"testing"
	"time"

	"github.com/haocha/haocha/internal/workorder"
)

func TestWebhookSigns(t *testing.T) {
	secret := []byte("shared")
	var got *http.Request
	var body []byte
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		got, body = r, must(io.ReadAll(r.Body))
	}))
	defer srv.Close()
	n := workorder.Notice{ID: 7, Event: workorder.EventOverdue, Number: "GD1", State: workorder.Dispatched}
	if err := (Webhook{URL: srv.URL, Secret: secret}).Send(context.Background(), n); err != nil {
		t.Fatal(err)
	}
	m := hmac.New(sha256.New, secret)
	m.Write(body)
	if want := "sha256=" + hex.EncodeToString(m.Sum(nil)); got.Header.Get("X-Haocha-Signature") != want {
		t.Errorf("signature %q, want %q", got.Header.Get("X-Haocha-Signature"), want)
	}
	if got.Header.Get("X-Haocha-Event") != "overdue" || got.Header.Get("X-Haocha-Delivery") != "7" {
		t.Errorf("headers %v", got.Header)
	}
	fail := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { w.WriteHeader(500) }))
	defer fail.Close()
	if err := (Webhook{URL: fail.URL}).Send(context.Background(), n); err == nil {
		t.Error("a 500 counted as delivered")
	}
}

func TestBackoff(t *testing.T) {
	for n, want := range map[int]time.Duration{1: 30 * time.Second, 2: time.Minute, 7: 32 * time.Minute, MaxAttempts: 0} {
		if got := Backoff(n); got != want {
			t.Errorf("Backoff(%d) = %s, want %s", n, got, want)
		}
	}
}

func must[T any](v T, err error) T {
	if err != nil {
		panic(err)
	}
	return v
}
