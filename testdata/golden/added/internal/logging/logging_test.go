package logging

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"log/slog"
	"strings"
	"testing"
	"time"

	"example.com/grown/internal/config"
)

func TestJSONWithRequestID(t *testing.T) {
	var buf bytes.Buffer
	logger := New(&buf, config.LogJSON, new(slog.LevelVar)).With("component", "test")
	logger.InfoContext(WithRequestID(context.Background(), "abc123"), "hello", "n", 1)

	var line map[string]any
	if err := json.Unmarshal(buf.Bytes(), &line); err != nil {
		t.Fatalf("not one JSON line: %q: %v", buf.String(), err)
	}
	if line["msg"] != "hello" || line["request_id"] != "abc123" || line["component"] != "test" {
		t.Errorf("line = %v", line)
	}
}

func TestHumanWithoutRequestID(t *testing.T) {
	var buf bytes.Buffer
	New(&buf, config.LogHuman, new(slog.LevelVar)).Info("hello")
	if got := buf.String(); !strings.Contains(got, "msg=hello") || strings.Contains(got, "request_id") {
		t.Errorf("line = %q, want text without request_id", got)
	}
}

func TestLevel(t *testing.T) {
	var buf bytes.Buffer
	level := new(slog.LevelVar)
	logger := New(&buf, config.LogJSON, level)
	logger.Debug("hidden")
	level.Set(slog.LevelDebug)
	logger.Debug("shown")
	if got := buf.String(); strings.Contains(got, "hidden") || !strings.Contains(got, "shown") {
		t.Errorf("output = %q, want only the record logged after the level change", got)
	}
}

// The request ID's context must behave as one from context.WithValue:
// other values and cancellation pass through it.
func TestRequestIDContext(t *testing.T) {
	type otherKey struct{}
	parent, cancel := context.WithCancel(context.WithValue(context.Background(), otherKey{}, "v"))
	ctx := WithRequestID(parent, "abc")
	child, stop := context.WithCancel(ctx)
	defer stop()
	if got := RequestID(child); got != "abc" {
		t.Errorf("RequestID = %q, want abc", got)
	}
	if got := RequestID(context.Background()); got != "" {
		t.Errorf("RequestID without one = %q, want empty", got)
	}
	if got := RequestID(WithRequestID(ctx, "def")); got != "def" {
		t.Errorf("RequestID of the inner one = %q, want def", got)
	}
	if got := child.Value(otherKey{}); got != "v" {
		t.Errorf("another value = %v, want v", got)
	}
	cancel()
	select {
	case <-child.Done():
	case <-time.After(10 * time.Second):
		t.Fatal("cancelling the parent did not cancel a context made from the request ID's")
	}
	if !errors.Is(child.Err(), context.Canceled) {
		t.Errorf("Err = %v, want context.Canceled", child.Err())
	}
}
