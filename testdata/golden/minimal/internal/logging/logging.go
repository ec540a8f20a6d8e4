// Package logging builds the service's logger: log/slog's JSON or text
// handler writing to stdout, adding to every line of a request its ID.
package logging

import (
	"context"
	"io"
	"log/slog"

	"tiny/internal/config"
)

// New returns a logger writing to w in the given format, human (text) or
// json, at the level held by level (which may change at run time). Every
// record logged with a context carrying a request ID gets a request_id.
func New(w io.Writer, format config.LogFormat, level *slog.LevelVar) *slog.Logger {
	opts := &slog.HandlerOptions{Level: level}
	var h slog.Handler = slog.NewJSONHandler(w, opts)
	if format == config.LogHuman {
		h = slog.NewTextHandler(w, opts)
	}
	return slog.New(handler{h})
}

type requestIDKey struct{}

// WithRequestID returns a copy of ctx carrying the request ID id.
func WithRequestID(ctx context.Context, id string) context.Context {
	return context.WithValue(ctx, requestIDKey{}, id)
}

// RequestID returns the request ID carried by ctx, or "".
func RequestID(ctx context.Context) string {
	id, _ := ctx.Value(requestIDKey{}).(string)
	return id
}

// handler adds the request ID from the context to every record.
type handler struct{ slog.Handler }

func (h handler) Handle(ctx context.Context, r slog.Record) error {
	if id := RequestID(ctx); id != "" {
		r.AddAttrs(slog.String("request_id", id))
	}
	return h.Handler.Handle(ctx, r)
}

func (h handler) WithAttrs(attrs []slog.Attr) slog.Handler {
	return handler{h.Handler.WithAttrs(attrs)}
}

func (h handler) WithGroup(name string) slog.Handler {
	return handler{h.Handler.WithGroup(name)}
}
