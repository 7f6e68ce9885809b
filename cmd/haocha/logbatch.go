package main

import (
	"context"
	"io"
	"log/slog"
	"sync"
	"time"
)

// The server logs a line for each request it answers. Written one by one,
// each line is a system call of its own (a few µs, more to a pipe such as
// journald's): a noticeable part of an honest review's cost. The serve
// command's log therefore gathers its lines and writes them together at
// most logEvery later, or once logBatchMax bytes are waiting; a line at
// WARN or above goes out at once with everything before it, so that what
// explains a fault is never the part held back.
const (
	logEvery    = 100 * time.Millisecond
	logBatchMax = 32 << 10
)

// logBatch is a writer that gathers what is written to w (see above).
type logBatch struct {
	w io.Writer

	mu      sync.Mutex
	buf     []byte
	pending bool // a flush is due
}

func (b *logBatch) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	b.buf = append(b.buf, p...)
	if len(b.buf) >= logBatchMax {
		return len(p), b.flushLocked()
	}
	if !b.pending {
		b.pending = true
		time.AfterFunc(logEvery, func() { b.Flush() })
	}
	return len(p), nil
}

// Flush writes out what is waiting.
func (b *logBatch) Flush() error {
	b.mu.Lock()
	defer b.mu.Unlock()
	b.pending = false
	return b.flushLocked()
}

func (b *logBatch) flushLocked() error {
	if len(b.buf) == 0 {
		return nil
	}
	_, err := b.w.Write(b.buf)
	b.buf = b.buf[:0]
	if cap(b.buf) > 4*logBatchMax {
		b.buf = nil // a burst of long lines is not kept for good
	}
	return err
}

// flushing is a handler writing to a logBatch that flushes it after a
// record at WARN or above.
type flushing struct {
	slog.Handler
	out *logBatch
}

func (h flushing) Handle(ctx context.Context, r slog.Record) error {
	err := h.Handler.Handle(ctx, r)
	if r.Level >= slog.LevelWarn {
		if ferr := h.out.Flush(); err == nil {
			err = ferr
		}
	}
	return err
}

func (h flushing) WithAttrs(attrs []slog.Attr) slog.Handler {
	return flushing{h.Handler.WithAttrs(attrs), h.out}
}

func (h flushing) WithGroup(name string) slog.Handler {
	return flushing{h.Handler.WithGroup(name), h.out}
}
