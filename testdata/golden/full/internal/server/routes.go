package server

import (
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"strings"
)

// addRoutes registers every route of the service. The routes under /-/
// are for operators, not for the public: keep them private (with
// ADMIN_PORT they are served only on a listener of their own).
func addRoutes(mux *http.ServeMux, deps Deps) {
	mux.Handle("GET /hello", handleHello())
	mux.Handle("POST /hello", handlePostHello())
	mux.Handle("GET /-/version", handleVersion(deps.Version))
	mux.Handle("GET /-/log-level", handleLogLevel(deps.Level))
	mux.Handle("PUT /-/log-level", handleSetLogLevel(deps.Logger, deps.Level))
	for _, route := range deps.Routes {
		mux.Handle(route.Pattern, route.Handler)
	}
}

// handleHello is an example: GET /hello?name=Ada says hello to Ada.
func handleHello() http.Handler {
	type response struct {
		Message string `json:"message"`
	}
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		name := r.URL.Query().Get("name")
		if name == "" {
			name = "world"
		}
		encode(w, http.StatusOK, response{Message: "hello, " + name})
	})
}

// handlePostHello is an example that reads a JSON body: POST /hello with
// {"name":"Ada"} says hello to Ada.
func handlePostHello() http.Handler {
	type request struct {
		Name string `json:"name"`
	}
	type response struct {
		Message string `json:"message"`
	}
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		var req request
		if !decode(w, r, &req) {
			return
		}
		if req.Name == "" {
			req.Name = "world"
		}
		encode(w, http.StatusOK, response{Message: "hello, " + req.Name})
	})
}

func handleVersion(version string) http.Handler {
	type response struct {
		Version string `json:"version"`
	}
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		encode(w, http.StatusOK, response{Version: version})
	})
}

type levelResponse struct {
	Level string `json:"level"`
}

func handleLogLevel(level *slog.LevelVar) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		encode(w, http.StatusOK, levelResponse{Level: level.Level().String()})
	})
}

// handleSetLogLevel sets the log level from a body such as "debug".
func handleSetLogLevel(logger *slog.Logger, level *slog.LevelVar) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, err := io.ReadAll(http.MaxBytesReader(w, r.Body, 64))
		if err != nil {
			encode(w, http.StatusBadRequest, errorResponse{Error: "body too long: send a level name such as debug"})
			return
		}
		var next slog.Level
		err = next.UnmarshalText([]byte(strings.TrimSpace(string(body))))
		if err != nil || next < slog.LevelDebug || next > slog.LevelError {
			msg := fmt.Sprintf("unknown level %q (use debug, info, warn or error)", body)
			encode(w, http.StatusBadRequest, errorResponse{Error: msg})
			return
		}
		prev := level.Level()
		level.Set(next)
		// Log at a level that is enabled both before and after the change.
		logger.Log(r.Context(), max(prev, next, slog.LevelInfo), "log level changed", "from", prev, "to", next)
		encode(w, http.StatusOK, levelResponse{Level: next.String()})
	})
}
