package server

import (
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"log/slog"
	"net/http"
	"runtime/debug"
	"time"

	"tiny/internal/logging"
)

// logRequests gives each request an ID, and once it is answered tells
// each observer about it and logs one line about it. The ID comes from the
// X-Request-ID header when that holds a plausible one, so that a request
// can be followed across services; it is echoed in the response and added
// to every log line of the request.
//
// It runs on every request, so it is written for make bench: one recorder,
// one deferred call and two clock readings serve both the log line and the
// observers, and headers are named in their canonical form, which net/http
// would otherwise allocate on each call.
func logRequests(logger *slog.Logger, observers []Observer, next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		start := time.Now()
		id := r.Header.Get("X-Request-Id")
		if !validRequestID(id) {
			id = newRequestID()
		}
		rec := record(w)
		rec.requestID[0] = id
		w.Header()["X-Request-Id"] = rec.requestID[:]
		outer := r.Context()
		req := r.WithContext(logging.WithRequestID(outer, id))
		// Deferred, so a request aborted by a panic is counted and logged too.
		defer func() {
			end := time.Now()
			if len(observers) > 0 {
				route := req.Pattern // set by the ServeMux; never the raw path, which would make unbounded labels
				if route == "" {
					route = "unmatched"
				}
				for _, o := range observers {
					o(req.Method, route, rec.status, end.Sub(start))
				}
			}
			h := logger.Handler()
			if !h.Enabled(outer, slog.LevelInfo) {
				return
			}
			// The record goes straight to the handler: logger.LogAttrs would
			// also capture the caller's stack, which this line never shows.
			// It carries its request_id itself, with the context from
			// before the ID was added, so that all its attributes are added
			// at once.
			line := slog.NewRecord(end, slog.LevelInfo, "request", 0)
			line.AddAttrs(
				slog.String("method", req.Method),
				slog.String("path", req.URL.Path),
				slog.Int("status", rec.status),
				slog.Int64("bytes", rec.bytes),
				slog.Duration("duration", end.Sub(start)),
				slog.String("remote_addr", req.RemoteAddr),
				slog.String("request_id", id),
			)
			_ = h.Handle(outer, line) // nowhere to report a failed write
		}()
		next.ServeHTTP(rec, req)
	})
}

// validRequestID reports whether id is 1 to 200 characters, each a letter,
// a digit or one of ._:+/=-
func validRequestID(id string) bool {
	if len(id) == 0 || len(id) > 200 {
		return false
	}
	for _, c := range []byte(id) {
		ok := 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9'
		switch c {
		case '.', '_', ':', '+', '/', '=', '-':
			ok = true
		}
		if !ok {
			return false
		}
	}
	return true
}

// newRequestID returns 16 random bytes in hex.
func newRequestID() string {
	b := make([]byte, 16)
	rand.Read(b) // never fails: it crashes the program if it cannot read
	return hex.EncodeToString(b)
}

// limitBodies makes reading more than n bytes of a request body fail, so
// that no client can make a handler read without end. It must get the
// ResponseWriter of net/http, unwrapped, to close the connection after the
// reply.
func limitBodies(n int64, next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Body != http.NoBody { // what net/http gives a request without a body
			r.Body = http.MaxBytesReader(w, r.Body, n)
		}
		next.ServeHTTP(w, r)
	})
}

// recoverPanics logs a panicking handler with its stack and answers 500,
// so that one bad request does not stop the service. If the response was
// already under way it is aborted instead, so that the client does not
// take a cut-off response for a whole one.
func recoverPanics(logger *slog.Logger, next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		rec := record(w)
		defer func() {
			v := recover()
			switch v {
			case nil:
				return
			case http.ErrAbortHandler:
				panic(v) // the handler chose to abort: let net/http do it
			}
			// fmt.Sprint, so that the value is shown by its String or Error
			// method, which may redact it, as JSON would not.
			logger.ErrorContext(r.Context(), "handler panicked", "panic", fmt.Sprint(v), "stack", string(debug.Stack()))
			if rec.wroteHeader {
				panic(http.ErrAbortHandler)
			}
			http.Error(rec, http.StatusText(http.StatusInternalServerError), http.StatusInternalServerError)
		}()
		next.ServeHTTP(rec, r)
	})
}

// recorder is a ResponseWriter that remembers the status code and counts
// the bytes written. One recorder serves all the middleware of a request.
type recorder struct {
	http.ResponseWriter
	status      int
	bytes       int64
	wroteHeader bool
	requestID   [1]string // the X-Request-ID header's value, allocated with the recorder
}

// record returns w as a recorder, wrapping it unless it already is one.
func record(w http.ResponseWriter) *recorder {
	if rec, ok := w.(*recorder); ok {
		return rec
	}
	return &recorder{ResponseWriter: w, status: http.StatusOK}
}

func (rec *recorder) WriteHeader(status int) {
	// 1xx responses such as 103 Early Hints come before the real one.
	if !rec.wroteHeader && status >= 200 {
		rec.status, rec.wroteHeader = status, true
	}
	rec.ResponseWriter.WriteHeader(status)
}

func (rec *recorder) Write(b []byte) (int, error) {
	rec.wroteHeader = true
	n, err := rec.ResponseWriter.Write(b)
	rec.bytes += int64(n)
	return n, err
}

// Unwrap lets http.ResponseController reach the underlying writer.
func (rec *recorder) Unwrap() http.ResponseWriter { return rec.ResponseWriter }
