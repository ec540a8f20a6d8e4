package logging

import (
	"bytes"
	"context"
	"encoding/json"
	"log/slog"
	"strings"
	"testing"

	"github.com/acme/billing/internal/config"
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
