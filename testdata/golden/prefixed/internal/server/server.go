// Package server is the service's HTTP handler: its routes and middleware.
package server

import (
	"encoding/json"
	"log/slog"
	"net/http"
	"time"
)

// Deps is everything the handler needs.
type Deps struct {
	Logger  *slog.Logger
	Level   *slog.LevelVar // the logger's level, changed by PUT /-/log-level
	Version string
	// Routes are extra routes contributed by components, such as
	// GET /-/metrics.
	Routes []Route
	// Observers are told about every request, e.g. to count it.
	Observers []Observer
	// Backing holds the clients of backing services, such as PostgreSQL.
	Backing Backing
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

// NewServer returns the service's HTTP handler.
func NewServer(deps Deps) http.Handler {
	mux := http.NewServeMux()
	addRoutes(mux, deps)
	var h http.Handler = mux
	h = recoverPanics(deps.Logger, h)
	h = observe(deps.Observers, h)
	h = logRequests(deps.Logger, h)
	return h
}

// encode writes v as the JSON response with the given status code.
func encode(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	// An error here means the client went away: nothing left to tell it.
	_ = json.NewEncoder(w).Encode(v)
}
