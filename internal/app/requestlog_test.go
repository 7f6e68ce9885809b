package app

import (
	"bytes"
	"context"
	"io"
	"log/slog"
	"testing"
	"time"
)

// A request's line is the one slog.LogAttrs writes, field for field, to a
// text or JSON handler, and none when the level is off.
func TestRequestLineAsLogAttrs(t *testing.T) {
	noTime := func(_ []string, a slog.Attr) slog.Attr {
		if a.Key == slog.TimeKey {
			return slog.Attr{}
		}
		return a
	}
	handlers := map[string]func(io.Writer, *slog.HandlerOptions) slog.Handler{
		"text": func(w io.Writer, o *slog.HandlerOptions) slog.Handler { return slog.NewTextHandler(w, o) },
		"json": func(w io.Writer, o *slog.HandlerOptions) slog.Handler { return slog.NewJSONHandler(w, o) },
	}
	for name, newHandler := range handlers {
		for _, level := range []slog.Level{slog.LevelInfo, slog.LevelWarn} {
			var got, want bytes.Buffer
			opts := &slog.HandlerOptions{Level: level, ReplaceAttr: noTime}
			ctx := context.Background()
			took := 1234567 * time.Nanosecond
			logRequest(ctx, slog.New(newHandler(&got, opts)), "POST", "/api/v1/reviews", 201, took)
			slog.New(newHandler(&want, opts)).LogAttrs(ctx, slog.LevelInfo, "request",
				slog.String("method", "POST"), slog.String("path", "/api/v1/reviews"),
				slog.Int("status", 201), slog.Duration("took", took))
			if got.String() != want.String() {
				t.Errorf("%s, level %v: line %q, slog.LogAttrs writes %q", name, level, got.String(), want.String())
			}
			if (level == slog.LevelInfo) != (got.Len() > 0) {
				t.Errorf("%s, level %v: line %q", name, level, got.String())
			}
		}
	}
}
