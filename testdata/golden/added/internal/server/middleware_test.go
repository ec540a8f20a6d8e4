package server

import (
	"bytes"
	"encoding/json"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"example.com/grown/internal/config"
	"example.com/grown/internal/logging"
)

// logLines returns the JSON log lines in logs.
func logLines(t *testing.T, logs *bytes.Buffer) []map[string]any {
	t.Helper()
	var lines []map[string]any
	for line := range strings.Lines(logs.String()) {
		var m map[string]any
		if err := json.Unmarshal([]byte(line), &m); err != nil {
			t.Fatalf("log line %q: %v", line, err)
		}
		lines = append(lines, m)
	}
	return lines
}

func TestRequestID(t *testing.T) {
	h, _ := newTestServer(t, Deps{})
	tests := []struct {
		name, header string
		keep         bool
	}{
		{"none", "", false},
		{"valid", "req-1.2_3:4+5/6=", true},
		{"longest", strings.Repeat("a", 200), true},
		{"too long", strings.Repeat("a", 201), false},
		{"bad characters", "id with spaces", false},
		{"newline", "id\nforged", false},
	}
	for _, tt := range tests {
		r := httptest.NewRequest("GET", "/hello", nil)
		r.Header["X-Request-Id"] = []string{tt.header}
		w := httptest.NewRecorder()
		h.ServeHTTP(w, r)
		got := w.Header().Get("X-Request-ID")
		switch {
		case tt.keep && got != tt.header:
			t.Errorf("%s: X-Request-ID = %q, want it kept", tt.name, got)
		case !tt.keep && (len(got) != 26 || strings.Trim(got, "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567") != ""):
			t.Errorf("%s: X-Request-ID = %q, want 26 new base32 characters", tt.name, got)
		}
	}
}

func TestAccessLog(t *testing.T) {
	h, logs := newTestServer(t, Deps{AccessLog: true})
	r := httptest.NewRequest("GET", "/hello?name=Ada", nil)
	r.Header.Set("X-Request-ID", "abc")
	h.ServeHTTP(httptest.NewRecorder(), r)

	lines := logLines(t, logs)
	if len(lines) != 1 {
		t.Fatalf("got %d log lines, want 1: %s", len(lines), logs)
	}
	line := lines[0]
	want := map[string]any{
		"msg": "request", "method": "GET", "path": "/hello", "status": 200.0,
		"bytes": 25.0, "request_id": "abc", "remote_addr": "192.0.2.1:1234",
	}
	for k, v := range want {
		if line[k] != v {
			t.Errorf("%s = %v, want %v", k, line[k], v)
		}
	}
	if _, ok := line["duration"].(float64); !ok {
		t.Errorf("duration = %v, want a number", line["duration"])
	}
}

// With the access log off, a request logs nothing.
func TestAccessLogOff(t *testing.T) {
	h, logs := newTestServer(t, Deps{AccessLog: false})
	h.ServeHTTP(httptest.NewRecorder(), httptest.NewRequest("GET", "/hello", nil))
	if logs.Len() != 0 {
		t.Errorf("logged %s, want nothing", logs)
	}
}

func TestPanic(t *testing.T) {
	panicky := Route{"GET /panic", http.HandlerFunc(func(http.ResponseWriter, *http.Request) { panic("boom") })}
	h, logs := newTestServer(t, Deps{Routes: []Route{panicky}, AccessLog: true})
	srv := httptest.NewServer(h)
	defer srv.Close()

	for path, want := range map[string]int{"/panic": 500, "/hello": 200} {
		resp, err := http.Get(srv.URL + path)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if resp.StatusCode != want {
			t.Errorf("GET %s = %d, want %d", path, resp.StatusCode, want)
		}
	}
	var found bool
	for _, line := range logLines(t, logs) {
		if line["msg"] == "handler panicked" {
			found = true
			stack, _ := line["stack"].(string)
			if line["panic"] != "boom" || line["request_id"] == nil || !strings.Contains(stack, "goroutine") {
				t.Errorf("panic line = %v", line)
			}
		}
	}
	if !found {
		t.Errorf("the panic was not logged: %s", logs)
	}
}

func TestObservers(t *testing.T) {
	type call struct {
		method, route string
		status        int
	}
	var calls []call
	observer := func(method, route string, status int, d time.Duration) {
		calls = append(calls, call{method, route, status})
	}
	h, _ := newTestServer(t, Deps{Observers: []Observer{observer}})
	serve(h, "GET", "/hello?name=x", "")
	serve(h, "GET", "/no/such/path", "")
	serve(h, "PUT", "/-/log-level", "warn")

	want := []call{{"GET", "GET /hello", 200}, {"GET", "unmatched", 404}, {"PUT", "PUT /-/log-level", 200}}
	if len(calls) != len(want) {
		t.Fatalf("calls = %v, want %v", calls, want)
	}
	for i := range want {
		if calls[i] != want[i] {
			t.Errorf("call %d = %v, want %v", i, calls[i], want[i])
		}
	}
}

// BenchmarkMiddleware measures what the middleware adds to each request:
// go test -bench Middleware -benchmem ./internal/server
func BenchmarkMiddleware(b *testing.B) {
	level := new(slog.LevelVar)
	observer := func(method, route string, status int, d time.Duration) {}
	h := NewServer(Deps{Logger: logging.New(io.Discard, config.LogJSON, level), Level: level, AccessLog: true, Observers: []Observer{observer}})
	r := httptest.NewRequest("GET", "/hello?name=x", nil)
	b.ReportAllocs()
	for b.Loop() {
		h.ServeHTTP(httptest.NewRecorder(), r)
	}
}
