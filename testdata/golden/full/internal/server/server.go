// Package server is the service's HTTP handler: its routes and middleware.
package server

import (
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"path"
	"strings"
	"time"

	"github.com/acme/fullsvc/internal/config"
)

// maxBodyBytes is the largest request body a handler can read: reading
// more fails with *http.MaxBytesError, which decode answers with 413.
// Raise it if a route of yours takes uploads.
const maxBodyBytes = 1 << 20

// Deps is everything the handler needs.
type Deps struct {
	Logger    *slog.Logger
	Level     *slog.LevelVar // the logger's level, changed by PUT /-/log-level
	AccessLog bool           // one log line per request
	Version   string
	// Routes are extra routes contributed by components, such as
	// GET /-/metrics.
	Routes []Route
	// Observers are told about every request, e.g. to count it.
	Observers []Observer
	// Backing holds what components give your handlers, such as the
	// clients of backing services.
	Backing Backing
	App     config.App // your settings: internal/config/app.go
}

// Route is a handler and its ServeMux pattern, such as "GET /-/metrics".
type Route struct {
	Pattern string
	Handler http.Handler
}

// Observer is told about each request once it is answered: its method,
// the route pattern that matched ("unmatched" if none), the status code
// and how long it took.
type Observer func(method, route string, status int, d time.Duration)

// NewServer returns the service's HTTP handler, with every route: those
// for operators under /-/ too.
func NewServer(deps Deps) http.Handler {
	mux := http.NewServeMux()
	addRoutes(mux, deps)
	return middleware(deps, mux)
}

// NewPublicAndAdmin returns the handlers of two listeners: admin serves
// only the routes under /-/, public every other one. Each answers 404 to
// the paths of the other, so that the public port cannot reach
// /-/log-level or /-/metrics.
func NewPublicAndAdmin(deps Deps) (public, admin http.Handler) {
	mux := http.NewServeMux()
	addRoutes(mux, deps)
	return middleware(deps, only(false, mux)), middleware(deps, only(true, mux))
}

// only passes on the requests for paths under /-/ (once cleaned as
// ServeMux cleans them) if admin is true, the others if it is false, and
// answers the rest 404, as if they had no route.
func only(admin bool, next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		p := path.Clean("/" + r.URL.Path)
		if (p == "/-" || strings.HasPrefix(p, "/-/")) != admin {
			http.NotFound(w, r)
			return
		}
		next.ServeHTTP(w, r)
	})
}

// errorResponse is the body of a response that refuses a request.
type errorResponse struct {
	Error string `json:"error"`
}

// decode reads the JSON request body into v. When it cannot, it answers
// the request itself, 413 if the body is larger than maxBodyBytes, 400 if
// it is not JSON of the right shape, and returns false.
func decode(w http.ResponseWriter, r *http.Request, v any) bool {
	err := json.NewDecoder(r.Body).Decode(v)
	var tooLarge *http.MaxBytesError
	switch {
	case err == nil:
		return true
	case errors.As(err, &tooLarge):
		msg := fmt.Sprintf("body larger than %d bytes", tooLarge.Limit)
		encode(w, http.StatusRequestEntityTooLarge, errorResponse{Error: msg})
	default:
		encode(w, http.StatusBadRequest, errorResponse{Error: "body is not the JSON expected: " + err.Error()})
	}
	return false
}

// encode writes v as the JSON response with the given status code.
func encode(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	// An error here means the client went away: nothing left to tell it.
	_ = json.NewEncoder(w).Encode(v)
}
