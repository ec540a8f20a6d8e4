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
	}{
		{"GET", "/hello", 200, `{"message":"hello, world"}`},
		{"GET", "/hello?name=Ada", 200, `{"message":"hello, Ada"}`},
		{"GET", "/-/version", 200, `{"version":"v1.2.3"}`},
		{"GET", "/-/log-level", 200, `{"level":"INFO"}`},
		{"POST", "/hello", 405, "Method Not Allowed"},
		{"GET", "/nowhere", 404, "404 page not found"},
	}
	for _, tt := range tests {
		w := serve(h, tt.method, tt.target, "")
		if w.Code != tt.status || strings.TrimSpace(w.Body.String()) != tt.body {
			t.Errorf("%s %s = %d %q, want %d %q", tt.method, tt.target, w.Code, w.Body, tt.status, tt.body)
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

	for _, body := range []string{"loud", "", strings.Repeat("x", 100)} {
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
