// Package logging builds the service's structured logger.
package logging

import (
	"context"
	"io"
	"log/slog"

	"example.com/deploysvc/internal/config"
)

// New returns a logger writing to w in the given format, human (text) or
// json, at the level held by level (which may change at run time). Every
// record logged with a context carrying a request ID gets a request_id.
// When w is a Stream, a record at WARN or above returns once it is written.
func New(w io.Writer, format config.LogFormat, level *slog.LevelVar) *slog.Logger {
	opts := &slog.HandlerOptions{Level: level}
	var h slog.Handler = slog.NewJSONHandler(w, opts)
	if format == config.LogHuman {
		h = slog.NewTextHandler(w, opts)
	}
	stream, _ := w.(*Stream)
	return slog.New(handler{h, stream})
}

type requestIDKey struct{}

// WithRequestID returns a copy of ctx carrying the request ID id.
func WithRequestID(ctx context.Context, id string) context.Context {
	return &requestIDContext{ctx, id}
}

// RequestID returns the request ID carried by ctx, or "".
func RequestID(ctx context.Context) string {
	if c, ok := ctx.Value(requestIDKey{}).(*requestIDContext); ok {
		return c.id
	}
	return ""
}

// requestIDContext is what context.WithValue would make, in one allocation
// instead of two (the string in an interface is the second), since one is
// made for every request.
type requestIDContext struct {
	context.Context
	id string
}

func (c *requestIDContext) Value(key any) any {
	if key == (requestIDKey{}) {
		return c
	}
	return c.Context.Value(key)
}

// handler adds the request ID from the context to every record, and waits
// for a warning or an error to be written, which may be the last line
// before a crash.
type handler struct {
	slog.Handler
	stream *Stream // nil unless the records go to one
}

func (h handler) Handle(ctx context.Context, r slog.Record) error {
	if id := RequestID(ctx); id != "" {
		r.AddAttrs(slog.String("request_id", id))
	}
	err := h.Handler.Handle(ctx, r)
	if err == nil && h.stream != nil && r.Level >= slog.LevelWarn {
		err = h.stream.Sync()
	}
	return err
}

func (h handler) WithAttrs(attrs []slog.Attr) slog.Handler {
	return handler{h.Handler.WithAttrs(attrs), h.stream}
}

func (h handler) WithGroup(name string) slog.Handler {
	return handler{h.Handler.WithGroup(name), h.stream}
}
