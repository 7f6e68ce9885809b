package sms

import (
	"bytes"
	"context"
	"log/slog"
	"strings"
	"testing"
)

func TestLogKeepsSecretsOut(t *testing.T) {
	var buf bytes.Buffer
	l := Log{Log: slog.New(slog.NewTextHandler(&buf, nil))}
	m := Message{Phone: "13812345678", Purpose: FollowLink, Text: "查看进度 https://example.gov.cn/follow/SECRETTOKEN"}
	if err := l.Send(context.Background(), m); err != nil {
		t.Fatal(err)
	}
	out := buf.String()
	for _, secret := range []string{"13812345678", "SECRETTOKEN", "follow/"} {
		if strings.Contains(out, secret) {
			t.Errorf("log holds %q: %s", secret, out)
		}
	}
	for _, want := range []string{"follow_link", "138******78"} {
		if !strings.Contains(out, want) {
			t.Errorf("log lacks %q: %s", want, out)
		}
	}
}

func TestMask(t *testing.T) {
	for _, tt := range []struct{ in, want string }{
		{"13812345678", "138******78"},
		{"02112345678", "021******78"},
		{"123", "****"},
	} {
		if got := Mask(tt.in); got != tt.want {
			t.Errorf("Mask(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}
