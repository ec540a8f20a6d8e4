package server

import (
	"bytes"
	"encoding/json"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/acme/billing/internal/config"
	"github.com/acme/billing/internal/logging"
)

// newTestServer returns the handler built from deps, filling in a JSON
// logger writing to the returned buffer and a level at INFO.
func newTestServer(t *testing.T, deps Deps) (http.Handler, *bytes.Buffer) {
	t.Helper()
	var logs bytes.Buffer
	if deps.Level == nil {
		deps.Level = new(slog.LevelVar)
	}
	deps.Logger = logging.New(&logs, config.LogJSON, deps.Level)
	return NewServer(deps), &logs
}

// serve sends one request to h and returns the response.
func serve(h http.Handler, method, target, body string) *httptest.ResponseRecorder {
	w := httptest.NewRecorder()
	h.ServeHTTP(w, httptest.NewRequest(method, target, strings.NewReader(body)))
	return w
}

func TestRoutes(t *testing.T) {
	h, _ := newTestServer(t, Deps{Version: "v1.2.3"})
	tests := []struct {
		method, target string
		status         int
		body           string
		request        string // the request body, if any
	}{
		{"GET", "/hello", 200, `{"message":"hello, world"}`, ""},
		{"GET", "/hello?name=Ada", 200, `{"message":"hello, Ada"}`, ""},
		{"GET", "/-/version", 200, `{"version":"v1.2.3"}`, ""},
		{"GET", "/-/log-level", 200, `{"level":"INFO"}`, ""},
		{"POST", "/hello", 200, `{"message":"hello, world"}`, `{}`},
		{"POST", "/hello", 200, `{"message":"hello, Ada"}`, `{"name":"Ada"}`},
		{"POST", "/hello", 400, `{"error":"body is not the JSON expected: EOF"}`, ``},
		{"POST", "/hello", 413, `{"error":"body larger than 1048576 bytes"}`, `{"name":"` + strings.Repeat("a", maxBodyBytes) + `"}`},
		{"DELETE", "/hello", 405, "Method Not Allowed", ""},
		{"GET", "/nowhere", 404, "404 page not found", ""},
	}
	for _, tt := range tests {
		w := serve(h, tt.method, tt.target, tt.request)
		if w.Code != tt.status || strings.TrimSpace(w.Body.String()) != tt.body {
			t.Errorf("%s %s %.40q = %d %q, want %d %q", tt.method, tt.target, tt.request, w.Code, w.Body, tt.status, tt.body)
		}
	}
}

func TestSetLogLevel(t *testing.T) {
	level := new(slog.LevelVar)
	h, logs := newTestServer(t, Deps{Level: level})

	w := serve(h, "PUT", "/-/log-level", "debug\n")
	if w.Code != 200 || strings.TrimSpace(w.Body.String()) != `{"level":"DEBUG"}` || level.Level() != slog.LevelDebug {
		t.Errorf("PUT debug = %d %q, level %v", w.Code, w.Body, level.Level())
	}
	if !strings.Contains(logs.String(), `"msg":"log level changed","from":"INFO","to":"DEBUG"`) {
		t.Errorf("the change was not logged: %s", logs)
	}
	if w := serve(h, "GET", "/-/log-level", ""); !strings.Contains(w.Body.String(), "DEBUG") {
		t.Errorf("GET after PUT = %q", w.Body)
	}

	for _, body := range []string{"loud", "", strings.Repeat("x", 100), "ERROR+1000", "debug-1"} {
		w := serve(h, "PUT", "/-/log-level", body)
		var resp struct{ Error string }
		if err := json.Unmarshal(w.Body.Bytes(), &resp); w.Code != 400 || err != nil || resp.Error == "" {
			t.Errorf("PUT %q = %d %q, want 400 with an error message", body, w.Code, w.Body)
		}
	}
	if level.Level() != slog.LevelDebug {
		t.Errorf("bad requests changed the level to %v", level.Level())
	}
}

// TestPublicAndAdmin checks that with an admin listener each handler
// serves its own routes only, whatever the spelling of the path.
func TestPublicAndAdmin(t *testing.T) {
	var logs bytes.Buffer
	level := new(slog.LevelVar)
	public, admin := NewPublicAndAdmin(Deps{Version: "v1.2.3", Level: level, Logger: logging.New(&logs, config.LogJSON, level)})
	for _, tt := range []struct {
		h              http.Handler
		name           string
		method, target string
		status         int
	}{
		{public, "public", "GET", "/hello", 200},
		{public, "public", "GET", "/-/version", 404},
		{public, "public", "PUT", "/-/log-level", 404},
		{public, "public", "GET", "//-/version", 404},
		{public, "public", "GET", "/x/../-/version", 404},
		{public, "public", "GET", "/%2D/version", 404},
		{admin, "admin", "GET", "/-/version", 200},
		{admin, "admin", "GET", "/-/log-level", 200},
		{admin, "admin", "GET", "/hello", 404},
	} {
		if w := serve(tt.h, tt.method, tt.target, "debug"); w.Code != tt.status {
			t.Errorf("%s: %s %s = %d, want %d", tt.name, tt.method, tt.target, w.Code, tt.status)
		}
	}
	if level.Level() != slog.LevelInfo {
		t.Errorf("the public handler changed the log level to %s", level.Level())
	}
}
