package app

import (
	"context"
	"log/slog"
	"time"
)

// logRequest is observe's line for an answered request: slog.LogAttrs'
// record without its caller's pc, which the handlers (a TextHandler, no
// AddSource) never print and which cost a stack walk, runtime.Callers, a
// request.
func logRequest(ctx context.Context, log *slog.Logger, method, path string, status int, took time.Duration) {
	h := log.Handler()
	if !h.Enabled(ctx, slog.LevelInfo) {
		return
	}
	rec := slog.NewRecord(time.Now(), slog.LevelInfo, "request", 0)
	rec.AddAttrs(slog.String("method", method), slog.String("path", path),
		slog.Int("status", status), slog.Duration("took", took))
	_ = h.Handle(ctx, rec)
}
