package server

import (
	"cmp"
	"crypto/rand"
	"fmt"
	"net/http"
	"runtime/debug"
	"strings"
	"time"

	"example.com/grown/internal/logging"
)

// middleware wraps h in what every request goes through, the outermost
// last. Add your own here: each is a func(http.Handler) http.Handler.
func middleware(deps Deps, h http.Handler) http.Handler {
	h = logAndRecover(deps)(h)
	h = requestID(h)
	h = limitBodies(maxBodyBytes)(h)
	return h
}

// limitBodies makes reading more than n bytes of a request body fail, so
// that no client can make a handler read without end. It must get the
// ResponseWriter of net/http, unwrapped, to close the connection after the
// reply.
func limitBodies(n int64) func(http.Handler) http.Handler {
	return func(next http.Handler) http.Handler { return http.MaxBytesHandler(next, n) }
}

// requestIDChars are the characters of a request ID that a client may
// send: letters, digits and ._:+/=-
const requestIDChars = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789._:+/=-"

// requestID gives each request an ID, taken from the X-Request-ID header
// when that holds a plausible one (1 to 200 of requestIDChars), so that a
// request can be followed across services. It is echoed in the response
// and added to every log line of the request.
func requestID(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		id := r.Header.Get("X-Request-ID")
		if id == "" || len(id) > 200 || strings.Trim(id, requestIDChars) != "" {
			id = rand.Text()
		}
		w.Header().Set("X-Request-ID", id)
		next.ServeHTTP(w, r.WithContext(logging.WithRequestID(r.Context(), id)))
	})
}

// logAndRecover answers each request through a recorder, then logs one
// line about it, if deps.AccessLog, and tells each observer about it.
// Observers get its route, the ServeMux pattern that matched, never the
// raw path, which would make unbounded metric labels. A panicking handler
// is logged with its stack and answered 500, so that one bad request does
// not stop the service; if the response was already under way it is
// aborted instead, so that the client does not take a cut-off response for
// a whole one.
func logAndRecover(deps Deps) func(http.Handler) http.Handler {
	return func(next http.Handler) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			start := time.Now()
			rec := &recorder{ResponseWriter: w, status: http.StatusOK}
			defer func() {
				v := recover()
				if v != nil && v != http.ErrAbortHandler { // ErrAbortHandler: the handler chose to abort
					// fmt.Sprint, so that the value is shown by its String or
					// Error method, which may redact it, as JSON would not.
					deps.Logger.ErrorContext(r.Context(), "handler panicked", "panic", fmt.Sprint(v), "stack", string(debug.Stack()))
					v = http.ErrAbortHandler
					if !rec.wroteHeader {
						v = nil
						http.Error(rec, http.StatusText(http.StatusInternalServerError), http.StatusInternalServerError)
					}
				}
				d := time.Since(start)
				if deps.AccessLog {
					deps.Logger.InfoContext(r.Context(), "request", "method", r.Method, "path", r.URL.Path, "status", rec.status,
						"bytes", rec.bytes, "duration", d, "remote_addr", r.RemoteAddr)
				}
				route := cmp.Or(r.Pattern, "unmatched") // r.Pattern is set by the ServeMux
				for _, o := range deps.Observers {
					o(r.Method, route, rec.status, d)
				}
				if v != nil {
					panic(v) // let net/http abort the response
				}
			}()
			next.ServeHTTP(rec, r)
		})
	}
}

// recorder is a ResponseWriter that remembers the status code and counts
// the bytes written.
type recorder struct {
	http.ResponseWriter
	status      int
	bytes       int64
	wroteHeader bool
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
