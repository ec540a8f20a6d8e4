// Package serve is the program that every variant of make bench's
// section 6 shares: bench/baseline's bare net/http server, with a
// middleware that hands each answered request to the variant's observer
// and logger, and GET /-/metrics when the variant has metrics. Only what
// a variant adds differs from one binary to the next.
package serve

import (
	"encoding/json"
	"log/slog"
	"net"
	"net/http"
	"os"
	"time"
)

// Observer is told of every answered request, by its ServeMux pattern.
type Observer func(method, route string, status int, d time.Duration)

// Options are what a variant adds to the bare server; each may be nil.
type Options struct {
	Observe Observer
	Metrics http.Handler // served on GET /-/metrics
	Log     *slog.Logger // one access-log line per request
}

// Main serves on HOST:PORT until the process is killed.
func Main(o Options) {
	mux := http.NewServeMux()
	probe := func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/health+json")
		w.Header().Set("Cache-Control", "no-store")
		_, _ = w.Write([]byte(`{"status":"pass","checks":{}}` + "\n"))
	}
	mux.HandleFunc("GET /-/healthy", probe)
	mux.HandleFunc("GET /-/ready", probe)
	mux.HandleFunc("GET /hello", func(w http.ResponseWriter, r *http.Request) {
		name := r.URL.Query().Get("name")
		if name == "" {
			name = "world"
		}
		w.Header().Set("Content-Type", "application/json")
		_ = json.NewEncoder(w).Encode(struct {
			Message string `json:"message"`
		}{"hello, " + name})
	})
	if o.Metrics != nil {
		mux.Handle("GET /-/metrics", o.Metrics)
	}
	var h http.Handler = mux
	if o.Observe != nil || o.Log != nil {
		h = observe(o, mux)
	}
	addr := net.JoinHostPort(os.Getenv("HOST"), os.Getenv("PORT"))
	if err := http.ListenAndServe(addr, h); err != nil {
		os.Stderr.WriteString("variant: " + err.Error() + "\n")
		os.Exit(1)
	}
}

// observe times each request, then tells the observer and logs a line,
// as the generated service's middleware does (without its request ID).
func observe(o Options, next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		start := time.Now()
		rec := &recorder{ResponseWriter: w, status: http.StatusOK}
		next.ServeHTTP(rec, r)
		d := time.Since(start)
		if o.Observe != nil {
			route := r.Pattern // set by the ServeMux: never the raw path
			if route == "" {
				route = "unmatched"
			}
			o.Observe(r.Method, route, rec.status, d)
		}
		if o.Log != nil {
			o.Log.LogAttrs(r.Context(), slog.LevelInfo, "request",
				slog.String("method", r.Method),
				slog.String("path", r.URL.Path),
				slog.Int("status", rec.status),
				slog.Int64("bytes", rec.bytes),
				slog.Duration("duration", d),
				slog.String("remote_addr", r.RemoteAddr),
			)
		}
	})
}

// recorder remembers the status and counts the bytes of a response.
type recorder struct {
	http.ResponseWriter
	status int
	bytes  int64
}

func (r *recorder) WriteHeader(code int) {
	r.status = code
	r.ResponseWriter.WriteHeader(code)
}

func (r *recorder) Write(b []byte) (int, error) {
	n, err := r.ResponseWriter.Write(b)
	r.bytes += int64(n)
	return n, err
}
