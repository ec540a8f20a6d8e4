package health

import (
	"context"
	"encoding/json"
	"errors"
	"maps"
	"net/http"
	"net/http/httptest"
	"reflect"
	"sync/atomic"
	"testing"
	"time"
)

// get sends GET to h and returns the status and the decoded body.
func get(t *testing.T, h http.Handler) (int, map[string]any) {
	t.Helper()
	w := httptest.NewRecorder()
	h.ServeHTTP(w, httptest.NewRequest("GET", "/", nil))
	if ct, cc := w.Header().Get("Content-Type"), w.Header().Get("Cache-Control"); ct != "application/health+json" || cc != "no-store" {
		t.Errorf("Content-Type = %q, Cache-Control = %q", ct, cc)
	}
	var body map[string]any
	if err := json.Unmarshal(w.Body.Bytes(), &body); err != nil {
		t.Fatalf("body %q: %v", w.Body, err)
	}
	return w.Code, body
}

// checks returns an empty set of checks.
func checks() map[string]func(context.Context) error {
	return make(map[string]func(context.Context) error)
}

func TestHealthy(t *testing.T) {
	h := New(time.Second, func() bool { return false }, maps.All(map[string]func(context.Context) error{
		"db": func(context.Context) error { return errors.New("down") },
	}))
	// Liveness passes whatever the readiness and the checks say.
	code, body := get(t, h.Healthy())
	if code != 200 || body["status"] != "pass" || !reflect.DeepEqual(body["checks"], map[string]any{}) {
		t.Errorf("Healthy = %d %v", code, body)
	}
}

func TestReady(t *testing.T) {
	var ready atomic.Bool
	checks := checks()
	h := New(50*time.Millisecond, ready.Load, maps.All(checks)) // ranged over at each probe
	if code, body := get(t, h.Ready()); code != 503 || body["status"] != "fail" {
		t.Errorf("before ready: %d %v, want 503 fail", code, body)
	}

	ready.Store(true)
	checks["cache"] = func(context.Context) error { return nil }
	if code, body := get(t, h.Ready()); code != 200 || body["status"] != "pass" {
		t.Errorf("ready, checks pass: %d %v, want 200 pass", code, body)
	}

	checks["db"] = func(context.Context) error { return errors.New("connection refused") }
	checks["slow"] = func(context.Context) error { select {} } // ignores its context
	code, body := get(t, h.Ready())
	want := map[string]any{
		"cache": []any{map[string]any{"status": "pass"}},
		"db":    []any{map[string]any{"status": "fail", "output": "connection refused"}},
		"slow":  []any{map[string]any{"status": "fail", "output": "no answer within 50ms"}},
	}
	if code != 503 || body["status"] != "fail" || !reflect.DeepEqual(body["checks"], want) {
		t.Errorf("one check fails: %d %v", code, body)
	}

	ready.Store(false) // shutting down
	if code, _ := get(t, h.Ready()); code != 503 {
		t.Errorf("no longer ready: %d, want 503", code)
	}
}

func TestProbe(t *testing.T) {
	h := New(time.Second, func() bool { return false }, maps.All(checks()))
	mux := http.NewServeMux()
	mux.Handle("/-/healthy", h.Healthy())
	mux.Handle("/-/ready", h.Ready())
	srv := httptest.NewServer(mux)
	defer srv.Close()

	if err := Probe(t.Context(), srv.URL+"/-/healthy"); err != nil {
		t.Errorf("Probe(healthy) = %v", err)
	}
	if err := Probe(t.Context(), srv.URL+"/-/ready"); err == nil {
		t.Error("Probe(ready) succeeded while not ready")
	}
	srv.Close()
	if err := Probe(t.Context(), srv.URL+"/-/healthy"); err == nil {
		t.Error("Probe succeeded with the server down")
	}
}
